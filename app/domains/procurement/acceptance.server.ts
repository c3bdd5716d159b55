import { and, asc, eq, sql } from 'drizzle-orm'
import { type Db, queryRows, toBigInt } from '../../../db/client.server'
import { users } from '../../../db/schema/accounts'
import { products } from '../../../db/schema/catalog'
import { orderLines, orders, payments, sellerOrders } from '../../../db/schema/orders'
import { organizations } from '../../../db/schema/organizations'
import { acceptanceLines, acceptances, disputes, unitPaymentTerms } from '../../../db/schema/procurement'
import type { Clock } from '../../utils/clock'
import { isUuid } from '../../utils/ids'
import { recordAuditEvent } from '../audit/index.server'
import { acceptedPart, DEFAULT_PAYMENT_TERM_DAYS, isOverdue, paymentDueAt } from './acceptance-math'
import type { AcceptanceForm, PaymentTermForm } from './forms'
import { getPlanView, type PlanView } from './plans.server'
import { seesAllOfUnit, type UnitActor } from './unit-actor'

/**
 * Government procurement II (decision 022): a unit's 验收 of each delivered seller order of its on-account order,
 * recorded once and final; rejected quantities open a dispute the cooperative answers; once every seller order is
 * accepted, the order's payable amount is known: its one pending bank-transfer payment is set to the accepted total
 * and the order falls due on the unit's payment term. The sale counts when finance confirms that payment
 * (confirmPayment), for the accepted quantities only (the ledger reads acceptance_lines).
 */

export type AcceptResult =
  | { ok: true; payableFen: bigint | null; disputeOpened: boolean }
  | {
      ok: false
      error: 'not_found' | 'already_accepted' | 'not_delivered' | 'not_acceptable' | 'lines_mismatch'
    }

/** The unit's payment term in days (30 unless the unit admin set another). */
export async function paymentTermOf(db: Db, orgId: string): Promise<number> {
  if (!isUuid(orgId)) return DEFAULT_PAYMENT_TERM_DAYS
  const [row] = await db
    .select({ days: unitPaymentTerms.days })
    .from(unitPaymentTerms)
    .where(eq(unitPaymentTerms.orgId, orgId))
  return row?.days ?? DEFAULT_PAYMENT_TERM_DAYS
}

/** The unit admin sets the unit's payment term (1–60 days); applies to acceptances from now on. Audited. */
export async function setPaymentTerm(
  db: Db,
  input: { actor: UnitActor; form: PaymentTermForm },
  clock: Clock,
): Promise<{ ok: true } | { ok: false; error: 'forbidden' }> {
  const { actor, form } = input
  if (actor.role !== 'unit_admin') return { ok: false, error: 'forbidden' }
  const now = clock.now()
  await db.transaction(async (tx) => {
    await tx
      .insert(unitPaymentTerms)
      .values({ orgId: actor.orgId, days: form.days, updatedBy: actor.userId, updatedAt: now })
      .onConflictDoUpdate({
        target: unitPaymentTerms.orgId,
        set: { days: form.days, updatedBy: actor.userId, updatedAt: now },
      })
    await recordAuditEvent(tx, {
      actorUserId: actor.userId,
      action: 'payment_term.set',
      subjectType: 'organization',
      subjectId: actor.orgId,
      details: { days: String(form.days) },
      occurredAt: now,
    })
  })
  return { ok: true }
}

/** The order of the unit the actor may see (a buyer: their own), locked when `lock`. */
function unitOwns(actor: UnitActor, orderId: string) {
  return and(
    eq(orders.id, orderId),
    eq(orders.buyerOrgId, actor.orgId),
    seesAllOfUnit(actor.role) ? undefined : eq(orders.buyerUserId, actor.userId),
  )
}

/**
 * Records the unit's 验收 of one seller order: every line's accepted quantity (0 … ordered), notes and photos. Once
 * and final: a second acceptance of the same seller order is `already_accepted`. Only a shipped or delivered
 * seller order of an unpaid on-account order can be accepted.
 */
