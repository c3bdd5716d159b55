import { and, eq, sql } from 'drizzle-orm'
import ExcelJS from 'exceljs'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { answerDispute, listDisputes } from '../../app/domains/coop/disputes.server'
import { listFulfilment, markDelivered, markShipped } from '../../app/domains/coop/fulfilment.server'
import { listSellerOrders } from '../../app/domains/coop/seller-orders.server'
import { verifyLedger, rollupMismatches } from '../../app/domains/ledger/index.server'
import { listBankTransfers } from '../../app/domains/orders/order-views.server'
import { expireOrders, placeOrder } from '../../app/domains/orders/orders.server'
import { autoConfirmReceipts } from '../../app/domains/orders/receipts.server'
import { confirmBankTransfer } from '../../app/domains/payments/finance.server'
import { bankTransferReference } from '../../app/domains/payments/methods.server'
import { acceptedPart, paymentDueAt } from '../../app/domains/procurement/acceptance-math'
import {
  acceptSellerOrder,
  getUnitOrder,
  setPaymentTerm,
  unitPurchasesForYear,
} from '../../app/domains/procurement/acceptance.server'
import { acceptanceForm, paymentTermForm } from '../../app/domains/procurement/forms'
import { getPlanView } from '../../app/domains/procurement/plans.server'
import { listUnitOrders } from '../../app/domains/procurement/requisitions.server'
import type { UnitActor } from '../../app/domains/procurement/unit-actor'
import { fixedClock, startOfShanghaiDate } from '../../app/utils/clock'
import { unitPurchasesFile } from '../../app/utils/unit-export.server'
import type { Db, DbHandle } from '../../db/client.server'
import { auditEvents } from '../../db/schema/audit'
import { products } from '../../db/schema/catalog'
import { aidEntries } from '../../db/schema/ledger'
import { orderLines, orders, payments, sellerOrders } from '../../db/schema/orders'
import { acceptances, disputes } from '../../db/schema/procurement'
import { demo, makeOrganization } from '../support/coop'
import { openTestDatabase, testDbKind } from '../support/db'
import { fcParams } from '../support/fast-check'
import { demoFinance, seededProductId, setProduct, testBankTransfer } from '../support/shopping'
import { SEED_NOW } from '../support/test-clock'

const clock = fixedClock(SEED_NOW)
let handle: DbHandle
let db: Db

const delivery = { recipient: '演示收货人', phone: '13800138000', address: '鼓楼区演示路 8 号' }
// PRD030–PRD033: the Minxian cooperative's; PRD001, PRD003: the Anding cooperative's.
const SKUS = ['PRD030', 'PRD031', 'PRD032', 'PRD001', 'PRD003'] as const

beforeAll(async () => {
  handle = await openTestDatabase('seeded', { poolSize: 10 })
  db = handle.db
  for (const sku of SKUS) await setProduct(db, seededProductId(sku), { stock: 100_000, priceFen: 1234n })
  await setProduct(db, seededProductId('PRD031'), { stock: 100_000, priceFen: 999n })
  await db.execute(
    sql`delete from price_tiers where product_id in (select id from products where sku in ('PRD030', 'PRD031', 'PRD032', 'PRD001', 'PRD003'))`,
  )
})

async function newUnit(): Promise<UnitActor> {
  const unit = await makeOrganization(db, { regionCode: '350102', kind: 'gov_unit', role: 'unit_admin' })
  return { orgId: unit.orgId, userId: unit.userId, role: 'unit_admin' }
}

async function placeUnitOrder(actor: UnitActor, lines: Array<[sku: string, qty: number]>, at = clock) {
  const placed = await placeOrder(
    db,
    {
      buyerUserId: actor.userId,
      buyerOrgId: actor.orgId,
      lines: lines.map(([sku, qty]) => ({ productId: seededProductId(sku), qty })),
      delivery,
    },
    at,
    testBankTransfer,
  )
  if (!placed.ok) throw new Error(`placeOrder failed: ${JSON.stringify(placed.errors)}`)
  return placed
}

/** Every seller order of the order shipped (the cooperative's step, as markShipped leaves it). */
async function shipAll(orderId: string) {
  await db
    .update(sellerOrders)
    .set({ fulfilment: 'shipped', shippedAt: SEED_NOW, carrier: '演示物流', trackingNumber: 'TEST123456' })
    .where(eq(sellerOrders.orderId, orderId))
}

