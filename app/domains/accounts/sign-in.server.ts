import { redirect } from '@remix-run/node'
import type { Db } from '../../../db/client.server'
import { mergeIntoCart, clearCartCookie, readCartCookie } from '../orders/index.server'
import { sessionCookie } from './session-cookie.server'

/**
 * The end of every sign-in (login, sign-up): the visitor's cookie cart joins the account's cart, the cookie is
 * cleared, and the new session cookie is set on the redirect.
 */
export async function completeSignIn(
  db: Db,
  request: Request,
  input: { userId: string; session: { token: string; expiresAt: Date }; redirectTo: string },
): Promise<Response> {
  const visitorCart = readCartCookie(request.headers.get('Cookie'))
  await mergeIntoCart(db, input.userId, visitorCart)
  const headers = new Headers()
  headers.append('Set-Cookie', sessionCookie(input.session.token, input.session.expiresAt))
  if (visitorCart.length > 0) headers.append('Set-Cookie', clearCartCookie())
  return redirect(input.redirectTo, { headers })
}
