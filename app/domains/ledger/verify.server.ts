import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../../db/client.server'
import {
  type ChainBreakReason,
  type ChainSource,
  type PublishedHead,
  verifyChain,
} from '../../services/hash-chain/index.server'
import {
  creditsFor,
  type HashedCredit,
  ledgerChainRow,
  ledgerChainSource,
  readLedgerEntries,
  type StoredLedgerEntry,
} from './ledger.server'
import { refundedProceeds, reversedCredits } from './reversals'

/**
 * `npm run ledger:verify`: recomputes the ledger's hash chain (from payload version 2 the hash covers each entry's
 * household credits too) and checks every entry against the money it claims — a sale against its confirmed payment,
 * its order line and its order's amounts, a reversal against its refund and the sale it reverses — and every
 * entry's household credits against the households the product had at the time of the sale. Names the first
 * (lowest) broken seq. Then the other way round: every line of every confirmed payment must have its sale entry
 * (money confirmed but never counted); and the rollups, which every total is read from, must equal the entries'
 * sums.
 */

export type LedgerBreakReason =
  | ChainBreakReason
  /**
   * A sale without a confirmed payment whose order holds that line as the entry describes it, or whose amounts do
   * not agree: the payment's amount, what was received and the order's subtotal must be equal, and the payment's
   * sale entries must add up to that subtotal.
   */
  | 'payment_mismatch'
  /** A reversal that does not match a refund of its payment, or the sale it reverses (amount or proceeds). */
  | 'refund_mismatch'
  /**
   * The entry's household credits are not what its proceeds must give: for a sale, the largest-remainder split over
   * the product's households at the time of the sale; for a reversal, the refund's reversal of its sale's credits.
   */
  | 'credits_mismatch'
  /**
   * A household is credited that was not linked to the product at the time of the sale, or (a reversal) that its
   * sale did not credit.
   */
  | 'credit_not_beneficiary'

export type LedgerVerification =
  | { ok: true; checked: number; headSeq: number; headHash: string }
  | { ok: false; firstBrokenSeq: number; reason: LedgerBreakReason }
  /** The chain is whole, but money confirmed was never counted: a line of a confirmed payment has no sale entry. */
  | { ok: false; reason: 'uncounted_payment'; paymentId: string; orderLineId: string }
  /** The chain is whole, but the rollups every total is read from disagree with the entries' sums (keys that differ). */
  | { ok: false; reason: 'rollups_mismatch'; mismatchedKeys: number }

type MoneyBreakReason = 'payment_mismatch' | 'refund_mismatch' | CreditsBreakReason
type MoneyBreak = { seq: number; reason: MoneyBreakReason }
export type CreditsBreakReason = 'credits_mismatch' | 'credit_not_beneficiary'

/** What each reason means, for people reading the CLI's message. */
export const ledgerBreakDescriptions: Record<LedgerBreakReason, string> = {
  seq_gap: 'an entry is missing (seqs are not consecutive)',
  prev_hash_mismatch: 'the entry does not link to the hash of the entry before it',
  hash_mismatch: 'the entry’s contents (its household credits included) no longer give its hash',
  head_mismatch: 'the chain head does not match the last entry',
  expected_head_mismatch: 'the chain no longer contains the head published earlier',
  payment_mismatch:
    'the sale does not match a confirmed payment’s order line, or the payment’s amount, the amount received, ' +
    'the order’s subtotal and the payment’s sale entries do not all agree',
  refund_mismatch: 'the reversal does not match a refund of its payment and the sale it reverses',
  credits_mismatch:
    'the household credits are not the split of the entry’s proceeds over the product’s households at the time ' +
    'of the sale (for a reversal: the reversal of its sale’s credits)',
  credit_not_beneficiary:
    'a household is credited that was not linked to the product at the time of the sale (for a reversal: that ' +
    'its sale did not credit)',
}

/**
 * How an entry's stored credits compare with those it should have (`expected`), `eligible` being the households
 * that may be credited at all: any other household credited is credit_not_beneficiary; any other difference — an
 * amount, a household missing or one too many — is credits_mismatch.
 */
