import type { AppLoadContext } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import type { RequestAuth, SessionPolicy } from '../models/sessions.server'
import { getEnv } from './env.server'

/**
 * The session cookie: an opaque random token (the database keeps only its hash). HttpOnly and SameSite=Lax always,
 * Secure in production mode. server.ts resolves it once per request and hands the result to loaders and actions as
 * `context.auth`.
 */
export const SESSION_COOKIE = 'xfbf_session'

export function sessionPolicy(): SessionPolicy {
  const env = getEnv()
  return { idleMinutes: env.SESSION_IDLE_MINUTES, absoluteHours: env.SESSION_ABSOLUTE_HOURS }
}

export function readSessionToken(cookieHeader: string | null | undefined): string | null {
  const match = cookieHeader?.match(new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([A-Za-z0-9_-]{20,100})`))
  return match?.[1] ?? null
}

function cookieAttributes(): string {
  return `Path=/; HttpOnly; SameSite=Lax${getEnv().APP_MODE === 'production' ? '; Secure' : ''}`
}

export function sessionCookie(token: string, expiresAt: Date): string {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000))
  return `${SESSION_COOKIE}=${token}; ${cookieAttributes()}; Max-Age=${maxAge}`
}

export function clearSessionCookie(): string {
  return `${SESSION_COOKIE}=; ${cookieAttributes()}; Max-Age=0`
}

/** The signed-in user, or a redirect to the login page that comes back here afterwards. */
export function requireAuth(context: AppLoadContext, request: Request): RequestAuth {
  if (context.auth) return context.auth
  const url = new URL(request.url)
  throw redirect(`/login?redirectTo=${encodeURIComponent(`${url.pathname}${url.search}`)}`)
}

/** Signed in and holding one of these roles in some organisation (e.g. platform_admin). */
export function requireRole(
  context: AppLoadContext,
  request: Request,
  roles: readonly string[],
): RequestAuth {
  const auth = requireAuth(context, request)
  if (!auth.memberships.some((m) => roles.includes(m.role))) {
    throw new Response('无权访问 / Forbidden', { status: 403 })
  }
  return auth
}
