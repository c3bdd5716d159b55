import { and, asc, eq, isNull, ne, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { changeBeneficiaries } from '../../app/domains/households/beneficiaries.server'
import { viewCart } from '../../app/domains/orders/cart.server'
import {
  appendSaleEntries,
  creditsFor,
  ledgerChainSource,
  ledgerHead,
} from '../../app/domains/ledger/ledger.server'
import { verifyLedger } from '../../app/domains/ledger/verify.server'
import { getBuyerOrder } from '../../app/domains/orders/order-views.server'
import { confirmPayment } from '../../app/domains/payments/confirm.server'
import { refundPayment, refundRemaining } from '../../app/domains/payments/refunds.server'
import { verifyChain } from '../../app/services/hash-chain/index.server'
import { type Clock, fixedClock } from '../../app/utils/clock'
import { type Db, type DbHandle, queryRows } from '../../db/client.server'
import { products } from '../../db/schema/catalog'
import { households, proceedsRules, productBeneficiaries } from '../../db/schema/households'
import { aidEntries, householdCredits } from '../../db/schema/ledger'
import { orderLines, payments } from '../../db/schema/orders'
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
    const linked = await db
      .select({ householdId: productBeneficiaries.householdId })
      .from(productBeneficiaries)
      .where(and(eq(productBeneficiaries.productId, productId), isNull(productBeneficiaries.unlinkedAt)))
    expect(
      await changeBeneficiaries(
        db,
        { productId, changes: linked.map((l) => ({ householdId: l.householdId, weight: null })) },
        clock,
      ),
    ).toEqual({ ok: true, effectiveAt: SEED_NOW })
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
      .where(
        and(eq(productBeneficiaries.productId, sale!.productId), isNull(productBeneficiaries.unlinkedAt)),
      )
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

describe(`product beneficiaries keep their history (${testDbKind()})`, () => {
  const sku = 'PRD008'
  const productId = seedUuid(`product:${sku}`)
  const hour = 3_600_000
  const at = (ms: number): Clock => fixedClock(new Date(SEED_NOW.getTime() + ms))
  const links = () =>
    db
      .select({
        householdId: productBeneficiaries.householdId,
        weight: productBeneficiaries.weight,
        linkedAt: productBeneficiaries.linkedAt,
        unlinkedAt: productBeneficiaries.unlinkedAt,
      })
      .from(productBeneficiaries)
      .where(eq(productBeneficiaries.productId, productId))
      .orderBy(asc(productBeneficiaries.householdId), asc(productBeneficiaries.linkedAt))
  const current = async () => (await links()).filter((l) => l.unlinkedAt === null)

  it('re-weights (ending the old link), unlinks and leaves unchanged links alone; a later sale follows', async () => {
    const before = await current()
    expect(before.length).toBeGreaterThanOrEqual(3)
    const [a, b, c] = before as [(typeof before)[0], (typeof before)[0], (typeof before)[0]]
    const [elsewhere] = await db
      .select({ id: households.id })
      .from(households)
      .where(
        sql`not exists (select 1 from product_beneficiaries x
                              where x.product_id = ${productId} and x.household_id = ${households.id})`,
      )
      .limit(1)
    const request = {
      productId,
      changes: [
        { householdId: a.householdId, weight: a.weight + 1 },
        { householdId: b.householdId, weight: null },
        { householdId: c.householdId, weight: c.weight },
        // Unlinking a household that is not linked changes nothing.
        { householdId: elsewhere!.id, weight: null },
      ],
    }
    expect(await changeBeneficiaries(db, request, at(hour))).toEqual({
      ok: true,
      effectiveAt: new Date(SEED_NOW.getTime() + hour),
    })
    const T = new Date(SEED_NOW.getTime() + hour)
    const history = await links()
    expect(history.filter((l) => l.householdId === a.householdId)).toEqual([
      { ...a, unlinkedAt: T },
      { householdId: a.householdId, weight: a.weight + 1, linkedAt: T, unlinkedAt: null },
    ])
    expect(history.filter((l) => l.householdId === b.householdId)).toEqual([{ ...b, unlinkedAt: T }])
    expect(history.filter((l) => l.householdId === c.householdId)).toEqual([c])
    // The same request again: nothing left to change.
    expect(await changeBeneficiaries(db, request, at(2 * hour))).toEqual({ ok: true, effectiveAt: null })
    expect(await links()).toEqual(history)

    await makeBuyable(db, [sku])
    const { orderId } = await buy(db, { lines: [[sku, 5]], at: at(3 * hour) })
    const [sale] = await db.select().from(aidEntries).where(eq(aidEntries.orderId, orderId))
    const credits = await db
      .select({ householdId: householdCredits.householdId, amountFen: householdCredits.amountFen })
      .from(householdCredits)
      .where(eq(householdCredits.entrySeq, sale!.seq))
      .orderBy(asc(householdCredits.householdId))
    expect(credits).toEqual(
      creditsFor(
        sale!.proceedsFen,
        (await current()).map((l) => ({ ...l, members: 1 })),
      ).map(({ householdId, amountFen }) => ({ householdId, amountFen })),
    )
    expect(credits.map((x) => x.householdId)).not.toContain(b.householdId)
    expect(await verifyLedger(db)).toMatchObject({ ok: true })
  })

  it('takes effect after the product’s latest sale and change, even on a clock that is behind', async () => {
    const [latest] = await db
      .select({ confirmedAt: sql<string>`max(${payments.confirmedAt})` })
      .from(payments)
      .innerJoin(orderLines, eq(orderLines.orderId, payments.orderId))
      .where(eq(orderLines.productId, productId))
    const lastSale = new Date(latest!.confirmedAt)
    expect(lastSale.getTime()).toBe(SEED_NOW.getTime() + 3 * hour)
    const [first] = await current()
    const changed = await changeBeneficiaries(
      db,
      { productId, changes: [{ householdId: first!.householdId, weight: first!.weight + 1 }] },
      at(0),
    )
    expect(changed).toEqual({ ok: true, effectiveAt: new Date(lastSale.getTime() + 1) })
    // Again on the same clock: 1 ms after that change.
    const again = await changeBeneficiaries(
      db,
      { productId, changes: [{ householdId: first!.householdId, weight: first!.weight + 2 }] },
      at(0),
    )
    expect(again).toEqual({ ok: true, effectiveAt: new Date(lastSale.getTime() + 2) })
    // The sale made before is still held to the links it was split over.
    expect(await verifyLedger(db)).toMatchObject({ ok: true })
  })

  it('waits for a confirmation under way and takes effect after it, so that its sale still verifies', async () => {
    const sku = 'PRD009'
    const id = seedUuid(`product:${sku}`)
    const T = SEED_NOW.getTime() + 20 * hour
    await makeBuyable(db, [sku])
    const pending = await buy(db, { lines: [[sku, 2]], at: at(20 * hour), confirmAt: null })
    const [first] = await db
      .select()
      .from(productBeneficiaries)
      .where(and(eq(productBeneficiaries.productId, id), isNull(productBeneficiaries.unlinkedAt)))
      .orderBy(asc(productBeneficiaries.householdId))
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    let splitDone!: () => void
    const split = new Promise<void>((resolve) => (splitDone = resolve))
    // The real confirmation, held open after its sale was split over the links of its time (T).
    const confirming = confirmPayment(
      db,
      { paymentId: pending.paymentId, receivedFen: pending.paidFen, confirmedBy: demoFinance },
      at(20 * hour),
      {
        async onConfirmed(tx, event) {
          await appendSaleEntries(tx, event)
          splitDone()
          await gate
        },
      },
    )
    await split
    // On the same clock: were it to take effect at T, the sale just split would fall under the new weight.
    const changing = changeBeneficiaries(
      db,
      { productId: id, changes: [{ householdId: first!.householdId, weight: first!.weight + 3 }] },
      at(20 * hour),
    )
    let settled = false
    const settle = () => (settled = true)
    changing.then(settle, settle)
    // Until it waits for a lock (or, were it not to wait, until it is done). PGlite has one connection: there the
    // change cannot begin before the confirmation's transaction ends.
    for (let polls = 0; handle.driver === 'postgres' && !settled && polls < 1000; polls++) {
      const [row] = await queryRows<{ n: number }>(
        db,
        sql`select count(*)::int as n from pg_stat_activity
               where datname = current_database() and wait_event_type = 'Lock'`,
      )
      if (row!.n > 0) break
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    const waitedForTheConfirmation = !settled
    release()
    expect(await confirming).toMatchObject({ ok: true })
    expect(await changing).toEqual({ ok: true, effectiveAt: new Date(T + 1) })
    expect(await verifyLedger(db)).toMatchObject({ ok: true })
    expect(waitedForTheConfirmation).toBe(true)
  })

  it('refuses an unknown product, no changes, bad weights, a household twice or off the cooperative’s roster', async () => {
    const [first] = await current()
    const one = first!.householdId
    const change = (changes: Array<{ householdId: string; weight: number | null }>, id = productId) =>
      changeBeneficiaries(db, { productId: id, changes }, at(10 * hour))
    expect(await change([{ householdId: one, weight: 1 }], seedUuid('test:no-product'))).toEqual({
      ok: false,
      reason: 'not_found',
    })
    expect(await change([{ householdId: one, weight: 1 }], 'not-a-uuid')).toEqual({
      ok: false,
      reason: 'not_found',
    })
    expect(await change([])).toEqual({ ok: false, reason: 'no_changes' })
    for (const weight of [0, -1, 1.5, 2 ** 31])
      expect(await change([{ householdId: one, weight }])).toEqual({ ok: false, reason: 'bad_weight' })
    expect(
      await change([
        { householdId: one, weight: 1 },
        { householdId: one.toUpperCase(), weight: null },
      ]),
    ).toEqual({ ok: false, reason: 'duplicate_household' })
    expect(await change([{ householdId: 'HH-1', weight: 1 }])).toEqual({ ok: false, reason: 'bad_household' })
    const [product] = await db
      .select({ orgId: products.orgId })
      .from(products)
      .where(eq(products.id, productId))
    const [foreign] = await db
      .select({ id: households.id })
      .from(households)
      .where(ne(households.orgId, product!.orgId))
      .limit(1)
    expect(await change([{ householdId: foreign!.id, weight: 1 }])).toEqual({
      ok: false,
      reason: 'bad_household',
    })
  })
})
