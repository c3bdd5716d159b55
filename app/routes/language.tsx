import { type LoaderFunctionArgs, type ActionFunctionArgs, redirect } from '@remix-run/node'
import { z } from 'zod'
import { readForm } from '~/utils/form.server'
import { locales } from '~/utils/i18n'
import { safeRedirectPath } from '~/utils/redirect'
import { requireAccess } from '~/utils/permissions.server'
import { optionalText } from '~/utils/validation'

const languageForm = z.object({
  lang: z.enum(locales),
  redirectTo: optionalText({ max: 2000 }),
})

/** Switches the interface language and remembers it for a year (a cookie; no account needed). */
export async function action(args: ActionFunctionArgs) {
  const { request } = args
  requireAccess(args, 'routes/language', 'action')
  const parsed = languageForm.safeParse(await readForm(request))
  if (!parsed.success) throw new Response('lang must be zh or en', { status: 400 })
  return redirect(safeRedirectPath(parsed.data.redirectTo, request), {
    headers: { 'Set-Cookie': `lang=${parsed.data.lang}; Path=/; Max-Age=31536000; SameSite=Lax` },
  })
}

export async function loader(args: LoaderFunctionArgs) {
  requireAccess(args, 'routes/language', 'loader')
  return redirect('/')
}
