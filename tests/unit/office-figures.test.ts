import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { targetInJurisdiction } from '../../app/domains/targets/dashboard.server'
import { progressPercent } from '../../app/utils/money'
import { fcParams } from '../support/fast-check'

const YUAN = 100n

describe('office dashboard figures (issue 19)', () => {
  it('never shows 100% before the goal: ¥199,999,999 of ¥2亿 is 99.9%', () => {
    expect(progressPercent(199_999_999n * YUAN, 200_000_000n * YUAN)).toBe('99.9%')
    expect(progressPercent(200_000_000n * YUAN, 200_000_000n * YUAN)).toBe('100.0%')
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 14n }),
        fc.bigInt({ min: 1n, max: 10n ** 6n }),
        (goal, short) => {
          const achieved = goal > short ? goal - short : 0n
          expect(progressPercent(achieved, goal)).not.toMatch(/^100(\.0)?%$/)
        },
      ),
      fcParams(),
    )
  })

  it('gives an office the targets whose helped or helping side lies wholly in its jurisdiction', () => {
    const fuzhou = ['350100', '621100']
    const target = (helpedCodes: string[], helperCodes: string[], kind = 'demo') => ({
      kind,
      helpedCodes,
      helperCodes,
    })
    expect(targetInJurisdiction(target(['621100'], ['350100']), fuzhou)).toBe(true)
    expect(targetInJurisdiction(target(['621126'], ['330000']), fuzhou)).toBe(true)
    expect(targetInJurisdiction(target(['621126', '620500'], ['330000']), fuzhou)).toBe(false)
    expect(targetInJurisdiction(target(['330100'], ['330000']), fuzhou)).toBe(false)
    expect(targetInJurisdiction(target([], []), fuzhou)).toBe(false)
    expect(targetInJurisdiction(target(['621100'], ['350100'], 'reference'), fuzhou)).toBe(false)
    // A province-wide office covers every county of the province.
    expect(targetInJurisdiction(target(['621102', '621126'], []), ['620000'])).toBe(true)
  })
})