async function linesOf(orderId: string) {
  return db
    .select({
      id: orderLines.id,
      sellerOrderId: orderLines.sellerOrderId,
      productId: orderLines.productId,
      qty: orderLines.qty,
      unitPriceFen: orderLines.unitPriceFen,
      amountFen: orderLines.amountFen,
      proceedsFen: orderLines.proceedsFen,
    })
    .from(orderLines)
    .where(eq(orderLines.orderId, orderId))
}

/** Accepts every seller order of the order, each line's accepted quantity from `accept` (full by default). */
async function acceptAll(
  actor: UnitActor,
  orderId: string,
  accept: (line: { productId: string; qty: number }) => number = (l) => l.qty,
  at = clock,
) {
  const lines = await linesOf(orderId)
  const sellers = [...new Set(lines.map((l) => l.sellerOrderId))]
  const results = []
  for (const sellerOrderId of sellers) {
    const form = acceptanceForm.parse({
      sellerOrderId,
      notes: '',
      lines: lines
        .filter((l) => l.sellerOrderId === sellerOrderId)
        .map((l) => ({ orderLineId: l.id, acceptedQty: String(accept(l)) })),
    })
    results.push(await acceptSellerOrder(db, { actor, orderId, form }, at))
  }
  return results
}

async function paymentOf(orderId: string) {
  return db.select().from(payments).where(eq(payments.orderId, orderId))
}

async function stockOf(sku: string) {
  const [row] = await db
    .select({ stock: products.stock })
    .from(products)
    .where(eq(products.id, seededProductId(sku)))
  return row!.stock
}

describe(`on-account orders are shipped before payment (${testDbKind()})`, () => {
  it('reserves stock, makes one seller order per cooperative, and lets the cooperative ship and deliver before any payment', async () => {
    const unit = await newUnit()
    const before = await stockOf('PRD030')
    const placed = await placeUnitOrder(unit, [
      ['PRD030', 5],
      ['PRD001', 2],
    ])
    expect(await stockOf('PRD030')).toBe(before - 5)
    const sellers = await db.select().from(sellerOrders).where(eq(sellerOrders.orderId, placed.orderId))
    expect(sellers.length).toBe(2)
    const minxian = sellers.find((s) => s.sellerOrgId === demo.minxian)!
    // The cooperative's fulfilment offers it unpaid, with the address.
    const page = await listFulfilment(db, {
      orgId: demo.minxian,
      actorUserId: demo.coopAdmin,
      page: 1,
      pageSize: 200,
    })
    const item = page!.items.find((i) => i.sellerOrderId === minxian.id)
    expect(item).toMatchObject({ onAccount: true, fulfilment: 'none', paidAt: null, overdue: false })
    expect(item!.shipTo.recipient).toBe(delivery.recipient)
    const orderList = await listSellerOrders(db, {
      orgId: demo.minxian,
      actorUserId: demo.coopAdmin,
      page: 1,
      pageSize: 200,
    })
    expect(orderList!.items.find((i) => i.sellerOrderId === minxian.id)?.shipTo?.recipient).toBe(
      delivery.recipient,
    )
    const shipped = await markShipped(
      db,
      {
        orgId: demo.minxian,
        actorUserId: demo.coopAdmin,
        sellerOrderId: minxian.id,
        form: { carrier: '演示物流', trackingNumber: 'SF1234567890' },
      },
      clock,
    )
    expect(shipped).toEqual({ ok: true })
    expect(
      await markDelivered(
        db,
        { orgId: demo.minxian, actorUserId: demo.coopAdmin, sellerOrderId: minxian.id },
        clock,
      ),
    ).toEqual({ ok: true })
    // Nothing is payable yet: finance cannot confirm the transfer before the unit accepts the goods.
    const [payment] = await paymentOf(placed.orderId)
    const early = await confirmBankTransfer(
      db,
      { paymentId: payment!.id, receivedFen: payment!.amountFen, financeUserId: demoFinance },
      clock,
    )
    expect(early.ok).toBe(false)
    expect(await db.select().from(aidEntries).where(eq(aidEntries.orderId, placed.orderId))).toEqual([])
    // Neither the payment window nor the automatic receipt touches it, even long after.
    const later = fixedClock(new Date(SEED_NOW.getTime() + 100 * 86_400_000))
    await expireOrders(db, later)
    await autoConfirmReceipts(db, later)
    const [order] = await db.select().from(orders).where(eq(orders.id, placed.orderId))
    expect(order!.status).toBe('pending_payment')
    const [again] = await db.select().from(sellerOrders).where(eq(sellerOrders.id, minxian.id))
    expect(again!.fulfilment).toBe('delivered')
  })
})

