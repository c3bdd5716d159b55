import { and, asc, count, desc, eq, inArray, lt, or, type SQL, sql } from 'drizzle-orm'
import type { Db } from '../../../db/client.server'
import { users } from '../../../db/schema/accounts'
import { products } from '../../../db/schema/catalog'
import {
  orderLines,
  orders,
  type OrderStatus,
  payments,
  type PaymentStatus,
  refunds,
  sellerOrders,
} from '../../../db/schema/orders'
import { organizations } from '../../../db/schema/organizations'
import type { PaymentInstructions, PaymentMethod } from '../payments/index.server'
import { isUuid } from '../../utils/ids'
import { creditedByPayment, type PaymentReceipt, paymentReceipt } from '../ledger/index.server'
import type { PaymentQueueFilter } from '../payments'

/**
 * What buyers and finance read about orders. View models only: amounts are fen as JS numbers (one order is far
 * below 2^53 fen), times are ISO strings.
 */

export type TimelineStep = {
  key: 'placed' | 'awaiting_payment' | 'payment_flagged' | 'paid' | 'refunded' | 'cancelled' | 'expired'
  at: string | null
  /** The step the order is at now. */
  current: boolean
}

export type OrderSummaryView = {
  id: string
  number: string
  status: OrderStatus
  createdAt: string
  /** Null for an on-account order not accepted yet. */
  paymentDueAt: string | null
  totalFen: number
  proceedsFen: number
  sellerCount: number
  itemNames: string[]
}

export type OrderDetailView = OrderSummaryView & {
  paidAt: string | null
  cancelledAt: string | null
  delivery: { recipient: string; phone: string; regionPath: string; address: string }
  invoice: { kind: 'personal' | 'company'; title: string; taxId?: string; email?: string } | null
  sellers: Array<{
    sellerOrderId: string
    sellerName: string
    status: OrderStatus
    subtotalFen: number
    /** Fulfilment (cooperative console II): where the goods are, with the carrier once shipped. */
    fulfilment: 'none' | 'shipped' | 'delivered' | 'received'
    carrier: string | null
    trackingNumber: string | null
    shippedAt: string | null
    deliveredAt: string | null
    receivedAt: string | null
    receivedAutomatically: boolean
    /** The buyer's refund request for this part: requested, refunded or declined; null when none. */
    refundRequest: 'requested' | 'refunded' | 'declined' | 'withdrawn' | null
    lines: Array<{
      name: string
      slug: string
      unit: string
      qty: number
      unitPriceFen: number
      amountFen: number
      proceedsFen: number
    }>
  }>
  payment: {
    provider: string
    reference: string
    amountFen: number
    status: PaymentStatus
    receivedFen: number | null
    refundedFen: number
  } | null
  /** Once paid: the households this order's payment credits now (refunds reversed) and the amount. */
  credited: { households: number; amountFen: number } | null
  /** Office dashboard II (decision 024): once paid, the ledger entries the payment wrote (seq, hash) and their sums. */
  receipt: PaymentReceipt | null
  /** Shown while the order waits for payment. */
  instructions: (Omit<PaymentInstructions, 'amountFen'> & { amountFen: number }) | null
  timeline: TimelineStep[]
  canCancel: boolean
}

export async function listBuyerOrders(
  db: Db,
  userId: string,
  paging: { page: number; pageSize: number },
): Promise<{ items: OrderSummaryView[]; total: number }> {
  const where = eq(orders.buyerUserId, userId)
  const [rows, [totalRow]] = await Promise.all([
    db
      .select()
      .from(orders)
      .where(where)
      .orderBy(desc(orders.createdAt), desc(orders.number))
      .limit(paging.pageSize)
      .offset((paging.page - 1) * paging.pageSize),
    db.select({ n: count() }).from(orders).where(where),
  ])
  const ids = rows.map((r) => r.id)
  const lineRows =
    ids.length === 0
      ? []
      : await db
          .select({
            orderId: orderLines.orderId,
            name: products.name,
            sellerOrderId: orderLines.sellerOrderId,
          })
          .from(orderLines)
          .innerJoin(products, eq(products.id, orderLines.productId))
          .where(inArray(orderLines.orderId, ids))
          .orderBy(asc(orderLines.id))
  const items = rows.map((order) => {
    const lines = lineRows.filter((l) => l.orderId === order.id)
    return {
      ...summaryOf(order),
      sellerCount: new Set(lines.map((l) => l.sellerOrderId)).size,
      itemNames: lines.map((l) => l.name),
    }
  })
  return { items, total: Number(totalRow?.n ?? 0) }
}

