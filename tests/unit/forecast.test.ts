import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { forecastFrom } from '../../app/domains/targets/targets.server'
import { fcParams } from '../support/fast-check'

describe('target forecast', () => {
  it('carries the last 30 days’ pace to the period end and dates the goal', () => {
    // ¥30,000 in 30 days = ¥1,000 a day; ¥100,000 reached of ¥200,000 with 200 days left.
    const forecast = forecastFrom({
      achievedFen: 10_000_000n,
      goalFen: 20_000_000n,
      last30DaysFen: 3_000_000n,
      today: '2026-06-15',
      periodEnd: '2026-12-31',
    })
    expect(forecast).toEqual({
      state: 'projected',
      dailyPaceFen: '100000',
      projectedFen: String(10_000_000 + 100_000 * 199),
      completionDate: '2026-09-23',
    })
  })

  it('says there is no pace without recent sales, and no completion date when the goal is out of reach', () => {
    const base = { achievedFen: 0n, goalFen: 10n ** 10n, today: '2026-12-01', periodEnd: '2026-12-31' }
    expect(forecastFrom({ ...base, last30DaysFen: 0n })).toEqual({ state: 'no_pace' })
    expect(forecastFrom({ ...base, last30DaysFen: 3_000n })).toMatchObject({ completionDate: null })
  })

  it('never projects less than what is achieved, and a completion date only when the projection reaches the goal', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 11n }),
        fc.bigInt({ min: 1n, max: 10n ** 11n }),
        fc.bigInt({ min: 30n, max: 10n ** 10n }),
        fc.integer({ min: 0, max: 364 }),
        (achievedFen, goalFen, last30DaysFen, daysLeft) => {
          const today = '2026-01-01'
          const periodEnd = new Date(Date.parse('2026-01-01T00:00:00Z') + daysLeft * 86_400_000)
            .toISOString()
            .slice(0, 10)
          const f = forecastFrom({ achievedFen, goalFen, last30DaysFen, today, periodEnd })
          if (f.state !== 'projected') throw new Error('a positive pace projects')
          expect(BigInt(f.projectedFen)).toBeGreaterThanOrEqual(achievedFen)
          if (f.completionDate !== null) {
            expect(f.completionDate >= today && f.completionDate <= periodEnd).toBe(true)
            expect(BigInt(f.projectedFen) >= goalFen).toBe(true)
          } else expect(BigInt(f.projectedFen) < goalFen).toBe(true)
        },
      ),
      fcParams(),
    )
  })
})
