import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DEFAULT_PAYMENT_TERM_DAYS, isOverdue, paymentDueAt } from '../../app/domains/procurement'
import { periodElapsedBp } from '../../app/domains/targets'
import { shanghaiDate } from '../../app/utils/clock'
import {
  demoUnits,
  fuzhouDingxiPairs,
  planUnitYear,
  type PlannedUnitOrder,
  type UnitCatalogueProduct,
} from '../../db/seed/demo-units.server'
import { demoPriceFen } from '../../db/seed/seed.server'
import { loadSourceData } from '../../db/seed/source-data.server'
import { seedUuid } from '../../db/seed/synthetic'

// The seed's own catalogue of Dingxi products: its prices and its volume tiers (5% off from 10, 10% from 50).
const catalogue: UnitCatalogueProduct[] = loadSourceData()
  .products.filter((p) => p.county_code.startsWith('6211'))
  .map((p, i) => {
    const priceFen = demoPriceFen(p.price_cny)
    return {
      id: seedUuid(`test:product:${p.id}`),
      sku: p.id,
      orgId: seedUuid(`test:coop:${p.county_code}:${i % 2}`),
      originCode: p.county_code,
      priceFen,
      minOrderQty: priceFen < 1000n ? 2 : 1,
      tiers: [
        { minQty: 10, unitPriceFen: (priceFen * 95n) / 100n },
        { minQty: 50, unitPriceFen: (priceFen * 90n) / 100n },
      ],
    }
  })
const pairs = fuzhouDingxiPairs()
const units = demoUnits(pairs)
const GOAL = 20_000_000_000n // ¥2亿

function plan(year: number, goalFen = GOAL): PlannedUnitOrder[] {
  return planUnitYear({ year, goalFen, units, catalogue, pairs })
}

/** Each day's counted amount against the target's pace as the dashboard states it (periodElapsedBp). */
function paceRatios(orders: readonly PlannedUnitOrder[], year: number, goalFen: bigint) {
  const byDay = new Map<string, bigint>()
  for (const o of orders) {
    const day = shanghaiDate(o.at.confirm)
    byDay.set(day, (byDay.get(day) ?? 0n) + o.countedFen)
  }
  const ratios: Array<{ day: string; ratio: number }> = []
  let counted = 0n
  for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10)
    counted += byDay.get(day) ?? 0n
    const paceFen = (goalFen * BigInt(periodElapsedBp(`${year}-01-01`, `${year}-12-31`, day))) / 10_000n
    ratios.push({ day, ratio: Number(counted) / Number(paceFen) })
  }
  return ratios
}

describe('the demo units', () => {
  it('are three synthetic units in each of twelve Fuzhou divisions, with a buyer and an approver each', () => {
    expect(units).toHaveLength(36)
    expect(new Set(units.map((u) => u.regionCode)).size).toBe(12)
    for (const u of units) {
      expect(u.regionCode.startsWith('3501')).toBe(true)
      expect(u.name.endsWith('（演示）')).toBe(true)
      expect(u.buyer.email.endsWith('.demo.example')).toBe(true)
      expect(u.approver.email).not.toBe(u.buyer.email)
    }
    // The five documented district pairs give their districts' units a partner county.
    expect(units.filter((u) => u.pairedCounty !== null)).toHaveLength(15)
  })
})