describe(`验收 counts exactly the accepted amount (${testDbKind()})`, () => {
  it('a partial acceptance sets the one pending transfer to the accepted total; finance confirms it and only that counts', async () => {
    const unit = await newUnit()
    const placed = await placeUnitOrder(unit, [
      ['PRD030', 10],
      ['PRD031', 3],
      ['PRD001', 4],
    ])
    await shipAll(placed.orderId)
    const planBefore = await getPlanView(db, { orgId: unit.orgId, year: 2026 })
    const results = await acceptAll(unit, placed.orderId, (l) =>
      l.productId === seededProductId('PRD030') ? 7 : l.productId === seededProductId('PRD001') ? 0 : l.qty,
    )
    expect(results[0]).toMatchObject({ ok: true })
    const last = results.at(-1)!
    const expected = 7n * 1234n + 3n * 999n
    expect(last).toEqual({ ok: true, payableFen: expected, disputeOpened: true })
    // The interface contract: exactly one pending bank-transfer payment, the order's reference, the accepted total.
    const rows = await paymentOf(placed.orderId)
    expect(rows.length).toBe(1)
    expect(rows[0]).toMatchObject({
      provider: 'bank_transfer',
      status: 'pending',
      reference: bankTransferReference(placed.number),
      amountFen: expected,
    })
    const [order] = await db.select().from(orders).where(eq(orders.id, placed.orderId))
    expect(order!.paymentDueAt).toEqual(paymentDueAt(SEED_NOW, 30))
    // Two disputes: one per seller order with a rejected quantity.
    const opened = await db
      .select()
      .from(disputes)
      .innerJoin(sellerOrders, eq(sellerOrders.id, disputes.sellerOrderId))
      .where(eq(sellerOrders.orderId, placed.orderId))
    expect(opened.length).toBe(2)
    const audited = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'order.accepted'), eq(auditEvents.actorUserId, unit.userId)))
    expect(audited.length).toBe(2)

    // The ordered total is refused; the accepted total confirms.
    const wrong = await confirmBankTransfer(
      db,
      { paymentId: rows[0]!.id, receivedFen: placed.totalFen, financeUserId: demoFinance },
      clock,
    )
    expect(wrong.ok).toBe(false)
    const confirmed = await confirmBankTransfer(
      db,
      { paymentId: rows[0]!.id, receivedFen: expected, financeUserId: demoFinance },
      clock,
    )
    expect(confirmed.ok).toBe(true)
    const entries = await db.select().from(aidEntries).where(eq(aidEntries.orderId, placed.orderId))
    expect(entries.reduce((s, e) => s + e.amountFen, 0n)).toBe(expected)
    expect(entries.map((e) => e.quantity).sort()).toEqual([3, 7])
    expect(entries.every((e) => e.buyerChannel === 'gov_unit' && e.aidCategory === 'direct_purchase')).toBe(
      true,
    )
    const planAfter = await getPlanView(db, { orgId: unit.orgId, year: 2026 })
    expect(planAfter.platformFen - planBefore.platformFen).toBe(expected)
    expect(await rollupMismatches(db)).toBe(0)
    const verified = await verifyLedger(db)
    expect(verified.ok).toBe(true)
  })

  it('property: whatever is accepted, the ledger counts accepted qty × unit price per line, to the fen', async () => {
    const unit = await newUnit()
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            sku: fc.constantFrom(...SKUS),
            qty: fc.integer({ min: 1, max: 40 }),
            acceptShare: fc.integer({ min: 0, max: 100 }),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        async (raw) => {
          const bySku = new Map<string, { qty: number; acceptShare: number }>()
          for (const r of raw) if (!bySku.has(r.sku)) bySku.set(r.sku, r)
          const placed = await placeUnitOrder(
            unit,
            [...bySku].map(([sku, r]) => [sku, r.qty]),
          )
          await shipAll(placed.orderId)
          const accepted = (l: { productId: string; qty: number }) => {
            const sku = [...bySku.keys()].find((s) => seededProductId(s) === l.productId)!
            return Math.floor((l.qty * bySku.get(sku)!.acceptShare) / 100)
          }
          const lines = await linesOf(placed.orderId)
          const expectedAmount = lines.reduce((s, l) => s + l.unitPriceFen * BigInt(accepted(l)), 0n)
          const expectedProceeds = lines.reduce((s, l) => s + acceptedPart(l, accepted(l)).proceedsFen, 0n)
          const results = await acceptAll(unit, placed.orderId, accepted)
          expect(results.every((r) => r.ok)).toBe(true)
          const [payment] = await paymentOf(placed.orderId)
          if (expectedAmount === 0n) {
            const [order] = await db.select().from(orders).where(eq(orders.id, placed.orderId))
            expect(order!.status).toBe('cancelled')
            return
          }
          expect(payment!.amountFen).toBe(expectedAmount)
          const confirmed = await confirmBankTransfer(
            db,
            { paymentId: payment!.id, receivedFen: expectedAmount, financeUserId: demoFinance },
            clock,
          )
          expect(confirmed.ok).toBe(true)
          const entries = await db.select().from(aidEntries).where(eq(aidEntries.orderId, placed.orderId))
          expect(entries.reduce((s, e) => s + e.amountFen, 0n)).toBe(expectedAmount)
          expect(entries.reduce((s, e) => s + e.proceedsFen, 0n)).toBe(expectedProceeds)
          expect(entries.every((e) => e.quantity > 0)).toBe(true)
        },
      ),
      { ...fcParams(), numRuns: Math.min(fcParams().numRuns, 12) },
    )
    expect(await rollupMismatches(db)).toBe(0)
    expect((await verifyLedger(db)).ok).toBe(true)
  })

  it('an acceptance is final: a second one of the same seller order is refused and changes nothing', async () => {
    const unit = await newUnit()
    const placed = await placeUnitOrder(unit, [['PRD032', 4]])
    await shipAll(placed.orderId)
    expect((await acceptAll(unit, placed.orderId, () => 4))[0]).toMatchObject({ ok: true })
    expect((await acceptAll(unit, placed.orderId, () => 1))[0]).toEqual({
      ok: false,
      error: 'already_accepted',
    })
    const [payment] = await paymentOf(placed.orderId)
    expect(payment!.amountFen).toBe(4n * 1234n)
  })

  it('refuses an acceptance before shipment, of more than was ordered, and of another unit', async () => {
    const unit = await newUnit()
    const placed = await placeUnitOrder(unit, [['PRD032', 2]])
    expect((await acceptAll(unit, placed.orderId))[0]).toEqual({ ok: false, error: 'not_delivered' })
    await shipAll(placed.orderId)
    expect((await acceptAll(unit, placed.orderId, () => 3))[0]).toEqual({
      ok: false,
      error: 'lines_mismatch',
    })
    const other = await newUnit()
    expect((await acceptAll(other, placed.orderId))[0]).toEqual({ ok: false, error: 'not_found' })
    expect(await db.select().from(acceptances).where(eq(acceptances.orderId, placed.orderId))).toEqual([])
  })
})