export async function acceptSellerOrder(
  db: Db,
  input: { actor: UnitActor; orderId: string; form: AcceptanceForm; photoKeys?: readonly string[] },
  clock: Clock,
): Promise<AcceptResult> {
  const { actor, orderId, form } = input
  if (!isUuid(orderId) || !isUuid(form.sellerOrderId)) return { ok: false, error: 'not_found' }
  return db.transaction(async (tx): Promise<AcceptResult> => {
    // The order first (it serialises the acceptances of its seller orders, so that the payable total is computed
    // once every one of them is in), then the seller order.
    const [order] = await tx
      .select({ id: orders.id, terms: orders.terms, status: orders.status, number: orders.number })
      .from(orders)
      .where(unitOwns(actor, orderId))
      .for('update')
    if (!order) return { ok: false, error: 'not_found' }
    const [seller] = await tx
      .select({ id: sellerOrders.id, status: sellerOrders.status, fulfilment: sellerOrders.fulfilment })
      .from(sellerOrders)
      .where(and(eq(sellerOrders.id, form.sellerOrderId), eq(sellerOrders.orderId, order.id)))
      .for('update')
    if (!seller) return { ok: false, error: 'not_found' }
    const [existing] = await tx
      .select({ id: acceptances.id })
      .from(acceptances)
      .where(eq(acceptances.sellerOrderId, seller.id))
    if (existing) return { ok: false, error: 'already_accepted' }
    if (
      order.terms !== 'on_account' ||
      order.status !== 'pending_payment' ||
      seller.status !== 'pending_payment'
    )
      return { ok: false, error: 'not_acceptable' }
    if (seller.fulfilment !== 'shipped' && seller.fulfilment !== 'delivered')
      return { ok: false, error: 'not_delivered' }

    const lines = await tx
      .select({
        id: orderLines.id,
        qty: orderLines.qty,
        unitPriceFen: orderLines.unitPriceFen,
        amountFen: orderLines.amountFen,
        proceedsFen: orderLines.proceedsFen,
      })
      .from(orderLines)
      .where(eq(orderLines.sellerOrderId, seller.id))
      .orderBy(asc(orderLines.id))
    const given = new Map<string, number>()
    for (const line of form.lines) {
      if (given.has(line.orderLineId.toLowerCase())) return { ok: false, error: 'lines_mismatch' }
      given.set(line.orderLineId.toLowerCase(), line.acceptedQty)
    }
    if (given.size !== lines.length || lines.some((l) => !given.has(l.id)))
      return { ok: false, error: 'lines_mismatch' }
    if (lines.some((l) => given.get(l.id)! > l.qty)) return { ok: false, error: 'lines_mismatch' }

    const parts = lines.map((l) => ({ line: l, part: acceptedPart(l, given.get(l.id)!) }))
    const acceptedFen = parts.reduce((s, p) => s + p.part.amountFen, 0n)
    const rejectedFen = parts.reduce((s, p) => s + (p.line.amountFen - p.part.amountFen), 0n)
    const now = clock.now()
    const [acceptance] = await tx
      .insert(acceptances)
      .values({
        sellerOrderId: seller.id,
        orderId: order.id,
        acceptedBy: actor.userId,
        acceptedAt: now,
        notes: form.notes ?? null,
        acceptedFen,
        rejectedFen,
        photoKeys: [...(input.photoKeys ?? [])],
      })
      .returning({ id: acceptances.id })
    await tx.insert(acceptanceLines).values(
      parts.map(({ line, part }) => ({
        orderLineId: line.id,
        acceptanceId: acceptance!.id,
        acceptedQty: part.acceptedQty,
        rejectedQty: part.rejectedQty,
        acceptedAmountFen: part.amountFen,
        acceptedProceedsFen: part.proceedsFen,
      })),
    )
    await tx
      .update(sellerOrders)
      .set({ fulfilment: 'received', receivedAt: now, receivedAutomatically: false })
      .where(eq(sellerOrders.id, seller.id))
    const disputeOpened = parts.some((p) => p.part.rejectedQty > 0)
    if (disputeOpened) {
      const [sellerOrg] = await tx
        .select({ sellerOrgId: sellerOrders.sellerOrgId })
        .from(sellerOrders)
        .where(eq(sellerOrders.id, seller.id))
      await tx.insert(disputes).values({
        acceptanceId: acceptance!.id,
        sellerOrderId: seller.id,
        sellerOrgId: sellerOrg!.sellerOrgId,
        status: 'open',
        rejectedFen,
        createdAt: now,
      })
    }
    await recordAuditEvent(tx, {
      actorUserId: actor.userId,
      action: 'order.accepted',
      subjectType: 'seller_order',
      subjectId: seller.id,
      details: {
        orderNumber: order.number,
        amountFen: acceptedFen,
        rejectedFen,
      },
      occurredAt: now,
    })

    // Every seller order accepted (or closed): the amount payable is known.
    const [state] = await queryRows<{ open: number; payable: string }>(
      tx,
      sql`select count(*) filter (where a.id is null and so.status = 'pending_payment')::int as open,
                 coalesce(sum(a.accepted_fen), 0)::text as payable
          from seller_orders so left join acceptances a on a.seller_order_id = so.id
          where so.order_id = ${order.id}::uuid`,
    )
    if (Number(state!.open) > 0) return { ok: true, payableFen: null, disputeOpened }
    const payableFen = toBigInt(state!.payable)
    if (payableFen === 0n) {
      // Nothing accepted: nothing to pay. The order closes (its pending payment can no longer be confirmed).
      await tx.update(orders).set({ status: 'cancelled', cancelledAt: now }).where(eq(orders.id, order.id))
      await tx.update(sellerOrders).set({ status: 'cancelled' }).where(eq(sellerOrders.orderId, order.id))
      return { ok: true, payableFen, disputeOpened }
    }
    const days = await paymentTermOf(tx, actor.orgId)
    await tx
      .update(payments)
      .set({ amountFen: payableFen, status: 'pending', receivedFen: null })
      .where(
        and(
          eq(payments.orderId, order.id),
          eq(payments.provider, 'bank_transfer'),
          sql`${payments.status} <> 'confirmed'`,
        ),
      )
    await tx
      .update(orders)
      .set({ paymentDueAt: paymentDueAt(now, days) })
      .where(eq(orders.id, order.id))
    return { ok: true, payableFen, disputeOpened }
  })
}

