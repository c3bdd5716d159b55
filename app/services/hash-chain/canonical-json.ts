/**
 * Canonical JSON: the one text of a value that the hash chains hash (hash.server.ts), made here and, for the hot
 * path, split around a seq the database fills in (canonicalJsonAround, sql-append.server.ts). Pure: nothing here
 * reads the database or hashes.
 */

/** What may be hashed: JSON without floats, plus bigints (decimal strings) and Dates (ISO-8601 UTC strings). */
export type CanonicalInput =
  | null
  | boolean
  | string
  | number
  | bigint
  | Date
  | readonly CanonicalInput[]
  | { readonly [key: string]: CanonicalInput }

/** The same value in plain JSON, as it is stored (jsonb) and read back: integers stay numbers. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

/**
 * Walks a value once, refusing what has no single canonical form: floats, NaN and ±Infinity (integers beyond 2^53
 * too — pass a bigint), undefined, functions, symbols, class instances other than Date, invalid dates and cycles.
 */
function walk<T>(
  value: unknown,
  path: string,
  ancestors: Set<object>,
  leaf: (kind: 'integer' | 'string' | 'literal', text: string, original: unknown) => T,
  array: (items: T[]) => T,
  object: (entries: Array<[string, T]>) => T,
): T {
  switch (typeof value) {
    case 'string':
      return leaf('string', value, value)
    case 'boolean':
      return leaf('literal', value ? 'true' : 'false', value)
    case 'bigint':
      return leaf('integer', value.toString(), value)
    case 'number':
      if (!Number.isSafeInteger(value)) {
        throw new RangeError(`${path}: ${String(value)} is not a safe integer (floats cannot be hashed)`)
      }
      // String(-0) is '0': -0 and 0 are the same integer.
      return leaf('integer', String(value), value)
    case 'undefined':
      throw new RangeError(`${path}: undefined cannot be hashed`)
    case 'object':
      break
    default:
      throw new RangeError(`${path}: a ${typeof value} cannot be hashed`)
  }
  if (value === null) return leaf('literal', 'null', null)
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new RangeError(`${path}: invalid Date`)
    return leaf('string', value.toISOString(), value.toISOString())
  }
  if (ancestors.has(value)) throw new RangeError(`${path}: circular reference`)
  ancestors.add(value)
  try {
    if (Array.isArray(value)) {
      return array(
        value.map((item: unknown, i) => walk(item, `${path}[${i}]`, ancestors, leaf, array, object)),
      )
    }
    if (!isPlainObject(value))
      throw new RangeError(`${path}: only plain objects, arrays and Dates can be hashed`)
    const keys = Object.keys(value).sort()
    return object(
      keys.map((key) => [
        key,
        walk((value as Record<string, unknown>)[key], `${path}.${key}`, ancestors, leaf, array, object),
      ]),
    )
  } finally {
    ancestors.delete(value)
  }
}

/**
 * Canonical JSON: keys sorted (by UTF-16 code units) at every depth, integers (numbers and bigints) as decimal
 * strings, Dates as ISO-8601 UTC strings, no whitespace. Floats, NaN and undefined throw a RangeError: the hash
 * of an amount must never depend on how a float prints.
 */
export function canonicalJson(value: CanonicalInput): string {
  return walk<string>(
    value,
    '$',
    new Set(),
    (kind, text) => (kind === 'literal' ? text : JSON.stringify(text)),
    (items) => `[${items.join(',')}]`,
    (entries) => `{${entries.map(([key, text]) => `${JSON.stringify(key)}:${text}`).join(',')}}`,
  )
}

/**
 * The value as it will be stored in jsonb and read back: bigints become decimal strings, Dates ISO strings, safe
 * integers stay numbers. Validates like canonicalJson, and canonicalJson(toJsonValue(v)) === canonicalJson(v), so
 * a hash recomputed from the stored row equals the one computed at insertion.
 */
export function toJsonValue(value: CanonicalInput): JsonValue {
  return walk<JsonValue>(
    value,
    '$',
    new Set(),
    (kind, text, original) =>
      kind === 'integer' ? (typeof original === 'bigint' ? text : Number(text)) : (original as JsonValue),
    (items) => items,
    (entries) => Object.fromEntries(entries),
  )
}

/**
 * The canonical JSON of a payload whose top-level `key` is a non-negative integer not known yet, in two parts:
 * canonicalJson({ ...payload, [key]: n }) === prefix + String(n) + suffix for every safe integer n ≥ 0 (integers are
 * written as decimal strings, and keys sorted, so n sits at a fixed place between two fixed texts). Whatever
 * `payload[key]` holds is ignored. Validates like canonicalJson.
 */
export function canonicalJsonAround(
  payload: { readonly [key: string]: CanonicalInput },
  key: string,
): { prefix: string; suffix: string } {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload) || !isPlainObject(payload))
    throw new RangeError('$: only a plain object has a place for a key')
  const keys = [...new Set([...Object.keys(payload), key])].sort()
  const at = keys.indexOf(key)
  const member = (k: string) => `${JSON.stringify(k)}:${canonicalJson(payload[k] as CanonicalInput)}`
  const before = keys.slice(0, at).map((k) => `${member(k)},`)
  const after = keys.slice(at + 1).map((k) => `,${member(k)}`)
  return { prefix: `{${before.join('')}${JSON.stringify(key)}:"`, suffix: `"${after.join('')}}` }
}
