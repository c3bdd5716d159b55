const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Whether a value from outside (a URL, a form, a cookie) can be a row id. Checked before any query so that junk
 * answers "not found" instead of a PostgreSQL cast error (a 500).
 */
export function isUuid(value: string): boolean {
  return UUID.test(value)
}
