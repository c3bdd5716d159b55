import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { unitPriceFor } from '../../app/domains/catalog/pricing'
import { lineProceedsFen } from '../../app/domains/households/proceeds'
import { fcParams } from '../support/fast-check'

describe('lineProceedsFen', () => {
  it('floors a basis-point share to the fen', () => {
    // 10% of ¥0.09 is 0.9 fen: the household gets 0 fen, never a rounded-up 1.
    expect(lineProceedsFen({ kind: 'basis_points', basisPoints: 1000 }, { quantity: 1, amountFen: 9n })).toBe(
      0n,
    )
    expect(
      lineProceedsFen({ kind: 'basis_points', basisPoints: 1000 }, { quantity: 3, amountFen: 7500n }),
    ).toBe(750n)
    expect(
      lineProceedsFen({ kind: 'basis_points', basisPoints: 1234 }, { quantity: 1, amountFen: 9999n }),
    ).toBe(1233n)
  })

  it('caps a per-unit amount at the line amount', () => {
    expect(
      lineProceedsFen({ kind: 'fen_per_unit', fenPerUnit: 200n }, { quantity: 3, amountFen: 10_000n }),
    ).toBe(600n)
    expect(
      lineProceedsFen({ kind: 'fen_per_unit', fenPerUnit: 200n }, { quantity: 3, amountFen: 500n }),
    ).toBe(500n)
  })

  it('refuses impossible rules and lines', () => {
    expect(() =>
      lineProceedsFen({ kind: 'basis_points', basisPoints: 10_001 }, { quantity: 1, amountFen: 1n }),
    ).toThrow(RangeError)
    expect(() =>
      lineProceedsFen({ kind: 'fen_per_unit', fenPerUnit: 1n }, { quantity: -1, amountFen: 1n }),
    ).toThrow(RangeError)
  })

  it('never credits more than the line, nor less than zero, and grows with the line', () => {
    const rule = fc.oneof(
      fc
        .integer({ min: 0, max: 10_000 })
        .map((basisPoints) => ({ kind: 'basis_points' as const, basisPoints })),
      fc
        .bigInt({ min: 0n, max: 10n ** 8n })
        .map((fenPerUnit) => ({ kind: 'fen_per_unit' as const, fenPerUnit })),
    )
    fc.assert(
      fc.property(
        rule,
        fc.integer({ min: 0, max: 100_000 }),
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.bigInt({ min: 0n, max: 10n ** 6n }),
        (r, quantity, amountFen, extra) => {
          const proceeds = lineProceedsFen(r, { quantity, amountFen })
          expect(proceeds >= 0n && proceeds <= amountFen).toBe(true)
          const more = lineProceedsFen(r, { quantity: quantity + 1, amountFen: amountFen + extra })
          expect(more >= proceeds).toBe(true)
          if (r.kind === 'basis_points') {
            // Exactly the floor: proceeds·10000 ≤ amount·bp < (proceeds+1)·10000.
            const scaled = amountFen * BigInt(r.basisPoints)
            expect(proceeds * 10_000n <= scaled && scaled < (proceeds + 1n) * 10_000n).toBe(true)
          }
        },
      ),
      fcParams(),
    )
  })
})

describe('unitPriceFor', () => {
  const tiers = [
    { minQty: 10, unitPriceFen: 950n },
    { minQty: 50, unitPriceFen: 900n },
  ]
  it('applies the highest tier reached', () => {
    expect(unitPriceFor(1, 1000n, tiers)).toBe(1000n)
    expect(unitPriceFor(9, 1000n, tiers)).toBe(1000n)
    expect(unitPriceFor(10, 1000n, tiers)).toBe(950n)
    expect(unitPriceFor(49, 1000n, tiers)).toBe(950n)
    expect(unitPriceFor(50, 1000n, [...tiers].reverse())).toBe(900n)
  })
})
