import { and, asc, desc, eq, type SQL, sql } from 'drizzle-orm'
import { countAll, type Db } from '../../../db/client.server'
import { type BuyerChannel, type OrderStatus, orders, sellerOrders } from '../../../db/schema/orders'
import { isUuid } from '../../utils/ids'
import { actsForCooperative, listingRoles, sellerFor } from '../catalog/index.server'
import { type SellerOrderStatusFilter } from './rules'

/** View models (loaders send them as JSON): fen as numbers, as every order view does. */
export type SellerOrderLine = {
  productId: string
  sku: string
  name: string
  unit: string
  qty: number
  unitPriceFen: number
  amountFen: number
  /** What the line credits to beneficiary households. */
  proceedsFen: number
}

export type SellerOrderView = {
  sellerOrderId: string
  number: string
  status: OrderStatus
  channel: BuyerChannel
  /** ISO-8601 instants. */
  placedAt: string
  paidAt: string | null
  subtotalFen: number
  lines: SellerOrderLine[]
  /** Where it goes: the delivery county ("福建省 福州市 鼓楼区") — for every order. */
  deliveryRegionCode: string
  deliveryRegion: string
  /**
   * Who and where to ship to: only once the order is paid, because only then does the cooperative ship. Before
   * that (and for closed orders) the buyer's name, phone and address are none of the seller's business.
   */
  shipTo: { recipient: string; phone: string; address: string } | null
}

function statusCondition(status: SellerOrderStatusFilter): SQL | undefined {
  return status === 'all' ? undefined : eq(sellerOrders.status, status)
}

type Row = {
  sellerOrderId: string
  number: string
  status: OrderStatus
  channel: BuyerChannel
  placedAt: Date
  paidAt: Date | null
  subtotalFen: bigint
  deliveryRegionCode: string
  deliveryRegion: string | null
  recipient: string | null
  phone: string | null
  address: string | null
  lines: unknown
}

/** The query behind the order list and the home's "to ship": a cooperative's seller orders with their lines. */
export function sellerOrderRows(
  db: Db,
  input: { orgId: string; actorUserId: string },
  where: SQL | undefined,
) {
  // A unit's on-account order is the cooperative's to ship as soon as it is placed (decision 022): its address too.
  const paid = sql`(${sellerOrders.status} = 'paid' or (${sellerOrders.status} = 'pending_payment'
    and ${orders.terms} = 'on_account'))`
  return db
    .select({
      sellerOrderId: sellerOrders.id,
      number: orders.number,
      status: sellerOrders.status,
      channel: orders.buyerChannel,
      placedAt: orders.createdAt,
      paidAt: orders.paidAt,
      subtotalFen: sellerOrders.subtotalFen,
      deliveryRegionCode: orders.buyerRegionCode,
      deliveryRegion: sql<string | null>`${orders.delivery}->>'regionPath'`,
      // Read from the database only for paid orders: the rest never leaves it.
      recipient: sql<string | null>`case when ${paid} then ${orders.delivery}->>'recipient' end`,
      phone: sql<string | null>`case when ${paid} then ${orders.delivery}->>'phone' end`,
      address: sql<string | null>`case when ${paid} then ${orders.delivery}->>'address' end`,
      lines: sql<unknown>`(select json_agg(json_build_object('productId', l.product_id, 'sku', p.sku,
          'name', p.name, 'unit', p.unit, 'qty', l.qty, 'unitPriceFen', l.unit_price_fen::text,
          'amountFen', l.amount_fen::text, 'proceedsFen', l.proceeds_fen::text) order by p.sku)
        from order_lines l join products p on p.id = l.product_id
        where l.seller_order_id = seller_orders.id)`,
    })
    .from(sellerOrders)
    .innerJoin(orders, eq(orders.id, sellerOrders.orderId))
    .where(
      and(
        eq(sellerOrders.sellerOrgId, input.orgId),
        actsForCooperative(input.orgId, input.actorUserId, listingRoles),
        where,
      ),
    )
}

export function toSellerOrderView(row: Row): SellerOrderView {
  const lines = (typeof row.lines === 'string' ? JSON.parse(row.lines) : (row.lines ?? [])) as Array<{
    productId: string
    sku: string
    name: string
    unit: string
    qty: number
    unitPriceFen: string
    amountFen: string
    proceedsFen: string
  }>
  return {
    sellerOrderId: row.sellerOrderId,
    number: row.number,
    status: row.status,
    channel: row.channel,
    placedAt: row.placedAt.toISOString(),
    paidAt: row.paidAt?.toISOString() ?? null,
    subtotalFen: Number(row.subtotalFen),
    lines: lines.map((line) => ({
      ...line,
      qty: Number(line.qty),
      unitPriceFen: Number(line.unitPriceFen),
      amountFen: Number(line.amountFen),
      proceedsFen: Number(line.proceedsFen),
    })),
    deliveryRegionCode: row.deliveryRegionCode,
    deliveryRegion: row.deliveryRegion ?? '',
    shipTo:
      row.recipient !== null
        ? { recipient: row.recipient ?? '', phone: row.phone ?? '', address: row.address ?? '' }
        : null,
  }
}

export type SellerOrderPage = {
  items: SellerOrderView[]
  total: number
  page: number
  pageSize: number
}

/**
 * A cooperative's seller orders (its part of each order: paid consumer orders today, unit orders when procurement
 * comes), newest first, filtered by status. Null when the actor does not act for the cooperative.
 */
export async function listSellerOrders(
  db: Db,
  input: {
    orgId: string
    actorUserId: string
    status?: SellerOrderStatusFilter
    page?: number
    pageSize?: number
  },
): Promise<SellerOrderPage | null> {
  const page = Math.max(1, Math.floor(input.page ?? 1))
  const pageSize = Math.min(100, Math.max(1, Math.floor(input.pageSize ?? 20)))
  if (!isUuid(input.orgId) || !isUuid(input.actorUserId)) return null
  const where = statusCondition(input.status ?? 'all')
  if (!(await sellerFor(db, input.orgId, input.actorUserId, listingRoles))) return null
  const [rows, [total]] = await Promise.all([
    sellerOrderRows(db, input, where)
      .orderBy(desc(orders.createdAt), desc(orders.number))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db
      .select({ n: countAll })
      .from(sellerOrders)
      .where(
        and(
          eq(sellerOrders.sellerOrgId, input.orgId),
          actsForCooperative(input.orgId, input.actorUserId, listingRoles),
          where,
        ),
      ),
  ])
  return { items: rows.map(toSellerOrderView), total: total?.n ?? 0, page, pageSize }
}

/** The oldest paid seller orders first: the order they should ship in. */
export function oldestFirst() {
  return [asc(orders.paidAt), asc(orders.number)]
}