function summaryOf(order: typeof orders.$inferSelect): Omit<OrderSummaryView, 'sellerCount' | 'itemNames'> {
  return {
    id: order.id,
    number: order.number,
    status: order.status,
    createdAt: order.createdAt.toISOString(),
    paymentDueAt: order.paymentDueAt?.toISOString() ?? null,
    totalFen: Number(order.subtotalFen),
    proceedsFen: Number(order.proceedsFen),
  }
}

/** One of the buyer's orders; another user's order is null (not "forbidden": its existence is not disclosed). */
export async function getBuyerOrder(
  db: Db,
  input: { userId: string; orderId: string },
  method: PaymentMethod,
): Promise<OrderDetailView | null> {
  if (!isUuid(input.orderId)) return null
  const [order] = await db
    .select()
    .from(orders)
    .where(and(eq(orders.id, input.orderId), eq(orders.buyerUserId, input.userId)))
  if (!order) return null
  const [sellerRows, lineRows, paymentRows] = await Promise.all([
    db
      .select({
        id: sellerOrders.id,
        sellerName: organizations.name,
        status: sellerOrders.status,
        subtotalFen: sellerOrders.subtotalFen,
        fulfilment: sellerOrders.fulfilment,
        carrier: sellerOrders.carrier,
        trackingNumber: sellerOrders.trackingNumber,
        shippedAt: sellerOrders.shippedAt,
        deliveredAt: sellerOrders.deliveredAt,
        receivedAt: sellerOrders.receivedAt,
        receivedAutomatically: sellerOrders.receivedAutomatically,
        refundRequest: sql<string | null>`(select r.status from refund_requests r
          where r.seller_order_id = seller_orders.id order by r.created_at desc limit 1)`,
      })
      .from(sellerOrders)
      .innerJoin(organizations, eq(organizations.id, sellerOrders.sellerOrgId))
      .where(eq(sellerOrders.orderId, order.id))
      .orderBy(asc(organizations.name)),
    db
      .select({
        sellerOrderId: orderLines.sellerOrderId,
        name: products.name,
        slug: products.slug,
        unit: products.unit,
        qty: orderLines.qty,
        unitPriceFen: orderLines.unitPriceFen,
        amountFen: orderLines.amountFen,
        proceedsFen: orderLines.proceedsFen,
      })
      .from(orderLines)
      .innerJoin(products, eq(products.id, orderLines.productId))
      .where(eq(orderLines.orderId, order.id))
      .orderBy(asc(products.name)),
    db.select().from(payments).where(eq(payments.orderId, order.id)).orderBy(desc(payments.createdAt)),
  ])
  const payment = paymentRows[0] ?? null
  const [refundRows, credited, receipt] = await Promise.all([
    payment
      ? db
          .select({
            amount: sql<string>`coalesce(sum(${refunds.amountFen}), 0)::text`,
            lastAt: sql<Date | null>`max(${refunds.createdAt})`.mapWith((v: string | Date | null) =>
              v === null ? null : new Date(v),
            ),
          })
          .from(refunds)
          .where(eq(refunds.paymentId, payment.id))
      : [],
    payment?.status === 'confirmed' ? creditedByPayment(db, payment.id) : null,
    payment?.status === 'confirmed' ? paymentReceipt(db, payment.id) : null,
  ])
  const sellers = sellerRows.map((s) => {
    const lines = lineRows
      .filter((l) => l.sellerOrderId === s.id)
      .map((l) => ({
        name: l.name,
        slug: l.slug,
        unit: l.unit,
        qty: l.qty,
        unitPriceFen: Number(l.unitPriceFen),
        amountFen: Number(l.amountFen),
        proceedsFen: Number(l.proceedsFen),
      }))
    return {
      sellerOrderId: s.id,
      sellerName: s.sellerName,
      status: s.status,
      subtotalFen: Number(s.subtotalFen),
      fulfilment: s.fulfilment,
      carrier: s.carrier,
      trackingNumber: s.trackingNumber,
      shippedAt: s.shippedAt?.toISOString() ?? null,
      deliveredAt: s.deliveredAt?.toISOString() ?? null,
      receivedAt: s.receivedAt?.toISOString() ?? null,
      receivedAutomatically: s.receivedAutomatically,
      refundRequest: s.refundRequest as OrderDetailView['sellers'][number]['refundRequest'],
      lines,
    }
  })
  const pending = order.status === 'pending_payment'
  const instructions =
    pending && payment && payment.provider === method.provider
      ? method.instructions({ reference: payment.reference, amountFen: payment.amountFen })
      : null
  return {
    ...summaryOf(order),
    sellerCount: sellers.length,
    itemNames: lineRows.map((l) => l.name),
    paidAt: order.paidAt?.toISOString() ?? null,
    cancelledAt: order.cancelledAt?.toISOString() ?? null,
    delivery: order.delivery as OrderDetailView['delivery'],
    invoice: (order.invoice ?? null) as OrderDetailView['invoice'],
    sellers,
    payment: payment
      ? {
          provider: payment.provider,
          reference: payment.reference,
          amountFen: Number(payment.amountFen),
          status: payment.status,
          receivedFen: payment.receivedFen === null ? null : Number(payment.receivedFen),
          refundedFen: Number(refundRows[0]?.amount ?? 0),
        }
      : null,
    credited: credited ? { households: credited.households, amountFen: Number(credited.amountFen) } : null,
    receipt,
    instructions: instructions ? { ...instructions, amountFen: Number(instructions.amountFen) } : null,
    timeline: timelineOf(order, payment?.status ?? null, refundRows[0]?.lastAt ?? null),
    canCancel: pending,
  }
}

