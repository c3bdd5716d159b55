/**
 * The request-hygiene rules of docs/architecture.md §7, as pure functions so they can be tested exhaustively. server/app.ts
 * applies them before Remix sees a request: Remix 2 runs a `?_data=` POST's action before any hook of ours.
 */

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** Paths that receive cross-site POSTs by design and authenticate them otherwise (a signature on the raw body). */
export const CROSS_SITE_EXEMPT_PATHS = new Set(['/webhooks/stripe'])

export type CrossSiteVerdict =
  | { allowed: true }
  | { allowed: false; reason: 'origin' | 'sec-fetch-site' | 'unproven' }

/**
 * Refuses a state-changing request that is cross-site by its Origin or Sec-Fetch-Site header, or that carries a
 * session cookie without proving it comes from our own pages (browsers send Origin on every POST; a request with
 * our cookie and no proof is treated as forged).
 */
export function crossSiteVerdict(request: {
  method: string
  path: string
  origin: string | undefined
  secFetchSite: string | undefined
  hasSessionCookie: boolean
  ownOrigin: string
}): CrossSiteVerdict {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return { allowed: true }
  if (CROSS_SITE_EXEMPT_PATHS.has(request.path)) return { allowed: true }
  if (request.origin !== undefined && request.origin !== request.ownOrigin)
    return { allowed: false, reason: 'origin' }
  const site = request.secFetchSite?.toLowerCase()
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return { allowed: false, reason: 'sec-fetch-site' }
  }
  if (request.hasSessionCookie && request.origin !== request.ownOrigin && site !== 'same-origin') {
    return { allowed: false, reason: 'unproven' }
  }
  return { allowed: true }
}

/**
 * The Content-Security-Policy: scripts only from our origin or carrying this response's nonce; no framing; forms
 * post only to us. Style attributes stay allowed (progress bars set their width inline). Development relaxes it for
 * Vite's hot reload.
 */
export function contentSecurityPolicy(nonce: string, options: { development: boolean }): string | null {
  if (options.development) return null
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ')
}
