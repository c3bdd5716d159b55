import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { listFulfilment, markDelivered, markShipped } from '../../app/domains/coop/index.server'
import {
  autoConfirmReceipts,
  confirmReceipt,
  getBuyerOrder,
  listBankTransfers,
  requestSellerOrderRefund,
} from '../../app/domains/orders/index.server'
import { type Clock, fixedClock } from '../../app/utils/clock'
import type { Db, DbHandle } from '../../db/client.server'
import { orders, payments, refundRequests, sellerOrders } from '../../db/schema/orders'
import { refundRemaining } from '../../app/domains/payments/refunds.server'
import { demo } from '../support/coop'
import { openTestDatabase, testDbKind } from '../support/db'
import { buy, demoConsumer, demoFinance, makeBuyable, testBankTransfer } from '../support/shopping'
import { SEED_NOW } from '../support/test-clock'

let handle: DbHandle
let db: Db
let time = SEED_NOW.getTime()
const clock: Clock = { now: () => new Date((time += 1000)) }

const admin = { orgId: demo.minxian, actorUserId: demo.coopAdmin }
const staff = { orgId: demo.minxian, actorUserId: demo.coopStaff }
const DAY = 24 * 60 * 60 * 1000

beforeAll(async () => {
  handle = await openTestDatabase('seeded')
  db = handle.db
  await makeBuyable(db, ['PRD030', 'PRD031'])
})

async function paidSellerOrder(): Promise<{ orderId: string; sellerOrderId: string }> {
  const bought = await buy(db, { lines: [['PRD030', 1]], at: fixedClock(new Date(time)) })
  const [row] = await db.select().from(sellerOrders).where(eq(sellerOrders.orderId, bought.orderId))
  return { orderId: bought.orderId, sellerOrderId: row!.id }
}

async function allFulfilment(actor = admin) {
  const page = await listFulfilment(db, { ...actor, page: 1, pageSize: 100 })
  return page!.items
}

