import { createHash } from 'node:crypto'
import { type SQL, sql } from 'drizzle-orm'
import { type Db, preparedRows, queryRows } from '../../db/client.server'

/**
 * Hash chains for append-only tables (the audit log, the consumption-aid ledger), as docs/architecture.md §5 "Hash chain"
 * describes: seq = head.seq + 1 under the head row's lock (gap-free), hash = sha256(prev_hash ‖ canonical JSON of
 * the entry). A verifier recomputes every hash in seq order and compares the end with the head row, and with a head
 * published earlier, so a rewritten tail is caught too.
 *
 * Two ways to append: appendToChain / appendManyToChain (lock, hash here, the caller inserts, move the head), and
 * sendChainAppends for the hot path — a payment confirmation — which sends the lock and one statement that hashes
 * (sha256 of the canonical JSON made here, with the seq the database assigns), inserts and moves the heads of
 * several chains at once, so that nothing comes back to this process while the locks are held.
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
 * A PostgreSQL array literal of `values`, every element quoted (NULL for null), for one array parameter
 * (`cast(${literal} as text)::uuid[]`): a statement's text then stays the same whatever the number of values, so it
 * is prepared once per connection. Numbers must be safe integers (no float has one canonical text).
 */
export function sqlArrayLiteral(values: ReadonlyArray<string | number | bigint | boolean | null>): string {
  const items = values.map((value) => {
    if (value === null) return 'NULL'
    if (typeof value === 'number' && !Number.isSafeInteger(value))
      throw new RangeError(`not a safe integer: ${String(value)}`)
    return `"${String(value).replace(/["\\]/g, (c) => `\\${c}`)}"`
  })
  return `{${items.join(',')}}`
}

type Head = { seq: number; hash: string }

/**
 * Locks the head rows of `chains`, in the order given, in one statement (creating missing ones first: two more
 * statements, once per chain ever), and returns them in that order. The rows come out of the sort locked one by
 * one, so every transaction that locks several heads must list them in the same order: 'ledger' before 'audit'.
 * Waiting for a lock, the row is read again as it is once granted (READ COMMITTED), so the seq is the latest.
 */
async function lockChainHeads(tx: Db, chains: readonly string[]): Promise<Head[]> {
  if (chains.length === 0) return []
  if (new Set(chains).size !== chains.length) throw new RangeError('a chain head is locked once')
  const names = sqlArrayLiteral(chains)
  const select = () =>
    preparedRows<{ chain: string; seq: unknown; hash: string }>(
      tx,
      sql`select chain, seq::text as seq, hash from chain_heads
          where chain = any(cast(${names} as text)::text[])
          order by array_position(cast(${names} as text)::text[], chain)
          for update`,
    )
  let rows = await select()
  if (rows.length < chains.length) {
    await preparedRows(
      tx,
      sql`insert into chain_heads (chain, seq, hash)
          select c, 0, ${GENESIS_HASH} from unnest(cast(${names} as text)::text[]) as c
          on conflict (chain) do nothing`,
    )
    rows = await select()
  }
  return chains.map((chain) => {
    const row = rows.find((r) => r.chain === chain)
    if (!row) throw new Error(`chain head ${chain} vanished`)
    return { seq: toSeq(row.seq), hash: row.hash }
  })
}

/** Hashes `payloads` onto `head`: seqs head.seq + 1 …, each linked to the one before. */
function linkPayloads(head: Head, payloads: readonly CanonicalInput[]): ChainEntry[] {
  const entries: ChainEntry[] = []
  let prevHash = head.hash
  payloads.forEach((payload, i) => {
    const hash = chainHash(prevHash, payload)
    entries.push({ seq: head.seq + 1 + i, prevHash, hash })
    prevHash = hash
  })
  return entries
}

