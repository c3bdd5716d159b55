import type { Db } from '../../../db/client.server'
import { runPrepared } from '../../../db/prepared.server'
import { type CanonicalInput, canonicalJsonAround } from './canonical-json'
import { type ChainEntry, linkHash, toSeq } from './hash.server'

/**
 * Appending on the hot path — a payment confirmation: sendChainAppends sends the lock and one statement that hashes
 * (sha256 of the canonical JSON made here, with the seq the database assigns), inserts and moves the heads of
 * several chains at once, so that nothing comes back to this process while the locks are held. The statements are
 * written as text with their parameters collected alongside (StatementParams), lists as one array parameter each
 * (sqlArrayLiteral), so that each text is fixed and prepared once per connection.
 */

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
  return runPrepared<T>(db, text, params.values)
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
        if (linkHash(entry.prevHash, `${prefix}${entry.seq}${suffix}`) !== entry.hash)
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
