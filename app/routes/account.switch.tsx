import { type LoaderFunctionArgs, type ActionFunctionArgs, redirect } from '@remix-run/node'
import { switchForm } from '~/domains/accounts'
import { switchActiveOrganization } from '~/domains/accounts/index.server'
import { getDb } from '~/utils/db.server'
import { parseForm } from '~/utils/form.server'
import { invariantResponse } from '~/utils/guards.server'
import { safeRedirectPath } from '~/utils/redirect'
import { requireAccess } from '~/utils/permissions.server'

/**
 * Switches the organisation the signed-in user acts for. The membership is checked in the operation; the session id
 * rotates on the next request (server/app.ts sends the new cookie).
 */
export async function action(args: ActionFunctionArgs) {
  const { request, context } = args
  const auth = requireAccess(args, 'routes/account.switch', 'action')
  invariantResponse(context.sessionToken, 'Forbidden', { status: 403 })
  const submission = await parseForm(request, switchForm)
  // The buttons post hidden fields only: anything else is a forged form, answered as such.
  invariantResponse(submission.status === 'success', 'orgId must be empty or an organisation id')
  const { orgId, redirectTo } = submission.value
  const switched = await switchActiveOrganization(getDb(), {
    token: context.sessionToken,
    userId: auth.userId,
    orgId: orgId === '' ? null : orgId,
  })
  invariantResponse(switched, '无权访问 / Forbidden', { status: 403 })
  return redirect(safeRedirectPath(redirectTo, request, '/account'))
}

export async function loader(args: LoaderFunctionArgs) {
  requireAccess(args, 'routes/account.switch', 'loader')
  return redirect('/account')
}
