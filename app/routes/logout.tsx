import { type LoaderFunctionArgs, type ActionFunctionArgs, redirect } from '@remix-run/node'
import { z } from 'zod'
import { revokeSession, clearSessionCookie } from '~/domains/accounts/index.server'
import { systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { parseForm } from '~/utils/form.server'
import { requireAccess } from '~/utils/permissions.server'

/** The button posts an empty form. */
const logoutForm = z.object({})

/** Ends this browser's session (the row is revoked, not just the cookie cleared). */
export async function action(args: ActionFunctionArgs) {
  const { context, request } = args
  requireAccess(args, 'routes/logout', 'action')
  // Reading it still refuses a body that is not a form.
  await parseForm(request, logoutForm)
  if (context.sessionToken) await revokeSession(getDb(), context.sessionToken, systemClock)
  return redirect('/', { headers: { 'Set-Cookie': await clearSessionCookie() } })
}

export async function loader(args: LoaderFunctionArgs) {
  requireAccess(args, 'routes/logout', 'loader')
  return redirect('/')
}
