import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { creditsFor } from '../../app/domains/ledger/ledger.server'
import { refundedProceeds, reversedCredits } from '../../app/domains/ledger/reversals'
import { fcParams } from '../support/fast-check'

/** A line, the proceeds it carries, its households, and its amount cut into refunds that add up to all of it. */
const refundedLine = fc
  .record({
    amountFen: fc.bigInt({ min: 1n, max: 10n ** 12n }),
    proceedsShare: fc.integer({ min: 0, max: 10_000 }),
    weights: fc.array(fc.integer({ min: 1, max: 2 ** 31 - 1 }), { minLength: 1, maxLength: 8 }),
    cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 5 }),
  })
  .map(({ amountFen, proceedsShare, weights, cuts }) => {
    const proceedsFen = (amountFen * BigInt(proceedsShare)) / 10_000n
    const points = [...new Set(cuts.map((c) => (amountFen * BigInt(Math.floor(c * 1e6))) / 1_000_000n))]
      .filter((p) => p > 0n && p < amountFen)
      .sort((a, b) => (a < b ? -1 : 1))
    const parts: bigint[] = []
    let previous = 0n
    for (const point of [...points, amountFen]) {
      parts.push(point - previous)
      previous = point
    }
    const beneficiaries = weights.map((weight, i) => ({
      householdId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      weight,
      members: 3,
    }))
    return { amountFen, proceedsFen, parts, credits: creditsFor(proceedsFen, beneficiaries) }
  })

describe('refund reversals', () => {
  it('return a line’s proceeds and every household’s credit to exactly zero after a full refund in parts', () => {
    fc.assert(
      fc.property(refundedLine, ({ amountFen, proceedsFen, parts, credits }) => {
        const line = { amountFen, proceedsFen }
        let refunded = 0n
        let reversedProceeds = 0n
        const perHousehold = new Map(credits.map((c) => [c.householdId, c.amountFen]))
        for (const part of parts) {
          const before = refundedProceeds(line, refunded)
          const after = refundedProceeds(line, refunded + part)
          refunded += part
          const step = after - before
          expect(step).toBeGreaterThanOrEqual(0n)
          expect(step).toBeLessThanOrEqual(part)
          reversedProceeds += step
          const reversal = reversedCredits(credits, before, after)
          expect(reversal.reduce((sum, c) => sum + c.amountFen, 0n)).toBe(-step)
          for (const c of reversal)
            perHousehold.set(c.householdId, perHousehold.get(c.householdId)! + c.amountFen)
        }
        expect(refunded).toBe(amountFen)
        expect(reversedProceeds).toBe(proceedsFen)
        for (const [, left] of perHousehold) expect(left).toBe(0n)
      }),
      fcParams(),
    )
  })

  it('reverse nothing for a line that carried no proceeds', () => {
    expect(refundedProceeds({ amountFen: 1000n, proceedsFen: 0n }, 500n)).toBe(0n)
    expect(reversedCredits([], 0n, 0n)).toEqual([])
  })
})