/** The steps an order has gone through, and the one it is at. */
export function timelineOf(
  order: Pick<typeof orders.$inferSelect, 'status' | 'createdAt' | 'paymentDueAt' | 'paidAt' | 'cancelledAt'>,
  paymentStatus: PaymentStatus | null,
  lastRefundAt: Date | null = null,
): TimelineStep[] {
  const steps: TimelineStep[] = [{ key: 'placed', at: order.createdAt.toISOString(), current: false }]
  const iso = (d: Date | null) => d?.toISOString() ?? null
  switch (order.status) {
    case 'pending_payment':
      steps.push({
        key: 'awaiting_payment',
        at: iso(order.paymentDueAt),
        current: paymentStatus !== 'flagged',
      })
      if (paymentStatus === 'flagged') steps.push({ key: 'payment_flagged', at: null, current: true })
      break
    case 'paid':
      steps.push({ key: 'paid', at: iso(order.paidAt), current: lastRefundAt === null })
      if (lastRefundAt) steps.push({ key: 'refunded', at: iso(lastRefundAt), current: true })
      break
    case 'cancelled':
      steps.push({ key: 'cancelled', at: iso(order.cancelledAt), current: true })
      break
    case 'expired':
      steps.push({ key: 'expired', at: iso(order.paymentDueAt), current: true })
      break
  }
  return steps
}

// ---------------------------------------------------------------------------------------------------------------
// Finance: bank transfers to match against the statement.

export type PaymentQueueItem = {
  paymentId: string
  reference: string
  orderId: string
  orderNumber: string
  orderStatus: OrderStatus
  buyerName: string
  amountFen: number
  receivedFen: number | null
  status: PaymentStatus
  createdAt: string
  /** Null for an on-account order not accepted yet. */
  paymentDueAt: string | null
  /** A unit's on-account order (decision 022): payable once accepted, then due on the unit's term. */
  onAccount: boolean
  /** On account, accepted, unpaid past its due time. */
  overdue: boolean
  confirmedAt: string | null
  /** Fen refunded so far (0 for none). */
  refundedFen: number
  /** Open refund requests of the buyer for parts of this order that have not shipped (cooperative console II). */
  refundRequests: Array<{ sellerName: string; reason: string; amountFen: number }>
}

