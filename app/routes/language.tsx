import { type LoaderFunctionArgs, type ActionFunctionArgs, redirect } from '@remix-run/node'
import { z } from 'zod'
import { readForm } from '~/utils/form.server'
import { locales } from '~/utils/i18n'
import { rememberLocale } from '~/utils/i18n.server'
import { safeRedirectPath } from '~/utils/redirect'
import { requireAccess } from '~/utils/permissions.server'
import { optionalText } from '~/utils/validation'

const languageForm = z.object({
  lang: z.enum(locales),
  redirectTo: optionalText({ max: 2000 }),
})

/**
 * Switches the interface language and remembers it (app/utils/i18n.server.ts). The switch posts a whole document
 * (reloadDocument), so the redirect loads the page anew with the other language's messages.
 */
export async function action(args: ActionFunctionArgs) {
  const { request } = args
  requireAccess(args, 'routes/language', 'action')
  const parsed = languageForm.safeParse(await readForm(request))
  if (!parsed.success) throw new Response('lang must be zh or en', { status: 400 })
  return redirect(safeRedirectPath(parsed.data.redirectTo, request), {
    headers: { 'Set-Cookie': await rememberLocale(parsed.data.lang) },
  })
}

export async function loader(args: LoaderFunctionArgs) {
  requireAccess(args, 'routes/language', 'loader')
  return redirect('/')
}
