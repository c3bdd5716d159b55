import { and, eq, inArray, isNotNull, lte, sql } from 'drizzle-orm'
import type { Db } from '../../../db/client.server'
import { refundRequests, sellerOrders } from '../../../db/schema/orders'
import type { Clock } from '../../utils/clock'
import { isUuid } from '../../utils/ids'

/**
 * The buyer's side of fulfilment: confirming receipt of a seller order that shipped, the automatic confirmation ten
 * days after shipping (the job loop), and asking for a refund of a paid seller order that has not shipped (it then
 * cannot ship until finance refunds or declines it).
 */
export const AUTO_RECEIVE_DAYS = 10

type BuyerInput = { userId: string; orderId: string; sellerOrderId: string }

function buyerOwns(input: BuyerInput) {
  return and(
    eq(sellerOrders.id, input.sellerOrderId),
    eq(sellerOrders.orderId, input.orderId),
    sql`exists (select 1 from orders o where o.id = ${sellerOrders.orderId} and o.buyer_user_id = ${input.userId}::uuid)`,
  )
}

export async function confirmReceipt(
  db: Db,
  input: BuyerInput,
  clock: Clock,
): Promise<{ ok: true } | { ok: false; error: 'not_found' | 'not_shipped' }> {
  if (![input.userId, input.orderId, input.sellerOrderId].every(isUuid))
    return { ok: false, error: 'not_found' }
  const [updated] = await db
    .update(sellerOrders)
    .set({ fulfilment: 'received', receivedAt: clock.now(), receivedAutomatically: false })
    .where(
      and(
        buyerOwns(input),
        inArray(sellerOrders.fulfilment, ['shipped', 'delivered']),
        // A unit's on-account delivery is received by its 验收 on /unit/orders (decision 022).
        sql`exists (select 1 from orders o where o.id = ${sellerOrders.orderId} and o.terms = 'prepaid')`,
      ),
    )
    .returning({ id: sellerOrders.id })
  if (updated) return { ok: true }
  const [exists] = await db.select({ id: sellerOrders.id }).from(sellerOrders).where(buyerOwns(input))
  return { ok: false, error: exists ? 'not_shipped' : 'not_found' }
}

/** Seller orders shipped more than ten days ago and not yet received are received, automatically. */
export async function autoConfirmReceipts(db: Db, clock: Clock): Promise<number> {
  const cutoff = new Date(clock.now().getTime() - AUTO_RECEIVE_DAYS * 24 * 60 * 60 * 1000)
  const updated = await db
    .update(sellerOrders)
    .set({ fulfilment: 'received', receivedAt: clock.now(), receivedAutomatically: true })
    .where(
      and(
        inArray(sellerOrders.fulfilment, ['shipped', 'delivered']),
        isNotNull(sellerOrders.shippedAt),
        lte(sellerOrders.shippedAt, cutoff),
        // A unit's on-account delivery is received by its explicit 验收 only (decision 022).
        sql`exists (select 1 from orders o where o.id = ${sellerOrders.orderId} and o.terms = 'prepaid')`,
      ),
    )
    .returning({ id: sellerOrders.id })
  return updated.length
}

export async function requestSellerOrderRefund(
  db: Db,
  input: BuyerInput & { reason: string },
  clock: Clock,
): Promise<{ ok: true } | { ok: false; error: 'not_found' | 'not_refundable' | 'already_requested' }> {
  if (![input.userId, input.orderId, input.sellerOrderId].every(isUuid))
    return { ok: false, error: 'not_found' }
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: sellerOrders.id, status: sellerOrders.status, fulfilment: sellerOrders.fulfilment })
      .from(sellerOrders)
      .where(buyerOwns(input))
      .for('update')
    if (!row) return { ok: false as const, error: 'not_found' as const }
    if (row.status !== 'paid' || row.fulfilment !== 'none')
      return { ok: false as const, error: 'not_refundable' as const }
    const [open] = await tx
      .select({ id: refundRequests.id })
      .from(refundRequests)
      .where(and(eq(refundRequests.sellerOrderId, row.id), eq(refundRequests.status, 'requested')))
    if (open) return { ok: false as const, error: 'already_requested' as const }
    await tx.insert(refundRequests).values({
      sellerOrderId: row.id,
      requestedBy: input.userId,
      reason: input.reason,
      status: 'requested',
      createdAt: clock.now(),
    })
    return { ok: true as const }
  })
}
