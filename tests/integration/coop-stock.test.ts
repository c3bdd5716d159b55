import { eq, inArray, sql } from 'drizzle-orm'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { adjustStock, listStockMovements } from '../../app/domains/catalog/index.server'
import { placeOrder } from '../../app/domains/orders/orders.server'
import { type Clock, fixedClock } from '../../app/utils/clock'
import { countAll, type Db, type DbHandle } from '../../db/client.server'
import { products, stockMovements } from '../../db/schema/catalog'
import { orderLines, orders } from '../../db/schema/orders'
import { demo, productId } from '../support/coop'
import { openTestDatabase, testDbKind } from '../support/db'
import { fcParams } from '../support/fast-check'
import { setProduct, testBankTransfer } from '../support/shopping'
import { SEED_NOW } from '../support/test-clock'

let handle: DbHandle
let db: Db
let time = SEED_NOW.getTime()
const clock: Clock = { now: () => new Date((time += 1000)) }

const admin = { orgId: demo.minxian, actorUserId: demo.coopAdmin }
const staff = { orgId: demo.minxian, actorUserId: demo.coopStaff }
/** 岷县's products (the minxian cooperative's). */
const [mx30, mx31, mx32] = ['PRD030', 'PRD031', 'PRD032'].map(productId) as [string, string, string]

beforeAll(async () => {
  handle = await openTestDatabase('seeded', { poolSize: 12 })
  db = handle.db
})

async function stockOf(id: string): Promise<number> {
  const [row] = await db.select({ stock: products.stock }).from(products).where(eq(products.id, id))
  return row!.stock
}

function checkout(id: string, qty: number, at: Clock = fixedClock(SEED_NOW)) {
  return placeOrder(
    db,
    {
      buyerUserId: demo.consumer,
      buyerChannel: 'consumer',
      buyerRegionCode: '350102',
      lines: [{ productId: id, qty }],
      delivery: {
        recipient: '张三',
        phone: '13800000000',
        regionPath: '福建省 福州市 鼓楼区',
        address: '演示路 1 号',
      },
    },
    at,
    testBankTransfer,
  )
}

