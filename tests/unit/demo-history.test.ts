import { describe, expect, it } from 'vitest'
import { startOfShanghaiDate } from '../../app/utils/clock'
import { planDemoHistory } from '../../db/seed/demo-history.server'
import { seedUuid } from '../../db/seed/synthetic'

const catalogue = [
  ['621126', 2500n, 1],
  ['621126', 800n, 2],
  ['621102', 4500n, 1],
  ['621124', 19000n, 1],
  ['621125', 1150n, 1],
  ['621122', 6000n, 1],
  ['330328', 19000n, 1],
  ['331121', 7500n, 1],
  ['433124', 6500n, 1],
].map(([originCode, priceFen, minOrderQty], i) => ({
  id: seedUuid(`test:product:${i}`),
  originCode: originCode as string,
  priceFen: priceFen as bigint,
  minOrderQty: minOrderQty as number,
}))
const demoConsumerId = seedUuid('user:consumer@demo.example')

describe('planDemoHistory', () => {
  it('is the same plan for the same seed time, bounded, and inside this year up to now', () => {
    const now = new Date('2026-11-26T05:00:00Z')
    const plan = planDemoHistory({ now, catalogue, demoConsumerId })
    expect(planDemoHistory({ now, catalogue, demoConsumerId })).toEqual(plan)
    expect(plan.length).toBeGreaterThan(150)
    expect(plan.length).toBeLessThanOrEqual(203)
    const yearStart = startOfShanghaiDate('2026-01-01').getTime()
    for (const order of plan) {
      expect(order.placedAt.getTime()).toBeGreaterThanOrEqual(yearStart)
      expect(order.placedAt.getTime()).toBeLessThanOrEqual(now.getTime())
      expect(order.lines.length).toBeGreaterThanOrEqual(1)
      expect(order.lines.length).toBeLessThanOrEqual(3)
      if (order.outcome.kind === 'paid')
        expect(order.outcome.confirmAt.getTime()).toBeGreaterThan(order.placedAt.getTime())
    }
    expect(plan.filter((o) => o.buyerId === demoConsumerId)).toHaveLength(1)
    const refunds = plan.flatMap((o) =>
      o.outcome.kind === 'paid' && o.outcome.refund ? [o.outcome.refund] : [],
    )
    expect(refunds.map((r) => r.kind)).toEqual(expect.arrayContaining(['partial', 'full']))
    // Mostly Fuzhou's districts, then Zhejiang, then elsewhere.
    const fuzhou = plan.filter((o) => o.buyer.regionCode.startsWith('3501')).length
    const zhejiang = plan.filter((o) => o.buyer.regionCode.startsWith('33')).length
    expect(fuzhou).toBeGreaterThan(zhejiang)
    expect(zhejiang).toBeGreaterThan(0)
  })

  it('leaves two recent transfers waiting for finance, inside their payment window', () => {
    const now = new Date('2026-11-26T05:00:00Z')
    const waiting = planDemoHistory({ now, catalogue, demoConsumerId }).filter(
      (o) => o.outcome.kind === 'unpaid' && now.getTime() - o.placedAt.getTime() < 24 * 3_600_000,
    )
    expect(waiting.map((o) => (now.getTime() - o.placedAt.getTime()) / 3_600_000)).toEqual([23, 3])
    for (const order of waiting) expect(order.buyer.regionCode.startsWith('3501')).toBe(true)
  })

  it('stays small early in January and never plans an order after now', () => {
    const now = new Date('2026-01-01T03:00:00Z') // 11:00 in Shanghai on 1 January
    const plan = planDemoHistory({ now, catalogue, demoConsumerId })
    expect(plan.length).toBeLessThanOrEqual(14)
    for (const order of plan) expect(order.placedAt.getTime()).toBeLessThanOrEqual(now.getTime())
  })
})
