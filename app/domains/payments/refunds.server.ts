import { randomUUID } from 'node:crypto'
import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import type { Db } from '../../../db/client.server'
import { householdCredits, aidEntries } from '../../../db/schema/ledger'
import { orderLines, payments, refundRequests, refunds } from '../../../db/schema/orders'
import { households } from '../../../db/schema/households'
import { type Clock, shanghaiDate } from '../../utils/clock'
import { isUuid } from '../../utils/ids'
import { recordAuditEvent } from '../audit/index.server'
import {
  appendEntries,
  type Credit,
  type LedgerEntryContent,
  refundedProceeds,
  reversedCredits,
} from '../ledger/index.server'

/**
 * Refunds (docs/architecture.md §5): nothing in the ledger is changed or deleted; each refunded line gets a reversing entry dated
 * at the refund. A line's proceeds are reversed as rule(total refunded) − rule(refunded before), where
 * rule(x) = ⌊proceeds · x / amount⌋, so however a line is refunded in parts, a full refund returns its proceeds to
 * exactly zero. The households' credits are reversed the same way over the sale's own credits (not today's
 * beneficiaries), so every household also returns to exactly zero.
 */
export type RefundLine = { orderLineId: string; amountFen: bigint }

export type RefundResult =
  | { ok: true; refundId: string; amountFen: bigint }
  | {
      ok: false
      reason: 'not_found' | 'not_confirmed' | 'no_lines' | 'unknown_line' | 'exceeds_line' | 'bad_amount'
    }

export async function refundPayment(
  db: Db,
  input: {
    paymentId: string
    lines: readonly RefundLine[]
    financeUserId: string
    providerRefundId?: string
  },
  clock: Clock,
): Promise<RefundResult> {
  if (!isUuid(input.paymentId)) return { ok: false, reason: 'not_found' }
  if (input.lines.length === 0) return { ok: false, reason: 'no_lines' }
  if (input.lines.some((l) => l.amountFen <= 0n)) return { ok: false, reason: 'bad_amount' }
  if (input.lines.some((l) => !isUuid(l.orderLineId))) return { ok: false, reason: 'unknown_line' }
  if (new Set(input.lines.map((l) => l.orderLineId)).size !== input.lines.length)
    return { ok: false, reason: 'unknown_line' }

  return db.transaction(async (tx) => {
    const [payment] = await tx
      .select({ id: payments.id, orderId: payments.orderId, status: payments.status })
      .from(payments)
      .where(eq(payments.id, input.paymentId))
      .for('update')
    if (!payment) return { ok: false as const, reason: 'not_found' as const }
    if (payment.status !== 'confirmed') return { ok: false as const, reason: 'not_confirmed' as const }

    const lineIds = input.lines.map((l) => l.orderLineId)
    const sales = await tx
      .select()
      .from(aidEntries)
      .where(
        and(
          eq(aidEntries.paymentId, payment.id),
          eq(aidEntries.kind, 'sale'),
          inArray(aidEntries.orderLineId, lineIds),
        ),
      )
    const saleOf = new Map(sales.map((s) => [s.orderLineId, s]))
    if (sales.length !== lineIds.length) return { ok: false as const, reason: 'unknown_line' as const }
    const lineRows = await tx
      .select({ id: orderLines.id, amountFen: orderLines.amountFen, proceedsFen: orderLines.proceedsFen })
      .from(orderLines)
      .where(and(eq(orderLines.orderId, payment.orderId), inArray(orderLines.id, lineIds)))
    const lineOf = new Map(lineRows.map((l) => [l.id, l]))
    // What was refunded before, per line (reversal amounts are negative).
    const previous = await tx
      .select({
        orderLineId: aidEntries.orderLineId,
        refunded: sql<string>`(-sum(${aidEntries.amountFen}))::text`,
      })
      .from(aidEntries)
      .where(
        and(
          eq(aidEntries.paymentId, payment.id),
          eq(aidEntries.kind, 'reversal'),
          inArray(aidEntries.orderLineId, lineIds),
        ),
      )
      .groupBy(aidEntries.orderLineId)
    const refundedBefore = new Map(previous.map((p) => [p.orderLineId, BigInt(p.refunded)]))
    for (const line of input.lines) {
      const orderLine = lineOf.get(line.orderLineId)
      if (!orderLine) return { ok: false as const, reason: 'unknown_line' as const }
      if ((refundedBefore.get(line.orderLineId) ?? 0n) + line.amountFen > orderLine.amountFen)
        return { ok: false as const, reason: 'exceeds_line' as const }
    }

    const now = clock.now()
    const amountFen = input.lines.reduce((sum, l) => sum + l.amountFen, 0n)
    const [refund] = await tx
      .insert(refunds)
      .values({
        paymentId: payment.id,
        // Bank transfers are refunded by hand; Stripe passes its refund id.
        providerRefundId: input.providerRefundId ?? `RF-${randomUUID()}`,
        amountFen,
        createdAt: now,
      })
      .returning({ id: refunds.id })
    // A buyer's open refund request for a seller order refunded here is settled by this refund (cooperative
    // console II: the request held the seller order back from shipping until finance acted).
    await tx
      .update(refundRequests)
      .set({ status: 'refunded', refundId: refund!.id, decidedBy: input.financeUserId, decidedAt: now })
      .where(
        and(
          eq(refundRequests.status, 'requested'),
          inArray(
            refundRequests.sellerOrderId,
            tx
              .select({ id: orderLines.sellerOrderId })
              .from(orderLines)
              .where(inArray(orderLines.id, lineIds)),
          ),
        ),
      )

    const saleCredits = await tx
      .select({
        entrySeq: householdCredits.entrySeq,
        householdId: householdCredits.householdId,
        amountFen: householdCredits.amountFen,
        members: households.members,
      })
      .from(householdCredits)
      .innerJoin(households, eq(households.id, householdCredits.householdId))
      .where(
        inArray(
          householdCredits.entrySeq,
          sales.map((s) => s.seq),
        ),
      )
      .orderBy(asc(householdCredits.householdId))

    const contents: Array<Omit<LedgerEntryContent, 'seq'>> = []
    const credits: Credit[][] = []
    for (const line of input.lines) {
      const sale = saleOf.get(line.orderLineId)!
      const orderLine = lineOf.get(line.orderLineId)!
      const before = refundedBefore.get(line.orderLineId) ?? 0n
      const after = before + line.amountFen
      const proceedsBefore = refundedProceeds(orderLine, before)
      const proceedsAfter = refundedProceeds(orderLine, after)
      contents.push({
        kind: 'reversal',
        occurredAt: now,
        day: shanghaiDate(now),
        paymentId: payment.id,
        refundId: refund!.id,
        orderId: sale.orderId,
        orderLineId: sale.orderLineId,
        productId: sale.productId,
        sellerOrgId: sale.sellerOrgId,
        originCode: sale.originCode,
        buyerOrgId: sale.buyerOrgId,
        buyerRegionCode: sale.buyerRegionCode,
        buyerChannel: sale.buyerChannel,
        certified: sale.certified,
        aidCategory: sale.aidCategory,
        productCategory: sale.productCategory,
        pairingId: sale.pairingId,
        quantity: 0,
        amountFen: -line.amountFen,
        proceedsFen: -(proceedsAfter - proceedsBefore),
      })
      credits.push(
        reversedCredits(
          saleCredits.filter((c) => c.entrySeq === sale.seq),
          proceedsBefore,
          proceedsAfter,
        ),
      )
    }
    // Ledger, then audit: the same order of chain-head locks as a confirmation, so the two never deadlock.
    await appendEntries(tx, contents, credits)
    await recordRefundAudit(tx, {
      refundId: refund!.id,
      paymentId: payment.id,
      amountFen,
      actor: input.financeUserId,
      now,
    })
    return { ok: true as const, refundId: refund!.id, amountFen }
  })
}

