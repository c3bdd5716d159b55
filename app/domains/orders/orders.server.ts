import { and, asc, eq, inArray, lt, sql } from 'drizzle-orm'
import { type Db, preparedRows } from '../../../db/client.server'
import { products } from '../../../db/schema/catalog'
import {
  type BuyerChannel,
  orderLines,
  orders,
  type orderTerms,
  sellerOrders,
} from '../../../db/schema/orders'
import { organizations } from '../../../db/schema/organizations'
import type { PaymentMethod } from '../payments/index.server'
import { type Clock, shanghaiDate } from '../../utils/clock'
import { isUuid } from '../../utils/ids'
import { lineProceedsFen, proceedsRuleFromRow } from '../households'
import { hasBeneficiaries } from '../households/index.server'
import { type PriceTier, unitPriceFor } from '../catalog'
import { orderKindFor } from './order-kind'

type OrderTerms = (typeof orderTerms)[number]

// ---------------------------------------------------------------------------------------------------------------
// Placing an order (docs/architecture.md §6): products locked in id order, stock reserved by a conditional update, all in one
// transaction so that any error leaves nothing behind.

type PlaceOrderCommon = {
  buyerUserId: string
  lines: ReadonlyArray<{ productId: string; qty: number }>
  delivery: Record<string, unknown>
  /** The 发票 request, if any (checkout-forms.ts invoiceRequest). */
  invoice?: Record<string, unknown> | null
}

/**
 * Who buys decides the order's kind, and the kind decides the channel the ledger counts it under: an order with no
 * buyer organisation is a consumer's (its region is the delivery county); an order for an organisation takes the
 * organisation's kind as its channel, its region as the buyer region and its terms (orderKindFor) — a caller cannot
 * choose a channel that contradicts the buyer.
 */
export type PlaceOrderInput = PlaceOrderCommon &
  (
    | { buyerOrgId?: undefined; buyerChannel?: 'consumer'; buyerRegionCode: string }
    | { buyerOrgId: string; poNumber?: string | null }
  )

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

type OrderKind = {
  buyerOrgId: string | null
  channel: BuyerChannel
  regionCode: string
  terms: OrderTerms
  poNumber: string | null
}

/** The order's kind from its buyer: a consumer, or an organisation (its kind, region and terms, read here). */
async function orderKindOf(tx: Db, input: PlaceOrderInput): Promise<OrderKind> {
  if (input.buyerOrgId === undefined) {
    return {
      buyerOrgId: null,
      channel: 'consumer',
      regionCode: input.buyerRegionCode,
      terms: 'prepaid',
      poNumber: null,
    }
  }
  const [org] = await tx
    .select({ kind: organizations.kind, regionCode: organizations.regionCode })
    .from(organizations)
    .where(eq(organizations.id, input.buyerOrgId))
  const kind = org ? orderKindFor(org.kind) : null
  if (!org || !kind) throw new RangeError('the buyer organisation cannot place orders')
  return {
    buyerOrgId: input.buyerOrgId,
    ...kind,
    regionCode: org.regionCode,
    poNumber: input.poNumber ?? null,
  }
}

/** Thrown inside the transaction to roll it back; turned into `{ ok: false }` outside. */
class OrderRejected extends Error {
  constructor(readonly errors: PlaceOrderError[]) {
    super('order rejected')
  }
}

/** A Postgres array literal of uuids or integers (checked here, so that nothing else can end up in it). */
function arrayLiteral(values: ReadonlyArray<string | number | bigint>): string {
  for (const value of values) {
    const ok =
      typeof value === 'string' ? isUuid(value) : typeof value === 'bigint' || Number.isSafeInteger(value)
    if (!ok) throw new RangeError(`not a uuid or integer: ${String(value)}`)
  }
  return `{${values.join(',')}}`
}

