import { and, eq, gte, inArray, lte, ne, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  addCertification,
  createListing,
  reviewListing,
  submitListing,
} from '../../app/domains/catalog/index.server'
import { getCoopHome, listSellerOrders } from '../../app/domains/coop/index.server'
import { isLowStock } from '../../app/domains/coop'
import { refundPayment } from '../../app/domains/payments/index.server'
import { type Clock, fixedClock, startOfShanghaiDate } from '../../app/utils/clock'
import type { Db } from '../../db/client.server'
import { products } from '../../db/schema/catalog'
import { aidEntries, householdCredits } from '../../db/schema/ledger'
import { orderLines, orders, payments, refunds, sellerOrders } from '../../db/schema/orders'
import { demo, listingForm, productId } from '../support/coop'
import { openTestDatabase, testDbKind } from '../support/db'
import { buy, setProduct } from '../support/shopping'
import { SEED_NOW } from '../support/test-clock'

let db: Db
/** SEED_NOW is 2026-06-15, 12:00 in Shanghai. */
const clock = fixedClock(SEED_NOW)
const noonOf = (date: string): Clock =>
  fixedClock(new Date(startOfShanghaiDate(date).getTime() + 12 * 3_600_000))
const admin = { orgId: demo.minxian, actorUserId: demo.coopAdmin }
const staff = { orgId: demo.minxian, actorUserId: demo.coopStaff }
const minxianSkus = ['PRD030', 'PRD031', 'PRD032', 'PRD033']

beforeAll(async () => {
  db = (await openTestDatabase('seeded')).db
})

