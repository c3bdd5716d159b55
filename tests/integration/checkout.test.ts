import { and, eq, inArray, like } from 'drizzle-orm'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { cartLineCount, cartLinesOf, changeCart } from '../../app/domains/orders/cart.server'
import { checkoutForm } from '../../app/domains/orders/checkout-forms'
import { checkoutCart, type CheckoutResult } from '../../app/domains/orders/checkout.server'
import { confirmBankTransfer } from '../../app/domains/payments/finance.server'
import { runBackgroundJobs } from '../../app/domains/operations/jobs.server'
import {
  getBuyerOrder,
  listBankTransfers,
  listBuyerOrders,
  type PaymentQueueFilter,
} from '../../app/domains/orders/order-views.server'
import { cancelOrder, expireOrders } from '../../app/domains/orders/orders.server'
import { resetSearchIndex } from '../../app/domains/search/search.server'
import { bankTransfer } from '../../app/domains/payments/methods.server'
import { type Clock, fixedClock } from '../../app/utils/clock'
import { makeUscc } from '../../app/utils/uscc'
import { countAll, type Db, type DbHandle } from '../../db/client.server'
import { auditEvents } from '../../db/schema/audit'
import { priceTiers, products } from '../../db/schema/catalog'
import { proceedsRules } from '../../db/schema/households'
import { carts, orderLines, orders, payments, sellerOrders } from '../../db/schema/orders'
import { seedUuid } from '../../db/seed/synthetic'
import { openTestDatabase, testDbKind } from '../support/db'
import { setProduct } from '../support/shopping'
import { fcParams } from '../support/fast-check'
import { SEED_NOW } from '../support/test-clock'

const consumer = seedUuid('user:consumer@demo.example')
const otherBuyer = seedUuid('user:buyer@gulou.demo.example')
const finance = seedUuid('user:finance@demo.example')
const [pA, pB, pC] = ['PRD001', 'PRD002', 'PRD003'].map((k) => seedUuid(`product:${k}`)) as [
  string,
  string,
  string,
]
const clock = fixedClock(SEED_NOW)
const testAccount = { accountName: '测试平台', bankName: '测试银行', accountNumber: '0000 0000', demo: true }
const method = bankTransfer({ account: testAccount, windowHours: 72 })
const HOUR = 3_600_000
const taxId = makeUscc({ authority: '9', kind: '1', regionCode: '350102', orgBody8: 'MA2Y3K7D' })

let handle: DbHandle
let db: Db
let orgOf: Map<string, string>

beforeAll(async () => {
  handle = await openTestDatabase('seeded', { poolSize: 10 })
  db = handle.db
  const rows = await db
    .select({ id: products.id, orgId: products.orgId })
    .from(products)
    .where(inArray(products.id, [pA, pB, pC]))
  orgOf = new Map(rows.map((r) => [r.id, r.orgId]))
  // pA and pB: two cooperatives; pC: pA's cooperative again.
  expect(orgOf.get(pA)).toBeDefined()
  expect(orgOf.get(pA)).not.toBe(orgOf.get(pB))
  expect(orgOf.get(pC)).toBe(orgOf.get(pA))
  // Fixed prices, no tiers, no proceeds rules unless a test sets them.
  await db.delete(priceTiers).where(inArray(priceTiers.productId, [pA, pB, pC]))
  await db.delete(proceedsRules).where(inArray(proceedsRules.productId, [pA, pB, pC]))
})

function form(values: Record<string, unknown> = {}) {
  return checkoutForm.parse({
    recipient: '张三',
    phone: '+86 138 0013 8000',
    regionCode: '350102',
    address: '演示路1号',
    ...values,
  })
}

