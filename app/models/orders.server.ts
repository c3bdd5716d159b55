import { and, asc, eq, gte, inArray, lt, ne, sql } from 'drizzle-orm'
import { type Db, queryRows, toBigInt } from '../../db/client.server'
import { priceTiers, products } from '../../db/schema/catalog'
import { proceedsRules } from '../../db/schema/households'
import { orderLines, orders, payments, sellerOrders } from '../../db/schema/orders'
import type { PaymentMethod } from '../services/payments/index.server'
import { type Clock, shanghaiDate } from '../utils/clock'
import { lineProceedsFen, proceedsRuleFromRow } from './proceeds'
import { type PriceTier, unitPriceFor } from './pricing'

// ---------------------------------------------------------------------------------------------------------------
// Placing an order (DESIGN §6): products locked in id order, stock reserved by a conditional update, all in one
// transaction so that any error leaves nothing behind.

export type PlaceOrderInput = {
  buyerUserId: string
  buyerChannel: 'consumer'
  buyerRegionCode: string
  lines: ReadonlyArray<{ productId: string; qty: number }>
  delivery: Record<string, unknown>
  /** The 发票 request, if any (checkout-forms.ts invoiceRequest). */
  invoice?: Record<string, unknown> | null
}

export type PlaceOrderErrorCode = 'not_found' | 'inactive' | 'below_minimum' | 'out_of_stock'
export type PlaceOrderError = { productId: string; code: PlaceOrderErrorCode }

export type PlaceOrderResult =
  | {
      ok: true
      orderId: string
      number: string
      totalFen: bigint
      proceedsFen: bigint
      paymentReference: string
    }
  | { ok: false; errors: PlaceOrderError[] }

