import type { SessionPolicy } from './sessions.server'
import { getEnv } from '../../utils/env.server'

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
