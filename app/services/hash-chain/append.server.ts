import { type SQL, sql } from 'drizzle-orm'
import { type Db, preparedRows, queryRows } from '../../../db/client.server'
import type { CanonicalInput } from './canonical-json'
import { type ChainEntry, chainHash, type ChainLink, GENESIS_HASH, toSeq } from './hash.server'
import { sqlArrayLiteral } from './sql-append.server'

/**
 * Appending in this process: appendToChain / appendManyToChain lock the chain's head, hash the entries here, let the
 * caller insert its rows and move the head. The hot path, where nothing may come back to this process while the
 * head is locked, is sendChainAppends (sql-append.server.ts).
 */

/** What the caller of appendToChain provides once it knows its seq: the hashed payload and how to store the row. */
export type ChainRow<T> = {
  /** Everything the row stores except prev_hash and hash, including its seq. */
  payload: CanonicalInput
  insert(entry: ChainEntry): Promise<T>
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

/** Inserts the head rows of `chains` that do not exist yet (seq 0, the genesis hash); locks nothing that exists. */
export async function ensureChainHeads(tx: Db, chains: readonly string[]): Promise<void> {
  await preparedRows(
    tx,
    sql`insert into chain_heads (chain, seq, hash)
        select c, 0, ${GENESIS_HASH} from unnest(cast(${sqlArrayLiteral(chains)} as text)::text[]) as c
        on conflict (chain) do nothing`,
  )
}
