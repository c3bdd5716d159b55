import { and, asc, desc, eq, ilike, inArray, or, type SQL, sql } from 'drizzle-orm'
import type { Db } from '../../../db/client.server'
import { products } from '../../../db/schema/catalog'
import { orderLines, orders, refundRequests, sellerOrders } from '../../../db/schema/orders'
import type { Clock } from '../../utils/clock'
import { isUuid } from '../../utils/ids'
import { actsForCooperative, escapeLike, listingRoles, sellerFor } from '../catalog/index.server'
import { type FormErrors, parseForm } from '../catalog'
import { type DisputeView, listDisputes } from './disputes.server'
import { shipForm } from './fulfilment-forms'
import { isOverdue } from '../procurement'
import type { FulfilmentStateFilter } from './rules'

/**
 * Fulfilment (发货): the cooperative's paid seller orders, from "to ship" to "received". A seller order ships once
 * (carrier and tracking number), is marked delivered, and is received when the buyer confirms it — or
 * automatically ten days after it shipped (app/domains/orders, the job loop). While the buyer's refund request is
 * open, it cannot ship.
 */

export type FulfilmentState = 'none' | 'shipped' | 'delivered' | 'received'

export type FulfilmentItem = {
  sellerOrderId: string
  number: string
  paidAt: string | null
  /** A unit's on-account order: shipped before payment, paid after the unit's 验收 (decision 022). */
  onAccount: boolean
  paymentDueAt: string | null
  /** On account, accepted, and not paid by the end of the unit's payment term. */
  overdue: boolean
  fulfilment: FulfilmentState
  carrier: string | null
  trackingNumber: string | null
  shippedAt: string | null
  deliveredAt: string | null
  receivedAt: string | null
  receivedAutomatically: boolean
  refundRequested: boolean
  shipTo: { recipient: string; phone: string; regionPath: string; address: string }
  lines: Array<{ sku: string; name: string; unit: string; qty: number }>
}

export type FulfilmentPage = {
  items: FulfilmentItem[]
  total: number
  page: number
  pageSize: number
  /** Units' rejections at 验收 for the cooperative to answer, open ones first (decision 022). */
  disputes: DisputeView[]
}

/** Paid, or placed on account (a unit pays after its 验收): both are the cooperative's to ship. */
const shippable = sql`(${sellerOrders.status} = 'paid' or (${sellerOrders.status} = 'pending_payment'
  and exists (select 1 from orders o where o.id = ${sellerOrders.orderId} and o.terms = 'on_account')))`

const stateOrder = sql`case ${sellerOrders.fulfilment} when 'none' then 0 when 'shipped' then 1 when 'delivered' then 2 else 3 end`

/**
 * The paid seller orders of the cooperative: to ship first, then on their way, then done; newest payment first.
 * `state` keeps one step of the way; `search` keeps the orders whose number or tracking number contains it (a
 * buyer on the phone reads either out), so a cooperative with hundreds of orders finds one without paging.
 */
export async function listFulfilment(
  db: Db,
  input: {
    orgId: string
    actorUserId: string
    page: number
    pageSize: number
    state?: FulfilmentStateFilter
    search?: string
    now?: Date
  },
): Promise<FulfilmentPage | null> {
  const now = input.now ?? new Date()
  const seller = await sellerFor(db, input.orgId, input.actorUserId, listingRoles)
  if (!seller) return null
  const filters: SQL[] = []
  if (input.state && input.state !== 'all') filters.push(eq(sellerOrders.fulfilment, input.state))
  const search = input.search?.trim() ?? ''
  if (search) {
    const pattern = `%${escapeLike(search)}%`
    filters.push(or(ilike(orders.number, pattern), ilike(sellerOrders.trackingNumber, pattern))!)
  }
  // Paid seller orders, and a unit's on-account ones from the moment they are placed (decision 022).
  const where = and(eq(sellerOrders.sellerOrgId, seller.id), shippable, ...filters)
  const [count] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(sellerOrders)
    .innerJoin(orders, eq(orders.id, sellerOrders.orderId))
    .where(where)
  const rows = await db
    .select({
      id: sellerOrders.id,
      number: orders.number,
      paidAt: orders.paidAt,
      createdAt: orders.createdAt,
      onAccount: sql<boolean>`${orders.terms} = 'on_account'`,
      paymentDueAt: orders.paymentDueAt,
      unpaid: sql<boolean>`${orders.status} = 'pending_payment'`,
      delivery: orders.delivery,
      fulfilment: sellerOrders.fulfilment,
      carrier: sellerOrders.carrier,
      trackingNumber: sellerOrders.trackingNumber,
      shippedAt: sellerOrders.shippedAt,
      deliveredAt: sellerOrders.deliveredAt,
      receivedAt: sellerOrders.receivedAt,
      receivedAutomatically: sellerOrders.receivedAutomatically,
      refundRequested: sql<boolean>`exists (select 1 from refund_requests r
        where r.seller_order_id = seller_orders.id and r.status = 'requested')`,
    })
    .from(sellerOrders)
    .innerJoin(orders, eq(orders.id, sellerOrders.orderId))
    .where(where)
    .orderBy(stateOrder, desc(sql`coalesce(${orders.paidAt}, ${orders.createdAt})`), desc(orders.number))
    .limit(input.pageSize)
    .offset((Math.max(1, input.page) - 1) * input.pageSize)
  const lines =
    rows.length === 0
      ? []
      : await db
          .select({
            sellerOrderId: orderLines.sellerOrderId,
            sku: products.sku,
            name: products.name,
            unit: products.unit,
            qty: orderLines.qty,
          })
          .from(orderLines)
          .innerJoin(products, eq(products.id, orderLines.productId))
          .where(
            inArray(
              orderLines.sellerOrderId,
              rows.map((r) => r.id),
            ),
          )
          .orderBy(asc(products.sku))
  const iso = (d: Date | null) => d?.toISOString() ?? null
  return {
    items: rows.map((r) => {
      const delivery = r.delivery as FulfilmentItem['shipTo']
      return {
        sellerOrderId: r.id,
        number: r.number,
        paidAt: iso(r.paidAt),
        onAccount: Boolean(r.onAccount),
        paymentDueAt: iso(r.paymentDueAt),
        overdue: Boolean(r.onAccount) && Boolean(r.unpaid) && isOverdue(r.paymentDueAt, now, false),
        fulfilment: r.fulfilment,
        carrier: r.carrier,
        trackingNumber: r.trackingNumber,
        shippedAt: iso(r.shippedAt),
        deliveredAt: iso(r.deliveredAt),
        receivedAt: iso(r.receivedAt),
        receivedAutomatically: r.receivedAutomatically,
        refundRequested: Boolean(r.refundRequested),
        shipTo: {
          recipient: delivery.recipient,
          phone: delivery.phone,
          regionPath: delivery.regionPath,
          address: delivery.address,
        },
        lines: lines.filter((l) => l.sellerOrderId === r.id).map(({ sellerOrderId: _, ...line }) => line),
      }
    }),
    total: count?.n ?? 0,
    page: Math.max(1, input.page),
    pageSize: input.pageSize,
    disputes: await listDisputes(db, { orgId: seller.id, actorUserId: input.actorUserId }),
  }
}