export type UnitOrderDetail = {
  id: string
  number: string
  status: string
  terms: string
  poNumber: string | null
  createdAt: string
  paidAt: string | null
  paymentDueAt: string | null
  overdue: boolean
  subtotalFen: bigint
  /** The accepted total once every seller order is accepted; null before. */
  payableFen: bigint | null
  reference: string | null
  mayAccept: boolean
  sellers: Array<{
    id: string
    sellerName: string
    status: string
    fulfilment: string
    carrier: string | null
    trackingNumber: string | null
    shippedAt: string | null
    deliveredAt: string | null
    acceptance: {
      acceptedAt: string
      acceptedBy: string
      notes: string | null
      acceptedFen: bigint
      rejectedFen: bigint
      photoKeys: string[]
      dispute: { status: string; answerNote: string | null } | null
    } | null
    lines: Array<{
      id: string
      sku: string
      name: string
      unit: string
      qty: number
      unitPriceFen: bigint
      amountFen: bigint
      acceptedQty: number | null
      acceptedAmountFen: bigint | null
    }>
  }>
}

/** One of the unit's orders with its seller orders, their acceptance and what is due (a buyer: their own). */
export async function getUnitOrder(
  db: Db,
  input: { actor: UnitActor; orderId: string },
  clock: Clock,
): Promise<UnitOrderDetail | null> {
  const { actor, orderId } = input
  if (!isUuid(orderId)) return null
  const [order] = await db
    .select({
      id: orders.id,
      number: orders.number,
      status: orders.status,
      terms: orders.terms,
      poNumber: orders.poNumber,
      createdAt: orders.createdAt,
      paidAt: orders.paidAt,
      paymentDueAt: orders.paymentDueAt,
      subtotalFen: orders.subtotalFen,
      buyerUserId: orders.buyerUserId,
    })
    .from(orders)
    .where(unitOwns(actor, orderId))
  if (!order) return null
  const [sellerRows, lineRows, payment] = await Promise.all([
    db
      .select({
        id: sellerOrders.id,
        sellerName: organizations.name,
        status: sellerOrders.status,
        fulfilment: sellerOrders.fulfilment,
        carrier: sellerOrders.carrier,
        trackingNumber: sellerOrders.trackingNumber,
        shippedAt: sellerOrders.shippedAt,
        deliveredAt: sellerOrders.deliveredAt,
        acceptedAt: acceptances.acceptedAt,
        acceptedBy: users.displayName,
        notes: acceptances.notes,
        acceptedFen: acceptances.acceptedFen,
        rejectedFen: acceptances.rejectedFen,
        photoKeys: acceptances.photoKeys,
        disputeStatus: disputes.status,
        answerNote: disputes.answerNote,
      })
      .from(sellerOrders)
      .innerJoin(organizations, eq(organizations.id, sellerOrders.sellerOrgId))
      .leftJoin(acceptances, eq(acceptances.sellerOrderId, sellerOrders.id))
      .leftJoin(users, eq(users.id, acceptances.acceptedBy))
      .leftJoin(disputes, eq(disputes.acceptanceId, acceptances.id))
      .where(eq(sellerOrders.orderId, order.id))
      .orderBy(asc(organizations.name), asc(sellerOrders.id)),
    db
      .select({
        id: orderLines.id,
        sellerOrderId: orderLines.sellerOrderId,
        sku: products.sku,
        name: products.name,
        unit: products.unit,
        qty: orderLines.qty,
        unitPriceFen: orderLines.unitPriceFen,
        amountFen: orderLines.amountFen,
        acceptedQty: acceptanceLines.acceptedQty,
        acceptedAmountFen: acceptanceLines.acceptedAmountFen,
      })
      .from(orderLines)
      .innerJoin(products, eq(products.id, orderLines.productId))
      .leftJoin(acceptanceLines, eq(acceptanceLines.orderLineId, orderLines.id))
      .where(eq(orderLines.orderId, order.id))
      .orderBy(asc(products.sku)),
    db
      .select({ reference: payments.reference, amountFen: payments.amountFen })
      .from(payments)
      .where(eq(payments.orderId, order.id))
      .then((rows) => rows[0]),
  ])
  const iso = (d: Date | null) => d?.toISOString() ?? null
  const allAccepted =
    order.terms === 'on_account' &&
    order.paymentDueAt !== null &&
    sellerRows.every((s) => s.acceptedAt !== null)
  const mayAccept =
    order.terms === 'on_account' &&
    order.status === 'pending_payment' &&
    (actor.role === 'unit_admin' || (actor.role === 'unit_buyer' && order.buyerUserId === actor.userId))
  return {
    id: order.id,
    number: order.number,
    status: order.status,
    terms: order.terms,
    poNumber: order.poNumber,
    createdAt: order.createdAt.toISOString(),
    paidAt: iso(order.paidAt),
    paymentDueAt: iso(order.paymentDueAt),
    overdue:
      order.terms === 'on_account' &&
      order.status === 'pending_payment' &&
      isOverdue(order.paymentDueAt, clock.now(), false),
    subtotalFen: order.subtotalFen,
    payableFen:
      order.terms === 'prepaid' ? order.subtotalFen : allAccepted ? (payment?.amountFen ?? null) : null,
    reference: payment?.reference ?? null,
    mayAccept,
    sellers: sellerRows.map((s) => ({
      id: s.id,
      sellerName: s.sellerName,
      status: s.status,
      fulfilment: s.fulfilment,
      carrier: s.carrier,
      trackingNumber: s.trackingNumber,
      shippedAt: iso(s.shippedAt),
      deliveredAt: iso(s.deliveredAt),
      acceptance:
        s.acceptedAt === null
          ? null
          : {
              acceptedAt: s.acceptedAt.toISOString(),
              acceptedBy: s.acceptedBy ?? '',
              notes: s.notes,
              acceptedFen: s.acceptedFen ?? 0n,
              rejectedFen: s.rejectedFen ?? 0n,
              photoKeys: s.photoKeys ?? [],
              dispute: s.disputeStatus ? { status: s.disputeStatus, answerNote: s.answerNote } : null,
            },
      lines: lineRows.filter((l) => l.sellerOrderId === s.id).map(({ sellerOrderId: _, ...l }) => ({ ...l })),
    })),
  }
}