export function creditsProblem(
  expected: readonly HashedCredit[],
  stored: readonly HashedCredit[],
  eligible: ReadonlySet<string>,
): CreditsBreakReason | null {
  if (stored.some((c) => !eligible.has(c.householdId))) return 'credit_not_beneficiary'
  const want = new Map(expected.map((c) => [c.householdId, c.amountFen]))
  const got = new Map(stored.map((c) => [c.householdId, c.amountFen]))
  if (got.size !== stored.length || got.size !== want.size) return 'credits_mismatch'
  for (const [householdId, amountFen] of got) {
    if (want.get(householdId) !== amountFen) return 'credits_mismatch'
  }
  return null
}

/** A sale's credits against the split of its proceeds over the product's links valid at the time of the sale. */
export function saleCreditsProblem(
  proceedsFen: bigint,
  links: ReadonlyArray<{ householdId: string; weight: number }>,
  stored: readonly HashedCredit[],
): CreditsBreakReason | null {
  const expected = creditsFor(
    proceedsFen,
    links.map((l) => ({ ...l, members: 0 })),
  )
  return creditsProblem(expected, stored, new Set(links.map((l) => l.householdId)))
}

/**
 * A reversal against the sale it reverses, as refundPayment makes it (decision 008): with `refundedBeforeFen` of
 * the line refunded by earlier reversals, its proceeds are −(rule(after) − rule(before)) and its credits the same
 * telescoping over the sale's own credits — households the sale credited, and no others.
 */
export function reversalProblem(
  sale: { amountFen: bigint; proceedsFen: bigint; credits: readonly HashedCredit[] },
  refundedBeforeFen: bigint,
  reversal: { amountFen: bigint; proceedsFen: bigint; credits: readonly HashedCredit[] },
): 'refund_mismatch' | CreditsBreakReason | null {
  const refundedAfterFen = refundedBeforeFen - reversal.amountFen
  const before = refundedProceeds(sale, refundedBeforeFen)
  const after = refundedProceeds(sale, refundedAfterFen)
  if (reversal.proceedsFen !== -(after - before)) return 'refund_mismatch'
  const expected = reversedCredits(
    sale.credits.map((c) => ({ ...c, members: 0 })),
    before,
    after,
  )
  return creditsProblem(expected, reversal.credits, new Set(sale.credits.map((c) => c.householdId)))
}

/**
 * The first entry in seqs lo…hi whose money does not check out, or null. A sale must belong to a confirmed payment
 * of its order, confirmed when the entry says, and that order must hold the line with the entry's product,
 * quantity, amount and proceeds, bought by the buyer the entry names; the payment's amount, what was received and
 * the order's subtotal must be equal, and the payment's sale entries must sum to that subtotal — so a changed
 * payment or order breaks at the payment's first entry. For an on-account order the unit accepted (decision 022),
 * the accepted quantity, amount and proceeds of each line stand for the line's, and the accepted total for the
 * subtotal. A reversal carries a non-positive amount and names a
 * refund of its payment, dated when the refund was made, whose reversals together are the refund's amount; it
 * reverses an earlier sale of the same line and payment, and never more than that sale was (counting the
 * reversals of the line up to it).
 */
