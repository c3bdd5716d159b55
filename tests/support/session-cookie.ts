import { sessionCookieHeader } from '../../app/domains/accounts/session-cookie.server'

/**
 * The Cookie request header of a browser holding this session: the session cookie as the app writes it (Remix's
 * createCookie encodes the token), so that tests sign in the way a browser does.
 */
export async function sessionCookieFor(token: string): Promise<string> {
  const setCookie = await sessionCookieHeader({ token, expiresAt: new Date(Date.now() + 3_600_000) })
  return setCookie.split(';')[0]!
}