/** Thrown inside the transaction to roll it back; turned into `{ ok: false }` outside. */
class OrderRejected extends Error {
  constructor(readonly errors: PlaceOrderError[]) {
    super('order rejected')
  }
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export async function placeOrder(
  db: Db,
  input: PlaceOrderInput,
  clock: Clock,
  method: PaymentMethod,
): Promise<PlaceOrderResult> {
  if (input.lines.length === 0) throw new RangeError('an order needs at least one line')
  // Two lines of one product count together: validated, priced and reserved as one line.
  const wanted = new Map<string, number>()
  for (const line of input.lines) {
    if (!Number.isSafeInteger(line.qty) || line.qty < 1)
      throw new RangeError('qty must be a positive integer')
    const key = uuidPattern.test(line.productId) ? line.productId.toLowerCase() : line.productId
    wanted.set(key, (wanted.get(key) ?? 0) + line.qty)
  }
  const ids = [...wanted.keys()].filter((id) => uuidPattern.test(id)).sort()

  try {
    return await db.transaction(async (tx) => {
      const locked =
        ids.length === 0
          ? []
          : await tx
              .select({
                id: products.id,
                orgId: products.orgId,
                priceFen: products.priceFen,
                stock: products.stock,
                minOrderQty: products.minOrderQty,
                status: products.status,
              })
              .from(products)
              .where(inArray(products.id, ids))
              .orderBy(asc(products.id))
              .for('update')
      const byId = new Map(locked.map((p) => [p.id, p]))

      const errors: PlaceOrderError[] = []
      for (const [productId, qty] of wanted) {
        const product = byId.get(productId)
        if (!product) errors.push({ productId, code: 'not_found' })
        else if (product.status !== 'active') errors.push({ productId, code: 'inactive' })
        else if (qty < product.minOrderQty) errors.push({ productId, code: 'below_minimum' })
        else if (product.stock < qty) errors.push({ productId, code: 'out_of_stock' })
      }
      if (errors.length > 0) throw new OrderRejected(errors)

      // Reserve: the conditional update never oversells even if the lock above were ever dropped; the CHECK
      // (stock >= 0) is the last line of defence.
      for (const id of ids) {
        const qty = wanted.get(id) ?? 0
        const reserved = await tx
          .update(products)
          .set({ stock: sql`${products.stock} - ${qty}` })
          .where(and(eq(products.id, id), gte(products.stock, qty)))
          .returning({ id: products.id })
        if (reserved.length !== 1) throw new OrderRejected([{ productId: id, code: 'out_of_stock' }])
      }

      const tierRows = await tx
        .select()
        .from(priceTiers)
        .where(inArray(priceTiers.productId, ids))
        .orderBy(asc(priceTiers.minQty))
      const ruleRows = await tx.select().from(proceedsRules).where(inArray(proceedsRules.productId, ids))
      const rules = new Map(ruleRows.map((r) => [r.productId, proceedsRuleFromRow(r)]))

      const priced = ids.map((productId) => {
        const product = byId.get(productId)!
        const qty = wanted.get(productId)!
        const tiers: PriceTier[] = tierRows.filter((t) => t.productId === productId)
        const unitPriceFen = unitPriceFor(qty, product.priceFen, tiers)
        const amountFen = unitPriceFen * BigInt(qty)
        // A product without a rule promises nothing to households: no proceeds.
        const rule = rules.get(productId) ?? { kind: 'basis_points' as const, basisPoints: 0 }
        const proceedsFen = lineProceedsFen(rule, { quantity: qty, amountFen })
        return { productId, sellerOrgId: product.orgId, qty, unitPriceFen, amountFen, proceedsFen }
      })
      const totalFen = priced.reduce((sum, l) => sum + l.amountFen, 0n)
      const proceedsFen = priced.reduce((sum, l) => sum + l.proceedsFen, 0n)

      const now = clock.now()
      const [seq] = await queryRows<{ n: unknown }>(tx, sql`select nextval('order_number_seq') as n`)
      const running = (toBigInt(seq?.n) % 1_000_000n).toString().padStart(6, '0')
      const number = `XF${shanghaiDate(now).replaceAll('-', '')}-${running}`
      const paymentDueAt = new Date(now.getTime() + method.windowHours * 3_600_000)

      const [order] = await tx
        .insert(orders)
        .values({
          number,
          buyerUserId: input.buyerUserId,
          buyerChannel: input.buyerChannel,
          buyerRegionCode: input.buyerRegionCode,
          terms: 'prepaid',
          status: 'pending_payment',
          subtotalFen: totalFen,
          proceedsFen,
          delivery: input.delivery,
          invoice: input.invoice ?? null,
          paymentDueAt,
          createdAt: now,
        })
        .returning({ id: orders.id })
      const orderId = order!.id

      const sellers = [...new Set(priced.map((l) => l.sellerOrgId))].sort()
      const sellerOrderIds = new Map<string, string>()
      for (const sellerOrgId of sellers) {
        const subtotalFen = priced
          .filter((l) => l.sellerOrgId === sellerOrgId)
          .reduce((sum, l) => sum + l.amountFen, 0n)
        const [row] = await tx
          .insert(sellerOrders)
          .values({ orderId, sellerOrgId, subtotalFen, status: 'pending_payment' })
          .returning({ id: sellerOrders.id })
        sellerOrderIds.set(sellerOrgId, row!.id)
      }
      await tx.insert(orderLines).values(
        priced.map((l) => ({
          orderId,
          sellerOrderId: sellerOrderIds.get(l.sellerOrgId)!,
          productId: l.productId,
          qty: l.qty,
          unitPriceFen: l.unitPriceFen,
          amountFen: l.amountFen,
          proceedsFen: l.proceedsFen,
        })),
      )

      const paymentReference = method.reference(number)
      await tx.insert(payments).values({
        orderId,
        provider: method.provider,
        reference: paymentReference,
        amountFen: totalFen,
        status: 'pending',
        createdAt: now,
      })

      return { ok: true as const, orderId, number, totalFen, proceedsFen, paymentReference }
    })
  } catch (error) {
    if (error instanceof OrderRejected) return { ok: false, errors: error.errors }
    throw error
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Releasing stock: cancel (by the buyer) and expire (the payment window passed).

/** Adds the orders' line quantities back to stock, products in id order like placeOrder (no deadlock). */
async function releaseStock(tx: Db, orderIds: readonly string[]): Promise<void> {
  if (orderIds.length === 0) return
  const lines = await tx
    .select({ productId: orderLines.productId, qty: sql<number>`sum(${orderLines.qty})::int` })
    .from(orderLines)
    .where(inArray(orderLines.orderId, [...orderIds]))
    .groupBy(orderLines.productId)
    .orderBy(asc(orderLines.productId))
  for (const line of lines) {
    await tx
      .update(products)
      .set({ stock: sql`${products.stock} + ${Number(line.qty)}` })
      .where(eq(products.id, line.productId))
  }
}

export type CancelOrderResult = { ok: true } | { ok: false; reason: 'not_found' | 'not_pending' }

/** The buyer cancels an unpaid order; its reserved stock returns. Another user's order is `not_found`. */
export async function cancelOrder(
  db: Db,
  input: { orderId: string; buyerUserId: string },
  clock: Clock,
): Promise<CancelOrderResult> {
  if (!uuidPattern.test(input.orderId)) return { ok: false, reason: 'not_found' }
  return db.transaction(async (tx) => {
    const [order] = await tx
      .select({ status: orders.status })
      .from(orders)
      .where(and(eq(orders.id, input.orderId), eq(orders.buyerUserId, input.buyerUserId)))
      .for('update')
    if (!order) return { ok: false as const, reason: 'not_found' as const }
    if (order.status !== 'pending_payment') return { ok: false as const, reason: 'not_pending' as const }
    await releaseStock(tx, [input.orderId])
    await tx
      .update(orders)
      .set({ status: 'cancelled', cancelledAt: clock.now() })
      .where(eq(orders.id, input.orderId))
    await tx.update(sellerOrders).set({ status: 'cancelled' }).where(eq(sellerOrders.orderId, input.orderId))
    return { ok: true as const }
  })
}

/**
 * Every unpaid order whose payment window has passed becomes `expired` and gives its stock back. SKIP LOCKED lets
 * several workers run this at once: each takes the orders no one else holds (an order being confirmed or
 * cancelled right now is left for the next run). Returns how many orders this call expired.
 */
export async function expireOrders(db: Db, clock: Clock): Promise<number> {
  const now = clock.now()
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: orders.id })
      .from(orders)
      .where(and(eq(orders.status, 'pending_payment'), lt(orders.paymentDueAt, now)))
      .orderBy(asc(orders.id))
      .for('update', { skipLocked: true })
    const ids = due.map((o) => o.id)
    if (ids.length === 0) return 0
    await releaseStock(tx, ids)
    await tx.update(orders).set({ status: 'expired' }).where(inArray(orders.id, ids))
    await tx.update(sellerOrders).set({ status: 'expired' }).where(inArray(sellerOrders.orderId, ids))
    return ids.length
  })
}