async function firstPaymentOrRefundBreak(
  tx: Db,
  lo: number,
  hi: number,
): Promise<{ seq: number; reason: 'payment_mismatch' | 'refund_mismatch' } | null> {
  const [row] = await queryRows<{ seq: unknown; reason: 'payment_mismatch' | 'refund_mismatch' }>(
    tx,
    sql`select seq, reason from (
          select e.seq,
                 case
                   when e.kind = 'sale' and not exists (
                     select 1
                       from payments p
                       join orders o on o.id = p.order_id
                       join order_lines l on l.order_id = o.id
                       left join acceptance_lines al on al.order_line_id = l.id
                      where p.id = e.payment_id
                        and p.status = 'confirmed'
                        and p.confirmed_at = e.occurred_at
                        and p.amount_fen = coalesce((select sum(ax.accepted_amount_fen)
                                                       from acceptance_lines ax
                                                       join order_lines lx on lx.id = ax.order_line_id
                                                      where lx.order_id = o.id and o.terms = 'on_account'),
                                                    o.subtotal_fen)
                        and p.received_fen = p.amount_fen
                        and p.amount_fen = (select sum(x.amount_fen) from aid_entries x
                                             where x.kind = 'sale' and x.payment_id = p.id)
                        and o.id = e.order_id
                        and o.buyer_channel = e.buyer_channel
                        and o.buyer_region_code = e.buyer_region_code
                        and o.buyer_org_id is not distinct from e.buyer_org_id
                        and l.id = e.order_line_id
                        and l.product_id = e.product_id
                        and coalesce(al.accepted_qty, l.qty) = e.quantity
                        and coalesce(al.accepted_amount_fen, l.amount_fen) = e.amount_fen
                        and coalesce(al.accepted_proceeds_fen, l.proceeds_fen) = e.proceeds_fen
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
                 end as reason
            from aid_entries e
           where e.seq between ${lo} and ${hi}
        ) checked
        where reason is not null
        order by seq
        limit 1`,
  )
  return row ? { seq: Number(row.seq), reason: row.reason } : null
}

/** Each sale's links (household, weight) valid at its occurred_at, by seq, for the sales in seqs lo…hi. */
async function linksAtSale(
  tx: Db,
  lo: number,
  hi: number,
): Promise<Map<number, Array<{ householdId: string; weight: number }>>> {
  const rows = await queryRows<{ seq: unknown; household_id: string; weight: unknown }>(
    tx,
    sql`select e.seq, b.household_id::text as household_id, b.weight
          from aid_entries e
          join product_beneficiaries b
            on b.product_id = e.product_id
           and b.linked_at <= e.occurred_at
           and (b.unlinked_at is null or b.unlinked_at > e.occurred_at)
         where e.kind = 'sale' and e.seq between ${lo} and ${hi}`,
  )
  const bySeq = new Map<number, Array<{ householdId: string; weight: number }>>()
  for (const row of rows) {
    const seq = Number(row.seq)
    const link = { householdId: row.household_id, weight: Number(row.weight) }
    const list = bySeq.get(seq)
    if (list) list.push(link)
    else bySeq.set(seq, [link])
  }
  return bySeq
}

type ReversedSale = {
  amountFen: bigint
  proceedsFen: bigint
  credits: HashedCredit[]
  /** What the reversals of the line before this one refunded (fen, positive). */
  refundedBeforeFen: bigint
}

/**
 * For each reversal in seqs lo…hi whose sale exists (an earlier sale entry of the same line and payment — one
 * without is refund_mismatch already): the sale's amount, proceeds and credits, and what was refunded before.
 */
async function reversedSales(tx: Db, lo: number, hi: number): Promise<Map<number, ReversedSale>> {
  const rows = await queryRows<{
    seq: unknown
    amount_fen: string
    proceeds_fen: string
    refunded_before: string
    credits: unknown
  }>(
    tx,
    sql`select e.seq, s.amount_fen::text as amount_fen, s.proceeds_fen::text as proceeds_fen,
               (select coalesce(-sum(x.amount_fen), 0)::text from aid_entries x
                 where x.kind = 'reversal' and x.payment_id = e.payment_id
                   and x.order_line_id = e.order_line_id and x.seq < e.seq) as refunded_before,
               (select coalesce(json_agg(json_build_array(c.household_id, c.amount_fen::text)), '[]'::json)
                  from household_credits c where c.entry_seq = s.seq) as credits
          from aid_entries e
          join aid_entries s
            on s.kind = 'sale' and s.order_line_id = e.order_line_id and s.payment_id = e.payment_id
           and s.seq < e.seq
         where e.kind = 'reversal' and e.seq between ${lo} and ${hi}`,
  )
  const bySeq = new Map<number, ReversedSale>()
  for (const row of rows) {
    const credits = (typeof row.credits === 'string' ? JSON.parse(row.credits) : row.credits) as Array<
      [string, string]
    >
    bySeq.set(Number(row.seq), {
      amountFen: BigInt(row.amount_fen),
      proceedsFen: BigInt(row.proceeds_fen),
      credits: credits.map(([householdId, amountFen]) => ({ householdId, amountFen: BigInt(amountFen) })),
      refundedBeforeFen: BigInt(row.refunded_before),
    })
  }
  return bySeq
}