async function stocks(ids: readonly string[]): Promise<number[]> {
  const rows = await db
    .select({ id: products.id, stock: products.stock })
    .from(products)
    .where(inArray(products.id, [...ids]))
  return ids.map((id) => rows.find((r) => r.id === id)!.stock)
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

async function emptyCart(userId: string) {
  await db.delete(carts).where(eq(carts.userId, userId))
}

async function fillCart(userId: string, lines: Array<[string, number]>) {
  await emptyCart(userId)
  for (const [productId, qty] of lines) {
    const result = await changeCart(db, { userId }, { kind: 'add', productId, qty })
    if (!result.ok) throw new Error(`could not add ${productId}: ${result.error.code}`)
  }
}

/** Older tests' unpaid orders must not be released into products a later test has reset. */
async function neutralisePendingOrders() {
  await db.update(orders).set({ status: 'cancelled' }).where(eq(orders.status, 'pending_payment'))
}

async function paymentOf(orderId: string) {
  const [row] = await db.select().from(payments).where(eq(payments.orderId, orderId))
  return row!
}

async function orderRow(orderId: string) {
  const [row] = await db.select().from(orders).where(eq(orders.id, orderId))
  return row!
}

async function auditOf(paymentId: string) {
  return db
    .select({
      action: auditEvents.action,
      actorUserId: auditEvents.actorUserId,
      subjectType: auditEvents.subjectType,
      details: auditEvents.details,
    })
    .from(auditEvents)
    .where(eq(auditEvents.subjectId, paymentId))
    .orderBy(auditEvents.seq)
}

/** A pending order of `lines` for the consumer, placed through the cart. */
async function orderOf(lines: Array<[string, number]>, at: Clock = clock, userId = consumer) {
  await fillCart(userId, lines)
  const result = await checkoutCart(db, { userId, form: form() }, at, method)
  if (!result.ok) throw new Error(`checkout failed: ${JSON.stringify(result)}`)
  const payment = await paymentOf(result.orderId)
  return { ...result, paymentId: payment.id, reference: payment.reference, amountFen: payment.amountFen }
}

describe(`checkout (${testDbKind()})`, () => {
  it('turns the cart into one order with a seller order per cooperative, and empties the cart', async () => {
    await setProduct(db, pA, { stock: 20, priceFen: 2500n })
    await setProduct(db, pB, { stock: 10, priceFen: 1200n })
    await fillCart(consumer, [
      [pA, 3],
      [pB, 2],
    ])
    await fillCart(otherBuyer, [[pA, 1]])

    const invoiceForm = form({ invoiceKind: 'company', invoiceTitle: '某某有限公司', taxId })
    const result = await checkoutCart(db, { userId: consumer, form: invoiceForm }, clock, method)
    expect(result).toMatchObject({ ok: true, number: expect.stringMatching(/^XF20260615-\d{6}$/) })
    if (!result.ok) return

    const order = await orderRow(result.orderId)
    expect(order).toMatchObject({
      buyerUserId: consumer,
      buyerChannel: 'consumer',
      buyerRegionCode: '350102',
      status: 'pending_payment',
      subtotalFen: 3n * 2500n + 2n * 1200n,
      delivery: {
        recipient: '张三',
        phone: '13800138000',
        regionCode: '350102',
        regionPath: '福建省 福州市 鼓楼区',
        address: '演示路1号',
      },
      invoice: { kind: 'company', title: '某某有限公司', taxId },
    })
    expect(order.paymentDueAt?.getTime()).toBe(SEED_NOW.getTime() + 72 * HOUR)
    const sellerRows = await db.select().from(sellerOrders).where(eq(sellerOrders.orderId, result.orderId))
    expect(sellerRows.map((s) => [s.sellerOrgId, s.subtotalFen]).sort()).toEqual(
      [
        [orgOf.get(pA), 7500n],
        [orgOf.get(pB), 2400n],
      ].sort(),
    )
    const lines = await db.select().from(orderLines).where(eq(orderLines.orderId, result.orderId))
    expect(lines.map((l) => [l.productId, l.qty]).sort()).toEqual(
      [
        [pA, 3],
        [pB, 2],
      ].sort(),
    )
    expect(await paymentOf(result.orderId)).toMatchObject({
      provider: 'bank_transfer',
      amountFen: 9900n,
      status: 'pending',
    })
    expect(await stocks([pA, pB])).toEqual([17, 8])
    expect(await cartLinesOf(db, consumer)).toEqual([])
    expect(await cartLineCount(db, { userId: consumer })).toBe(0)
    // Someone else's cart is not touched.
    expect(await cartLinesOf(db, otherBuyer)).toEqual([{ productId: pA, qty: 1 }])

    // What the buyer then sees.
    const detail = await getBuyerOrder(db, { userId: consumer, orderId: result.orderId }, method)
    expect(detail).toMatchObject({
      number: result.number,
      status: 'pending_payment',
      totalFen: 9900,
      sellerCount: 2,
      canCancel: true,
      invoice: { kind: 'company', title: '某某有限公司', taxId },
      payment: { provider: 'bank_transfer', amountFen: 9900, status: 'pending', receivedFen: null },
      credited: null,
      instructions: {
        kind: 'bank_transfer',
        account: testAccount,
        reference: `BT${result.number.slice(2).replace('-', '')}`,
        amountFen: 9900,
      },
    })
    expect(detail!.sellers.map((s) => s.subtotalFen).sort()).toEqual([2400, 7500])
    expect(detail!.sellers.flatMap((s) => s.lines.map((l) => [l.qty, l.amountFen])).sort()).toEqual([
      [2, 2400],
      [3, 7500],
    ])
    expect(detail!.timeline.map((s) => [s.key, s.current])).toEqual([
      ['placed', false],
      ['awaiting_payment', true],
    ])
    const list = await listBuyerOrders(db, consumer, { page: 1, pageSize: 10 })
    expect(list.items[0]).toMatchObject({ id: result.orderId, sellerCount: 2, totalFen: 9900 })
    expect(list.items[0]!.itemNames).toHaveLength(2)
    expect((await listBuyerOrders(db, otherBuyer, { page: 1, pageSize: 10 })).total).toBe(0)

    // Another user's order does not exist for them; neither does a malformed id.
    expect(await getBuyerOrder(db, { userId: otherBuyer, orderId: result.orderId }, method)).toBeNull()
    expect(await getBuyerOrder(db, { userId: consumer, orderId: 'nope' }, method)).toBeNull()

    // A second click on "place order": the cart is empty, nothing more is ordered.
    const before = await rowCounts()
    expect(await checkoutCart(db, { userId: consumer, form: form() }, clock, method)).toEqual({
      ok: false,
      reason: 'empty_cart',
    })
    expect(await rowCounts()).toEqual(before)
    expect(await stocks([pA, pB])).toEqual([17, 8])
  })

  it('orders a double-clicked checkout only once, even when both run at the same time', async () => {
    await setProduct(db, pA, { stock: 20, priceFen: 2500n })
    await setProduct(db, pB, { stock: 10, priceFen: 1200n })
    await fillCart(consumer, [
      [pA, 2],
      [pB, 1],
    ])
    const before = await rowCounts()
    const results = await Promise.all(
      [1, 2, 3].map(() => checkoutCart(db, { userId: consumer, form: form() }, clock, method)),
    )
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    expect(results.filter((r) => !r.ok)).toEqual([
      { ok: false, reason: 'empty_cart' },
      { ok: false, reason: 'empty_cart' },
    ])
    expect((await rowCounts()).orders).toBe(before.orders + 1)
    expect(await stocks([pA, pB])).toEqual([18, 9])
  })

  it('stores a personal invoice titled with the recipient, and none when none is wanted', async () => {
    await setProduct(db, pA, { stock: 20 })
    await fillCart(consumer, [[pA, 1]])
    const personal = await checkoutCart(
      db,
      { userId: consumer, form: form({ invoiceKind: 'personal', invoiceEmail: 'zs@example.com' }) },
      clock,
      method,
    )
    if (!personal.ok) throw new Error('expected an order')
    expect((await orderRow(personal.orderId)).invoice).toEqual({
      kind: 'personal',
      title: '张三',
      email: 'zs@example.com',
    })
    await fillCart(consumer, [[pA, 1]])
    const none = await checkoutCart(db, { userId: consumer, form: form() }, clock, method)
    if (!none.ok) throw new Error('expected an order')
    expect((await orderRow(none.orderId)).invoice).toBeNull()
  })

  it('delivers to a county or a city without counties; anything else is a region error that writes nothing', async () => {
    await setProduct(db, pA, { stock: 20 })
    await setProduct(db, pB, { stock: 10 })
    const cart: Array<[string, number]> = [
      [pA, 2],
      [pB, 1],
    ]
    await fillCart(consumer, cart)
    const cartBefore = await cartLinesOf(db, consumer)
    const before = await rowCounts()
    for (const regionCode of ['350000', '350100', '999999', '620000']) {
      expect(
        await checkoutCart(db, { userId: consumer, form: form({ regionCode }) }, clock, method),
        regionCode,
      ).toEqual({ ok: false, reason: 'region' })
    }
    expect(await rowCounts()).toEqual(before)
    expect(await cartLinesOf(db, consumer)).toEqual(cartBefore)
    expect(await stocks([pA, pB])).toEqual([20, 10])

    // 东莞市 has no counties: it is the lowest level there.
    const dongguan = await checkoutCart(
      db,
      { userId: consumer, form: form({ regionCode: '441900' }) },
      clock,
      method,
    )
    if (!dongguan.ok) throw new Error(`expected an order: ${JSON.stringify(dongguan)}`)
    expect(await orderRow(dongguan.orderId)).toMatchObject({
      buyerRegionCode: '441900',
      delivery: { regionCode: '441900', regionPath: '广东省 东莞市' },
    })
  })

  it('refuses a cart the stock no longer covers and leaves cart and stock as they were', async () => {
    await setProduct(db, pA, { stock: 20 })
    await setProduct(db, pB, { stock: 10 })
    await fillCart(consumer, [
      [pA, 3],
      [pB, 2],
    ])
    const cartBefore = await cartLinesOf(db, consumer)
    const before = await rowCounts()

    // The refused lines come back named (the page says which products), from the one read of the cart.
    const names = new Map(
      (
        await db
          .select({ id: products.id, name: products.name })
          .from(products)
          .where(inArray(products.id, [pA, pB]))
      ).map((p) => [p.id, p.name]),
    )
    const nameOf = (id: string) => names.get(id)!

    // Another buyer took most of pB since it was added.
    await setProduct(db, pB, { stock: 1 })
    expect(await checkoutCart(db, { userId: consumer, form: form() }, clock, method)).toEqual({
      ok: false,
      reason: 'lines',
      errors: [{ productId: pB, code: 'out_of_stock', name: nameOf(pB) }],
    })
    // …and the cooperative took pA off sale.
    await setProduct(db, pA, { stock: 20, status: 'archived' })
    const both = (await checkoutCart(db, { userId: consumer, form: form() }, clock, method)) as Extract<
      CheckoutResult,
      { reason: 'lines' }
    >
    expect(both.reason).toBe('lines')
    expect([...both.errors].sort((x, y) => x.productId.localeCompare(y.productId))).toEqual(
      [
        { productId: pA, code: 'inactive', name: nameOf(pA) },
        { productId: pB, code: 'out_of_stock', name: nameOf(pB) },
      ].sort((x, y) => x.productId.localeCompare(y.productId)),
    )
    // A minimum raised since.
    await setProduct(db, pA, { stock: 20, minOrderQty: 5 })
    await setProduct(db, pB, { stock: 10 })
    expect(await checkoutCart(db, { userId: consumer, form: form() }, clock, method)).toEqual({
      ok: false,
      reason: 'lines',
      errors: [{ productId: pA, code: 'below_minimum', name: nameOf(pA) }],
    })

    expect(await rowCounts()).toEqual(before)
    expect(await cartLinesOf(db, consumer)).toEqual(cartBefore)
    expect(await stocks([pA, pB])).toEqual([20, 10])

    // Once the buyer fixes the cart, the same checkout goes through.
    await changeCart(db, { userId: consumer }, { kind: 'set', productId: pA, qty: 5 })
    const fixed = await checkoutCart(db, { userId: consumer, form: form() }, clock, method)
    expect(fixed.ok).toBe(true)
    expect(await stocks([pA, pB])).toEqual([15, 8])
  })

  it('an empty cart orders nothing', async () => {
    const before = await rowCounts()
    await emptyCart(otherBuyer)
    expect(await checkoutCart(db, { userId: otherBuyer, form: form() }, clock, method)).toEqual({
      ok: false,
      reason: 'empty_cart',
    })
    // A cart emptied line by line.
    await setProduct(db, pA, { stock: 20 })
    await fillCart(otherBuyer, [[pA, 1]])
    await changeCart(db, { userId: otherBuyer }, { kind: 'remove', productId: pA })
    expect(await checkoutCart(db, { userId: otherBuyer, form: form() }, clock, method)).toEqual({
      ok: false,
      reason: 'empty_cart',
    })
    expect(await rowCounts()).toEqual(before)
  })

  it('finance confirms an exact bank transfer: the order is paid and the confirmation audited', async () => {
    await setProduct(db, pA, { stock: 20, priceFen: 2500n })
    await setProduct(db, pB, { stock: 10, priceFen: 1200n })
    const order = await orderOf([
      [pA, 1],
      [pB, 1],
    ])
    expect(order.amountFen).toBe(3700n)
    const at = fixedClock(new Date(SEED_NOW.getTime() + 5 * HOUR))
    expect(
      await confirmBankTransfer(
        db,
        { paymentId: order.paymentId, receivedFen: 3700n, financeUserId: finance },
        at,
      ),
    ).toEqual({ ok: true, orderId: order.orderId })
    expect(await orderRow(order.orderId)).toMatchObject({ status: 'paid', paidAt: at.now() })
    expect(await paymentOf(order.orderId)).toMatchObject({
      status: 'confirmed',
      receivedFen: 3700n,
      confirmedBy: finance,
    })
    const sellerStatuses = await db
      .select({ status: sellerOrders.status })
      .from(sellerOrders)
      .where(eq(sellerOrders.orderId, order.orderId))
    expect(sellerStatuses.map((s) => s.status)).toEqual(['paid', 'paid'])
    expect(await auditOf(order.paymentId)).toEqual([
      {
        action: 'payment.confirmed',
        actorUserId: finance,
        subjectType: 'payment',
        details: { receivedFen: '3700' },
      },
    ])

    // The buyer sees it paid, with no payment instructions and no cancel button.
    const detail = await getBuyerOrder(db, { userId: consumer, orderId: order.orderId }, method)
    expect(detail).toMatchObject({ status: 'paid', instructions: null, canCancel: false })
    expect(detail!.timeline.map((s) => [s.key, s.current])).toEqual([
      ['placed', false],
      ['paid', true],
    ])
    // Confirming again changes nothing and audits nothing.
    expect(
      await confirmBankTransfer(
        db,
        { paymentId: order.paymentId, receivedFen: 3700n, financeUserId: finance },
        at,
      ),
    ).toEqual({ ok: false, reason: 'not_pending' })
    expect(await auditOf(order.paymentId)).toHaveLength(1)
    // A paid order keeps its stock.
    expect(await cancelOrder(db, { orderId: order.orderId, buyerUserId: consumer }, clock)).toEqual({
      ok: false,
      reason: 'not_pending',
    })
    expect(await stocks([pA, pB])).toEqual([19, 9])
    await expect(
      confirmBankTransfer(db, { paymentId: order.paymentId, receivedFen: -1n, financeUserId: finance }, at),
    ).rejects.toThrow(RangeError)
  })

  it('flags a short or over payment, audits it, and leaves the order waiting', async () => {
    await setProduct(db, pA, { stock: 20, priceFen: 2500n })
    for (const received of [2499n, 2501n, 0n]) {
      const order = await orderOf([[pA, 1]])
      expect(
        await confirmBankTransfer(
          db,
          { paymentId: order.paymentId, receivedFen: received, financeUserId: finance },
          clock,
        ),
      ).toEqual({ ok: false, reason: 'amount_mismatch' })
      expect((await orderRow(order.orderId)).status).toBe('pending_payment')
      expect(await paymentOf(order.orderId)).toMatchObject({
        status: 'flagged',
        receivedFen: received,
        confirmedAt: null,
      })
      expect(await auditOf(order.paymentId)).toEqual([
        {
          action: 'payment.flagged',
          actorUserId: finance,
          subjectType: 'payment',
          details: { receivedFen: received.toString() },
        },
      ])
      const detail = await getBuyerOrder(db, { userId: consumer, orderId: order.orderId }, method)
      expect(detail).toMatchObject({ status: 'pending_payment', canCancel: true })
      expect(detail!.instructions).not.toBeNull()
      expect(detail!.timeline.map((s) => [s.key, s.current])).toEqual([
        ['placed', false],
        ['awaiting_payment', false],
        ['payment_flagged', true],
      ])

      // The rest arrives / the refund of the excess is sorted out: finance enters the right amount.
      expect(
        await confirmBankTransfer(
          db,
          { paymentId: order.paymentId, receivedFen: 2500n, financeUserId: finance },
          clock,
        ),
      ).toEqual({ ok: true, orderId: order.orderId })
      expect((await orderRow(order.orderId)).status).toBe('paid')
      expect((await auditOf(order.paymentId)).map((e) => e.action)).toEqual([
        'payment.flagged',
        'payment.confirmed',
      ])
    }
    // An unknown payment: nothing to confirm, nothing audited.
    const unknown = '00000000-0000-4000-8000-000000000000'
    expect(
      await confirmBankTransfer(db, { paymentId: unknown, receivedFen: 1n, financeUserId: finance }, clock),
    ).toEqual({ ok: false, reason: 'not_found' })
    expect(await auditOf(unknown)).toEqual([])
  })

  it('lists bank transfers for finance by filter, reference and order number', async () => {
    await neutralisePendingOrders()
    await setProduct(db, pA, { stock: 50, priceFen: 2500n })
    const open = await orderOf([[pA, 1]])
    const flagged = await orderOf([[pA, 2]])
    const confirmed = await orderOf([[pA, 3]])
    // Placed four days ago: its window has passed.
    const lapsed = await orderOf([[pA, 4]], fixedClock(new Date(SEED_NOW.getTime() - 96 * HOUR)))
    await confirmBankTransfer(
      db,
      { paymentId: flagged.paymentId, receivedFen: 1n, financeUserId: finance },
      clock,
    )
    await confirmBankTransfer(
      db,
      { paymentId: confirmed.paymentId, receivedFen: confirmed.amountFen, financeUserId: finance },
      clock,
    )
    expect(await expireOrders(db, clock)).toBe(1)
    const ours = [open, flagged, confirmed, lapsed]

    const list = async (filter: PaymentQueueFilter, q = '') =>
      listBankTransfers(db, { filter, q, page: 1, pageSize: 500 })
    const oursIn = async (filter: PaymentQueueFilter, q = '') => {
      const page = await list(filter, q)
      return ours.filter((o) => page.items.some((i) => i.paymentId === o.paymentId)).map((o) => o.orderId)
    }
    expect(await oursIn('open')).toEqual([open.orderId, flagged.orderId])
    expect(await oursIn('flagged')).toEqual([flagged.orderId])
    expect(await oursIn('confirmed')).toEqual([confirmed.orderId])
    expect(await oursIn('all')).toEqual(ours.map((o) => o.orderId))
    // Every listed row matches its filter, and the totals count the same rows.
    for (const filter of ['open', 'flagged', 'confirmed', 'all'] as const) {
      const page = await list(filter)
      expect(page.total, filter).toBe(page.items.length)
      for (const item of page.items) {
        if (filter === 'open') {
          expect(['pending', 'flagged']).toContain(item.status)
          expect(item.orderStatus).toBe('pending_payment')
        }
        if (filter === 'flagged') expect(item.status).toBe('flagged')
        if (filter === 'confirmed') expect(item.status).toBe('confirmed')
      }
    }

    // Search by the reference the payer quoted (any case, spaces around) or by order number.
    const byReference = await list('all', `  ${open.reference.toLowerCase()} `)
    expect(byReference.items.map((i) => i.orderId)).toEqual([open.orderId])
    expect(byReference.total).toBe(1)
    expect(byReference.items[0]).toMatchObject({
      orderNumber: open.number,
      buyerName: '演示消费者',
      amountFen: 2500,
      receivedFen: null,
      status: 'pending',
      orderStatus: 'pending_payment',
    })
    expect((await list('all', flagged.number)).items.map((i) => i.orderId)).toEqual([flagged.orderId])
    expect((await list('flagged', flagged.number)).items[0]).toMatchObject({
      receivedFen: 1,
      status: 'flagged',
    })
    expect((await list('confirmed', open.reference)).items).toEqual([])
    expect((await list('all', 'BT000000000000')).total).toBe(0)
    // Paging.
    const first = await listBankTransfers(db, { filter: 'all', q: '', page: 1, pageSize: 2 })
    const second = await listBankTransfers(db, { filter: 'all', q: '', page: 2, pageSize: 2 })
    expect(first.items).toHaveLength(2)
    expect(second.total).toBe(first.total)
    expect(second.items.some((i) => first.items.some((f) => f.paymentId === i.paymentId))).toBe(false)
  })

  it('the background jobs expire an unpaid order past its window and release its stock', async () => {
    await neutralisePendingOrders()
    resetSearchIndex()
    await setProduct(db, pA, { stock: 20 })
    await setProduct(db, pB, { stock: 10 })
    const order = await orderOf([
      [pA, 4],
      [pB, 3],
    ])
    expect(await stocks([pA, pB])).toEqual([16, 7])
    const due = SEED_NOW.getTime() + 72 * HOUR
    const log: string[] = []

    await runBackgroundJobs(db, fixedClock(new Date(due)), (line) => log.push(line))
    expect((await orderRow(order.orderId)).status).toBe('pending_payment')
    expect(log).toEqual([])

    await runBackgroundJobs(db, fixedClock(new Date(due + 1000)), (line) => log.push(line))
    expect((await orderRow(order.orderId)).status).toBe('expired')
    expect(await stocks([pA, pB])).toEqual([20, 10])
    expect(log).toEqual(['Orders: 1 unpaid order(s) expired, their stock released'])
    const detail = await getBuyerOrder(db, { userId: consumer, orderId: order.orderId }, method)
    expect(detail).toMatchObject({ status: 'expired', instructions: null, canCancel: false })
    // Paying after the window does not revive it.
    expect(
      await confirmBankTransfer(
        db,
        { paymentId: order.paymentId, receivedFen: order.amountFen, financeUserId: finance },
        clock,
      ),
    ).toEqual({ ok: false, reason: 'not_pending' })
    expect(await stocks([pA, pB])).toEqual([20, 10])
    // A second pass finds nothing more.
    await runBackgroundJobs(db, fixedClock(new Date(due + 2000)), (line) => log.push(line))
    expect(log).toHaveLength(1)
    expect(await stocks([pA, pB])).toEqual([20, 10])
  })

  it('a failing search job does not stop unpaid orders from expiring', async () => {
    await neutralisePendingOrders()
    await setProduct(db, pA, { stock: 20 })
    const order = await orderOf([[pA, 5]])
    // The search index failed earlier, so the job retries the build — and the database read it needs fails.
    const store = globalThis as { __xfbfSearch?: unknown }
    store.__xfbfSearch = { engine: null, status: 'failed', documents: 0, lastBuildAt: 0 }
    const failingReads = new Proxy(db, {
      get(target, property, receiver) {
        if (property === 'select')
          return () => {
            throw new Error('search source unavailable')
          }
        return Reflect.get(target, property, receiver) as unknown
      },
    })
    const log: string[] = []
    try {
      await runBackgroundJobs(failingReads, fixedClock(new Date(SEED_NOW.getTime() + 73 * HOUR)), (line) =>
        log.push(line),
      )
    } finally {
      resetSearchIndex()
    }
    // Every job that reads through the broken handle fails on its own; expiring orders still runs.
    expect(log).toEqual([
      'Search index sync failed (will retry): Error: search source unavailable',
      'Orders: 1 unpaid order(s) expired, their stock released',
      'Target tallies failed (will retry): Error: search source unavailable',
    ])
    expect((await orderRow(order.orderId)).status).toBe('expired')
    expect(await stocks([pA])).toEqual([20])
  })

  it('matches an in-memory model over random add / checkout / pay / expire / cancel sequences', async () => {
    const modelProducts = [pA, pB, pC]
    const prices = [2500n, 1200n, 900n]
    const initialStock = 6
    const windowHours = 1
    const modelMethod = bankTransfer({ account: testAccount, windowHours })
    resetSearchIndex()
    for (const [i, id] of modelProducts.entries())
      await setProduct(db, id, { stock: initialStock, priceFen: prices[i] })

    type Command =
      | { kind: 'add'; product: number; qty: number }
      | { kind: 'checkout' }
      /** The order-th of the run's orders, modulo their number. */
      | { kind: 'pay'; order: number; exact: boolean }
      | { kind: 'expire'; advanceMinutes: number }
      | { kind: 'cancel'; order: number }
      /** Someone else (another buyer, the cooperative) changes the stock on hand. */
      | { kind: 'restock'; product: number; stock: number }
    const command: fc.Arbitrary<Command> = fc.oneof(
      {
        weight: 5,
        arbitrary: fc.record({
          kind: fc.constant('add' as const),
          product: fc.nat(2),
          qty: fc.integer({ min: 1, max: 4 }),
        }),
      },
      { weight: 3, arbitrary: fc.constant({ kind: 'checkout' as const }) },
      {
        weight: 3,
        arbitrary: fc.record({ kind: fc.constant('pay' as const), order: fc.nat(7), exact: fc.boolean() }),
      },
      {
        weight: 2,
        arbitrary: fc.record({
          kind: fc.constant('expire' as const),
          advanceMinutes: fc.integer({ min: 0, max: 120 }),
        }),
      },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), order: fc.nat(7) }) },
      {
        weight: 1,
        arbitrary: fc.record({ kind: fc.constant('restock' as const), product: fc.nat(2), stock: fc.nat(8) }),
      },
    )
    const paymentAudits = async () =>
      (
        await db
          .select({ n: countAll })
          .from(auditEvents)
          .where(and(like(auditEvents.action, 'payment.%'), eq(auditEvents.actorUserId, finance)))
      )[0]!.n
    let runStart = SEED_NOW.getTime()

    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 5, maxLength: 14 }), async (commands) => {
        await neutralisePendingOrders()
        await emptyCart(consumer)
        for (const id of modelProducts) await setProduct(db, id, { stock: initialStock })
        // Each run starts a day after the last, so nothing of an earlier run is due by accident.
        runStart += 86_400_000
        let now = runStart
        const at: Clock = { now: () => new Date(now) }

        const stock = modelProducts.map(() => initialStock)
        let cart = new Map<number, number>()
        const placed: Array<{
          id: string
          paymentId: string
          totalFen: bigint
          lines: Map<number, number>
          dueAt: number
          status: 'pending_payment' | 'paid' | 'cancelled' | 'expired'
        }> = []
        let audits = await paymentAudits()
        const release = (lines: Map<number, number>) => {
          for (const [p, qty] of lines) stock[p]! += qty
        }

        for (const step of commands) {
          const label = JSON.stringify(step)
          if (step.kind === 'add') {
            const result = await changeCart(
              db,
              { userId: consumer },
              { kind: 'add', productId: modelProducts[step.product]!, qty: step.qty },
            )
            const qty = (cart.get(step.product) ?? 0) + step.qty
            if (qty <= stock[step.product]!) {
              expect(result.ok, label).toBe(true)
              cart.set(step.product, qty)
            } else
              expect(result, label).toEqual({
                ok: false,
                error: { code: 'exceeds_stock', stock: stock[step.product] },
              })
          } else if (step.kind === 'checkout') {
            const result = await checkoutCart(db, { userId: consumer, form: form() }, at, modelMethod)
            const short = [...cart].filter(([p, qty]) => qty > stock[p]!).map(([p]) => modelProducts[p]!)
            if (cart.size === 0) expect(result, label).toEqual({ ok: false, reason: 'empty_cart' })
            else if (short.length > 0) {
              expect(result.ok, label).toBe(false)
              if (!result.ok && result.reason === 'lines')
                expect(result.errors.map((e) => [e.productId, e.code]).sort()).toEqual(
                  short.map((p) => [p, 'out_of_stock']).sort(),
                )
              else expect(result, label).toMatchObject({ reason: 'lines' })
            } else {
              expect(result.ok, label).toBe(true)
              if (!result.ok) return
              const payment = await paymentOf(result.orderId)
              const totalFen = [...cart].reduce((sum, [p, qty]) => sum + prices[p]! * BigInt(qty), 0n)
              expect(payment.amountFen, label).toBe(totalFen)
              const sellers = await db
                .select({ org: sellerOrders.sellerOrgId })
                .from(sellerOrders)
                .where(eq(sellerOrders.orderId, result.orderId))
              expect(sellers.map((s) => s.org).sort()).toEqual(
                [...new Set([...cart.keys()].map((p) => orgOf.get(modelProducts[p]!)))].sort(),
              )
              for (const [p, qty] of cart) stock[p]! -= qty
              placed.push({
                id: result.orderId,
                paymentId: payment.id,
                totalFen,
                lines: cart,
                dueAt: now + windowHours * HOUR,
                status: 'pending_payment',
              })
              cart = new Map()
            }
          } else if (step.kind === 'pay') {
            const order = placed[step.order % Math.max(1, placed.length)]
            if (!order) continue
            const received = step.exact ? order.totalFen : order.totalFen + 100n
            const result = await confirmBankTransfer(
              db,
              { paymentId: order.paymentId, receivedFen: received, financeUserId: finance },
              at,
            )
            if (order.status === 'paid') expect(result, label).toEqual({ ok: false, reason: 'not_pending' })
            else if (!step.exact) {
              expect(result, label).toEqual({ ok: false, reason: 'amount_mismatch' })
              audits++
            } else if (order.status !== 'pending_payment')
              expect(result, label).toEqual({ ok: false, reason: 'not_pending' })
            else {
              expect(result, label).toEqual({ ok: true, orderId: order.id })
              order.status = 'paid'
              audits++
            }
          } else if (step.kind === 'expire') {
            now += step.advanceMinutes * 60_000
            const log: string[] = []
            await runBackgroundJobs(db, at, (line) => log.push(line))
            const expired = placed.filter((o) => o.status === 'pending_payment' && o.dueAt < now)
            expect(log, label).toEqual(
              expired.length > 0
                ? [`Orders: ${expired.length} unpaid order(s) expired, their stock released`]
                : [],
            )
            for (const o of expired) {
              o.status = 'expired'
              release(o.lines)
            }
          } else if (step.kind === 'cancel') {
            const order = placed[step.order % Math.max(1, placed.length)]
            if (!order) continue
            const result = await cancelOrder(db, { orderId: order.id, buyerUserId: consumer }, at)
            if (order.status === 'pending_payment') {
              expect(result, label).toEqual({ ok: true })
              order.status = 'cancelled'
              release(order.lines)
            } else expect(result, label).toEqual({ ok: false, reason: 'not_pending' })
          } else {
            await setProduct(db, modelProducts[step.product]!, { stock: step.stock })
            stock[step.product] = step.stock
          }

          // After every command the database says what the model says.
          const [dbStock, lines, statuses, dbAudits] = await Promise.all([
            stocks(modelProducts),
            cartLinesOf(db, consumer),
            placed.length === 0
              ? []
              : db
                  .select({ id: orders.id, status: orders.status })
                  .from(orders)
                  .where(
                    inArray(
                      orders.id,
                      placed.map((o) => o.id),
                    ),
                  ),
            paymentAudits(),
          ])
          expect(dbStock, label).toEqual(stock)
          expect(lines.map((l) => [l.productId, l.qty]).sort(), label).toEqual(
            [...cart].map(([p, qty]) => [modelProducts[p]!, qty]).sort(),
          )
          expect(
            placed.map((o) => statuses.find((s) => s.id === o.id)?.status),
            label,
          ).toEqual(placed.map((o) => o.status))
          expect(dbAudits, label).toBe(audits)
        }
      }),
      fcParams(),
    )
  }, 600_000)
})