// ---------------------------------------------------------------------------------------------------------------
// Confirming a payment: the one function every provider (bank transfer by finance, Stripe webhooks) calls.

export type ConfirmationHooks = {
  /** Runs inside the confirming transaction; throwing rolls the confirmation back. */
  onConfirmed(tx: Db, event: { orderId: string; paymentId: string }): Promise<void>
}

/** The ledger (DESIGN §5) will append its entries here; until it exists a confirmation counts nothing. */
export const ledgerHook: ConfirmationHooks = {
  async onConfirmed() {},
}

export type ConfirmPaymentResult =
  | { ok: true; orderId: string }
  | { ok: false; reason: 'not_found' | 'amount_mismatch' | 'not_pending' }

export async function confirmPayment(
  db: Db,
  input: { paymentId: string; receivedFen: bigint; confirmedBy: string },
  clock: Clock,
  hooks: ConfirmationHooks = ledgerHook,
): Promise<ConfirmPaymentResult> {
  if (!uuidPattern.test(input.paymentId)) return { ok: false, reason: 'not_found' }
  return db.transaction(async (tx) => {
    // Payment first, then its order: the same order everywhere a payment is involved.
    const [payment] = await tx
      .select({ orderId: payments.orderId, amountFen: payments.amountFen, status: payments.status })
      .from(payments)
      .where(eq(payments.id, input.paymentId))
      .for('update')
    if (!payment) return { ok: false as const, reason: 'not_found' as const }
    const [order] = await tx
      .select({ status: orders.status })
      .from(orders)
      .where(eq(orders.id, payment.orderId))
      .for('update')
    // A confirmed payment stays confirmed: a later, different amount must not flag it.
    if (payment.status === 'confirmed' || !order)
      return { ok: false as const, reason: 'not_pending' as const }
    if (input.receivedFen !== payment.amountFen) {
      await tx
        .update(payments)
        .set({ status: 'flagged', receivedFen: input.receivedFen })
        .where(and(eq(payments.id, input.paymentId), ne(payments.status, 'confirmed')))
      return { ok: false as const, reason: 'amount_mismatch' as const }
    }
    if (order.status !== 'pending_payment') return { ok: false as const, reason: 'not_pending' as const }
    const now = clock.now()
    await tx
      .update(payments)
      .set({
        status: 'confirmed',
        receivedFen: input.receivedFen,
        confirmedAt: now,
        confirmedBy: input.confirmedBy,
      })
      .where(eq(payments.id, input.paymentId))
    await tx.update(orders).set({ status: 'paid', paidAt: now }).where(eq(orders.id, payment.orderId))
    await tx.update(sellerOrders).set({ status: 'paid' }).where(eq(sellerOrders.orderId, payment.orderId))
    await hooks.onConfirmed(tx, { orderId: payment.orderId, paymentId: input.paymentId })
    return { ok: true as const, orderId: payment.orderId }
  })
}
