import { and, asc, desc, eq, type SQL, sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../../db/client.server'
import { aidEntries, householdCredits, ledgerPublishedHeads } from '../../../db/schema/ledger'
import { type Clock, shanghaiDate } from '../../utils/clock'
import { isUuid } from '../../utils/ids'
import { subtreePrefix } from '../regions'
import { LEDGER_CHAIN, type TargetScope } from './ledger.server'

/**
 * What the ledger publishes beyond its live head (decision 024): one head per Asia/Shanghai day, kept as history on
 * the public 公示 pages; a buyer's receipt (the entries a payment created, with their seqs and hashes); and the
 * reach of a target created or changed after sales were counted (target_reach is otherwise kept by confirmations).
 */

export type PublishedHead = {
  day: string
  seq: number
  hash: string
  headAt: string | null
  publishedAt: string
}

/**
 * Publishes today's head (Asia/Shanghai, from the injected clock) unless today's is already published: the job
 * loop calls it on every pass, demo seeding once. Idempotent — a second call on the same day writes nothing and
 * returns null; two processes racing both insert `on conflict do nothing`, so one row per day.
 */
export async function publishDailyHead(db: Db, clock: Clock): Promise<PublishedHead | null> {
  const now = clock.now()
  const day = shanghaiDate(now)
  // One statement: the head as it is now, for today, unless today's row exists (then nothing is written).
  const [row] = await queryRows<{ seq: unknown; hash: string; head_at: unknown }>(
    db,
    sql`insert into ledger_published_heads (day, seq, hash, head_at, published_at)
        select ${day}::date, coalesce(h.seq, 0), coalesce(h.hash, repeat('0', 64)), h.updated_at,
               ${now.toISOString()}::timestamptz
          from (select 1) as one
          left join chain_heads h on h.chain = ${LEDGER_CHAIN}
        on conflict (day) do nothing
        returning seq, hash, head_at`,
  )
  if (!row) return null
  return {
    day,
    seq: Number(row.seq),
    hash: row.hash,
    headAt: row.head_at ? new Date(row.head_at as string | Date).toISOString() : null,
    publishedAt: now.toISOString(),
  }
}

/** The published daily heads, newest first (at most `limit`). */
export async function publishedHeads(db: Db, limit = 30): Promise<PublishedHead[]> {
  const rows = await db
    .select({
      day: sql<string>`${ledgerPublishedHeads.day}::text`,
      seq: ledgerPublishedHeads.seq,
      hash: ledgerPublishedHeads.hash,
      headAt: ledgerPublishedHeads.headAt,
      publishedAt: ledgerPublishedHeads.publishedAt,
    })
    .from(ledgerPublishedHeads)
    .orderBy(desc(ledgerPublishedHeads.day))
    .limit(limit)
  return rows.map((r) => ({
    day: r.day,
    seq: Number(r.seq),
    hash: r.hash,
    headAt: r.headAt ? new Date(r.headAt).toISOString() : null,
    publishedAt: new Date(r.publishedAt).toISOString(),
  }))
}

export type ReceiptEntry = { seq: number; hash: string; kind: 'sale' | 'reversal'; amountFen: string }
export type PaymentReceipt = {
  entries: ReceiptEntry[]
  /** What the entries counted (sales less reversals), fen. */
  countedFen: string
  /** What they credited to households (net), fen. */
  creditedFen: string
}

/** The ledger entries a confirmed payment created (and any reversals of them), in seq order, with their sums. */
export async function paymentReceipt(db: Db, paymentId: string): Promise<PaymentReceipt | null> {
  if (!isUuid(paymentId)) return null
  const entries = await db
    .select({
      seq: aidEntries.seq,
      hash: aidEntries.hash,
      kind: aidEntries.kind,
      amountFen: aidEntries.amountFen,
      credited: sql<string>`(select coalesce(sum(${householdCredits.amountFen}), 0)::text from ${householdCredits}
        where ${householdCredits.entrySeq} = ${aidEntries.seq})`,
    })
    .from(aidEntries)
    .where(eq(aidEntries.paymentId, paymentId))
    .orderBy(asc(aidEntries.seq))
  if (entries.length === 0) return null
  return {
    entries: entries.map((e) => ({
      seq: Number(e.seq),
      hash: e.hash,
      kind: e.kind,
      amountFen: e.amountFen.toString(),
    })),
    countedFen: entries.reduce((sum, e) => sum + e.amountFen, 0n).toString(),
    creditedFen: entries.reduce((sum, e) => sum + BigInt(e.credited), 0n).toString(),
  }
}

const inSubtrees = (column: SQL, codes: readonly string[]): SQL | undefined =>
  codes.length === 0
    ? undefined
    : sql`(${sql.join(
        codes.map((code) => sql`${column} like ${`${subtreePrefix(code)}%`}`),
        sql` or `,
      )})`

/**
 * Rebuilds a target's reach from the entries (a new office target, or one whose period changed): the households
 * its sales in scope and period credited, each with the first such seq and its members now. Taken under the
 * ledger head's lock, so no confirmation commits between the read and the write.
 */
export async function rebuildTargetReach(tx: Db, target: TargetScope): Promise<void> {
  await queryRows(tx, sql`select seq from chain_heads where chain = ${LEDGER_CHAIN} for update`)
  await tx.execute(sql`delete from target_reach where target_id = ${target.id}::uuid`)
  const where = and(
    sql`e.kind = 'sale'`,
    sql`e.day between ${target.periodStart}::date and ${target.periodEnd}::date`,
    inSubtrees(sql`e.origin_code`, target.helpedCodes),
    inSubtrees(sql`e.buyer_region_code`, target.helperCodes),
    target.buyerChannels.length === 0
      ? undefined
      : sql`e.buyer_channel in (${sql.join(
          target.buyerChannels.map((c) => sql`${c}`),
          sql`, `,
        )})`,
    target.certifiedOnly ? sql`e.certified` : undefined,
  )
  await tx.execute(
    sql`insert into target_reach (target_id, household_id, first_seq, members)
        select ${target.id}::uuid, c.household_id, min(e.seq), min(h.members)
          from aid_entries e
          join household_credits c on c.entry_seq = e.seq and c.amount_fen > 0
          join households h on h.id = c.household_id
         where ${where}
         group by c.household_id`,
  )
}
