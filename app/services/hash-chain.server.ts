import { createHash } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../db/client.server'

/**
 * Hash chains for append-only tables (the audit log now, the consumption-aid ledger later), as DESIGN §5 "Hash
 * chain" describes: seq = head.seq + 1 under the head row's lock (gap-free), hash = sha256(prev_hash ‖ canonical
 * JSON of the entry). A verifier recomputes every hash in seq order and compares the end with the head row, and
 * with a head published earlier, so a rewritten tail is caught too.
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

/** The hash a chain's first entry links to. */
export const GENESIS_HASH = '0'.repeat(64)

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

/** sha256 hex of prevHash ‖ canonicalJson(payload); an empty prevHash means the genesis hash (64 zeros). */
export function chainHash(prevHash: string, payload: CanonicalInput): string {
  return createHash('sha256')
    .update(prevHash === '' ? GENESIS_HASH : prevHash, 'utf8')
    .update(canonicalJson(payload), 'utf8')
    .digest('hex')
}

// ---------------------------------------------------------------------------------------------------------------
// Appending

export type ChainLink = { seq: number; prevHash: string }
export type ChainEntry = ChainLink & { hash: string }

/** What the caller of appendToChain provides once it knows its seq: the hashed payload and how to store the row. */
export type ChainRow<T> = {
  /** Everything the row stores except prev_hash and hash, including its seq. */
  payload: CanonicalInput
  insert(entry: ChainEntry): Promise<T>
}

function toSeq(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(value as string | bigint)
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`Not a chain seq: ${String(value)}`)
  return n
}

/** The head of a chain, or seq 0 and the genesis hash for a chain nothing was appended to. */
export async function chainHead(
  db: Db,
  chain: string,
): Promise<{ seq: number; hash: string; updatedAt: Date | null }> {
  const [row] = await queryRows<{ seq: unknown; hash: string; updated_at: unknown }>(
    db,
    sql`select seq, hash, updated_at from chain_heads where chain = ${chain}`,
  )
  if (!row) return { seq: 0, hash: GENESIS_HASH, updatedAt: null }
  return { seq: toSeq(row.seq), hash: row.hash, updatedAt: new Date(row.updated_at as string | Date) }
}

/**
 * Appends one entry to `chain` inside the caller's transaction `tx`: locks the chain's head row (creating it on
 * first use), takes seq = head.seq + 1, hashes the payload `build` returns, lets the caller insert its row and
 * moves the head. The head lock is held until the transaction ends and serialises every appender, so do the
 * transaction's other writes first and append last (DESIGN §5): the lock is then held for as short as possible,
 * and no transaction waits for another lock while holding it. Run at READ COMMITTED (the default).
 */
export async function appendToChain<T>(
  tx: Db,
  chain: string,
  build: (link: ChainLink) => ChainRow<T> | Promise<ChainRow<T>>,
): Promise<ChainEntry & { result: T }> {
  let result: T | undefined
  const [entry] = await appendManyToChain(tx, chain, 1, async ([link]) => {
    const row = await build(link!)
    return {
      payloads: [row.payload],
      insert: async ([stored]) => {
        result = await row.insert(stored!)
      },
    }
  })
  return { ...entry!, result: result as T }
}

/** What the caller of appendManyToChain provides once it knows its seqs: one payload per entry, and the insert. */
export type ChainRows = {
  payloads: CanonicalInput[]
  insert(entries: ChainEntry[]): Promise<void>
}

/**
 * Appends `count` consecutive entries under one head lock (a confirmation appends one per order line): seqs
 * head.seq + 1 … head.seq + count, each hash chained to the one before. Same locking rules as appendToChain.
 */
export async function appendManyToChain(
  tx: Db,
  chain: string,
  count: number,
  build: (links: ChainLink[]) => ChainRows | Promise<ChainRows>,
): Promise<ChainEntry[]> {
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError('count must be a positive integer')
  await queryRows(
    tx,
    sql`insert into chain_heads (chain, seq, hash) values (${chain}, 0, ${GENESIS_HASH})
        on conflict (chain) do nothing`,
  )
  const [head] = await queryRows<{ seq: unknown; hash: string }>(
    tx,
    sql`select seq, hash from chain_heads where chain = ${chain} for update`,
  )
  if (!head) throw new Error(`chain head ${chain} vanished`)
  const first = toSeq(head.seq) + 1
  // prevHash of each link is only known after hashing the one before; build() sees seqs, insert() full entries.
  const links: ChainLink[] = Array.from({ length: count }, (_, i) => ({ seq: first + i, prevHash: '' }))
  links[0]!.prevHash = head.hash
  const rows = await build(links)
  if (rows.payloads.length !== count) throw new Error('appendManyToChain: one payload per entry')
  const entries: ChainEntry[] = []
  let prevHash = head.hash
  for (let i = 0; i < count; i++) {
    const hash = chainHash(prevHash, rows.payloads[i]!)
    entries.push({ seq: first + i, prevHash, hash })
    prevHash = hash
  }
  await rows.insert(entries)
  const last = entries[entries.length - 1]!
  await queryRows(
    tx,
    sql`update chain_heads set seq = ${last.seq}, hash = ${last.hash}, updated_at = now()
        where chain = ${chain}`,
  )
  return entries
}

