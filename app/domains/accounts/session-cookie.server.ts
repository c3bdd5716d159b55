import { createCookie } from '@remix-run/node'
import type { SessionPolicy } from './sessions.server'
import { getEnv } from '../../utils/env.server'

/**
 * The session cookie: an opaque random token (the database keeps only its hash). HttpOnly and SameSite=Lax always,
 * Secure in production mode. server/app.ts reads it once per request, before Remix, and hands the result to loaders
 * and actions as `context.auth`; nothing else parses it.
 */
export const SESSION_COOKIE = 'xfbf_session'

const sessionCookie = createCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax' })

/** 32 random bytes in base64url, as createSession makes them; anything else in the cookie is no session. */
const TOKEN = /^[A-Za-z0-9_-]{20,100}$/

/** Read per response rather than when the module loads: the environment is parsed by then. */
function secure(): boolean {
  return getEnv().APP_MODE === 'production'
}

export function sessionPolicy(): SessionPolicy {
  const env = getEnv()
  return { idleMinutes: env.SESSION_IDLE_MINUTES, absoluteHours: env.SESSION_ABSOLUTE_HOURS }
}

/** The token a request's Cookie header carries, or null (none, or not one of ours). */
export async function readSessionToken(cookieHeader: string | null | undefined): Promise<string | null> {
  const value: unknown = await sessionCookie.parse(cookieHeader ?? null)
  return typeof value === 'string' && TOKEN.test(value) ? value : null
}

/** The Set-Cookie header for a session, living as long as the session may. */
export function sessionCookieHeader(session: { token: string; expiresAt: Date }): Promise<string> {
  const maxAge = Math.max(0, Math.floor((session.expiresAt.getTime() - Date.now()) / 1000))
  return sessionCookie.serialize(session.token, { maxAge, secure: secure() })
}

export function clearSessionCookie(): Promise<string> {
  return sessionCookie.serialize('', { maxAge: 0, secure: secure() })
}
