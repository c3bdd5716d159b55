/**
 * Only same-site paths may be redirect targets: "/products?x=1" is kept, while "https://evil.example",
 * "//evil.example" and "/\\evil.example" (which browsers read as another host) fall back to "/".
 */
export function safeRedirectPath(target: unknown, fallback = '/'): string {
  if (
    typeof target !== 'string' ||
    !target.startsWith('/') ||
    target.startsWith('//') ||
    target.startsWith('/\\')
  ) {
    return fallback
  }
  return target
}