// ---------------------------------------------------------------------------------------------------------------
// Verifying

/** A stored row of a chained table, as the verifier needs it. */
export type StoredChainRow = { seq: number; prevHash: string; hash: string; payload: CanonicalInput }

/** How to read a chained table: rows with seq > afterSeq in ascending seq order, at most `limit` of them. */
export type ChainSource = {
  chain: string
  readAfter(db: Db, afterSeq: number, limit: number): Promise<StoredChainRow[]>
}

export type ChainBreakReason =
  /** A seq is missing (a deleted row) or out of place. */
  | 'seq_gap'
  /** The row does not link to the hash of the row before it (rows reordered, removed or inserted). */
  | 'prev_hash_mismatch'
  /** The row's contents no longer give its hash (a row was changed). */
  | 'hash_mismatch'
  /** The head row disagrees with the last row (rows appended or removed at the end, or the head changed). */
  | 'head_mismatch'
  /** The chain does not contain the head published earlier (its tail was removed or rewritten). */
  | 'expected_head_mismatch'

export type ChainVerification =
  | { ok: true; checked: number; headSeq: number; headHash: string }
  | { ok: false; firstBrokenSeq: number; reason: ChainBreakReason }

export type PublishedHead = { seq: number; hash: string }

/**
 * Recomputes a chain in seq order: seqs 1, 2, 3 … without gaps, each prev_hash equal to the previous row's hash
 * (the genesis hash for seq 1), each hash equal to sha256(prev_hash ‖ canonical payload), and the last row equal
 * to the head row. With `expect` (a head published earlier), the row at that seq must still carry that hash.
 * Reads one consistent snapshot (REPEATABLE READ, read only) so that concurrent appends do not look like damage.
 */
export async function verifyChain(
  db: Db,
  source: ChainSource,
  options: { expect?: PublishedHead; batchSize?: number } = {},
): Promise<ChainVerification> {
  const batchSize = options.batchSize ?? 1000
  const expected = options.expect
  return db.transaction(
    async (tx): Promise<ChainVerification> => {
      const head = await chainHead(tx, source.chain)
      let lastSeq = 0
      let lastHash = GENESIS_HASH
      let expectedSeen = false
      for (;;) {
        const rows = await source.readAfter(tx, lastSeq, batchSize)
        for (const row of rows) {
          const want = lastSeq + 1
          if (row.seq !== want)
            return { ok: false, firstBrokenSeq: Math.min(want, row.seq), reason: 'seq_gap' }
          if (row.prevHash !== lastHash)
            return { ok: false, firstBrokenSeq: row.seq, reason: 'prev_hash_mismatch' }
          if (chainHash(row.prevHash, row.payload) !== row.hash) {
            return { ok: false, firstBrokenSeq: row.seq, reason: 'hash_mismatch' }
          }
          if (expected && row.seq === expected.seq) {
            if (row.hash !== expected.hash) {
              return { ok: false, firstBrokenSeq: row.seq, reason: 'expected_head_mismatch' }
            }
            expectedSeen = true
          }
          lastSeq = row.seq
          lastHash = row.hash
        }
        if (rows.length < batchSize) break
      }
      if (head.seq !== lastSeq || head.hash !== lastHash) {
        // Head ahead: rows after the last one are missing. Head behind: rows were appended without it. Same seq,
        // other hash: the last row was rewritten (consistently with its predecessor), or the head was.
        const firstBrokenSeq = head.seq === lastSeq ? Math.max(1, lastSeq) : Math.min(head.seq, lastSeq) + 1
        return { ok: false, firstBrokenSeq, reason: 'head_mismatch' }
      }
      if (expected && expected.seq > 0 && !expectedSeen) {
        return { ok: false, firstBrokenSeq: lastSeq + 1, reason: 'expected_head_mismatch' }
      }
      return { ok: true, checked: lastSeq, headSeq: head.seq, headHash: head.hash }
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  )
}
