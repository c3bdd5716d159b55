import { type ActionFunctionArgs, redirect } from '@remix-run/node'
import { revokeSession } from '~/models/sessions.server'
import { systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { clearSessionCookie } from '~/utils/session.server'

/** Ends this browser's session (the row is revoked, not just the cookie cleared). */
export async function action({ context }: ActionFunctionArgs) {
  if (context.sessionToken) await revokeSession(getDb(), context.sessionToken, systemClock)
  return redirect('/', { headers: { 'Set-Cookie': clearSessionCookie() } })
}

export async function loader() {
  return redirect('/')
}