describe(`disputes (${testDbKind()})`, () => {
  async function rejectedOrder(sku: string, qty: number, accepted: number) {
    const unit = await newUnit()
    const placed = await placeUnitOrder(unit, [[sku, qty]])
    await shipAll(placed.orderId)
    await acceptAll(unit, placed.orderId, () => accepted)
    const [dispute] = await db
      .select({ id: disputes.id })
      .from(disputes)
      .innerJoin(sellerOrders, eq(sellerOrders.id, disputes.sellerOrderId))
      .where(eq(sellerOrders.orderId, placed.orderId))
    return dispute!.id
  }

  it('accepting the return puts the rejected quantity back exactly once, posted twice or at once', async () => {
    const before = await stockOf('PRD033')
    await setProduct(db, seededProductId('PRD033'), { stock: 500, priceFen: 1234n })
    const disputeId = await rejectedOrder('PRD033', 10, 6)
    expect(await stockOf('PRD033')).toBe(490)
    const answer = () =>
      answerDispute(
        db,
        { orgId: demo.minxian, actorUserId: demo.coopAdmin, form: { intent: 'return', disputeId } },
        clock,
      )
    const both = await Promise.all([answer(), answer()])
    expect(both.filter((r) => r.ok).length).toBe(1)
    expect(both.find((r) => !r.ok)).toEqual({ ok: false, error: 'already_answered' })
    expect(await answer()).toEqual({ ok: false, error: 'already_answered' })
    expect(await stockOf('PRD033')).toBe(494)
    const listed = await listDisputes(db, { orgId: demo.minxian, actorUserId: demo.coopAdmin })
    expect(listed.find((d) => d.id === disputeId)).toMatchObject({
      status: 'returned',
      lines: [expect.objectContaining({ rejectedQty: 4 })],
    })
    void before
  })

  it('contesting needs a note, returns nothing to stock and closes the dispute; another cooperative cannot answer', async () => {
    await setProduct(db, seededProductId('PRD030'), { stock: 500, priceFen: 1234n })
    const disputeId = await rejectedOrder('PRD030', 5, 2)
    const form = { intent: 'contest', disputeId }
    const noNote = await answerDispute(db, { orgId: demo.minxian, actorUserId: demo.coopAdmin, form }, clock)
    expect(noNote).toMatchObject({ ok: false, error: 'invalid' })
    const stranger = await answerDispute(
      db,
      { orgId: demo.anding, actorUserId: demo.coopAdmin, form: { ...form, note: '货物完好' } },
      clock,
    )
    expect(stranger).toEqual({ ok: false, error: 'not_found' })
    expect(
      await answerDispute(
        db,
        {
          orgId: demo.minxian,
          actorUserId: demo.coopAdmin,
          form: { ...form, note: '发货时货物完好，有照片为证' },
        },
        clock,
      ),
    ).toEqual({ ok: true })
    expect(await stockOf('PRD030')).toBe(495)
    const [row] = await db.select().from(disputes).where(eq(disputes.id, disputeId))
    expect(row).toMatchObject({ status: 'contested', answerNote: '发货时货物完好，有照片为证' })
  })
})