type LockedRow = {
  id: string
  org_id: string
  price_fen: string
  stock: number
  min_order_qty: number
  status: string
  /** [min_qty, unit_price_fen as text] pairs in min_qty order. */
  tiers: unknown
  rule_kind: 'basis_points' | 'fen_per_unit' | null
  basis_points: number | null
  fen_per_unit: string | null
  /** The row changed while this transaction waited for its lock. */
  moved: boolean
  /** The next order number, drawn only when every line passes the checks below (the same on every row). */
  n: string | null
}

/** A product's price tiers ([min_qty, unit_price_fen as text] in min_qty order) and proceeds rule (p, r). */
const tiersAndRule = sql.raw(`(select coalesce(json_agg(json_build_array(t.min_qty, t.unit_price_fen::text)
                                                  order by t.min_qty), '[]'::json)
                                 from price_tiers t where t.product_id = p.id) as tiers,
                              r.kind as rule_kind, r.basis_points, r.fen_per_unit::text as fen_per_unit`)

/** The product's proceeds rule (r), only while it has beneficiaries (hasBeneficiaries). */
const ruleJoin = sql`left join proceeds_rules r on r.product_id = p.id and ${hasBeneficiaries(sql.raw('p.id'))}`

/**
 * Four round trips on a PostgreSQL server, whatever the number of lines: BEGIN; lock the products in id order with
 * their tiers and proceeds rules (and draw the order number when the order will go through); reserve every line by
 * a conditional UPDATE and insert the order, its seller orders, lines and payment, all in one statement; COMMIT.
 * The statements are prepared (parsed once per connection) and take their lists as array parameters, so their
 * text never varies.
 */
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
    const key = isUuid(line.productId) ? line.productId.toLowerCase() : line.productId
    wanted.set(key, (wanted.get(key) ?? 0) + line.qty)
  }
  const ids = [...wanted.keys()].filter((id) => isUuid(id)).sort()
  const buyerOrgId = input.buyerOrgId ?? null
  if (buyerOrgId !== null && !isUuid(buyerOrgId)) throw new RangeError('buyerOrgId must be a uuid')
  const idArray = arrayLiteral(ids)
  const qtyArray = arrayLiteral(ids.map((id) => wanted.get(id)!))

  try {
    return await db.transaction(async (tx) => {
      const kind = await orderKindOf(tx, input)
      // ORDER BY … FOR NO KEY UPDATE locks the rows as they come out of the sort: in id order, as everywhere stock
      // moves. NO KEY: the stock changes, never the id, so writes that only reference the product (a cart line
      // added meanwhile: its foreign key check) are not held up by a checkout.
      // A row another transaction changed while we waited is returned as it is now (READ COMMITTED), so the checks
      // below see the stock we hold. The number is drawn only when every line passes the same checks as the loop
      // below (so a rejected order uses none); it is the only thing they decide.
      const locked =
        ids.length === 0
          ? []
          : await preparedRows<LockedRow>(
              tx,
              sql`with locked as (
                    select p.id, p.org_id, p.price_fen, p.stock, p.min_order_qty, p.status, ${tiersAndRule},
                      p.ctid <> seen.ctid as moved
                    from products p
                    join products seen on seen.id = p.id
                    ${ruleJoin}
                    where p.id = any(cast(${idArray} as text)::uuid[])
                    order by p.id
                    for no key update of p)
                  select l.id::text as id, l.org_id::text as org_id, l.price_fen::text as price_fen, l.stock,
                    l.min_order_qty, l.status, l.tiers, l.rule_kind, l.basis_points, l.fen_per_unit, l.moved,
                    (select case when count(*) = ${wanted.size}::int then nextval('order_number_seq')::text end
                       from locked c
                       join unnest(cast(${idArray} as text)::uuid[], cast(${qtyArray} as text)::int[]) as w(id, qty)
                         on w.id = c.id
                       where c.status = 'active' and w.qty >= c.min_order_qty and c.stock >= w.qty) as n
                  from locked l
                  order by l.id`,
            )
      const byId = new Map(locked.map((p) => [p.id, p]))

      const errors: PlaceOrderError[] = []
      for (const [productId, qty] of wanted) {
        const product = byId.get(productId)
        if (!product) errors.push({ productId, code: 'not_found' })
        else if (product.status !== 'active') errors.push({ productId, code: 'inactive' })
        else if (qty < product.min_order_qty) errors.push({ productId, code: 'below_minimum' })
        else if (product.stock < qty) errors.push({ productId, code: 'out_of_stock' })
      }
      if (errors.length > 0) throw new OrderRejected(errors)
      // A row that changed while we waited for its lock comes back as it is now, but everything else in that
      // statement — the tiers and the rule — as it was before the wait: read those again, as they are now.
      if (locked.some((p) => p.moved)) {
        const fresh = await preparedRows<
          Pick<LockedRow, 'id' | 'tiers' | 'rule_kind' | 'basis_points' | 'fen_per_unit'>
        >(
          tx,
          sql`select p.id::text as id, ${tiersAndRule}
              from products p ${ruleJoin}
              where p.id = any(cast(${idArray} as text)::uuid[])`,
        )
        for (const row of fresh) {
          const product = locked.find((p) => p.id === row.id)
          if (product) Object.assign(product, row)
        }
      }
      // The checks in SQL and here agree; should they ever drift apart, draw the number on its own.
      const drawn =
        locked[0]?.n ??
        (await preparedRows<{ n: string }>(tx, sql`select nextval('order_number_seq')::text as n`))[0]!.n

      const priced = ids.map((productId) => {
        const product = byId.get(productId)!
        const qty = wanted.get(productId)!
        const tierPairs = (
          typeof product.tiers === 'string' ? JSON.parse(product.tiers) : product.tiers
        ) as Array<[number, string]>
        const tiers: PriceTier[] = tierPairs.map(([minQty, unitPriceFen]) => ({
          minQty,
          unitPriceFen: BigInt(unitPriceFen),
        }))
        const unitPriceFen = unitPriceFor(qty, BigInt(product.price_fen), tiers)
        const amountFen = unitPriceFen * BigInt(qty)
        // A product without a rule (or without beneficiaries) promises nothing to households: no proceeds.
        const rule = product.rule_kind
          ? proceedsRuleFromRow({
              kind: product.rule_kind,
              basisPoints: product.basis_points,
              fenPerUnit: product.fen_per_unit === null ? null : BigInt(product.fen_per_unit),
            })
          : { kind: 'basis_points' as const, basisPoints: 0 }
        const proceedsFen = lineProceedsFen(rule, { quantity: qty, amountFen })
        return { productId, sellerOrgId: product.org_id, qty, unitPriceFen, amountFen, proceedsFen }
      })
      const totalFen = priced.reduce((sum, l) => sum + l.amountFen, 0n)
      const proceedsFen = priced.reduce((sum, l) => sum + l.proceedsFen, 0n)

      const now = clock.now()
      const running = (BigInt(drawn) % 1_000_000n).toString().padStart(6, '0')
      const number = `XF${shanghaiDate(now).replaceAll('-', '')}-${running}`
      // On account: nothing is due until the unit accepts the goods (the payment window does not apply).
      const paymentDueAt =
        kind.terms === 'prepaid' ? new Date(now.getTime() + method.windowHours * 3_600_000) : null
      const paymentReference = method.reference(number)

      const sellers = [...new Set(priced.map((l) => l.sellerOrgId))].sort()
      const sellerSubtotals = sellers.map((sellerOrgId) =>
        priced.filter((l) => l.sellerOrgId === sellerOrgId).reduce((sum, l) => sum + l.amountFen, 0n),
      )
      // One statement: reserve (the conditional update never oversells even if the lock above were ever dropped;
      // the CHECK (stock >= 0) is the last line of defence), then — only if every line was reserved — the order, a
      // seller order per seller, the lines (each joined to its seller's order) and the payment. The UPDATE runs on
      // a snapshot taken after the locks, and the foreign keys are checked at the end of the statement.
      const [written] = await preparedRows<{ reserved: string | null; order_id: string | null }>(
        tx,
        sql`with reserved as (
              update products p set stock = p.stock - v.qty
              from unnest(cast(${idArray} as text)::uuid[], cast(${qtyArray} as text)::int[]) as v(id, qty)
              where p.id = v.id and p.stock >= v.qty
              returning p.id),
            o as (
              insert into orders (number, buyer_user_id, buyer_org_id, buyer_channel, buyer_region_code, terms,
                                  status, subtotal_fen, proceeds_fen, delivery, invoice, po_number, payment_due_at,
                                  created_at)
              select ${number}, ${input.buyerUserId}::uuid, ${kind.buyerOrgId}::uuid, ${kind.channel},
                     ${kind.regionCode}, ${kind.terms}, 'pending_payment', ${totalFen.toString()}::bigint,
                     ${proceedsFen.toString()}::bigint, ${JSON.stringify(input.delivery)}::jsonb,
                     ${input.invoice == null ? null : JSON.stringify(input.invoice)}::jsonb, ${kind.poNumber},
                     ${paymentDueAt === null ? null : paymentDueAt.toISOString()}::timestamptz,
                     ${now.toISOString()}::timestamptz
              where (select count(*) from reserved) = ${ids.length}::int
              returning id),
            s as (
              insert into seller_orders (order_id, seller_org_id, subtotal_fen, status)
              select o.id, v.seller_org_id, v.subtotal_fen, 'pending_payment'
              from o, unnest(cast(${arrayLiteral(sellers)} as text)::uuid[],
                             cast(${arrayLiteral(sellerSubtotals)} as text)::bigint[]) as v(seller_org_id, subtotal_fen)
              returning id, seller_org_id),
            l as (
              insert into order_lines (order_id, seller_order_id, product_id, qty, unit_price_fen, amount_fen,
                                       proceeds_fen)
              select o.id, s.id, v.product_id, v.qty, v.unit_price_fen, v.amount_fen, v.proceeds_fen
              from o, unnest(cast(${idArray} as text)::uuid[],
                             cast(${arrayLiteral(priced.map((l) => l.sellerOrgId))} as text)::uuid[],
                             cast(${qtyArray} as text)::int[],
                             cast(${arrayLiteral(priced.map((l) => l.unitPriceFen))} as text)::bigint[],
                             cast(${arrayLiteral(priced.map((l) => l.amountFen))} as text)::bigint[],
                             cast(${arrayLiteral(priced.map((l) => l.proceedsFen))} as text)::bigint[])
                     as v(product_id, seller_org_id, qty, unit_price_fen, amount_fen, proceeds_fen)
                   join s on s.seller_org_id = v.seller_org_id),
            p as (
              insert into payments (order_id, provider, reference, amount_fen, status, created_at)
              select o.id, ${method.provider}, ${paymentReference}, ${totalFen.toString()}::bigint, 'pending',
                     ${now.toISOString()}::timestamptz
              from o)
            select (select string_agg(id::text, ',') from reserved) as reserved,
                   (select id::text from o) as order_id`,
      )
      if (!written?.order_id) {
        // Every line or none: a line not reserved rolls the whole order back (the first one, in id order).
        const reserved = new Set((written?.reserved ?? '').split(','))
        const missing = ids.find((id) => !reserved.has(id)) ?? ids[0]!
        throw new OrderRejected([{ productId: missing, code: 'out_of_stock' }])
      }

      return {
        ok: true as const,
        orderId: written.order_id,
        number,
        totalFen,
        proceedsFen,
        paymentReference,
      }
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
  if (!isUuid(input.orderId)) return { ok: false, reason: 'not_found' }
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
      // On-account orders are never closed for want of payment: they are flagged overdue instead (decision 022).
      .where(
        and(eq(orders.status, 'pending_payment'), eq(orders.terms, 'prepaid'), lt(orders.paymentDueAt, now)),
      )
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