describe(`fulfilment (${testDbKind()})`, () => {
  it('ships a paid order with a carrier and tracking number, the buyer sees it and confirms receipt', async () => {
    const { orderId, sellerOrderId } = await paidSellerOrder()
    const listed = (await allFulfilment(staff)).find((i) => i.sellerOrderId === sellerOrderId)!
    expect(listed).toMatchObject({ fulfilment: 'none', lines: [{ sku: 'PRD030', qty: 1 }] })
    expect(listed.shipTo.recipient).toBe('演示')

    expect(
      await markShipped(db, { ...staff, sellerOrderId, form: { carrier: '', trackingNumber: 'x' } }, clock),
    ).toMatchObject({ ok: false, error: 'invalid' })
    expect(
      await markShipped(
        db,
        { ...staff, sellerOrderId, form: { carrier: '中国邮政', trackingNumber: 'EMS1234567' } },
        clock,
      ),
    ).toEqual({ ok: true })
    expect(
      await markShipped(
        db,
        { ...staff, sellerOrderId, form: { carrier: '中国邮政', trackingNumber: 'EMS1234567' } },
        clock,
      ),
    ).toEqual({ ok: false, error: 'not_shippable' })

    const order = await getBuyerOrder(db, { userId: demoConsumer, orderId }, testBankTransfer)
    expect(order!.sellers[0]).toMatchObject({
      sellerOrderId,
      fulfilment: 'shipped',
      carrier: '中国邮政',
      trackingNumber: 'EMS1234567',
    })
    // Only the buyer confirms.
    expect(await confirmReceipt(db, { userId: demo.coopAdmin, orderId, sellerOrderId }, clock)).toEqual({
      ok: false,
      error: 'not_found',
    })
    expect(await markDelivered(db, { ...admin, sellerOrderId }, clock)).toEqual({ ok: true })
    expect(await confirmReceipt(db, { userId: demoConsumer, orderId, sellerOrderId }, clock)).toEqual({
      ok: true,
    })
    const after = await getBuyerOrder(db, { userId: demoConsumer, orderId }, testBankTransfer)
    expect(after!.sellers[0]).toMatchObject({ fulfilment: 'received', receivedAutomatically: false })
    expect(after!.sellers[0]!.deliveredAt).not.toBeNull()
    expect(await markDelivered(db, { ...admin, sellerOrderId }, clock)).toEqual({
      ok: false,
      error: 'not_shipped',
    })
    // Another cooperative never sees it or ships it.
    expect(
      await markShipped(
        db,
        {
          orgId: demo.anding,
          actorUserId: demo.coopAdmin,
          sellerOrderId,
          form: { carrier: '顺丰', trackingNumber: 'SF12345678' },
        },
        clock,
      ),
    ).toEqual({ ok: false, error: 'not_found' })
  })

  it('confirms receipt automatically ten days after shipping (injected clock)', async () => {
    const { orderId, sellerOrderId } = await paidSellerOrder()
    const shippedAt = new Date(time)
    expect(
      await markShipped(
        db,
        { ...admin, sellerOrderId, form: { carrier: '顺丰', trackingNumber: 'SF98765432' } },
        fixedClock(shippedAt),
      ),
    ).toEqual({ ok: true })
    await autoConfirmReceipts(db, fixedClock(new Date(shippedAt.getTime() + 10 * DAY - 1000)))
    let order = await getBuyerOrder(db, { userId: demoConsumer, orderId }, testBankTransfer)
    expect(order!.sellers[0]!.fulfilment).toBe('shipped')
    expect(
      await autoConfirmReceipts(db, fixedClock(new Date(shippedAt.getTime() + 10 * DAY))),
    ).toBeGreaterThanOrEqual(1)
    order = await getBuyerOrder(db, { userId: demoConsumer, orderId }, testBankTransfer)
    expect(order!.sellers[0]).toMatchObject({ fulfilment: 'received', receivedAutomatically: true })
  })

  it('lets the buyer ask for a refund of a part that has not shipped; it cannot ship while the request is open', async () => {
    const { orderId, sellerOrderId } = await paidSellerOrder()
    const input = { userId: demoConsumer, orderId, sellerOrderId, reason: '买错了规格' }
    expect(await requestSellerOrderRefund(db, input, clock)).toEqual({ ok: true })
    expect(await requestSellerOrderRefund(db, input, clock)).toEqual({
      ok: false,
      error: 'already_requested',
    })
    const [request] = await db
      .select()
      .from(refundRequests)
      .where(eq(refundRequests.sellerOrderId, sellerOrderId))
    expect(request).toMatchObject({ status: 'requested', reason: '买错了规格', requestedBy: demoConsumer })
    expect(
      await markShipped(
        db,
        { ...admin, sellerOrderId, form: { carrier: '顺丰', trackingNumber: 'SF11112222' } },
        clock,
      ),
    ).toEqual({ ok: false, error: 'refund_requested' })
    expect((await allFulfilment()).find((i) => i.sellerOrderId === sellerOrderId)!.refundRequested).toBe(true)
    const order = await getBuyerOrder(db, { userId: demoConsumer, orderId }, testBankTransfer)
    expect(order!.sellers[0]!.refundRequest).toBe('requested')

    // Finance sees the request on the payment, in its queue…
    const [payment] = await db.select().from(payments).where(eq(payments.orderId, orderId))
    const queue = await listBankTransfers(db, {
      filter: 'confirmed',
      q: payment!.reference,
      page: 1,
      pageSize: 5,
    })
    expect(queue.items[0]!.refundRequests).toMatchObject([{ reason: '买错了规格' }])
    // …and refunds the payment through its existing refund flow: the request is settled by that refund.
    expect(
      (await refundRemaining(db, { paymentId: payment!.id, financeUserId: demoFinance }, clock)).ok,
    ).toBe(true)
    const [settled] = await db
      .select()
      .from(refundRequests)
      .where(eq(refundRequests.sellerOrderId, sellerOrderId))
    expect(settled).toMatchObject({ status: 'refunded', decidedBy: demoFinance })
    expect(settled!.refundId).not.toBeNull()

    const shipped = await paidSellerOrder()
    await markShipped(
      db,
      {
        ...admin,
        sellerOrderId: shipped.sellerOrderId,
        form: { carrier: '顺丰', trackingNumber: 'SF33334444' },
      },
      clock,
    )
    expect(
      await requestSellerOrderRefund(db, { ...shipped, userId: demoConsumer, reason: '不想要了' }, clock),
    ).toEqual({ ok: false, error: 'not_refundable' })
  })

  it('finds one order among many by its number or tracking number, and lists one shipping step at a time', async () => {
    const first = await paidSellerOrder()
    const second = await paidSellerOrder()
    await markShipped(
      db,
      {
        ...admin,
        sellerOrderId: second.sellerOrderId,
        form: { carrier: '顺丰', trackingNumber: 'SF-FIND-0099' },
      },
      clock,
    )
    const list = (filter: { state?: 'all' | 'none' | 'shipped'; search?: string }) =>
      listFulfilment(db, { ...admin, page: 1, pageSize: 100, ...filter }).then((page) => page!)
    const [{ number: firstNumber }] = (await db
      .select({ number: orders.number })
      .from(orders)
      .where(eq(orders.id, first.orderId))) as [{ number: string }]

    const byNumber = await list({ search: ` ${firstNumber.toLowerCase()} ` })
    expect(byNumber.items.map((i) => i.sellerOrderId)).toEqual([first.sellerOrderId])
    expect(byNumber.total).toBe(1)
    expect((await list({ search: 'find-0099' })).items.map((i) => i.sellerOrderId)).toEqual([
      second.sellerOrderId,
    ])
    // LIKE's own wildcards are matched as text, not as patterns.
    expect((await list({ search: '%' })).total).toBe(0)
    expect((await list({ search: '_' })).total).toBe(0)

    const shipped = await list({ state: 'shipped' })
    expect(shipped.items.every((i) => i.fulfilment === 'shipped')).toBe(true)
    expect(shipped.items.map((i) => i.sellerOrderId)).toContain(second.sellerOrderId)
    const toShip = await list({ state: 'none' })
    expect(toShip.items.every((i) => i.fulfilment === 'none')).toBe(true)
    expect(toShip.items.map((i) => i.sellerOrderId)).toContain(first.sellerOrderId)
    expect((await list({ state: 'all' })).total).toBe(
      (await list({ state: 'none' })).total +
        (await list({ state: 'shipped' })).total +
        (await listFulfilment(db, { ...admin, page: 1, pageSize: 1, state: 'delivered' }))!.total +
        (await listFulfilment(db, { ...admin, page: 1, pageSize: 1, state: 'received' }))!.total,
    )
    // Another cooperative's order is not found by its number.
    await makeBuyable(db, ['PRD001'])
    const elsewhere = await buy(db, { lines: [['PRD001', 1]], at: fixedClock(new Date(time)) })
    const [{ number: otherNumber }] = (await db
      .select({ number: orders.number })
      .from(orders)
      .where(eq(orders.id, elsewhere.orderId))) as [{ number: string }]
    expect((await list({ search: otherNumber })).total).toBe(0)
  })
})