async function recordRefundAudit(
  tx: Db,
  input: { refundId: string; paymentId: string; amountFen: bigint; actor: string; now: Date },
) {
  await recordAuditEvent(tx, {
    actorUserId: input.actor,
    action: 'refund.created',
    subjectType: 'refund',
    subjectId: input.refundId,
    details: { paymentId: input.paymentId, amountFen: input.amountFen.toString() },
    occurredAt: input.now,
  })
}

/** Refunds whatever is left of every line of a confirmed payment (the finance page's "全额退款"). */
export async function refundRemaining(
  db: Db,
  input: { paymentId: string; financeUserId: string },
  clock: Clock,
): Promise<RefundResult> {
  if (!isUuid(input.paymentId)) return { ok: false, reason: 'not_found' }
  const rows = await db
    .select({
      orderLineId: aidEntries.orderLineId,
      left: sql<string>`sum(${aidEntries.amountFen})::text`,
    })
    .from(aidEntries)
    .where(eq(aidEntries.paymentId, input.paymentId))
    .groupBy(aidEntries.orderLineId)
    .orderBy(asc(aidEntries.orderLineId))
  const lines = rows
    .map((r) => ({ orderLineId: r.orderLineId, amountFen: BigInt(r.left) }))
    .filter((l) => l.amountFen > 0n)
  if (rows.length === 0) {
    const [payment] = await db
      .select({ status: payments.status })
      .from(payments)
      .where(eq(payments.id, input.paymentId))
    return { ok: false, reason: payment ? 'not_confirmed' : 'not_found' }
  }
  if (lines.length === 0) return { ok: false, reason: 'no_lines' }
  // refundPayment re-checks everything under the payment lock: a concurrent refund makes this one exceed a line.
  return refundPayment(db, { paymentId: input.paymentId, lines, financeUserId: input.financeUserId }, clock)
}
