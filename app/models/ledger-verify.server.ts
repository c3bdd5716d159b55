import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../db/client.server'
import {
  type ChainBreakReason,
  type ChainSource,
  type PublishedHead,
  verifyChain,
} from '../services/hash-chain.server'
import { ledgerChainSource } from './ledger.server'

/**
 * `npm run ledger:verify` (DESIGN §5): recomputes the ledger's hash chain and checks every entry against the money
 * it claims — a sale against its confirmed payment and order line, a reversal against its refund, and the
 * household credits against the entry's proceeds. Names the first (lowest) broken seq. Then the other way round:
 * every line of every confirmed payment must have its sale entry (money confirmed but never counted); and the
 * rollups, which every total is read from, must equal the entries' sums.
 */

export type LedgerBreakReason =
  | ChainBreakReason
  /** A sale without a confirmed payment whose order holds that line as the entry describes it. */
  | 'payment_mismatch'
  /** A reversal that does not match a refund of its payment, or the sale it reverses. */
  | 'refund_mismatch'
  /** The entry's household credits do not sum to its proceeds. */
  | 'credits_mismatch'

export type LedgerVerification =
  | { ok: true; checked: number; headSeq: number; headHash: string }
  | { ok: false; firstBrokenSeq: number; reason: LedgerBreakReason }
  /** The chain is whole, but money confirmed was never counted: a line of a confirmed payment has no sale entry. */
  | { ok: false; reason: 'uncounted_payment'; paymentId: string; orderLineId: string }
  /** The chain is whole, but the rollups every total is read from disagree with the entries' sums (keys that differ). */
  | { ok: false; reason: 'rollups_mismatch'; mismatchedKeys: number }

type MoneyBreak = { seq: number; reason: 'payment_mismatch' | 'refund_mismatch' | 'credits_mismatch' }

/** What each reason means, for people reading the CLI's message. */
export const ledgerBreakDescriptions: Record<LedgerBreakReason, string> = {
  seq_gap: 'an entry is missing (seqs are not consecutive)',
  prev_hash_mismatch: 'the entry does not link to the hash of the entry before it',
  hash_mismatch: 'the entry’s contents no longer give its hash',
  head_mismatch: 'the chain head does not match the last entry',
  expected_head_mismatch: 'the chain no longer contains the head published earlier',
  payment_mismatch: 'the sale does not match a confirmed payment’s order line',
  refund_mismatch: 'the reversal does not match a refund of its payment and the sale it reverses',
  credits_mismatch: 'the household credits do not sum to the entry’s proceeds',
}

/**
 * The first entry in seqs lo…hi whose money does not check out, or null. A sale must belong to a confirmed payment
 * of its order, confirmed when the entry says, and that order must hold the line with the entry's product,
 * quantity, amount and proceeds, bought by the buyer the entry names. A reversal carries a non-positive amount
 * and names a refund of its payment, dated when the refund was made, whose reversals together are the refund's
 * amount; it reverses an earlier sale of the same line and payment, and never more than that sale was (counting
 * the reversals of the line up to it). Credits, when an entry has any, sum exactly to its proceeds.
 */
async function firstMoneyBreak(tx: Db, lo: number, hi: number): Promise<MoneyBreak | null> {
  const [row] = await queryRows<{ seq: unknown; reason: MoneyBreak['reason'] }>(
    tx,
    sql`select seq, reason from (
          select e.seq,
                 case
                   when e.kind = 'sale' and not exists (
                     select 1
                       from payments p
                       join orders o on o.id = p.order_id
                       join order_lines l on l.order_id = o.id
                      where p.id = e.payment_id
                        and p.status = 'confirmed'
                        and p.confirmed_at = e.occurred_at
                        and o.id = e.order_id
                        and o.buyer_channel = e.buyer_channel
                        and o.buyer_region_code = e.buyer_region_code
                        and o.buyer_org_id is not distinct from e.buyer_org_id
                        and l.id = e.order_line_id
                        and l.product_id = e.product_id
                        and l.qty = e.quantity
                        and l.amount_fen = e.amount_fen
                        and l.proceeds_fen = e.proceeds_fen
                        and e.refund_id is null
                   ) then 'payment_mismatch'
                   when e.kind = 'reversal' and not (
                     e.amount_fen <= 0
                     and exists (
                       select 1
                         from refunds r
                         join payments p on p.id = r.payment_id
                        where r.id = e.refund_id
                          and r.payment_id = e.payment_id
                          and p.order_id = e.order_id
                          and r.created_at = e.occurred_at
                          and r.amount_fen = -(select sum(x.amount_fen) from aid_entries x
                                                where x.kind = 'reversal' and x.refund_id = r.id)
                     )
                     and exists (
                       select 1
                         from aid_entries s
                        where s.kind = 'sale'
                          and s.order_line_id = e.order_line_id
                          and s.payment_id = e.payment_id
                          and s.seq < e.seq
                          and s.amount_fen + (select sum(x.amount_fen) from aid_entries x
                                               where x.kind = 'reversal' and x.payment_id = e.payment_id
                                                 and x.order_line_id = e.order_line_id
                                                 and x.seq <= e.seq) >= 0
                     )
                   ) then 'refund_mismatch'
                   when e.kind not in ('sale', 'reversal') then 'payment_mismatch'
                   when c.n > 0 and c.total <> e.proceeds_fen then 'credits_mismatch'
                 end as reason
            from aid_entries e
            left join (
              select entry_seq, count(*) as n, sum(amount_fen) as total
                from household_credits
               where entry_seq between ${lo} and ${hi}
               group by entry_seq
            ) c on c.entry_seq = e.seq
           where e.seq between ${lo} and ${hi}
        ) checked
        where reason is not null
        order by seq
        limit 1`,
  )
  return row ? { seq: Number(row.seq), reason: row.reason } : null
}