export type FulfilmentResult =
  | { ok: true }
  | { ok: false; error: 'not_found' | 'not_shippable' | 'refund_requested' | 'not_shipped' }
  | { ok: false; error: 'invalid'; errors: FormErrors }

/** Marks a paid seller order shipped, with its carrier and tracking number; once. */
export async function markShipped(
  db: Db,
  input: { orgId: string; actorUserId: string; sellerOrderId: string; form: unknown },
  clock: Clock,
): Promise<FulfilmentResult> {
  const parsed = parseForm(shipForm, input.form)
  if (!parsed.ok) return { ok: false, error: 'invalid', errors: parsed.errors }
  if (!isUuid(input.sellerOrderId) || !isUuid(input.orgId) || !isUuid(input.actorUserId))
    return { ok: false, error: 'not_found' }
  return db.transaction(async (tx): Promise<FulfilmentResult> => {
    const [row] = await tx
      .select({
        id: sellerOrders.id,
        shippable: sql<boolean>`${shippable}`,
        fulfilment: sellerOrders.fulfilment,
      })
      .from(sellerOrders)
      .where(
        and(
          eq(sellerOrders.id, input.sellerOrderId),
          eq(sellerOrders.sellerOrgId, input.orgId),
          actsForCooperative(input.orgId, input.actorUserId, listingRoles),
        ),
      )
      .for('update')
    if (!row) return { ok: false, error: 'not_found' }
    if (row.fulfilment !== 'none' || !row.shippable) return { ok: false, error: 'not_shippable' }
    const [open] = await tx
      .select({ id: refundRequests.id })
      .from(refundRequests)
      .where(and(eq(refundRequests.sellerOrderId, row.id), eq(refundRequests.status, 'requested')))
    if (open) return { ok: false, error: 'refund_requested' }
    await tx
      .update(sellerOrders)
      .set({
        fulfilment: 'shipped',
        carrier: parsed.data.carrier,
        trackingNumber: parsed.data.trackingNumber,
        shippedAt: clock.now(),
      })
      .where(eq(sellerOrders.id, row.id))
    return { ok: true }
  })
}

/** Marks a shipped seller order delivered (the carrier says it arrived). */
export async function markDelivered(
  db: Db,
  input: { orgId: string; actorUserId: string; sellerOrderId: string },
  clock: Clock,
): Promise<FulfilmentResult> {
  if (!isUuid(input.sellerOrderId) || !isUuid(input.orgId) || !isUuid(input.actorUserId))
    return { ok: false, error: 'not_found' }
  const owned = and(
    eq(sellerOrders.id, input.sellerOrderId),
    eq(sellerOrders.sellerOrgId, input.orgId),
    actsForCooperative(input.orgId, input.actorUserId, listingRoles),
  )
  const [updated] = await db
    .update(sellerOrders)
    .set({ fulfilment: 'delivered', deliveredAt: clock.now() })
    .where(and(owned, eq(sellerOrders.fulfilment, 'shipped')))
    .returning({ id: sellerOrders.id })
  if (updated) return { ok: true }
  const [exists] = await db.select({ id: sellerOrders.id }).from(sellerOrders).where(owned)
  return { ok: false, error: exists ? 'not_shipped' : 'not_found' }
}