describe(`payment term and overdue flags (${testDbKind()})`, () => {
  // Accepted at SEED_NOW (2026-06-15 12:00 in Shanghai): day 30 is 2026-07-15, day 31 2026-07-16.
  const day = (n: number, hour = 12) =>
    fixedClock(new Date(startOfShanghaiDate('2026-06-15').getTime() + n * 86_400_000 + hour * 3_600_000))

  async function acceptedOrder(unit: UnitActor) {
    const placed = await placeUnitOrder(unit, [['PRD032', 1]])
    await shipAll(placed.orderId)
    await acceptAll(unit, placed.orderId)
    return placed
  }

  async function flags(unit: UnitActor, orderId: string, at: ReturnType<typeof fixedClock>) {
    const detail = await getUnitOrder(db, { actor: unit, orderId }, at)
    const list = await listUnitOrders(db, { actor: unit, page: 1, now: at.now() })
    const fulfilment = await listFulfilment(db, {
      orgId: demo.minxian,
      actorUserId: demo.coopAdmin,
      page: 1,
      pageSize: 500,
      now: at.now(),
    })
    const sellerOrder = detail!.sellers[0]!.id
    // Finance: the flag on the transfer, and the 已逾期 tab that lists it.
    const [order] = await db.select({ number: orders.number }).from(orders).where(eq(orders.id, orderId))
    const queue = (filter: 'all' | 'overdue') =>
      listBankTransfers(db, { filter, q: order!.number, page: 1, pageSize: 5, now: at.now() })
    const [all, overdueTab] = await Promise.all([queue('all'), queue('overdue')])
    return [
      detail!.overdue,
      list.items.find((i) => i.id === orderId)!.overdue,
      fulfilment!.items.find((i) => i.sellerOrderId === sellerOrder)!.overdue,
      all.items.find((i) => i.orderId === orderId)!.overdue,
      overdueTab.items.some((i) => i.orderId === orderId),
    ]
  }

  it('30 days by default: not overdue on day 30 (even at 23:59), overdue on day 31', async () => {
    const unit = await newUnit()
    const placed = await acceptedOrder(unit)
    expect(await flags(unit, placed.orderId, day(30, 23.99))).toEqual([false, false, false, false, false])
    expect(await flags(unit, placed.orderId, day(31, 0.01))).toEqual([true, true, true, true, true])
  })

  it('60 days when the unit sets it: not overdue on day 60, overdue on day 61; never once paid', async () => {
    const unit = await newUnit()
    expect(
      await setPaymentTerm(db, { actor: unit, form: paymentTermForm.parse({ days: '60' }) }, clock),
    ).toEqual({
      ok: true,
    })
    expect(paymentTermForm.safeParse({ days: '61' }).success).toBe(false)
    expect(paymentTermForm.safeParse({ days: '0' }).success).toBe(false)
    const placed = await acceptedOrder(unit)
    expect(await flags(unit, placed.orderId, day(31))).toEqual([false, false, false, false, false])
    expect(await flags(unit, placed.orderId, day(60))).toEqual([false, false, false, false, false])
    expect(await flags(unit, placed.orderId, day(61))).toEqual([true, true, true, true, true])
    const [payment] = await paymentOf(placed.orderId)
    const paid = await confirmBankTransfer(
      db,
      { paymentId: payment!.id, receivedFen: payment!.amountFen, financeUserId: demoFinance },
      day(62),
    )
    expect(paid.ok).toBe(true)
    expect((await flags(unit, placed.orderId, day(63)))[0]).toBe(false)
  })

  it('only the unit admin sets the term', async () => {
    const unit = await newUnit()
    expect(
      await setPaymentTerm(db, { actor: { ...unit, role: 'unit_buyer' }, form: { days: 45 } }, clock),
    ).toEqual({ ok: false, error: 'forbidden' })
  })
})