/**
 * The first of `entries` (one batch, in seq order) whose money does not check out: against its payment or refund
 * (firstPaymentOrRefundBreak), then its credits — a sale's against its product's links at the time, a reversal's
 * against its sale's. At one seq, the payment's or refund's reason comes first.
 */
async function firstMoneyBreak(tx: Db, entries: readonly StoredLedgerEntry[]): Promise<MoneyBreak | null> {
  const lo = entries[0]!.content.seq
  const hi = entries[entries.length - 1]!.content.seq
  const [paid, links, reversed] = await Promise.all([
    firstPaymentOrRefundBreak(tx, lo, hi),
    linksAtSale(tx, lo, hi),
    reversedSales(tx, lo, hi),
  ])
  for (const entry of entries) {
    const { seq, kind, proceedsFen, amountFen } = entry.content
    if (paid && paid.seq <= seq) return paid
    let problem: MoneyBreakReason | null = null
    if (kind === 'sale') {
      problem = saleCreditsProblem(proceedsFen, links.get(seq) ?? [], entry.credits)
    } else {
      const sale = reversed.get(seq)
      if (sale)
        problem = reversalProblem(sale, sale.refundedBeforeFen, {
          amountFen,
          proceedsFen,
          credits: entry.credits,
        })
    }
    if (problem) return { seq, reason: problem }
  }
  return paid
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
      const entries = await readLedgerEntries(tx, afterSeq, limit)
      if (entries.length > 0 && !moneyBreak) moneyBreak = await firstMoneyBreak(tx, entries)
      return entries.map(ledgerChainRow)
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
 * How many rollup keys differ from the raw sums of the entries, in either direction — in aid_rollups (day × helped
 * county × buyer region × channel × category × product category × certified) and in aid_product_rollups (day ×
 * product × channel × certified) and aid_buyer_rollups (buyer organisation × day × helped county × channel ×
 * certified) — 0 when every total read from the rollups is right. One snapshot (a single
 * statement): confirmations committing meanwhile write both sides together.
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
            from aid_rollups),
        product_raw as (
          select day, product_id, seller_org_id, buyer_channel, certified, sum(quantity)::numeric as quantity,
                 sum(amount_fen) as amount_fen, sum(proceeds_fen) as proceeds_fen, count(*)::int as entries
            from aid_entries group by 1, 2, 3, 4, 5),
        product_kept as (
          select day, product_id, seller_org_id, buyer_channel, certified, quantity::numeric,
                 amount_fen::numeric, proceeds_fen::numeric, entries
            from aid_product_rollups),
        buyer_raw as (
          select buyer_org_id, day, origin_code as helped_code, buyer_channel, certified,
                 sum(amount_fen) as amount_fen, sum(proceeds_fen) as proceeds_fen, count(*)::int as entries
            from aid_entries where buyer_org_id is not null group by 1, 2, 3, 4, 5),
        buyer_kept as (
          select buyer_org_id, day, helped_code, buyer_channel, certified, amount_fen::numeric,
                 proceeds_fen::numeric, entries
            from aid_buyer_rollups)
        select (select count(*) from ((table raw except table kept) union all (table kept except table raw)) d)
             + (select count(*) from ((table product_raw except table product_kept)
                                      union all (table product_kept except table product_raw)) e)
             + (select count(*) from ((table buyer_raw except table buyer_kept)
                                      union all (table buyer_kept except table buyer_raw)) f) as n`,
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
           -- A line the unit rejected in full at 验收 has nothing to count.
           and not exists (select 1 from acceptance_lines al where al.order_line_id = l.id and al.accepted_qty = 0)
           and not exists (select 1 from aid_entries e
                            where e.kind = 'sale' and e.order_line_id = l.id and e.payment_id = p.id)
         order by p.confirmed_at, p.id, l.id
         limit 1`,
  )
  return row ? { paymentId: row.payment_id, orderLineId: row.order_line_id } : null
}