describe(`the cooperative console home and seller orders (${testDbKind()})`, () => {
  it('shows what to ship, low stock, expiring certificates, listings to fix and the month from the rollups', async () => {
    for (const sku of [...minxianSkus, 'PRD001']) await setProduct(db, productId(sku), { stock: 1000 })
    // May (not this month), three days of June, an order shared with another cooperative, and unpaid ones.
    const may = await buy(db, { lines: [['PRD030', 2]], at: noonOf('2026-05-20') })
    const june2 = await buy(db, { lines: [['PRD031', 3]], at: noonOf('2026-06-02') })
    const june10 = await buy(db, {
      lines: [
        ['PRD030', 1],
        ['PRD001', 2],
      ],
      at: noonOf('2026-06-10'),
    })
    const today = await buy(db, {
      lines: [
        ['PRD032', 4],
        ['PRD033', 1],
      ],
      at: clock,
    })
    const unpaid = await buy(db, { lines: [['PRD033', 5]], at: clock, confirmAt: null })
    // Half of one line of June 2 refunded on June 12: the month's figures are net of it.
    const [june2Line] = await db.select().from(orderLines).where(eq(orderLines.orderId, june2.orderId))
    const refunded = await refundPayment(
      db,
      {
        paymentId: june2.paymentId,
        lines: [{ orderLineId: june2Line!.id, amountFen: june2Line!.amountFen / 2n }],
        financeUserId: demo.finance,
      },
      noonOf('2026-06-12'),
    )
    expect(refunded).toMatchObject({ ok: true })

    // Stock: low is below max(10, 3 × minimum order).
    await setProduct(db, productId('PRD030'), { stock: 9 })
    await setProduct(db, productId('PRD031'), { stock: 10 })
    await setProduct(db, productId('PRD032'), { stock: 14, minOrderQty: 5 })
    await setProduct(db, productId('PRD033'), { stock: 15, minOrderQty: 5 })

    // Certificates: one ends within 30 days; one ends then but a successor takes over; one ends on day 31.
    const certify = (sku: string, validFrom: string, validUntil: string) =>
      addCertification(
        db,
        {
          ...admin,
          productId: productId(sku),
          form: {
            body: '岷县乡村振兴局',
            number: `${sku}-${validUntil}`,
            validFrom,
            validUntil,
            reliefMode: '经营性',
          },
        },
        clock,
      )
    await certify('PRD031', '2025-07-11', '2026-07-10')
    await certify('PRD032', '2025-07-21', '2026-07-15')
    await certify('PRD032', '2026-07-16', '2027-07-15')
    await certify('PRD033', '2025-07-17', '2026-07-16')

    // Listings: one rejected, one pending, one a draft (not the home's business).
    const listing = async () => {
      const created = await createListing(db, { ...admin, form: listingForm() }, clock)
      if (!created.ok) throw new Error('create failed')
      return created
    }
    const rejected = await listing()
    const pending = await listing()
    await listing()
    await submitListing(db, { ...admin, productId: rejected.productId }, clock)
    await submitListing(db, { ...admin, productId: pending.productId }, clock)
    await reviewListing(
      db,
      {
        productId: rejected.productId,
        reviewer: { userId: demo.platformAdmin, orgId: demo.platform },
        decision: 'reject',
        reason: '缺少产品检测报告',
      },
      clock,
    )

    const home = await getCoopHome(db, staff, clock)
    expect(home).not.toBeNull()

    // To ship: every paid seller order of the cooperative, the oldest first.
    const paidSellerOrders = await db
      .select({ id: sellerOrders.id })
      .from(sellerOrders)
      .where(and(eq(sellerOrders.sellerOrgId, demo.minxian), eq(sellerOrders.status, 'paid')))
    expect(home!.toShip.count).toBe(paidSellerOrders.length)
    expect(home!.toShip.count).toBe(4)
    const numbers = await db
      .select({ id: orders.id, number: orders.number })
      .from(orders)
      .where(inArray(orders.id, [may.orderId, june2.orderId, june10.orderId, today.orderId, unpaid.orderId]))
    const numberOf = (orderId: string) => numbers.find((n) => n.id === orderId)!.number
    expect(home!.toShip.oldest.map((o) => o.number)).toEqual(
      [may, june2, june10, today].map((o) => numberOf(o.orderId)),
    )
    // The shared order shows only this cooperative's line.
    const shared = home!.toShip.oldest.find((o) => o.number === numberOf(june10.orderId))!
    expect(shared.lines.map((l) => [l.sku, l.qty])).toEqual([['PRD030', 1]])
    expect(shared.shipTo).toEqual({ recipient: '演示', phone: '13800000000', address: '演示路 1 号' })
    expect(shared.deliveryRegion).toContain('鼓楼区')

    // Low stock, against the rule applied to every listing of the cooperative.
    const own = await db
      .select({ sku: products.sku, stock: products.stock, min: products.minOrderQty })
      .from(products)
      .where(and(eq(products.orgId, demo.minxian), ne(products.status, 'archived')))
    expect(home!.lowStock.map((p) => p.sku).sort()).toEqual(
      own
        .filter((p) => isLowStock(p.stock, p.min))
        .map((p) => p.sku)
        .sort(),
    )
    expect(home!.lowStock.map((p) => [p.sku, p.stock, p.threshold])).toEqual([
      ['PRD030', 9, 10],
      ['PRD032', 14, 15],
    ])

    expect(home!.expiringCertifications.map((c) => [c.sku, c.validUntil, c.daysLeft])).toEqual([
      ['PRD031', '2026-07-10', 25],
    ])

    expect(home!.listings.map((l) => [l.productId, l.status, l.rejectionReason])).toEqual(
      expect.arrayContaining([
        [rejected.productId, 'rejected', '缺少产品检测报告'],
        [pending.productId, 'pending', null],
      ]),
    )
    expect(home!.listings).toHaveLength(2)

    // The month, computed independently: June's confirmed lines of the cooperative less June's refunds of them …
    const june = { from: startOfShanghaiDate('2026-06-01'), to: startOfShanghaiDate('2026-07-01') }
    const [sold] = await db
      .select({
        quantity: sql<string>`coalesce(sum(${orderLines.qty}), 0)::text`,
        amount: sql<string>`coalesce(sum(${orderLines.amountFen}), 0)::text`,
      })
      .from(orderLines)
      .innerJoin(sellerOrders, eq(sellerOrders.id, orderLines.sellerOrderId))
      .innerJoin(payments, eq(payments.orderId, orderLines.orderId))
      .where(
        and(
          eq(sellerOrders.sellerOrgId, demo.minxian),
          eq(payments.status, 'confirmed'),
          gte(payments.confirmedAt, june.from),
          sql`${payments.confirmedAt} < ${june.to.toISOString()}::timestamptz`,
        ),
      )
    const [refundedInJune] = await db
      .select({ amount: sql<string>`coalesce(sum(${refunds.amountFen}), 0)::text` })
      .from(refunds)
      .where(and(gte(refunds.createdAt, june.from), lte(refunds.createdAt, june.to)))
    expect(home!.month).toEqual({
      from: '2026-06-01',
      to: '2026-06-15',
      quantity: sold!.quantity,
      salesFen: (BigInt(sold!.amount) - BigInt(refundedInJune!.amount)).toString(),
      householdCreditsFen: expect.any(String),
    })
    expect(home!.month.quantity).toBe(String(3 + 1 + 4 + 1))
    // … and the households' credits from the credits themselves (a refund's reversal included).
    const [credited] = await db
      .select({ amount: sql<string>`coalesce(sum(${householdCredits.amountFen}), 0)::text` })
      .from(householdCredits)
      .innerJoin(aidEntries, eq(aidEntries.seq, householdCredits.entrySeq))
      .where(
        and(
          eq(aidEntries.sellerOrgId, demo.minxian),
          gte(aidEntries.day, '2026-06-01'),
          lte(aidEntries.day, '2026-06-30'),
        ),
      )
    expect(home!.month.householdCreditsFen).toBe(credited!.amount)
    expect(BigInt(home!.month.householdCreditsFen)).toBeGreaterThan(0n)
  })

  it('lists seller orders by status; buyer details only for paid orders', async () => {
    const all = await listSellerOrders(db, { ...admin, pageSize: 50 })
    expect(all!.total).toBe(5)
    const paid = await listSellerOrders(db, { ...admin, status: 'paid', pageSize: 50 })
    expect(paid!.items).toHaveLength(4)
    for (const order of paid!.items) {
      expect(order.shipTo).not.toBeNull()
      expect(order.lines.every((l) => minxianSkus.includes(l.sku))).toBe(true)
      expect(order.subtotalFen).toBe(order.lines.reduce((sum, l) => sum + l.amountFen, 0))
    }
    const waiting = await listSellerOrders(db, { ...admin, status: 'pending_payment' })
    expect(waiting!.items).toHaveLength(1)
    expect(waiting!.items[0]).toMatchObject({
      status: 'pending_payment',
      shipTo: null,
      deliveryRegionCode: '350102',
    })
    expect(JSON.stringify(waiting!.items[0])).not.toContain('13800000000')
    expect((await listSellerOrders(db, { ...admin, status: 'expired' }))!.items).toEqual([])
    // Newest first, paged.
    const first = await listSellerOrders(db, { ...admin, page: 1, pageSize: 2 })
    const second = await listSellerOrders(db, { ...admin, page: 2, pageSize: 2 })
    const earliestFirst = first!.items.map((o) => o.placedAt).sort()[0]!
    const latestSecond = second!.items
      .map((o) => o.placedAt)
      .sort()
      .at(-1)!
    expect(earliestFirst >= latestSecond).toBe(true)
    expect(new Set([...first!.items, ...second!.items].map((o) => o.sellerOrderId)).size).toBe(4)
  })

  it('a cooperative never sees another’s orders or home', async () => {
    const other = { orgId: demo.anding, actorUserId: demo.coopAdmin }
    expect(await getCoopHome(db, other, clock)).toBeNull()
    expect(await listSellerOrders(db, other)).toBeNull()
    for (const outsider of [demo.officeAdmin, demo.platformAdmin, demo.consumer]) {
      expect(await getCoopHome(db, { orgId: demo.minxian, actorUserId: outsider }, clock)).toBeNull()
      expect(await listSellerOrders(db, { orgId: demo.minxian, actorUserId: outsider })).toBeNull()
    }
  })
})
