import ExcelJS from 'exceljs'
import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { exportCoopReport, getCoopReport } from '../../app/domains/coop/index.server'
import { createHousehold, linkHousehold } from '../../app/domains/households/index.server'
import { verifyLedger } from '../../app/domains/ledger/index.server'
import { refundRemaining } from '../../app/domains/payments/refunds.server'
import { type Clock, fixedClock } from '../../app/utils/clock'
import { type Db, type DbHandle, queryRows } from '../../db/client.server'
import { demo, productId } from '../support/coop'
import { openTestDatabase, testDbKind } from '../support/db'
import { householdForm } from '../support/households'
import { buy, demoFinance, makeBuyable } from '../support/shopping'
import { SEED_NOW } from '../support/test-clock'

let handle: DbHandle
let db: Db
const clock: Clock = fixedClock(SEED_NOW)
const admin = { orgId: demo.minxian, actorUserId: demo.coopAdmin }
const year = { from: '2026-01-01', to: '2026-12-31' }

beforeAll(async () => {
  handle = await openTestDatabase('seeded')
  db = handle.db
  await makeBuyable(db, ['PRD030', 'PRD031', 'PRD001'])
  const household = await createHousehold(
    db,
    { ...admin, form: householdForm({ village: '=HYPERLINK("http://x")村' }) },
    clock,
  )
  if (!household.ok) throw new Error('createHousehold failed')
  expect(
    await linkHousehold(
      db,
      { ...admin, productId: productId('PRD030'), form: { householdCode: household.code, weight: '2' } },
      clock,
    ),
  ).toEqual({ ok: true })
  const june = fixedClock(new Date('2026-06-20T04:00:00Z'))
  const july = fixedClock(new Date('2026-07-20T04:00:00Z'))
  await buy(db, {
    lines: [
      ['PRD030', 3],
      ['PRD031', 2],
    ],
    at: june,
  })
  await buy(db, { lines: [['PRD030', 1]], at: july })
  // Another cooperative's sale: not in this report.
  await buy(db, { lines: [['PRD001', 2]], at: june })
  // A refund in July reverses part of the credits.
  const refunded = await buy(db, { lines: [['PRD030', 2]], at: july })
  expect(
    (await refundRemaining(db, { paymentId: refunded.paymentId, financeUserId: demoFinance }, july)).ok,
  ).toBe(true)
})

async function rawCredits(period: { from: string; to: string }) {
  return queryRows<{ code: string; total: string }>(
    db,
    sql`select h.code, sum(c.amount_fen)::text as total from household_credits c
          join aid_entries e on e.seq = c.entry_seq join households h on h.id = c.household_id
         where h.org_id = ${demo.minxian} and e.day between ${period.from}::date and ${period.to}::date
         group by h.code order by h.code`,
  )
}

describe(`cooperative reports (${testDbKind()})`, () => {
  it('credits per household and sales totals equal the ledger’s own sums, and the ledger verifies', async () => {
    expect((await verifyLedger(db)).ok).toBe(true)
    for (const period of [
      year,
      { from: '2026-06-01', to: '2026-06-30' },
      { from: '2026-07-01', to: '2026-07-31' },
    ]) {
      const report = await getCoopReport(db, { ...admin, period })
      const raw = await rawCredits(period)
      expect(report!.households.map((h) => [h.code, h.creditedFen])).toEqual(
        raw.map((r) => [r.code, r.total]),
      )
      expect(BigInt(report!.householdsTotalFen)).toBe(raw.reduce((a, r) => a + BigInt(r.total), 0n))
      const [sales] = await queryRows<{
        amount: string | null
        proceeds: string | null
        quantity: string | null
      }>(
        db,
        sql`select sum(amount_fen)::text as amount, sum(proceeds_fen)::text as proceeds, sum(quantity)::text as quantity
              from aid_entries where seller_org_id = ${demo.minxian}
               and day between ${period.from}::date and ${period.to}::date`,
      )
      expect(report!.salesTotal).toEqual({
        amountFen: sales!.amount ?? '0',
        proceedsFen: sales!.proceeds ?? '0',
        quantity: sales!.quantity ?? '0',
      })
      // What households were credited is what the sales promised them (refunds reversed alike).
      expect(report!.householdsTotalFen).toBe(report!.salesTotal.proceedsFen)
    }
    const whole = await getCoopReport(db, { ...admin, period: year })
    expect(whole!.sales.map((s) => [s.month, s.sku])).toEqual([
      ['2026-06', 'PRD030'],
      ['2026-06', 'PRD031'],
      ['2026-07', 'PRD030'],
    ])
    expect(BigInt(whole!.householdsTotalFen)).toBeGreaterThan(0n)
    expect(whole!.households.every((h) => h.maskedName.includes('*'))).toBe(true)
    // Another cooperative's report holds none of these households.
    const other = await getCoopReport(db, { orgId: demo.anding, actorUserId: demo.coopAdmin, period: year })
    expect(other).toBeNull()
  })

  it('exports CSV (BOM, neutralised) and XLSX (numbers, a total row) with the same figures', async () => {
    const report = (await getCoopReport(db, { ...admin, period: year }))!
    const csv = await exportCoopReport(db, { ...admin, period: year, kind: 'households', format: 'csv' })
    const text = csv!.body.toString('utf8')
    expect(text.startsWith('\uFEFF农户编号,')).toBe(true)
    expect(text).toContain(`"'=HYPERLINK(""http://x"")村"`)
    const total = BigInt(report.householdsTotalFen)
    expect(text.trimEnd().split('\r\n').at(-1)).toBe(
      `合计,,,${report.households.reduce((a, h) => a + h.entries, 0)},${total / 100n}.${String(total % 100n).padStart(2, '0')}`,
    )
    const xlsx = await exportCoopReport(db, { ...admin, period: year, kind: 'sales', format: 'xlsx' })
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(xlsx!.body as unknown as ArrayBuffer)
    const sheet = workbook.worksheets[0]!
    const last = sheet.getRow(sheet.rowCount)
    expect(last.getCell(1).value).toBe('合计')
    expect(last.getCell(5).value).toBe(Number(report.salesTotal.amountFen) / 100)
    expect(typeof sheet.getRow(2).getCell(4).value).toBe('number')
  })
})