describe('planUnitYear', () => {
  it('is the same plan for the same year and catalogue', () => {
    expect(plan(2026)).toEqual(plan(2026))
  })

  it('keeps 福州→定西 within ±15% of its pro-rata pace on every day of the year', () => {
    for (const year of [2025, 2026, 2028]) {
      const ratios = paceRatios(plan(year), year, GOAL)
      const outside = ratios.filter((r) => r.ratio < 0.85 || r.ratio > 1.15)
      expect(outside).toEqual([])
      // And it is not a straight line: the pace is visibly above and below.
      expect(Math.max(...ratios.map((r) => r.ratio))).toBeGreaterThan(1.03)
      expect(Math.min(...ratios.map((r) => r.ratio))).toBeLessThan(0.97)
    }
  })

  it('keeps the pace for any year and any goal from ¥1千万 to ¥3亿', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2024, max: 2032 }),
        fc.bigInt({ min: 1_000_000_000n, max: 30_000_000_000n }),
        (year, goalFen) => {
          const ratios = paceRatios(plan(year, goalFen), year, goalFen)
          return ratios.every((r) => r.ratio >= 0.85 && r.ratio <= 1.15)
        },
      ),
      { numRuns: 12 },
    )
  })

  it("spreads the districts' sub-targets: some ahead of their pace, some behind", () => {
    const orders = plan(2026)
    const subGoal = Number(GOAL) * 0.15
    const progress = pairs.map((pair) => {
      const fen = orders
        .filter((o) => o.unit.regionCode === pair.helperCode)
        .flatMap((o) =>
          o.lines
            .filter((l) => catalogue.find((p) => p.id === l.productId)!.originCode === pair.helpedCode)
            .map(() => o),
        )
        .filter((o, i, all) => all.indexOf(o) === i)
        .reduce((sum, o) => sum + Number(o.countedFen), 0)
      return fen / subGoal
    })
    expect(Math.max(...progress)).toBeGreaterThan(1.1)
    expect(Math.min(...progress)).toBeLessThan(0.85)
  })

  it('plans orders a unit could place: bulk lines, office hours, paid within the 30-day term after 验收 but for a few late payers', () => {
    const orders = plan(2026)
    expect(orders.length).toBeGreaterThan(100)
    expect(orders.length).toBeLessThan(250)
    expect(new Set(orders.map((o) => o.unit.key)).size).toBeGreaterThanOrEqual(30)
    const shortfalls = orders.filter((o) => o.shortfall !== null)
    expect(shortfalls.length).toBeGreaterThan(orders.length * 0.05)
    const hour = (d: Date) => (d.getUTCHours() + 8) % 24
    for (const o of orders) {
      expect(o.lines.length).toBeGreaterThanOrEqual(1)
      for (const line of o.lines) {
        const product = catalogue.find((p) => p.id === line.productId)!
        expect(product.originCode.startsWith('6211')).toBe(true)
        expect(line.qty).toBeGreaterThanOrEqual(10)
        expect(line.qty).toBeLessThanOrEqual(30_000)
        // Priced by the tiers: 10% off from 50.
        expect(line.unitPriceFen).toBe((product.priceFen * 90n) / 100n)
        // A paired district's own stream buys from its partner only.
        if (o.stream !== null) expect(product.originCode).toBe(o.stream)
        else expect(product.originCode).not.toBe(o.unit.pairedCounty)
      }
      const ordered = o.lines.reduce((sum, l) => sum + l.unitPriceFen * BigInt(l.qty), 0n)
      expect(o.orderedFen).toBe(ordered)
      const rejected = o.shortfall ? o.lines[0]!.unitPriceFen * BigInt(o.shortfall.rejectedQty) : 0n
      expect(o.countedFen).toBe(ordered - rejected)
      if (o.shortfall) expect(o.shortfall.rejectedQty).toBeLessThan(o.lines[0]!.qty)
      const { submit, approve, ship, deliver, accept, answer, confirm } = o.at
      const chain = [submit, approve, ship, deliver, accept, confirm].map((d) => d.getTime())
      expect(chain).toEqual([...chain].sort((a, b) => a - b))
      expect(answer.getTime()).toBeGreaterThan(accept.getTime())
      for (const moment of [submit, approve, ship, deliver, accept, answer, confirm]) {
        expect(hour(moment)).toBeGreaterThanOrEqual(8)
        expect(hour(moment)).toBeLessThan(18)
      }
      const overdueAtPayment = isOverdue(paymentDueAt(accept, DEFAULT_PAYMENT_TERM_DAYS), confirm, false)
      expect(overdueAtPayment).toBe(o.late)
    }
    // Every payment falls in the year but the last late payer's, in the January after (outside the year's count).
    const after = orders.filter((o) => !shanghaiDate(o.at.confirm).startsWith('2026'))
    expect(after).toHaveLength(1)
    expect(after[0]!.late).toBe(true)
    expect(shanghaiDate(after[0]!.at.confirm).startsWith('2027-01')).toBe(true)
  })

  it('has some unit order overdue on every day of the year, as a demo opened on any day should show', () => {
    for (const year of [2026, 2028]) {
      const orders = plan(year)
      const late = orders.filter((o) => o.late)
      expect(late.length).toBeGreaterThan(15)
      expect(late.length).toBeLessThan(orders.length / 4)
      for (let t = Date.UTC(year, 0, 1, 4); t < Date.UTC(year + 1, 0, 1); t += 3 * 3_600_000) {
        const now = new Date(t)
        const overdue = late.filter(
          (o) =>
            o.at.accept <= now &&
            now < o.at.confirm &&
            isOverdue(paymentDueAt(o.at.accept, DEFAULT_PAYMENT_TERM_DAYS), now, false),
        )
        expect(overdue.length, now.toISOString()).toBeGreaterThan(0)
      }
    }
  })
})