export type UnitPurchaseRow = {
  orderNumber: string
  orderedOn: string
  cooperative: string
  county: string
  product: string
  quantity: number
  amountFen: bigint
  paidOn: string | null
}

/**
 * The unit's counted purchases on this platform in a year (for 考核): per order line, what the ledger counted on
 * days of that year (sales of the accepted quantities, less refunds) — the same entries the buyer rollups behind
 * /unit/plan sum, so the total equals the plan page's platform total.
 */
export async function unitPurchasesForYear(
  db: Db,
  input: { orgId: string; year: number },
): Promise<{ rows: UnitPurchaseRow[]; totalFen: bigint }> {
  const { orgId, year } = input
  if (!isUuid(orgId)) return { rows: [], totalFen: 0n }
  const rows = await queryRows<{
    number: string
    ordered_on: string
    cooperative: string
    county: string
    product: string
    quantity: number
    amount: string
    paid_on: string | null
  }>(
    db,
    sql`select o.number, to_char(o.created_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as ordered_on,
               s.name as cooperative, r.name as county, p.name as product,
               sum(case when e.kind = 'sale' then e.quantity else 0 end)::int as quantity,
               sum(e.amount_fen)::text as amount,
               to_char(min(pay.confirmed_at) at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as paid_on
        from aid_entries e
        join orders o on o.id = e.order_id
        join organizations s on s.id = e.seller_org_id
        join regions r on r.code = e.origin_code
        join products p on p.id = e.product_id
        join payments pay on pay.id = e.payment_id
        where e.buyer_org_id = ${orgId}::uuid
          and e.day >= make_date(${year}::int, 1, 1) and e.day < make_date(${year + 1}::int, 1, 1)
        group by o.number, o.created_at, s.name, r.name, p.name, e.order_line_id
        order by o.created_at, o.number, p.name`,
  )
  const out = rows.map((r) => ({
    orderNumber: r.number,
    orderedOn: r.ordered_on,
    cooperative: r.cooperative,
    county: r.county,
    product: r.product,
    quantity: Number(r.quantity),
    amountFen: toBigInt(r.amount),
    paidOn: r.paid_on,
  }))
  return { rows: out, totalFen: out.reduce((s, r) => s + r.amountFen, 0n) }
}

