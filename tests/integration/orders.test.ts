import { eq, inArray, sql } from 'drizzle-orm'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { cancelOrder, expireOrders, placeOrder } from '../../app/domains/orders/orders.server'
import { type ConfirmationHooks, confirmPayment } from '../../app/domains/payments/confirm.server'
import { lineProceedsFen, type ProceedsRule } from '../../app/domains/households/proceeds'
import { type Clock, fixedClock } from '../../app/utils/clock'
import { countAll, type Db, type DbHandle } from '../../db/client.server'
import { priceTiers, products } from '../../db/schema/catalog'
import { proceedsRules } from '../../db/schema/households'
import { orderLines, orders, payments, sellerOrders } from '../../db/schema/orders'
import { seedUuid } from '../../db/seed/synthetic'
import { bankTransfer } from '../../app/domains/payments/methods.server'
import { openTestDatabase, testDbKind } from '../support/db'
import { setProduct } from '../support/shopping'
import { fcParams } from '../support/fast-check'
import { SEED_NOW } from '../support/test-clock'

const consumer = seedUuid('user:consumer@demo.example')
const finance = seedUuid('user:finance@demo.example')
const [p1, p2, p3, p4] = ['PRD001', 'PRD002', 'PRD003', 'PRD004'].map((k) => seedUuid(`product:${k}`)) as [
  string,
  string,
  string,
  string,
]
const clock = fixedClock(SEED_NOW)
const testAccount = { accountName: '测试平台', bankName: '测试银行', accountNumber: '0000 0000', demo: true }
const window = bankTransfer({ account: testAccount, windowHours: 72 })
const delivery = { name: '张三', phone: '13800000000', address: '福州市鼓楼区演示路1号' }

let handle: DbHandle
let db: Db

beforeAll(async () => {
  handle = await openTestDatabase('seeded', { poolSize: 10 })
  db = handle.db
})

async function stockOf(id: string): Promise<number> {
  const [row] = await db.select({ stock: products.stock }).from(products).where(eq(products.id, id))
  return row!.stock
}

async function rowCounts() {
  const count = async (table: typeof orders | typeof orderLines | typeof payments | typeof sellerOrders) =>
    (await db.select({ n: countAll }).from(table))[0]!.n
  return {
    orders: await count(orders),
    lines: await count(orderLines),
    sellerOrders: await count(sellerOrders),
    payments: await count(payments),
  }
}

/** Older tests' unpaid orders must not be released into products a later test has reset. */
async function neutralisePendingOrders() {
  await db.update(orders).set({ status: 'cancelled' }).where(eq(orders.status, 'pending_payment'))
}

function place(lines: Array<{ productId: string; qty: number }>, at: Clock = clock) {
  return placeOrder(
    db,
    { buyerUserId: consumer, buyerChannel: 'consumer', buyerRegionCode: '350102', lines, delivery },
    at,
    window,
  )
}

async function paymentOf(orderId: string) {
  const [row] = await db.select().from(payments).where(eq(payments.orderId, orderId))
  return row!
}

async function orderStatus(orderId: string) {
  const [row] = await db.select({ status: orders.status }).from(orders).where(eq(orders.id, orderId))
  return row!.status
}

