/** A path that `safeRedirectPath` accepted: the only kind of user-supplied target a redirect may carry. */
export type SafePath = string & { readonly __safePath: true }

/**
 * Control characters and backslashes are refused outright rather than normalised: browsers drop tabs and line
 * breaks from URLs ("/\t/evil.example" becomes "//evil.example", another host), read "\" as "/", and a line break
 * in a Location header is a response-splitting attempt.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\\]/

/**
 * The one gate for redirect targets that come from a request (`redirectTo` fields and query parameters): a path
 * on our own origin, or `fallback`. The target is parsed with the URL parser against the request's origin — the
 * parser browsers use — so "/.//evil.example", "/%2e/" tricks and the like are judged by what a browser would
 * make of them, and the result is the parser's normalised path, query and fragment (never an absolute URL).
 */
export function safeRedirectPath(target: unknown, request: Request, fallback = '/'): SafePath {
  const safeFallback = fallback as SafePath
  if (typeof target !== 'string' || !target.startsWith('/') || target.length > 2000) return safeFallback
  if (UNSAFE.test(target)) return safeFallback
  const origin = new URL(request.url).origin
  let url: URL
  try {
    url = new URL(target, origin)
  } catch {
    return safeFallback
  }
  if (url.origin !== origin) return safeFallback
  const path = `${url.pathname}${url.search}${url.hash}`
  // "/.//evil.example" parses to the path "//evil.example", which a browser reads as a host of its own.
  if (!path.startsWith('/') || path.startsWith('//')) return safeFallback
  return path as SafePath
}
