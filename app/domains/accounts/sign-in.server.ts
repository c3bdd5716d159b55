import type { Db } from '../../../db/client.server'
import type { Clock } from '../../utils/clock'
import { clearCartCookie, mergeIntoCart, readCartCookie } from '../orders/index.server'
import { sessionCookieHeader } from './session-cookie.server'
import { endSession, insertSession, type SessionPolicy } from './sessions.server'

/**
 * The end of every sign-in (login, sign-up), once the user is known: a new session (the one this browser had, if
 * any, ends: ids rotate on sign-in) and the visitor's cookie cart joined to the account's cart, in one transaction;
 * then the cookies that go with the redirect — the new session, and the cart cookie cleared.
 */
export async function completeSignIn(
  db: Db,
  input: {
    userId: string
    /** The organisation to act for right away (logIn's choice when the user belongs to exactly one). */
    activeOrgId?: string | null
    /** The request's session token, if it had one. */
    previousToken: string | null
    /** The request's Cookie header: the visitor's cart. */
    cookieHeader: string | null
  },
  clock: Clock,
  policy: SessionPolicy,
): Promise<Headers> {
  const visitorCart = await readCartCookie(input.cookieHeader)
  const session = await db.transaction(async (tx) => {
    if (input.previousToken) await endSession(tx, input.previousToken, clock.now())
    const created = await insertSession(
      tx,
      { userId: input.userId, activeOrgId: input.activeOrgId ?? null },
      clock,
      policy,
    )
    await mergeIntoCart(tx, input.userId, visitorCart)
    return created
  })
  const headers = new Headers()
  headers.append('Set-Cookie', await sessionCookieHeader(session))
  if (visitorCart.length > 0) headers.append('Set-Cookie', await clearCartCookie())
  return headers
}
