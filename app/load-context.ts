import type { RequestAuth } from '~/domains/accounts/index.server'

// What server.ts passes to every loader and action (see getLoadContext there).
declare module '@remix-run/node' {
  interface AppLoadContext {
    /** Per-request nonce for the Content-Security-Policy. */
    cspNonce: string
    /** The signed-in user (resolved once per request from the session cookie), or null. */
    auth: RequestAuth | null
    /** The raw session token of this request, for logout and switching organisation. Never sent to the browser. */
    sessionToken: string | null
    /** The client's address (for per-address login throttles). */
    clientIp: string
  }
}

export {}