/**
 * Verifies the ledger: the chain (seqs, links, hashes, head and, with `expect`, a head published earlier) and the
 * money of every entry, all in the one REPEATABLE READ snapshot verifyChain reads, so confirmations committed
 * meanwhile are neither half seen nor taken for damage. The entries are read once, in batches; each batch is
 * cross-checked as it is read. The lowest broken seq wins; where the chain and the money break at the same seq,
 * the chain's reason is given (a changed row is reported as hash_mismatch, not as the mismatch it causes).
 */
export async function verifyLedger(
  db: Db,
  options: { expect?: PublishedHead; batchSize?: number } = {},
): Promise<LedgerVerification> {
  let moneyBreak: MoneyBreak | null = null
  const source: ChainSource = {
    chain: ledgerChainSource.chain,
    async readAfter(tx, afterSeq, limit) {
      const rows = await ledgerChainSource.readAfter(tx, afterSeq, limit)
      if (rows.length > 0 && !moneyBreak) {
        moneyBreak = await firstMoneyBreak(tx, rows[0]!.seq, rows[rows.length - 1]!.seq)
      }
      return rows
    },
  }
  const chain = await verifyChain(db, source, options)
  const money = moneyBreak as MoneyBreak | null
  if (money && (chain.ok || money.seq < chain.firstBrokenSeq))
    return { ok: false, firstBrokenSeq: money.seq, reason: money.reason }
  if (!chain.ok) return chain
  const uncounted = await firstUncountedLine(db)
  if (uncounted) return { ok: false, reason: 'uncounted_payment', ...uncounted }
  const mismatchedKeys = await rollupMismatches(db)
  return mismatchedKeys > 0 ? { ok: false, reason: 'rollups_mismatch', mismatchedKeys } : chain
}

/**
 * How many rollup keys (day × helped county × buyer region × channel × category × product category × certified)
 * differ from the raw sums of the entries, in either direction — 0 when every total read from the rollups is
 * right. One snapshot (a single statement): confirmations committing meanwhile write both sides together.
 */
export async function rollupMismatches(db: Db): Promise<number> {
  const [row] = await queryRows<{ n: unknown }>(
    db,
    sql`with raw as (
          select day, origin_code as helped_code, buyer_region_code as helper_code, buyer_channel, aid_category,
                 product_category, certified, sum(amount_fen) as amount_fen, sum(proceeds_fen) as proceeds_fen,
                 count(*)::int as entries
            from aid_entries group by 1, 2, 3, 4, 5, 6, 7),
        kept as (
          select day, helped_code, helper_code, buyer_channel, aid_category, product_category, certified,
                 amount_fen::numeric, proceeds_fen::numeric, entries
            from aid_rollups)
        select count(*) as n from ((table raw except table kept) union all (table kept except table raw)) d`,
  )
  return Number(row?.n ?? 0)
}

/**
 * The first line (by confirmation time) of a confirmed payment that has no sale entry, or null. Confirmations and
 * their entries commit together, so any snapshot sees both or neither: this needs no shared snapshot with the
 * chain's read. A confirmation that bypassed confirmPayment (a status set by hand) shows up here.
 */
async function firstUncountedLine(db: Db): Promise<{ paymentId: string; orderLineId: string } | null> {
  const [row] = await queryRows<{ payment_id: string; order_line_id: string }>(
    db,
    sql`select p.id::text as payment_id, l.id::text as order_line_id
          from payments p
          join order_lines l on l.order_id = p.order_id
         where p.status = 'confirmed'
           and not exists (select 1 from aid_entries e
                            where e.kind = 'sale' and e.order_line_id = l.id and e.payment_id = p.id)
         order by p.confirmed_at, p.id, l.id
         limit 1`,
  )
  return row ? { paymentId: row.payment_id, orderLineId: row.order_line_id } : null
}
