import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { firstCountyPerProvince, ordersToPlace, pickBuyerRegion, shuffled } from '../../scripts/bench-confirm'
import { seededRandom } from '../../db/seed/synthetic'
import { fcParams } from '../support/fast-check'

describe('pickBuyerRegion', () => {
  const fuzhou = ['350102', '350103', '350104']
  const others = ['110101', '330102', '440103']

  it('takes Fuzhou with the given share and otherwise another province', () => {
    const random = seededRandom('pick-buyer-region')
    const picks = Array.from({ length: 4000 }, () => pickBuyerRegion(random, fuzhou, others, 0.6))
    const share = picks.filter((code) => fuzhou.includes(code)).length / picks.length
    expect(share).toBeGreaterThan(0.55)
    expect(share).toBeLessThan(0.65)
    // Every region of both lists comes up.
    expect(new Set(picks)).toEqual(new Set([...fuzhou, ...others]))
  })

  it('uses the other list when one is empty, and refuses two empty lists', () => {
    const random = seededRandom('pick-buyer-region-empty')
    expect(pickBuyerRegion(random, [], others, 1)).toMatch(/^(110101|330102|440103)$/)
    expect(pickBuyerRegion(random, fuzhou, [], 0)).toMatch(/^3501/)
    expect(() => pickBuyerRegion(random, [], [], 0.5)).toThrow(RangeError)
  })

  it('always returns a member of the lists', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string(), { maxLength: 5 }),
        fc.array(fc.string(), { maxLength: 5 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer(),
        (a, b, share, seed) => {
          fc.pre(a.length + b.length > 0)
          const picked = pickBuyerRegion(seededRandom(String(seed)), a, b, share)
          expect([...a, ...b]).toContain(picked)
        },
      ),
      fcParams(),
    )
  })
})

describe('ordersToPlace', () => {
  it('covers warm-up and run at the planned rate, and gives every client at least one', () => {
    expect(ordersToPlace({ perSecond: 600, warmS: 2, runS: 10, clients: 10 })).toBe(7200)
    expect(ordersToPlace({ perSecond: 600, warmS: 0.3, runS: 1, clients: 10 })).toBe(780)
    expect(ordersToPlace({ perSecond: 0.5, warmS: 0, runS: 1, clients: 10 })).toBe(10)
    expect(ordersToPlace({ perSecond: 3, warmS: 0, runS: 0.5, clients: 1 })).toBe(2)
  })

  it('refuses nonsense', () => {
    expect(() => ordersToPlace({ perSecond: 0, warmS: 1, runS: 1, clients: 1 })).toThrow(RangeError)
    expect(() => ordersToPlace({ perSecond: 1, warmS: -1, runS: 1, clients: 1 })).toThrow(RangeError)
    expect(() => ordersToPlace({ perSecond: 1, warmS: 1, runS: 0, clients: 1 })).toThrow(RangeError)
    expect(() => ordersToPlace({ perSecond: 1, warmS: 1, runS: 1, clients: 0 })).toThrow(RangeError)
    expect(() => ordersToPlace({ perSecond: NaN, warmS: 1, runS: 1, clients: 1 })).toThrow(RangeError)
  })
})

describe('shuffled', () => {
  it('is a permutation of a copy, the same for the same seed', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.string(), (items, seed) => {
        const before = [...items]
        const once = shuffled(seededRandom(seed), items)
        expect(items).toEqual(before)
        expect([...once].sort((a, b) => a - b)).toEqual([...items].sort((a, b) => a - b))
        expect(shuffled(seededRandom(seed), items)).toEqual(once)
      }),
      fcParams(),
    )
  })

  it('moves things around', () => {
    const items = Array.from({ length: 100 }, (_, i) => i)
    expect(shuffled(seededRandom('move'), items)).not.toEqual(items)
  })
})

describe('firstCountyPerProvince', () => {
  it('keeps the lowest code of every province but the excluded one', () => {
    const codes = ['330106', '110105', '350102', '330102', '110101', '620102', '350103']
    expect(firstCountyPerProvince(codes, '35')).toEqual(['110101', '330102', '620102'])
    expect(firstCountyPerProvince([], '35')).toEqual([])
  })
})