describe(`orders (${testDbKind()})`, () => {
  it('prices lines with tiers, credits proceeds by the product rule, and splits by seller', async () => {
    await setProduct(db, p1, { stock: 500, priceFen: 2500n })
    await setProduct(db, p2, { stock: 500, priceFen: 1200n })
    await db.delete(priceTiers).where(inArray(priceTiers.productId, [p1, p2]))
    await db.insert(priceTiers).values([
      { productId: p1, minQty: 10, unitPriceFen: 2200n },
      { productId: p1, minQty: 50, unitPriceFen: 2000n },
    ])
    const rule1: ProceedsRule = { kind: 'basis_points', basisPoints: 1234 }
    const rule2: ProceedsRule = { kind: 'fen_per_unit', fenPerUnit: 150n }
    await db.delete(proceedsRules).where(inArray(proceedsRules.productId, [p1, p2]))
    await db.insert(proceedsRules).values([
      { productId: p1, kind: 'basis_points', basisPoints: 1234 },
      { productId: p2, kind: 'fen_per_unit', fenPerUnit: 150n },
    ])

    // p1 appears twice: 6 + 6 = 12 units reach the 10-unit tier.
    const result = await place([
      { productId: p1, qty: 6 },
      { productId: p2, qty: 3 },
      { productId: p1, qty: 6 },
    ])
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.number).toMatch(/^XF20260615-\d{6}$/)
    expect(result.paymentReference).toBe(`BT${result.number.slice(2).replace('-', '')}`)

    const lines = await db.select().from(orderLines).where(eq(orderLines.orderId, result.orderId))
    expect(lines).toHaveLength(2)
    const line1 = lines.find((l) => l.productId === p1)!
    const line2 = lines.find((l) => l.productId === p2)!
    expect(line1).toMatchObject({ qty: 12, unitPriceFen: 2200n, amountFen: 26_400n })
    expect(line1.proceedsFen).toBe(lineProceedsFen(rule1, { quantity: 12, amountFen: 26_400n }))
    expect(line2).toMatchObject({ qty: 3, unitPriceFen: 1200n, amountFen: 3600n })
    expect(line2.proceedsFen).toBe(lineProceedsFen(rule2, { quantity: 3, amountFen: 3600n }))
    expect(result.totalFen).toBe(30_000n)
    expect(result.proceedsFen).toBe(line1.proceedsFen + line2.proceedsFen)

    const [order] = await db.select().from(orders).where(eq(orders.id, result.orderId))
    expect(order).toMatchObject({
      status: 'pending_payment',
      terms: 'prepaid',
      subtotalFen: 30_000n,
      buyerChannel: 'consumer',
      delivery,
    })
    expect(order!.paymentDueAt?.getTime()).toBe(SEED_NOW.getTime() + 72 * 3_600_000)
    const payment = await paymentOf(result.orderId)
    expect(payment).toMatchObject({ provider: 'bank_transfer', amountFen: 30_000n, status: 'pending' })

    const sellerRows = await db.select().from(sellerOrders).where(eq(sellerOrders.orderId, result.orderId))
    const orgs = await db
      .select({ id: products.id, orgId: products.orgId })
      .from(products)
      .where(inArray(products.id, [p1, p2]))
    expect(sellerRows).toHaveLength(new Set(orgs.map((o) => o.orgId)).size)
    expect(sellerRows.reduce((s, r) => s + r.subtotalFen, 0n)).toBe(30_000n)
    for (const line of lines) {
      const seller = sellerRows.find((s) => s.id === line.sellerOrderId)!
      expect(seller.sellerOrgId).toBe(orgs.find((o) => o.id === line.productId)!.orgId)
    }
    expect(await stockOf(p1)).toBe(488)
    expect(await stockOf(p2)).toBe(497)
  })

  it('rejects unknown, inactive, below-minimum and out-of-stock products and writes nothing', async () => {
    await setProduct(db, p1, { stock: 50 })
    await setProduct(db, p2, { stock: 50, status: 'archived' })
    await setProduct(db, p3, { stock: 50, minOrderQty: 5 })
    await setProduct(db, p4, { stock: 3 })
    const before = await rowCounts()
    const unknown = '00000000-0000-4000-8000-000000000000'

    const cases: Array<[Array<{ productId: string; qty: number }>, string, string]> = [
      [[{ productId: unknown, qty: 1 }], unknown, 'not_found'],
      [[{ productId: 'not-a-uuid', qty: 1 }], 'not-a-uuid', 'not_found'],
      [[{ productId: p2, qty: 1 }], p2, 'inactive'],
      [[{ productId: p3, qty: 4 }], p3, 'below_minimum'],
      [[{ productId: p4, qty: 4 }], p4, 'out_of_stock'],
      // Two lines of 2 each exceed a stock of 3 together.
      [
        [
          { productId: p4, qty: 2 },
          { productId: p4, qty: 2 },
        ],
        p4,
        'out_of_stock',
      ],
    ]
    for (const [lines, productId, code] of cases) {
      // A valid line alongside: it must not be reserved either.
      const result = await place([{ productId: p1, qty: 2 }, ...lines])
      expect(result).toEqual({ ok: false, errors: [{ productId, code }] })
    }
    expect(await rowCounts()).toEqual(before)
    expect(await stockOf(p1)).toBe(50)
    expect(await stockOf(p3)).toBe(50)
    expect(await stockOf(p4)).toBe(3)
  })

  it('cancel releases the stock, only for the buyer and only while unpaid', async () => {
    await setProduct(db, p1, { stock: 40 })
    const result = await place([{ productId: p1, qty: 7 }])
    if (!result.ok) throw new Error('expected an order')
    expect(await stockOf(p1)).toBe(33)
    expect(await cancelOrder(db, { orderId: result.orderId, buyerUserId: finance }, clock)).toEqual({
      ok: false,
      reason: 'not_found',
    })
    expect(await cancelOrder(db, { orderId: result.orderId, buyerUserId: consumer }, clock)).toEqual({
      ok: true,
    })
    expect(await stockOf(p1)).toBe(40)
    expect(await orderStatus(result.orderId)).toBe('cancelled')
    expect(await cancelOrder(db, { orderId: result.orderId, buyerUserId: consumer }, clock)).toEqual({
      ok: false,
      reason: 'not_pending',
    })
    expect(await stockOf(p1)).toBe(40)
  })

  it('expire releases the stock of past-due unpaid orders only', async () => {
    await neutralisePendingOrders()
    await setProduct(db, p1, { stock: 40 })
    const early = await place([{ productId: p1, qty: 5 }], fixedClock(SEED_NOW))
    const later = await place(
      [{ productId: p1, qty: 3 }],
      fixedClock(new Date(SEED_NOW.getTime() + 3_600_000)),
    )
    if (!early.ok || !later.ok) throw new Error('expected orders')
    expect(await stockOf(p1)).toBe(32)
    const dueEarly = SEED_NOW.getTime() + 72 * 3_600_000
    expect(await expireOrders(db, fixedClock(new Date(dueEarly)))).toBe(0) // due, not yet past
    expect(await expireOrders(db, fixedClock(new Date(dueEarly + 1000)))).toBe(1)
    expect(await orderStatus(early.orderId)).toBe('expired')
    expect(await orderStatus(later.orderId)).toBe('pending_payment')
    expect(await stockOf(p1)).toBe(37)
    expect(await expireOrders(db, fixedClock(new Date(dueEarly + 1000)))).toBe(0)
    expect(await stockOf(p1)).toBe(37)
  })

  it('confirmPayment confirms, marks the order paid and calls the hook once inside the transaction', async () => {
    await setProduct(db, p1, { stock: 40 })
    const result = await place([{ productId: p1, qty: 2 }])
    if (!result.ok) throw new Error('expected an order')
    const payment = await paymentOf(result.orderId)
    const calls: Array<{ orderId: string; statusSeenInside: string }> = []
    const spy: ConfirmationHooks = {
      async onConfirmed(tx, event) {
        // Inside the transaction the order already reads as paid.
        const [row] = await tx
          .select({ status: orders.status })
          .from(orders)
          .where(eq(orders.id, event.orderId))
        calls.push({ orderId: event.orderId, statusSeenInside: row!.status })
      },
    }
    const confirmAt = fixedClock(new Date(SEED_NOW.getTime() + 3_600_000))
    expect(
      await confirmPayment(
        db,
        { paymentId: payment.id, receivedFen: result.totalFen, confirmedBy: finance },
        confirmAt,
        spy,
      ),
    ).toEqual({ ok: true, orderId: result.orderId })
    expect(calls).toEqual([{ orderId: result.orderId, statusSeenInside: 'paid' }])
    expect(await paymentOf(result.orderId)).toMatchObject({
      status: 'confirmed',
      receivedFen: result.totalFen,
      confirmedBy: finance,
      confirmedAt: confirmAt.now(),
    })
    expect(await orderStatus(result.orderId)).toBe('paid')
    // A second confirmation changes nothing and does not call the hook again.
    expect(
      await confirmPayment(
        db,
        { paymentId: payment.id, receivedFen: result.totalFen, confirmedBy: finance },
        clock,
        spy,
      ),
    ).toEqual({ ok: false, reason: 'not_pending' })
    expect(calls).toHaveLength(1)
    // A paid order cannot be cancelled.
    expect(await cancelOrder(db, { orderId: result.orderId, buyerUserId: consumer }, clock)).toEqual({
      ok: false,
      reason: 'not_pending',
    })
  })

  it('flags short and over payments without confirming them', async () => {
    await setProduct(db, p1, { stock: 40 })
    for (const delta of [-1n, 1n]) {
      const result = await place([{ productId: p1, qty: 2 }])
      if (!result.ok) throw new Error('expected an order')
      const payment = await paymentOf(result.orderId)
      const calls: string[] = []
      const received = result.totalFen + delta
      expect(
        await confirmPayment(
          db,
          { paymentId: payment.id, receivedFen: received, confirmedBy: finance },
          clock,
          {
            onConfirmed: async (_tx, e) => void calls.push(e.orderId),
          },
        ),
      ).toEqual({ ok: false, reason: 'amount_mismatch' })
      expect(calls).toEqual([])
      expect(await paymentOf(result.orderId)).toMatchObject({
        status: 'flagged',
        receivedFen: received,
        confirmedAt: null,
      })
      expect(await orderStatus(result.orderId)).toBe('pending_payment')
    }
  })

  it('a throwing hook rolls the confirmation back', async () => {
    await setProduct(db, p1, { stock: 40 })
    const result = await place([{ productId: p1, qty: 2 }])
    if (!result.ok) throw new Error('expected an order')
    const payment = await paymentOf(result.orderId)
    const failing: ConfirmationHooks = {
      async onConfirmed() {
        throw new Error('ledger unavailable')
      },
    }
    await expect(
      confirmPayment(
        db,
        { paymentId: payment.id, receivedFen: result.totalFen, confirmedBy: finance },
        clock,
        failing,
      ),
    ).rejects.toThrow('ledger unavailable')
    expect(await paymentOf(result.orderId)).toMatchObject({
      status: 'pending',
      receivedFen: null,
      confirmedAt: null,
    })
    expect(await orderStatus(result.orderId)).toBe('pending_payment')
    // The default hook (the ledger's, empty for now) confirms it.
    expect(
      await confirmPayment(
        db,
        { paymentId: payment.id, receivedFen: result.totalFen, confirmedBy: finance },
        clock,
      ),
    ).toEqual({ ok: true, orderId: result.orderId })
  })

  /**
   * 200 buyers submit a single-unit order for a product with 100 in stock, all at once. Exactly 100 get one;
   * the rest are told it is out of stock; the stock ends at 0, never below. Returns what PostgreSQL showed while
   * they ran (nothing on PGlite, which has no other sessions to watch).
   */
  async function twoHundredBuyersForAStockOf100() {
    await setProduct(db, p4, { stock: 100 })
    // On the server, watch PostgreSQL itself: how many of our sessions were busy at once, and whether any waited
    // on a row lock (the product row every order locks).
    let watching = true
    let maxBusySessions = 0
    let sawLockWait = false
    const watcher =
      handle.driver === 'postgres'
        ? (async () => {
            const connection = await handle.client.reserve()
            try {
              while (watching) {
                const [row] = await connection<Array<{ busy: number; waiting: number }>>`
                  select count(*) filter (where state <> 'idle')::int as busy,
                         count(*) filter (where wait_event_type = 'Lock')::int as waiting
                  from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`
                maxBusySessions = Math.max(maxBusySessions, row?.busy ?? 0)
                if ((row?.waiting ?? 0) > 0) sawLockWait = true
                await new Promise((resolve) => setTimeout(resolve, 2))
              }
            } finally {
              connection.release()
            }
          })()
        : Promise.resolve()
    const results = await Promise.all(Array.from({ length: 200 }, () => place([{ productId: p4, qty: 1 }])))
    watching = false
    await watcher
    const succeeded = results.filter((r) => r.ok)
    expect(succeeded).toHaveLength(100)
    for (const r of results) if (!r.ok) expect(r.errors).toEqual([{ productId: p4, code: 'out_of_stock' }])
    expect(await stockOf(p4)).toBe(0)
    const [negative] = await db
      .select({ n: countAll })
      .from(products)
      .where(sql`${products.stock} < 0`)
    expect(negative!.n).toBe(0)
    const ids = succeeded.map((r) => (r.ok ? r.orderId : ''))
    const [ordered] = await db
      .select({ qty: sql<string>`coalesce(sum(${orderLines.qty}), 0)::text` })
      .from(orderLines)
      .where(inArray(orderLines.orderId, ids))
    expect(Number(ordered!.qty)).toBe(100)
    return { maxBusySessions, sawLockWait }
  }

  // The race itself can only happen on the server: PGlite has one connection, so there the 200 orders, submitted
  // at once, run one after another — the test says so in its name, and proves the stock rules, not the locking.
  if (testDbKind() === 'server') {
    it('never oversells: 200 concurrent single-unit orders for a stock of 100, overlapping on pooled connections and queueing on the product lock', async () => {
      const { maxBusySessions, sawLockWait } = await twoHundredBuyersForAStockOf100()
      // The transactions really overlapped in the database and waited for the product row's lock.
      expect(maxBusySessions).toBeGreaterThan(1)
      expect(sawLockWait).toBe(true)
    })
  } else {
    it('never oversells: 200 single-unit orders for a stock of 100, submitted at once and run one after another on PGlite’s single connection', async () => {
      await twoHundredBuyersForAStockOf100()
    })
  }

  it('matches an in-memory model over random place / cancel / confirm / expire sequences', async () => {
    const modelProducts = [p1, p2, p3]
    const initialStock = 6
    type Op =
      | { kind: 'place'; product: number; qty: number }
      | { kind: 'cancel'; order: number }
      | { kind: 'confirm'; order: number; exact: boolean }
      | { kind: 'expire'; advanceMinutes: number }
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({
        kind: fc.constant('place' as const),
        product: fc.nat(2),
        qty: fc.integer({ min: 1, max: 4 }),
      }),
      fc.record({ kind: fc.constant('cancel' as const), order: fc.nat(7) }),
      fc.record({ kind: fc.constant('confirm' as const), order: fc.nat(7), exact: fc.boolean() }),
      fc.record({ kind: fc.constant('expire' as const), advanceMinutes: fc.integer({ min: 0, max: 180 }) }),
    )
    let runStart = SEED_NOW.getTime()

    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 8 }), async (ops) => {
        await neutralisePendingOrders()
        for (const id of modelProducts) await setProduct(db, id, { stock: initialStock })
        // Each run starts a day after the last, so nothing of an earlier run is past due by accident.
        runStart += 86_400_000
        let now = runStart
        const at: Clock = { now: () => new Date(now) }
        const stock = modelProducts.map(() => initialStock)
        const placed: Array<{
          id: string
          paymentId: string
          totalFen: bigint
          product: number
          qty: number
          dueAt: number
          status: 'pending_payment' | 'paid' | 'cancelled' | 'expired'
        }> = []

        for (const step of ops) {
          if (step.kind === 'place') {
            const result = await placeOrder(
              db,
              {
                buyerUserId: consumer,
                buyerChannel: 'consumer',
                buyerRegionCode: '350102',
                lines: [{ productId: modelProducts[step.product]!, qty: step.qty }],
                delivery,
              },
              at,
              bankTransfer({ account: testAccount, windowHours: 2 }),
            )
            const fits = stock[step.product]! >= step.qty
            expect(result.ok).toBe(fits)
            if (result.ok) {
              stock[step.product]! -= step.qty
              const payment = await paymentOf(result.orderId)
              placed.push({
                id: result.orderId,
                paymentId: payment.id,
                totalFen: result.totalFen,
                product: step.product,
                qty: step.qty,
                dueAt: now + 2 * 3_600_000,
                status: 'pending_payment',
              })
            }
          } else if (step.kind === 'cancel') {
            const order = placed[step.order]
            if (!order) continue
            const result = await cancelOrder(db, { orderId: order.id, buyerUserId: consumer }, at)
            if (order.status === 'pending_payment') {
              expect(result).toEqual({ ok: true })
              order.status = 'cancelled'
              stock[order.product]! += order.qty
            } else expect(result).toEqual({ ok: false, reason: 'not_pending' })
          } else if (step.kind === 'confirm') {
            const order = placed[step.order]
            if (!order) continue
            const received = step.exact ? order.totalFen : order.totalFen - 1n
            const result = await confirmPayment(
              db,
              { paymentId: order.paymentId, receivedFen: received, confirmedBy: finance },
              at,
            )
            if (order.status === 'paid') expect(result).toEqual({ ok: false, reason: 'not_pending' })
            else if (!step.exact) expect(result).toEqual({ ok: false, reason: 'amount_mismatch' })
            else if (order.status !== 'pending_payment')
              expect(result).toEqual({ ok: false, reason: 'not_pending' })
            else {
              expect(result).toEqual({ ok: true, orderId: order.id })
              order.status = 'paid'
            }
          } else {
            now += step.advanceMinutes * 60_000
            const expired = placed.filter((o) => o.status === 'pending_payment' && o.dueAt < now)
            expect(await expireOrders(db, at)).toBe(expired.length)
            for (const o of expired) {
              o.status = 'expired'
              stock[o.product]! += o.qty
            }
          }
        }

        const dbStock = await db
          .select({ id: products.id, stock: products.stock })
          .from(products)
          .where(inArray(products.id, modelProducts))
        expect(modelProducts.map((id) => dbStock.find((r) => r.id === id)!.stock)).toEqual(stock)
        if (placed.length > 0) {
          const statuses = await db
            .select({ id: orders.id, status: orders.status })
            .from(orders)
            .where(
              inArray(
                orders.id,
                placed.map((o) => o.id),
              ),
            )
          expect(placed.map((o) => statuses.find((s) => s.id === o.id)!.status)).toEqual(
            placed.map((o) => o.status),
          )
        }
      }),
      fcParams(),
    )
  }, 120_000)
})