export type UnitYearSummary = {
  year: number
  unitName: string
  plan: PlanView
  byCounty: Array<{ county: string; orders: number; amountFen: bigint }>
  /** The counted platform purchases of the year: equal to plan.platformFen. */
  totalFen: bigint
}

/** The one-page 考核 summary of a unit's year: the plan's figures and the counted purchases by county of origin. */
export async function getUnitYearSummary(
  db: Db,
  input: { orgId: string; year: number },
): Promise<UnitYearSummary> {
  const [plan, purchases, org] = await Promise.all([
    getPlanView(db, input),
    unitPurchasesForYear(db, input),
    db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, input.orgId)),
  ])
  const counties = new Map<string, { orders: Set<string>; amountFen: bigint }>()
  for (const row of purchases.rows) {
    const entry = counties.get(row.county) ?? { orders: new Set<string>(), amountFen: 0n }
    entry.orders.add(row.orderNumber)
    entry.amountFen += row.amountFen
    counties.set(row.county, entry)
  }
  return {
    year: input.year,
    unitName: org[0]?.name ?? '',
    plan,
    byCounty: [...counties]
      .map(([county, v]) => ({ county, orders: v.orders.size, amountFen: v.amountFen }))
      .sort((a, b) =>
        a.amountFen === b.amountFen ? a.county.localeCompare(b.county) : a.amountFen > b.amountFen ? -1 : 1,
      ),
    totalFen: purchases.totalFen,
  }
}
