import { type ActionFunctionArgs, redirect } from '@remix-run/node'
import { z } from 'zod'
import { locales } from '~/utils/i18n'
import { safeRedirectPath } from '~/utils/redirect'

const languageForm = z.object({
  lang: z.enum(locales),
  redirectTo: z.string().optional(),
})

/** Switches the interface language and remembers it for a year (a cookie; no account needed). */
export async function action({ request }: ActionFunctionArgs) {
  const parsed = languageForm.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) throw new Response('lang must be zh or en', { status: 400 })
  return redirect(safeRedirectPath(parsed.data.redirectTo), {
    headers: { 'Set-Cookie': `lang=${parsed.data.lang}; Path=/; Max-Age=31536000; SameSite=Lax` },
  })
}

export async function loader() {
  return redirect('/')
}