describe(`the year's purchases for 考核 (${testDbKind()})`, () => {
  it('the XLSX read back has the headers, numeric cells and the plan page total; the CSV the same total', async () => {
    const unit = await newUnit()
    for (const accept of [3, 5]) {
      const placed = await placeUnitOrder(unit, [
        ['PRD031', 6],
        ['PRD001', 2],
      ])
      await shipAll(placed.orderId)
      await acceptAll(unit, placed.orderId, (l) => Math.min(l.qty, accept))
      const [payment] = await paymentOf(placed.orderId)
      const confirmed = await confirmBankTransfer(
        db,
        { paymentId: payment!.id, receivedFen: payment!.amountFen, financeUserId: demoFinance },
        clock,
      )
      expect(confirmed.ok).toBe(true)
    }
    const plan = await getPlanView(db, { orgId: unit.orgId, year: 2026 })
    const expected = 3n * 999n + 2n * 1234n + 5n * 999n + 2n * 1234n
    expect(plan.platformFen).toBe(expected)
    const { rows, totalFen } = await unitPurchasesForYear(db, { orgId: unit.orgId, year: 2026 })
    expect(rows.length).toBe(4)
    expect(totalFen).toBe(plan.platformFen)

    const file = await unitPurchasesFile(db, { orgId: unit.orgId, year: 2026, format: 'xlsx', locale: 'zh' })
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(file.bytes as unknown as ArrayBuffer)
    const sheet = workbook.worksheets[0]!
    const header = sheet.getRow(2).values as unknown[]
    expect(header.slice(1)).toEqual([
      '订单号',
      '下单日期',
      '合作社',
      '产地县',
      '商品',
      '数量',
      '验收金额（元）',
      '付款日期',
    ])
    const data = [3, 4, 5, 6].map((n) => sheet.getRow(n))
    for (const row of data) {
      expect(typeof row.getCell(6).value).toBe('number')
      expect(typeof row.getCell(7).value).toBe('number')
    }
    const total = sheet.getRow(7)
    expect(total.getCell(1).value).toBe('合计')
    expect(Math.round(Number(total.getCell(7).value) * 100)).toBe(Number(plan.platformFen))

    const csv = await unitPurchasesFile(db, { orgId: unit.orgId, year: 2026, format: 'csv', locale: 'zh' })
    const text = csv.bytes.toString('utf8')
    expect(text.charCodeAt(0)).toBe(0xfeff)
    const lastLine = text.trim().split(/\r?\n/).at(-1)!
    expect(lastLine).toContain((Number(plan.platformFen) / 100).toFixed(2))
  })
})
