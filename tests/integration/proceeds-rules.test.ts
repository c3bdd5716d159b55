import { eq, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { getProductPage } from '../../app/domains/catalog/index.server'
import {
  getProductBeneficiaries,
  linkHousehold,
  reweighHousehold,
  setProceedsRule,
  unlinkHousehold,
} from '../../app/domains/households/index.server'
import { confirmBankTransfer } from '../../app/domains/payments/finance.server'
import { type Clock, fixedClock } from '../../app/utils/clock'
import { type Db, type DbHandle, queryRows } from '../../db/client.server'
import { products } from '../../db/schema/catalog'
import { proceedsRuleChanges } from '../../db/schema/households'
import { aidEntries } from '../../db/schema/ledger'
import { orderLines, payments } from '../../db/schema/orders'
import { demo, productId } from '../support/coop'
import { openTestDatabase, testDbKind } from '../support/db'
import { buy, demoFinance, makeBuyable } from '../support/shopping'
import { SEED_NOW } from '../support/test-clock'

let handle: DbHandle
let db: Db
let time = SEED_NOW.getTime()
const tick = (): Clock => fixedClock(new Date((time += 60_000)))
const clock: Clock = { now: () => new Date((time += 60_000)) }

const admin = { orgId: demo.minxian, actorUserId: demo.coopAdmin }
const staff = { orgId: demo.minxian, actorUserId: demo.coopStaff }

beforeAll(async () => {
  handle = await openTestDatabase('seeded')
  db = handle.db
})

async function lineOf(orderId: string) {
  const [line] = await db.select().from(orderLines).where(eq(orderLines.orderId, orderId))
  return line!
}

describe(`proceeds rules (${testDbKind()})`, () => {
  it('a rule change applies to orders placed after it: an order already placed keeps its promise', async () => {
    const product = productId('PRD030')
    await makeBuyable(db, ['PRD030'])
    expect(
      await setProceedsRule(
        db,
        { ...admin, productId: product, form: { kind: 'basis_points', percent: '10' } },
        clock,
      ),
    ).toEqual({ ok: true })
    const before = await buy(db, { lines: [['PRD030', 3]], at: tick(), confirmAt: null })
    const placedLine = await lineOf(before.orderId)
    expect(placedLine.proceedsFen).toBe((placedLine.amountFen * 1000n) / 10_000n)

    expect(
      await setProceedsRule(
        db,
        { ...admin, productId: product, form: { kind: 'basis_points', percent: '20' } },
        clock,
      ),
    ).toEqual({ ok: true })
    // Paid after the change: credited what was promised when it was placed.
    const [payment] = await db.select().from(payments).where(eq(payments.orderId, before.orderId))
    const confirmed = await confirmBankTransfer(
      db,
      { paymentId: payment!.id, receivedFen: payment!.amountFen, financeUserId: demoFinance },
      tick(),
    )
    expect(confirmed.ok).toBe(true)
    const [entry] = await db.select().from(aidEntries).where(eq(aidEntries.orderId, before.orderId))
    expect(entry!.proceedsFen).toBe(placedLine.proceedsFen)
    const credits = await queryRows<{ total: string }>(
      db,
      sql`select sum(amount_fen)::text as total from household_credits where entry_seq = ${entry!.seq}`,
    )
    expect(BigInt(credits[0]!.total)).toBe(placedLine.proceedsFen)

    // Placed after the change: the new rule.
    const after = await buy(db, { lines: [['PRD030', 3]], at: tick(), confirmAt: null })
    const newLine = await lineOf(after.orderId)
    expect(newLine.proceedsFen).toBe((newLine.amountFen * 2000n) / 10_000n)

    // Both changes are in the history, newest first on the page.
    const changes = await db
      .select()
      .from(proceedsRuleChanges)
      .where(eq(proceedsRuleChanges.productId, product))
    expect(changes.map((c) => c.basisPoints).slice(-2)).toEqual([1000, 2000])
    const view = await getProductBeneficiaries(db, { ...staff, productId: product })
    expect(view!.rule).toEqual({ kind: 'basis_points', basisPoints: 2000 })
    expect(view!.history[0]!.rule).toEqual({ kind: 'basis_points', basisPoints: 2000 })
    expect(view!.canChange).toBe(false)
  })

  it('fen per unit is capped at the line amount; bad values are answered next to their field', async () => {
    const product = productId('PRD031')
    await makeBuyable(db, ['PRD031'])
    const [{ priceFen }] = (await db
      .select({ priceFen: products.priceFen })
      .from(products)
      .where(eq(products.id, product))) as [{ priceFen: bigint }]
    const huge = ((Number(priceFen) + 500) / 100).toFixed(2)
    expect(
      await setProceedsRule(
        db,
        { ...admin, productId: product, form: { kind: 'fen_per_unit', yuanPerUnit: huge } },
        clock,
      ),
    ).toEqual({ ok: true })
    const order = await buy(db, { lines: [['PRD031', 1]], at: tick(), confirmAt: null })
    const line = await lineOf(order.orderId)
    expect(line.proceedsFen).toBe(line.amountFen)

    for (const [form, field, message] of [
      [{ kind: 'basis_points', percent: '101' }, 'percent', 'proceeds.error.percent'],
      [{ kind: 'basis_points', percent: '1.234' }, 'percent', 'proceeds.error.percent'],
      [{ kind: 'fen_per_unit', yuanPerUnit: '-1' }, 'yuanPerUnit', 'proceeds.error.yuanPerUnit'],
      [{ kind: 'everything' }, 'kind', 'proceeds.error.kind'],
    ] as const) {
      expect(await setProceedsRule(db, { ...admin, productId: product, form }, clock)).toEqual({
        ok: false,
        error: 'invalid',
        errors: { [field]: [message] },
      })
    }
    // Staff read but do not change; another cooperative's product is not found.
    expect(
      await setProceedsRule(db, { ...staff, productId: product, form: { kind: 'none' } }, clock),
    ).toEqual({ ok: false, error: 'not_found' })
    expect(
      await setProceedsRule(db, { ...admin, productId: productId('PRD001'), form: { kind: 'none' } }, clock),
    ).toEqual({ ok: false, error: 'not_found' })
    expect(await getProductBeneficiaries(db, { ...admin, productId: productId('PRD001') })).toBeNull()
  })

  it('links, re-weighs and unlinks households; a product without beneficiaries promises nothing on its page', async () => {
    const product = productId('PRD032')
    const view = await getProductBeneficiaries(db, { ...admin, productId: product })
    expect(view!.links.length).toBeGreaterThan(0)
    const [{ slug }] = (await db
      .select({ slug: products.slug })
      .from(products)
      .where(eq(products.id, product))) as [{ slug: string }]
    const today = '2026-06-15'
    await db.update(products).set({ status: 'active' }).where(eq(products.id, product))
    for (const link of view!.links) {
      expect(
        await unlinkHousehold(db, { ...admin, productId: product, householdId: link.householdId }, clock),
      ).toEqual({
        ok: true,
      })
    }
    const page = await getProductPage(db, slug, today)
    expect(page!.impact).toBeNull()
    const empty = await getProductBeneficiaries(db, { ...admin, productId: product })
    expect(empty!.links).toEqual([])
    expect(empty!.perUnitFen).toBe('0')

    const first = view!.links[0]!
    expect(
      await linkHousehold(
        db,
        { ...admin, productId: product, form: { householdCode: first.code, weight: '3' } },
        clock,
      ),
    ).toEqual({ ok: true })
    expect(
      await linkHousehold(
        db,
        { ...admin, productId: product, form: { householdCode: 'HH-000000-9999', weight: '3' } },
        clock,
      ),
    ).toEqual({ ok: false, error: 'invalid', errors: { householdCode: ['proceeds.error.unknownHousehold'] } })
    expect(
      await reweighHousehold(
        db,
        { ...admin, productId: product, form: { householdId: first.householdId, weight: '5' } },
        clock,
      ),
    ).toEqual({ ok: true })
    const relinked = await getProductBeneficiaries(db, { ...admin, productId: product })
    expect(relinked!.links.map((l) => [l.code, l.weight])).toEqual([[first.code, 5]])
    expect((await getProductPage(db, slug, today))!.impact).toMatchObject({ households: 1 })
  })
})