describe(`stock adjustments (${testDbKind()})`, () => {
  it('restock adds, loss takes away (never below zero), stocktake sets the count; each is in the history', async () => {
    await setProduct(db, mx30, { stock: 20 })
    const adjust = (kind: string, quantity: string, note?: string, actor = admin) =>
      adjustStock(db, { ...actor, productId: mx30, kind, quantity, note }, clock)

    expect(await adjust('restock', '15', '新收当归入库')).toMatchObject({ ok: true, stock: 35, change: 15 })
    expect(await adjust('loss', '36')).toEqual({
      ok: false,
      error: 'insufficient',
      available: 35,
      errors: { quantity: ['stock.error.loss.exceedsStock'] },
    })
    expect(await adjust('loss', '5', '运输破损', staff)).toMatchObject({ ok: true, stock: 30, change: -5 })
    expect(await adjust('stocktake', '27', '月末盘点')).toMatchObject({ ok: true, stock: 27, change: -3 })
    expect(await adjust('stocktake', '27')).toMatchObject({ ok: true, stock: 27, change: 0 })
    expect(await adjust('loss', '27')).toMatchObject({ ok: true, stock: 0, change: -27 })
    expect(await adjust('restock', '0')).toEqual({
      ok: false,
      error: 'invalid',
      errors: { quantity: ['stock.error.quantity.range'] },
    })
    expect(await adjust('restock', '2.5')).toEqual({
      ok: false,
      error: 'invalid',
      errors: { quantity: ['stock.error.quantity.invalid'] },
    })
    expect(await adjust('sold', '1')).toEqual({
      ok: false,
      error: 'invalid',
      errors: { kind: ['stock.error.kind.required'] },
    })
    expect(await stockOf(mx30)).toBe(0)

    const history = await listStockMovements(db, { ...admin, productId: mx30 })
    expect(history!.total).toBe(5)
    expect(history!.items.map((m) => [m.kind, m.change, m.stockAfter, m.note, m.actorName])).toEqual([
      ['loss', -27, 0, '', '演示合作社管理员'],
      ['stocktake', 0, 27, '', '演示合作社管理员'],
      ['stocktake', -3, 27, '月末盘点', '演示合作社管理员'],
      ['loss', -5, 30, '运输破损', '演示合作社员工'],
      ['restock', 15, 35, '新收当归入库', '演示合作社管理员'],
    ])
  })

  it('a cooperative never sees or changes another’s stock', async () => {
    const theirs = productId('PRD001') // 安定区's
    const before = await stockOf(theirs)
    expect(
      await adjustStock(db, { ...admin, productId: theirs, kind: 'restock', quantity: '10' }, clock),
    ).toEqual({ ok: false, error: 'not_found' })
    // Naming the other cooperative as the one acted for does not help a non-member.
    expect(
      await adjustStock(
        db,
        { orgId: demo.anding, actorUserId: demo.coopAdmin, productId: theirs, kind: 'loss', quantity: '1' },
        clock,
      ),
    ).toEqual({ ok: false, error: 'not_found' })
    expect(await listStockMovements(db, { ...admin, productId: theirs })).toBeNull()
    expect(
      await listStockMovements(db, { orgId: demo.anding, actorUserId: demo.coopAdmin, productId: theirs }),
    ).toBeNull()
    expect(await stockOf(theirs)).toBe(before)
    const [moved] = await db
      .select({ n: countAll })
      .from(stockMovements)
      .where(eq(stockMovements.productId, theirs))
    expect(moved!.n).toBe(0)
  })

  it('adjustments racing 50 concurrent checkouts never leave stock negative and never lose an update', async () => {
    await db.update(orders).set({ status: 'cancelled' }).where(eq(orders.status, 'pending_payment'))
    const initial = 40
    await setProduct(db, mx31, { stock: initial })
    const [movementsBefore] = await db
      .select({ n: countAll })
      .from(stockMovements)
      .where(eq(stockMovements.productId, mx31))
    const adjust = (kind: string, quantity: number) =>
      adjustStock(db, { ...admin, productId: mx31, kind, quantity: String(quantity) }, clock)

    let inFlight = 0
    let maxInFlight = 0
    const tracked = async <T>(work: () => Promise<T>): Promise<T> => {
      inFlight++
      maxInFlight = Math.max(maxInFlight, inFlight)
      try {
        return await work()
      } finally {
        inFlight--
      }
    }
    // 50 checkouts of 1–2 units (75 wanted, more than there is), interleaved with restocks, losses and a stocktake,
    // all started at once.
    const adjustments = new Map<number, [string, number]>([
      [5, ['restock', 10]],
      [15, ['loss', 3]],
      [25, ['stocktake', 12]],
      [35, ['restock', 20]],
      [45, ['loss', 1]],
    ])
    const checkouts: Array<ReturnType<typeof checkout>> = []
    const adjusting: Array<ReturnType<typeof adjust>> = []
    for (let i = 0; i < 50; i++) {
      const adjustment = adjustments.get(i)
      if (adjustment) adjusting.push(tracked(() => adjust(...adjustment)))
      checkouts.push(tracked(() => checkout(mx31, 1 + (i % 2))))
    }
    const [orderResults, adjustResults] = await Promise.all([Promise.all(checkouts), Promise.all(adjusting)])

    const final = await stockOf(mx31)
    expect(final).toBeGreaterThanOrEqual(0)
    // A checkout either went through or found too little stock; nothing else.
    for (const r of orderResults)
      if (!r.ok) expect(r.errors).toEqual([{ productId: mx31, code: 'out_of_stock' }])
    // An adjustment either went through or was a loss larger than the shelf at its turn.
    for (const r of adjustResults) if (!r.ok) expect(r).toMatchObject({ error: 'insufficient' })
    const placed = orderResults.flatMap((r) => (r.ok ? [r.orderId] : []))
    const [sold] = await db
      .select({ qty: sql<string>`coalesce(sum(${orderLines.qty}), 0)::text` })
      .from(orderLines)
      .where(placed.length > 0 ? inArray(orderLines.orderId, placed) : sql`false`)
    const movements = await db
      .select({
        kind: stockMovements.kind,
        change: stockMovements.change,
        stockAfter: stockMovements.stockAfter,
      })
      .from(stockMovements)
      .where(eq(stockMovements.productId, mx31))
    // Every adjustment that went through is one movement.
    expect(movements.length - movementsBefore!.n).toBe(adjustResults.filter((r) => r.ok).length)
    const changes = adjustResults.reduce((sum, r) => sum + (r.ok ? r.change : 0), 0)
    // No update lost: the stock is the start, plus every adjustment's change (a stocktake's change computed under
    // the lock), minus what was sold.
    expect(final).toBe(initial + changes - Number(sold!.qty))
    // The stocktake set the count exactly, whatever the orders around it did.
    expect(movements.find((m) => m.kind === 'stocktake')?.stockAfter).toBe(12)
    expect(placed.length).toBeGreaterThan(0)
    const [negative] = await db
      .select({ n: countAll })
      .from(products)
      .where(sql`${products.stock} < 0`)
    expect(negative!.n).toBe(0)
    if (handle.driver === 'postgres') expect(maxInFlight).toBeGreaterThan(1)
  }, 120_000)

  it('matches a model over random sequences of adjustments and orders', async () => {
    type Step =
      | { kind: 'restock' | 'loss' | 'stocktake'; quantity: number }
      | { kind: 'order'; quantity: number }
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ kind: fc.constant('restock' as const), quantity: fc.integer({ min: 1, max: 30 }) }),
      fc.record({ kind: fc.constant('loss' as const), quantity: fc.integer({ min: 1, max: 30 }) }),
      fc.record({ kind: fc.constant('stocktake' as const), quantity: fc.integer({ min: 0, max: 30 }) }),
      fc.record({ kind: fc.constant('order' as const), quantity: fc.integer({ min: 1, max: 8 }) }),
    )
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 20 }),
        fc.array(step, { maxLength: 10 }),
        async (initial, steps) => {
          await db.update(orders).set({ status: 'cancelled' }).where(eq(orders.status, 'pending_payment'))
          await setProduct(db, mx32, { stock: initial })
          let stock = initial
          for (const s of steps) {
            if (s.kind === 'order') {
              const result = await checkout(mx32, s.quantity)
              expect(result.ok).toBe(stock >= s.quantity)
              if (result.ok) stock -= s.quantity
              continue
            }
            const result = await adjustStock(
              db,
              { ...admin, productId: mx32, kind: s.kind, quantity: String(s.quantity) },
              clock,
            )
            const expected =
              s.kind === 'restock' ? stock + s.quantity : s.kind === 'loss' ? stock - s.quantity : s.quantity
            if (expected < 0) {
              expect(result).toMatchObject({ ok: false, error: 'insufficient', available: stock })
            } else {
              expect(result).toMatchObject({ ok: true, stock: expected, change: expected - stock })
              stock = expected
            }
          }
          expect(await stockOf(mx32)).toBe(stock)
        },
      ),
      fcParams(),
    )
  }, 300_000)
})