export { type PaymentQueueFilter, paymentQueueFilters } from '../payments'

export async function listBankTransfers(
  db: Db,
  query: { filter: PaymentQueueFilter; q: string; page: number; pageSize: number; now?: Date },
): Promise<{ items: PaymentQueueItem[]; total: number }> {
  const now = query.now ?? new Date()
  const conditions: SQL[] = [eq(payments.provider, 'bank_transfer')]
  if (query.filter === 'open')
    conditions.push(
      inArray(payments.status, ['pending', 'flagged']),
      eq(orders.status, 'pending_payment'),
      // An on-account order is payable only once the unit has accepted every part of it (decision 022).
      sql`not (${orders.terms} = 'on_account' and ${orders.paymentDueAt} is null)`,
    )
  if (query.filter === 'overdue')
    conditions.push(
      inArray(payments.status, ['pending', 'flagged']),
      eq(orders.status, 'pending_payment'),
      eq(orders.terms, 'on_account'),
      lt(orders.paymentDueAt, now),
    )
  if (query.filter === 'flagged') conditions.push(eq(payments.status, 'flagged'))
  if (query.filter === 'confirmed') conditions.push(eq(payments.status, 'confirmed'))
  const q = query.q.trim().toUpperCase()
  if (q) conditions.push(or(eq(payments.reference, q), eq(orders.number, q))!)
  const where = and(...conditions)
  const [rows, [totalRow]] = await Promise.all([
    db
      .select({
        paymentId: payments.id,
        reference: payments.reference,
        orderId: orders.id,
        orderNumber: orders.number,
        orderStatus: orders.status,
        buyerName: users.displayName,
        amountFen: payments.amountFen,
        receivedFen: payments.receivedFen,
        status: payments.status,
        createdAt: payments.createdAt,
        paymentDueAt: orders.paymentDueAt,
        terms: orders.terms,
        confirmedAt: payments.confirmedAt,
        refundedFen: sql<string>`(select coalesce(sum(r.amount_fen), 0)::text from ${refunds} r where r.payment_id = ${payments.id})`,
        refundRequests: sql<unknown>`(select coalesce(json_agg(json_build_array(so_org.name, rr.reason, so.subtotal_fen::text)
            order by rr.created_at), '[]'::json)
          from refund_requests rr join seller_orders so on so.id = rr.seller_order_id
          join organizations so_org on so_org.id = so.seller_org_id
          where so.order_id = ${orders.id} and rr.status = 'requested')`,
      })
      .from(payments)
      .innerJoin(orders, eq(orders.id, payments.orderId))
      .innerJoin(users, eq(users.id, orders.buyerUserId))
      .where(where)
      .orderBy(desc(payments.createdAt), desc(payments.reference))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db.select({ n: count() }).from(payments).innerJoin(orders, eq(orders.id, payments.orderId)).where(where),
  ])
  return {
    items: rows.map(({ terms, ...r }) => ({
      ...r,
      onAccount: terms === 'on_account',
      overdue:
        terms === 'on_account' &&
        r.orderStatus === 'pending_payment' &&
        r.paymentDueAt !== null &&
        now.getTime() > r.paymentDueAt.getTime(),
      amountFen: Number(r.amountFen),
      receivedFen: r.receivedFen === null ? null : Number(r.receivedFen),
      createdAt: r.createdAt.toISOString(),
      paymentDueAt: r.paymentDueAt?.toISOString() ?? null,
      confirmedAt: r.confirmedAt?.toISOString() ?? null,
      refundedFen: Number(r.refundedFen),
      refundRequests: (
        (typeof r.refundRequests === 'string' ? JSON.parse(r.refundRequests) : r.refundRequests) as Array<
          [string, string, string]
        >
      ).map(([sellerName, reason, amount]) => ({ sellerName, reason, amountFen: Number(amount) })),
    })),
    total: Number(totalRow?.n ?? 0),
  }
}