/** The data-modifying statement that moves each chain's head to its last entry (one statement for all). */
function moveHeads(moves: ReadonlyArray<{ chain: string; last: ChainEntry }>): SQL {
  return sql`update chain_heads h set seq = v.seq, hash = v.hash, updated_at = now()
             from unnest(cast(${sqlArrayLiteral(moves.map((m) => m.chain))} as text)::text[],
                         cast(${sqlArrayLiteral(moves.map((m) => m.last.seq))} as text)::bigint[],
                         cast(${sqlArrayLiteral(moves.map((m) => m.last.hash))} as text)::text[])
                  as v(chain, seq, hash)
             where h.chain = v.chain`
}

/**
 * Appends one entry to `chain` inside the caller's transaction `tx`: locks the chain's head row (creating it on
 * first use), takes seq = head.seq + 1, hashes the payload `build` returns, lets the caller insert its row and
 * moves the head. The head lock is held until the transaction ends and serialises every appender, so do the
 * transaction's other writes first and append last (docs/architecture.md §5): the lock is then held for as short as possible,
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
 * Three statements: lock the head, the caller's insert, move the head.
 */
export async function appendManyToChain(
  tx: Db,
  chain: string,
  count: number,
  build: (links: ChainLink[]) => ChainRows | Promise<ChainRows>,
): Promise<ChainEntry[]> {
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError('count must be a positive integer')
  const [head] = await lockChainHeads(tx, [chain])
  const first = head!.seq + 1
  // prevHash of each link is only known after hashing the one before; build() sees seqs, insert() full entries.
  const links: ChainLink[] = Array.from({ length: count }, (_, i) => ({ seq: first + i, prevHash: '' }))
  links[0]!.prevHash = head!.hash
  const rows = await build(links)
  if (rows.payloads.length !== count) throw new Error('appendManyToChain: one payload per entry')
  const entries = linkPayloads(head!, rows.payloads)
  await rows.insert(entries)
  await preparedRows(tx, moveHeads([{ chain, last: entries[entries.length - 1]! }]))
  return entries
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

/** Inserts the head rows of `chains` that do not exist yet (seq 0, the genesis hash); locks nothing that exists. */
export async function ensureChainHeads(tx: Db, chains: readonly string[]): Promise<void> {
  await preparedRows(
    tx,
    sql`insert into chain_heads (chain, seq, hash)
        select c, 0, ${GENESIS_HASH} from unnest(cast(${sqlArrayLiteral(chains)} as text)::text[]) as c
        on conflict (chain) do nothing`,
  )
}

/**
 * A statement's parameters, collected while its text is written as a plain string: cheaper than drizzle's `sql`
 * objects for the statements a confirmation runs (each of these is built on every call).
 */
export class StatementParams {
  readonly values: unknown[] = []

  /** The placeholder of `value`, with a cast when `type` is given: `$3::uuid`. */
  add(value: unknown, type?: string): string {
    this.values.push(value)
    return type ? `$${this.values.length}::${type}` : `$${this.values.length}`
  }

  /** A list as one array parameter (sqlArrayLiteral): `cast($4 as text)::uuid[]`. */
  array(values: ReadonlyArray<string | number | bigint | boolean | null>, type: string): string {
    return `cast(${this.add(sqlArrayLiteral(values))} as text)::${type}[]`
  }
}

/**
 * Runs `text` with `params` as a prepared statement — preparedRows (db/client.server.ts) for a statement written
 * as a string: parsed once per connection, one round trip. Keep the text fixed (lists as array parameters).
 */
export async function preparedText<T extends Record<string, unknown>>(
  db: Db,
  text: string,
  params: StatementParams,
): Promise<T[]> {
  const prepared = db._.session.prepareQuery(
    { sql: text, params: params.values },
    undefined,
    'prepared',
    false,
  )
  const result: unknown = await prepared.execute()
  if (Array.isArray(result)) return result as T[]
  return ((result as { rows?: T[] }).rows ?? []) as T[]
}

/**
 * Entries for one chain, appended by sendChainAppends: their payloads, in order — plain objects whose `seq` the
 * database fills in (any integer may stand there) — and the data-modifying statements (INSERT …) that store them,
 * given `links`: the name of the relation of this chain's new links, with columns i (1, 2, … in the order of
 * `payloads`), seq, prev_hash and hash. Their parameters go through `params`; keep their text fixed (lists as
 * array parameters): the whole is prepared.
 */
export type ChainAppend = {
  chain: string
  payloads: ReadonlyArray<{ readonly [key: string]: CanonicalInput }>
  inserts(links: string, params: StatementParams): string[]
}

/** The key of every chained payload that holds the entry's seq. */
const SEQ_KEY = 'seq'

/** sha256 hex of prev_hash ‖ prefix ‖ seq ‖ suffix, in SQL (prefix and suffix as bytea): chainHash's twin. */
function sqlLinkHash(prevHash: string, prefix: string, seq: string, suffix: string): string {
  return `encode(sha256(convert_to(${prevHash}, 'UTF8') || ${prefix} || convert_to((${seq})::text, 'UTF8') || ${suffix}), 'hex')`
}

/**
 * The head rows of `chains`, locked in the order given: the rows come out of the sort locked, one by one, and a
 * row another transaction changed while this one waited is returned as it is once the lock is granted.
 */
function lockHeadsStatement(chains: readonly string[], params: StatementParams): string {
  const names = params.array(chains, 'text')
  return `select chain from chain_heads where chain = any(${names})
          order by array_position(${names}, chain) for update`
}

/**
 * The second statement of sendChainAppends, run with the heads locked by the first (and so read as the last
 * holder committed them: at READ COMMITTED each statement sees what was committed before it began). Its WITH
 * queries: `heads`; `checked`, which fails the statement (nothing written) unless every head was there; per chain,
 * `p<k>` with each payload's canonical JSON before and after its seq and `l<k>` linking them recursively — seq =
 * the previous seq + 1, hash = sha256(previous hash ‖ canonical JSON) exactly as chainHash; then the callers'
 * inserts, and `moved`, which moves every head to its chain's last link. The result: every link, chain by chain.
 *
 * (The lock is not taken by a FOR UPDATE in `heads` itself: a locking WITH query read by several others returned
 * duplicated and stale rows under concurrency on PostgreSQL 15 — seen in testing.)
 */
function appendStatement(
  appends: readonly ChainAppend[],
  arounds: ReadonlyArray<ReadonlyArray<{ prefix: string; suffix: string }>>,
  params: StatementParams,
): string {
  const chains = appends.map((a) => a.chain)
  const hex = (text: string) => Buffer.from(text, 'utf8').toString('hex')
  const parts = [
    `heads as (select chain, seq, hash from chain_heads where chain = any(${params.array(chains, 'text')}))`,
    `checked as (
       select case when count(*) = ${params.add(appends.length, 'int')} then true
                   else concat('a chain head is missing: ', ${params.add(chains.join(', '), 'text')},
                               ' has ', count(*))::boolean
              end as ok
       from heads)`,
  ]
  const lastLinks: string[] = []
  appends.forEach((append, k) => {
    const around = arounds[k]!
    parts.push(
      `p${k}(prefix, suffix, i) as (
         select decode(u.prefix, 'hex'), decode(u.suffix, 'hex'), u.i
         from unnest(${params.array(
           around.map((a) => hex(a.prefix)),
           'text',
         )}, ${params.array(
           around.map((a) => hex(a.suffix)),
           'text',
         )}) with ordinality as u(prefix, suffix, i))`,
      `l${k}(i, seq, prev_hash, hash) as (
         select p.i, h.seq + 1, h.hash, ${sqlLinkHash('h.hash', 'p.prefix', 'h.seq + 1', 'p.suffix')}
         from heads h join p${k} p on p.i = 1
         where h.chain = ${params.add(append.chain, 'text')} and (select ok from checked)
         union all
         select p.i, l.seq + 1, l.hash, ${sqlLinkHash('l.hash', 'p.prefix', 'l.seq + 1', 'p.suffix')}
         from l${k} l join p${k} p on p.i = l.i + 1)`,
    )
    lastLinks.push(
      `select ${params.add(append.chain, 'text')} as chain, seq, hash from l${k}
       where i = ${params.add(append.payloads.length, 'int')}`,
    )
  })
  appends.forEach((append, k) => {
    append.inserts(`l${k}`, params).forEach((insert, n) => parts.push(`w${k}_${n} as (${insert})`))
  })
  parts.push(
    `moved as (
       update chain_heads c set seq = m.seq, hash = m.hash, updated_at = now()
       from (${lastLinks.join(' union all ')}) m
       where c.chain = m.chain)`,
  )
  const links = appends.map((_, k) => `select ${k} as k, * from l${k}`)
  return `with recursive ${parts.join(',\n')}
          select k, i::int as i, seq::text as seq, prev_hash, hash
          from (${links.join(' union all ')}) x
          order by k, i`
}

/**
 * Appends entries to one or more chains in two statements, whatever their number: lock every head (in the order of
 * `appends` — 'ledger' before 'audit', as everywhere), then hash the entries, insert them (each chain's `inserts`)
 * and move the heads. The heads must exist (ensureChainHeads; heads are never deleted) or the second statement
 * fails. The hashes are computed by the database from the canonical JSON made here (canonicalJsonAround), so
 * nothing has to come back to this process under the locks: both statements are sent at once, and the locks are
 * held for the second one and the commit. Call it last in the transaction, like appendToChain.
 *
 * Resolves once the statements are on their way, with `done`: their outcome, each chain's entries (their hashes
 * checked against chainHash). A caller that awaits `done` before committing gets the usual behaviour. A caller may
 * instead commit at once — the COMMIT then follows the statements down the same connection, and the locks are
 * released without waiting for this process at all — provided it awaits `done` after the commit: should a
 * statement have failed, the transaction was aborted and its COMMIT rolled it back, and `done` holds the error.
 */
export async function sendChainAppends(
  tx: Db,
  appends: readonly ChainAppend[],
): Promise<{ done: Promise<ChainEntry[][]> }> {
  if (appends.length === 0) return { done: Promise.resolve([]) }
  for (const append of appends) {
    if (append.payloads.length === 0) throw new RangeError(`${append.chain}: nothing to append`)
  }
  if (new Set(appends.map((a) => a.chain)).size !== appends.length)
    throw new RangeError('one append per chain')
  const lockParams = new StatementParams()
  const lock = lockHeadsStatement(
    appends.map((a) => a.chain),
    lockParams,
  )
  const arounds = appends.map((a) => a.payloads.map((payload) => canonicalJsonAround(payload, SEQ_KEY)))
  const appendParams = new StatementParams()
  const append = appendStatement(appends, arounds, appendParams)
  // Both handed to the connection now, in this order.
  const locked = preparedText(tx, lock, lockParams)
  const appended = preparedText<{ k: number; i: number; seq: unknown; prev_hash: string; hash: string }>(
    tx,
    append,
    appendParams,
  )
  const done = Promise.all([locked, appended]).then(([, rows]) =>
    appends.map((append, k) => {
      const links = rows.filter((row) => Number(row.k) === k)
      if (links.length !== append.payloads.length) throw new Error(`${append.chain}: entries missing`)
      return links.map((row, i) => {
        const entry = { seq: toSeq(row.seq), prevHash: row.prev_hash, hash: row.hash }
        // chainHash(prevHash, payload with its seq), from the canonical JSON already made.
        const { prefix, suffix } = arounds[k]![i]!
        const hash = createHash('sha256')
          .update(entry.prevHash, 'utf8')
          .update(`${prefix}${entry.seq}${suffix}`, 'utf8')
          .digest('hex')
        if (hash !== entry.hash)
          throw new Error(`${append.chain}: the database hashed seq ${entry.seq} differently`)
        return entry
      })
    }),
  )
  // Observed by whoever awaits `done`; never an unhandled rejection in between.
  for (const promise of [locked, appended, done]) promise.catch(() => {})
  // The statements reach the connection within a few microtasks; a macrotask later they are surely queued ahead
  // of anything the caller sends next (the COMMIT).
  await new Promise<void>((resolve) => setImmediate(resolve))
  return { done }
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
