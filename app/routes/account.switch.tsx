import { type LoaderFunctionArgs, type ActionFunctionArgs, redirect } from '@remix-run/node'
import { z } from 'zod'
import { switchActiveOrganization } from '~/domains/accounts/index.server'
import { getDb } from '~/utils/db.server'
import { readForm } from '~/utils/form.server'
import { safeRedirectPath } from '~/utils/redirect'
import { optionalText } from '~/utils/validation'
import { requireAccess } from '~/utils/permissions.server'

const switchForm = z.object({
  /** Empty: act as a consumer. */
  orgId: z.union([z.literal(''), z.string().uuid()]),
  redirectTo: optionalText({ max: 2000 }),
})

/**
 * Switches the organisation the signed-in user acts for. The membership is checked in the model; the session id
 * rotates on the next request (server.ts sends the new cookie).
 */
export async function action(args: ActionFunctionArgs) {
  const { request, context } = args
  const auth = requireAccess(args, 'routes/account.switch', 'action')
  if (!context.sessionToken) throw new Response('Forbidden', { status: 403 })
  const parsed = switchForm.safeParse(await readForm(request))
  if (!parsed.success) throw new Response('orgId must be empty or an organisation id', { status: 400 })
  const switched = await switchActiveOrganization(getDb(), {
    token: context.sessionToken,
    userId: auth.userId,
    orgId: parsed.data.orgId === '' ? null : parsed.data.orgId,
  })
  if (!switched) throw new Response('无权访问 / Forbidden', { status: 403 })
  return redirect(safeRedirectPath(parsed.data.redirectTo, request, '/account'))
}

export async function loader(args: LoaderFunctionArgs) {
  requireAccess(args, 'routes/account.switch', 'loader')
  return redirect('/account')
}
