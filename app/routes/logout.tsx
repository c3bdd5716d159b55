import { type LoaderFunctionArgs, type ActionFunctionArgs, redirect } from '@remix-run/node'
import { revokeSession, clearSessionCookie } from '~/domains/accounts/index.server'
import { systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { readForm } from '~/utils/form.server'
import { requireAccess } from '~/utils/permissions.server'

/** Ends this browser's session (the row is revoked, not just the cookie cleared). */
export async function action(args: ActionFunctionArgs) {
  const { context, request } = args
  requireAccess(args, 'routes/logout', 'action')
  // The button posts an empty form; reading it still refuses a body that is not one.
  await readForm(request)
  if (context.sessionToken) await revokeSession(getDb(), context.sessionToken, systemClock)
  return redirect('/', { headers: { 'Set-Cookie': clearSessionCookie() } })
}

export async function loader(args: LoaderFunctionArgs) {
  requireAccess(args, 'routes/logout', 'loader')
  return redirect('/')
}
