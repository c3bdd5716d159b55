import { eq, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { viewCart } from '../../app/models/cart.server'
import { ledgerChainSource, ledgerHead } from '../../app/models/ledger.server'
import { getBuyerOrder } from '../../app/models/order-views.server'
import { refundPayment, refundRemaining } from '../../app/models/refunds.server'
import { verifyChain } from '../../app/services/hash-chain.server'
import { fixedClock } from '../../app/utils/clock'
import { type Db, type DbHandle, queryRows } from '../../db/client.server'
import { proceedsRules, productBeneficiaries } from '../../db/schema/households'
import { aidEntries, householdCredits } from '../../db/schema/ledger'
import { orderLines } from '../../db/schema/orders'
import { seedUuid } from '../../db/seed/synthetic'
import { openTestDatabase, testDbKind } from '../support/db'
import { buy, demoConsumer, demoFinance, makeBuyable, testBankTransfer } from '../support/shopping'
import { SEED_NOW } from '../support/test-clock'

const finance = demoFinance
const clock = fixedClock(SEED_NOW)
let handle: DbHandle
let db: Db

beforeAll(async () => {
  handle = await openTestDatabase('seeded')
  db = handle.db
})

/** The consumer buys `qty` of one product delivered to `regionCode`, and finance confirms the transfer. */
async function buyAndConfirm(sku: string, regionCode: string, qty = 1) {
  await makeBuyable(db, [sku])
  return (await buy(db, { lines: [[sku, qty]], regionCode })).orderId
}

describe(`ledger (${testDbKind()})`, () => {
  it('a confirmed payment appends one chained entry per line, credits households and rolls up', async () => {
    const before = await ledgerHead(db)
    const orderId = await buyAndConfirm('PRD005', '350102', 3)
    const entries = await db.select().from(aidEntries).where(eq(aidEntries.orderId, orderId))
    expect(entries).toHaveLength(1)
    const entry = entries[0]!
    expect(entry.seq).toBe(before.seq + 1)
    expect(entry.kind).toBe('sale')
    expect(entry.buyerRegionCode).toBe('350102')
    expect(entry.aidCategory).toBe('sales_assist')
    const credits = await db.select().from(householdCredits).where(eq(householdCredits.entrySeq, entry.seq))
    expect(credits.reduce((s, c) => s + c.amountFen, 0n)).toBe(entry.proceedsFen)
    const [rollup] = await queryRows<{ amount: string }>(
      db,
      sql`select sum(amount_fen)::text as amount from aid_rollups`,
    )
    const [raw] = await queryRows<{ amount: string }>(
      db,
      sql`select sum(amount_fen)::text as amount from aid_entries`,
    )
    expect(rollup!.amount).toBe(raw!.amount)
    const verified = await verifyChain(db, ledgerChainSource)
    expect(verified).toMatchObject({ ok: true, headSeq: entry.seq })
    expect((await ledgerHead(db)).hash).toBe(entry.hash)
  })

  it('refunds in parts append reversals that bring proceeds, credits and rollups back to zero', async () => {
    const orderId = await buyAndConfirm('PRD006', '350102', 4)
    const [sale] = await db.select().from(aidEntries).where(eq(aidEntries.orderId, orderId))
    const refund = (amountFen: bigint) =>
      refundPayment(
        db,
        {
          paymentId: sale!.paymentId,
          lines: [{ orderLineId: sale!.orderLineId, amountFen }],
          financeUserId: finance,
        },
        clock,
      )
    const third = sale!.amountFen / 3n
    expect(await refund(third)).toMatchObject({ ok: true })
    expect(await refund(sale!.amountFen)).toEqual({ ok: false, reason: 'exceeds_line' })
    expect(await refund(sale!.amountFen - third)).toMatchObject({ ok: true })
    expect(await refund(1n)).toEqual({ ok: false, reason: 'exceeds_line' })

    const entries = await db.select().from(aidEntries).where(eq(aidEntries.orderId, orderId))
    expect(entries.map((e) => e.kind).sort()).toEqual(['reversal', 'reversal', 'sale'])
    expect(entries.reduce((sum, e) => sum + e.amountFen, 0n)).toBe(0n)
    expect(entries.reduce((sum, e) => sum + e.proceedsFen, 0n)).toBe(0n)
    const [perHousehold] = await queryRows<{ nonzero: unknown }>(
      db,
      sql`select count(*) as nonzero from (
            select household_id from household_credits where entry_seq in (
              select seq from aid_entries where order_id = ${orderId})
            group by household_id having sum(amount_fen) <> 0) h`,
    )
    expect(Number(perHousehold!.nonzero)).toBe(0)
    const [rollup] = await queryRows<{ amount: string }>(
      db,
      sql`select sum(amount_fen)::text as amount from aid_rollups`,
    )
    const [raw] = await queryRows<{ amount: string }>(
      db,
      sql`select sum(amount_fen)::text as amount from aid_entries`,
    )
    expect(rollup!.amount).toBe(raw!.amount)
    expect(await verifyChain(db, ledgerChainSource)).toMatchObject({ ok: true })
  })

  it('a product with a proceeds rule but no beneficiaries promises nothing, and credits nothing', async () => {
    const sku = 'PRD020'
    const productId = seedUuid(`product:${sku}`)
    expect(await db.select().from(proceedsRules).where(eq(proceedsRules.productId, productId))).toHaveLength(
      1,
    )
    await db.delete(productBeneficiaries).where(eq(productBeneficiaries.productId, productId))
    await makeBuyable(db, [sku])
    // The cart shows no household share for it…
    const view = await viewCart(db, [{ productId, qty: 2 }])
    expect(view.totalFen).toBeGreaterThan(0)
    expect(view.proceedsFen).toBe(0)
    // …the order records none, and the ledger counts the sale with no proceeds and no credits.
    const { orderId } = await buy(db, { lines: [[sku, 2]] })
    const [line] = await db.select().from(orderLines).where(eq(orderLines.orderId, orderId))
    expect(line!.proceedsFen).toBe(0n)
    const [entry] = await db.select().from(aidEntries).where(eq(aidEntries.orderId, orderId))
    expect(entry).toMatchObject({ kind: 'sale', amountFen: line!.amountFen, proceedsFen: 0n })
    expect(await db.select().from(householdCredits).where(eq(householdCredits.entrySeq, entry!.seq))).toEqual(
      [],
    )
  })

  it('refuses refunds of unconfirmed payments and of lines not in the payment', async () => {
    const orderId = await buyAndConfirm('PRD005', '350102', 1)
    const [sale] = await db.select().from(aidEntries).where(eq(aidEntries.orderId, orderId))
    const other = seedUuid('test:not-a-line')
    expect(
      await refundPayment(
        db,
        {
          paymentId: sale!.paymentId,
          lines: [{ orderLineId: other, amountFen: 1n }],
          financeUserId: finance,
        },
        clock,
      ),
    ).toEqual({ ok: false, reason: 'unknown_line' })
    expect(
      await refundPayment(
        db,
        {
          paymentId: sale!.paymentId,
          lines: [{ orderLineId: sale!.orderLineId, amountFen: 0n }],
          financeUserId: finance,
        },
        clock,
      ),
    ).toEqual({ ok: false, reason: 'bad_amount' })
  })
})

describe(`full refund from the finance page (${testDbKind()})`, () => {
  it('refunds what is left after a partial refund, then has nothing left to refund', async () => {
    const orderId = await buyAndConfirm('PRD005', '350102', 2)
    const [sale] = await db.select().from(aidEntries).where(eq(aidEntries.orderId, orderId))
    // The buyer's order page says what the payment credited: every household of the product, all its proceeds.
    const credited = async () =>
      (await getBuyerOrder(db, { userId: demoConsumer, orderId }, testBankTransfer))!.credited
    const beneficiaries = await db
      .select()
      .from(productBeneficiaries)
      .where(eq(productBeneficiaries.productId, sale!.productId))
    expect(sale!.proceedsFen).toBeGreaterThan(0n)
    expect(await credited()).toEqual({
      households: beneficiaries.length,
      amountFen: Number(sale!.proceedsFen),
    })
    const partial = await refundPayment(
      db,
      {
        paymentId: sale!.paymentId,
        lines: [{ orderLineId: sale!.orderLineId, amountFen: 1n }],
        financeUserId: finance,
      },
      clock,
    )
    expect(partial).toMatchObject({ ok: true, amountFen: 1n })
    const rest = await refundRemaining(db, { paymentId: sale!.paymentId, financeUserId: finance }, clock)
    expect(rest).toMatchObject({ ok: true, amountFen: sale!.amountFen - 1n })
    expect(await refundRemaining(db, { paymentId: sale!.paymentId, financeUserId: finance }, clock)).toEqual({
      ok: false,
      reason: 'no_lines',
    })
    const [left] = await queryRows<{ amount: string }>(
      db,
      sql`select sum(amount_fen)::text as amount from aid_entries where order_id = ${orderId}`,
    )
    expect(left!.amount).toBe('0')
    // Refunded in full, it credits no one any more.
    expect(await credited()).toEqual({ households: 0, amountFen: 0 })
  })
})
