import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import {
  formatAmountShort,
  formatFen,
  percentFloor,
  progressPercent,
  splitLargestRemainder,
  unitCounter,
} from '../../app/utils/money'
import type { Locale } from '../../app/utils/i18n'
import { fcParams } from '../support/fast-check'

const abs = (x: bigint): bigint => (x < 0n ? -x : x)

// Reads a printed amount back into fen using string operations only, so the
// check does not share any arithmetic with the formatter under test.
// Returns the printed value and the size of one display step in fen.
function parsePrinted(printed: string): { fen: bigint; step: bigint } {
  const negative = printed.startsWith('-')
  const body = negative ? printed.slice(1) : printed
  const sign = negative ? -1n : 1n

  let match = /^(\d{1,3}(?:,\d{3})*)\.(\d{2})亿元$/.exec(body)
  if (match) {
    const hundredths = BigInt(match[1]!.replaceAll(',', '') + match[2]!)
    return { fen: sign * hundredths * 100_000_000n, step: 100_000_000n }
  }
  match = /^(\d{1,3}(?:,\d{3})*)\.(\d{2})万元$/.exec(body)
  if (match) {
    const hundredths = BigInt(match[1]!.replaceAll(',', '') + match[2]!)
    return { fen: sign * hundredths * 10_000n, step: 10_000n }
  }
  match = /^¥(\d{1,3}(?:,\d{3})*)\.(\d{2})$/.exec(body)
  if (match) {
    return { fen: sign * BigInt(match[1]!.replaceAll(',', '') + match[2]!), step: 1n }
  }
  match = /^¥(\d{1,3}(?:,\d{3})*)$/.exec(body)
  if (match) {
    return { fen: sign * BigInt(match[1]!.replaceAll(',', '')) * 100n, step: 100n }
  }
  throw new Error(`unparseable amount ${JSON.stringify(printed)}`)
}

// Amounts biased towards the unit thresholds (10^6 and 10^10 fen), where
// off-by-one and rounding mistakes live, plus a wide uniform range.
const thresholds = [1_000_000n, 10_000_000_000n, 100n]
const fenArb = fc.oneof(
  fc.bigInt({ min: -(10n ** 16n), max: 10n ** 16n }),
  fc.bigInt({ min: -2_000_000n, max: 2_000_000n }),
  fc
    .tuple(fc.constantFrom(...thresholds), fc.bigInt({ min: -5n, max: 5n }), fc.boolean())
    .map(([t, d, neg]) => (neg ? -(t + d) : t + d)),
  fc.bigInt({ min: 1n, max: 10n ** 8n }).map((k) => k * 10n ** 10n - 1n),
)
const localeArb = fc.constantFrom<Locale>('zh', 'en')

describe('formatFen', () => {
  it('formats exact amounts with thousands separators', () => {
    expect(formatFen(123456n)).toBe('¥1,234.56')
    expect(formatFen(-123456n)).toBe('-¥1,234.56')
    expect(formatFen(5n)).toBe('¥0.05')
    expect(formatFen(0n)).toBe('¥0.00')
    expect(formatFen(-5n)).toBe('-¥0.05')
    expect(formatFen(100n)).toBe('¥1.00')
    expect(formatFen(100_000_000n)).toBe('¥1,000,000.00')
    expect(formatFen(123456, 'en')).toBe('¥1,234.56')
  })

  it('is exact beyond Number.MAX_SAFE_INTEGER', () => {
    expect(formatFen(123_456_789_012_345_678_901n)).toBe('¥1,234,567,890,123,456,789.01')
  })

  it('rejects numbers that are not safe integers', () => {
    expect(() => formatFen(1.5)).toThrow(RangeError)
    expect(() => formatFen(2 ** 53)).toThrow(RangeError)
    expect(() => formatFen(Number.NaN)).toThrow(RangeError)
    expect(() => formatFen(Infinity)).toThrow(RangeError)
    expect(formatFen(Number.MAX_SAFE_INTEGER)).toBe('¥90,071,992,547,409.91')
  })

  it('round-trips exactly and reads the same in both locales', () => {
    fc.assert(
      fc.property(fenArb, (fen) => {
        const printed = formatFen(fen)
        expect(parsePrinted(printed)).toEqual({ fen, step: 1n })
        expect(formatFen(fen, 'en')).toBe(printed)
      }),
      fcParams(),
    )
  })
})

describe('formatAmountShort', () => {
  it('uses 亿元 / 万元 in zh, truncating to 2 decimals', () => {
    expect(formatAmountShort(20_000_000_000n, 'zh')).toBe('2.00亿元')
    expect(formatAmountShort(19_999_999_999n, 'zh')).toBe('1.99亿元')
    expect(formatAmountShort(10_000_000_000n, 'zh')).toBe('1.00亿元')
    expect(formatAmountShort(9_999_999_999n, 'zh')).toBe('9,999.99万元')
    expect(formatAmountShort(3_000_000_000n, 'zh')).toBe('3,000.00万元')
    expect(formatAmountShort(1_000_000n, 'zh')).toBe('1.00万元')
    expect(formatAmountShort(999_999n, 'zh')).toBe('¥9,999.99')
    expect(formatAmountShort(123456n, 'zh')).toBe('¥1,234.56')
    expect(formatAmountShort(123_456_789_000_000n, 'zh')).toBe('12,345.67亿元')
    expect(formatAmountShort(-19_999_999_999n, 'zh')).toBe('-1.99亿元')
    expect(formatAmountShort(-3_000_000_000, 'zh')).toBe('-3,000.00万元')
  })

  it('uses whole yuan in en from ¥10,000 up', () => {
    expect(formatAmountShort(20_000_000_000n, 'en')).toBe('¥200,000,000')
    expect(formatAmountShort(19_999_999_999n, 'en')).toBe('¥199,999,999')
    expect(formatAmountShort(1_000_000n, 'en')).toBe('¥10,000')
    expect(formatAmountShort(1_000_099n, 'en')).toBe('¥10,000')
    expect(formatAmountShort(999_999n, 'en')).toBe('¥9,999.99')
    expect(formatAmountShort(5n, 'en')).toBe('¥0.05')
    expect(formatAmountShort(-1_000_099n, 'en')).toBe('-¥10,000')
  })

  it('never rounds up: printed ≤ actual < printed + one display step', () => {
    fc.assert(
      fc.property(fenArb, localeArb, (fen, locale) => {
        const { fen: printed, step } = parsePrinted(formatAmountShort(fen, locale))
        // Sign is kept; magnitudes are compared since negatives mirror positives.
        expect(printed < 0n).toBe(fen < 0n)
        expect(abs(printed) <= abs(fen)).toBe(true)
        expect(abs(fen) < abs(printed) + step).toBe(true)
      }),
      fcParams(),
    )
  })

  it('picks the unit from the magnitude', () => {
    fc.assert(
      fc.property(fenArb, localeArb, (fen, locale) => {
        const { step } = parsePrinted(formatAmountShort(fen, locale))
        const m = abs(fen)
        const expected =
          m < 1_000_000n ? 1n : locale === 'en' ? 100n : m < 10_000_000_000n ? 10_000n : 100_000_000n
        expect(step).toBe(expected)
      }),
      fcParams(),
    )
  })
})

describe('percentFloor', () => {
  it('truncates instead of rounding', () => {
    expect(percentFloor(199_999_999n, 200_000_000n)).toBe('99.9%')
    expect(percentFloor(199_999_999n, 200_000_000n, 2)).toBe('99.99%')
    expect(percentFloor(199_999_999n, 200_000_000n, 0)).toBe('99%')
    expect(percentFloor(200_000_000n, 200_000_000n)).toBe('100.0%')
    expect(percentFloor(1n, 3n)).toBe('33.3%')
    expect(percentFloor(2n, 3n)).toBe('66.6%')
    expect(percentFloor(1, 3, 3)).toBe('33.333%')
    expect(percentFloor(0n, 5n)).toBe('0.0%')
    expect(percentFloor(1n, 1000n, 2)).toBe('0.10%')
    expect(percentFloor(3n, 1n)).toBe('300.0%')
  })

  it('returns an em dash when whole is 0', () => {
    expect(percentFloor(0n, 0n)).toBe('—')
    expect(percentFloor(5, 0)).toBe('—')
  })

  it('truncates negative ratios toward zero without printing -0', () => {
    expect(percentFloor(-1n, 3n)).toBe('-33.3%')
    expect(percentFloor(1n, -3n)).toBe('-33.3%')
    expect(percentFloor(-1n, -3n)).toBe('33.3%')
    expect(percentFloor(-1n, 10_000n)).toBe('0.0%')
  })

  it('rejects bad inputs', () => {
    expect(() => percentFloor(1, 2, -1)).toThrow(RangeError)
    expect(() => percentFloor(1, 2, 1.5)).toThrow(RangeError)
    expect(() => percentFloor(0.5, 2)).toThrow(RangeError)
  })

  it('printed value v satisfies v ≤ exact < v + 10^-decimals', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 13n }),
        fc.bigInt({ min: 1n, max: 10n ** 13n }),
        fc.integer({ min: 0, max: 4 }),
        (part, whole, decimals) => {
          const printed = percentFloor(part, whole, decimals)
          const match = /^(\d+)(?:\.(\d+))?%$/.exec(printed)
          expect(match).not.toBeNull()
          expect((match![2] ?? '').length).toBe(decimals)
          const v = BigInt(match![1]! + (match![2] ?? ''))
          const scale = 10n ** BigInt(decimals)
          // v / (100·scale) ≤ part/whole < (v+1) / (100·scale)
          expect(v * whole <= part * 100n * scale).toBe(true)
          expect(part * 100n * scale < (v + 1n) * whole).toBe(true)
        },
      ),
      fcParams(),
    )
  })
})

// ---------------------------------------------------------------------------
// splitLargestRemainder

type Share = { key: number; weight: number | bigint }

const zeroWeight = fc.constant(0)
const smallWeight = fc.integer({ min: 1, max: 10 })
const wideWeight = fc.integer({ min: 0, max: 1_000_000_000 })
const extremeWeight = fc.constantFrom(1_000_000_000, 999_999_999)
const anyWeight = fc
  .tuple(fc.oneof(zeroWeight, smallWeight, wideWeight, extremeWeight), fc.boolean())
  // Mixes number and bigint weights since both are accepted.
  .map(([w, asBig]): number | bigint => (asBig ? BigInt(w) : w))
const positiveWeight = fc.oneof(smallWeight, extremeWeight, fc.integer({ min: 1, max: 1_000_000_000 }))

// At least one positive weight, inserted at an arbitrary position, so that
// zero weights appear among positive ones and a single share is common.
const weightsArb = fc
  .tuple(fc.array(anyWeight, { maxLength: 8 }), positiveWeight, fc.nat())
  .map(([rest, positive, at]) => {
    const index = at % (rest.length + 1)
    return [...rest.slice(0, index), positive, ...rest.slice(index)]
  })

// Keys are distinct shuffled numbers, so tie-breaking by key is exercised
// independently of input position.
const sharesArb = weightsArb.chain((weights) =>
  fc
    .shuffledSubarray(
      weights.map((_, i) => i * 7 + 3),
      { minLength: weights.length, maxLength: weights.length },
    )
    .map((keys): Share[] => weights.map((weight, i) => ({ key: keys[i]!, weight }))),
)

const totalArb = fc.oneof(
  fc.constantFrom(0n, 1n, -1n, 2n),
  fc.bigInt({ min: -100n, max: 100n }),
  fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
  fc.constantFrom(10n ** 12n, -(10n ** 12n), 10n ** 12n - 1n),
)

function weightSum(shares: readonly Share[]): bigint {
  return shares.reduce((sum, s) => sum + BigInt(s.weight), 0n)
}

describe('splitLargestRemainder', () => {
  it('splits the classic example and preserves input order', () => {
    const result = splitLargestRemainder(100n, [
      { key: 'b', weight: 1 },
      { key: 'a', weight: 1 },
      { key: 'c', weight: 1 },
    ])
    expect(result).toEqual([
      { key: 'b', amount: 33n },
      { key: 'a', amount: 34n },
      { key: 'c', amount: 33n },
    ])
  })

  it('gives leftovers to the largest remainders', () => {
    // Exact shares: 10·5/16 = 3.125, 10·7/16 = 4.375, 10·4/16 = 2.5
    expect(
      splitLargestRemainder(10n, [
        { key: 1, weight: 5 },
        { key: 2, weight: 7 },
        { key: 3, weight: 4 },
      ]).map((r) => r.amount),
    ).toEqual([3n, 4n, 3n])
  })

  it('breaks ties by key ascending, numbers numerically', () => {
    const result = splitLargestRemainder(1n, [
      { key: 10, weight: 1 },
      { key: 9, weight: 1 },
      { key: 2, weight: 1 },
    ])
    // Lexicographically "10" < "2", numerically 2 < 10.
    expect(result).toEqual([
      { key: 10, amount: 0n },
      { key: 9, amount: 0n },
      { key: 2, amount: 1n },
    ])
  })

  it('breaks ties by key ascending, strings by code unit', () => {
    const result = splitLargestRemainder(2n, [
      { key: 'b', weight: 1 },
      { key: 'a', weight: 1 },
      { key: 'B', weight: 1 },
    ])
    // 'B' (66) < 'a' (97) < 'b' (98) in code-unit order, regardless of locale.
    expect(result.map((r) => r.amount)).toEqual([0n, 1n, 1n])
  })

  it('mirrors a negative total exactly', () => {
    const shares = [
      { key: 'x', weight: 1 },
      { key: 'y', weight: 1 },
      { key: 'z', weight: 1 },
    ]
    expect(splitLargestRemainder(-100n, shares).map((r) => r.amount)).toEqual([-34n, -33n, -33n])
  })

  it('handles zero totals, single shares and bigint weights', () => {
    expect(splitLargestRemainder(0n, [])).toEqual([])
    expect(splitLargestRemainder(0n, [{ key: 'a', weight: 3 }])).toEqual([{ key: 'a', amount: 0n }])
    expect(splitLargestRemainder(7n, [{ key: 'a', weight: 3n }])).toEqual([{ key: 'a', amount: 7n }])
    expect(
      splitLargestRemainder(1n, [
        { key: 'a', weight: 0 },
        { key: 'b', weight: 10n ** 30n },
      ]),
    ).toEqual([
      { key: 'a', amount: 0n },
      { key: 'b', amount: 1n },
    ])
  })

  it('rejects invalid weights and impossible splits', () => {
    expect(() => splitLargestRemainder(1n, [])).toThrow(RangeError)
    expect(() => splitLargestRemainder(-1n, [])).toThrow(RangeError)
    expect(() => splitLargestRemainder(0n, [{ key: 'a', weight: 0 }])).toThrow(RangeError)
    expect(() =>
      splitLargestRemainder(5n, [
        { key: 'a', weight: -1 },
        { key: 'b', weight: 2 },
      ]),
    ).toThrow(RangeError)
    expect(() =>
      splitLargestRemainder(5n, [
        { key: 'a', weight: -1n },
        { key: 'b', weight: 2 },
      ]),
    ).toThrow(RangeError)
    expect(() => splitLargestRemainder(5n, [{ key: 'a', weight: 1.5 }])).toThrow(RangeError)
    expect(() => splitLargestRemainder(5n, [{ key: 'a', weight: Number.NaN }])).toThrow(RangeError)
    expect(() => splitLargestRemainder(5n, [{ key: 'a', weight: 2 ** 53 }])).toThrow(RangeError)
  })

  it('generators reach the edge cases the properties rely on', () => {
    // Guards against a generator refactor silently dropping coverage.
    const samples = fc.sample(fc.tuple(totalArb, sharesArb), { numRuns: 2000, seed: 42 })
    const has = (pred: (t: bigint, s: Share[]) => boolean): boolean => samples.some(([t, s]) => pred(t, s))
    expect(has((t) => t === 0n)).toBe(true)
    expect(has((t) => t === 1n)).toBe(true)
    expect(has((t) => abs(t) >= 10n ** 11n)).toBe(true)
    expect(has((t) => abs(t) === 10n ** 12n)).toBe(true)
    expect(has((_, s) => s.length === 1)).toBe(true)
    expect(
      has((_, s) => s.some((x) => BigInt(x.weight) === 0n) && s.some((x) => BigInt(x.weight) > 0n)),
    ).toBe(true)
    expect(has((_, s) => s.some((x) => BigInt(x.weight) === 1_000_000_000n))).toBe(true)
    expect(has((_, s) => s.some((x) => typeof x.weight === 'bigint'))).toBe(true)
  })

  it('always sums exactly to the total', () => {
    fc.assert(
      fc.property(totalArb, sharesArb, (total, shares) => {
        const result = splitLargestRemainder(total, shares)
        expect(result.reduce((sum, r) => sum + r.amount, 0n)).toBe(total)
      }),
      fcParams(),
    )
  })

  it('keeps keys in input order', () => {
    fc.assert(
      fc.property(totalArb, sharesArb, (total, shares) => {
        expect(splitLargestRemainder(total, shares).map((r) => r.key)).toEqual(shares.map((s) => s.key))
      }),
      fcParams(),
    )
  })

  it('gives each share floor(exact) or floor(exact)+1 in magnitude', () => {
    fc.assert(
      fc.property(totalArb, sharesArb, (total, shares) => {
        const W = weightSum(shares)
        const T = abs(total)
        splitLargestRemainder(total, shares).forEach((r, i) => {
          const w = BigInt(shares[i]!.weight)
          const a = abs(r.amount)
          // Sign follows the total (zero amounts have no sign).
          expect(r.amount === 0n || r.amount < 0n === total < 0n).toBe(true)
          // a ∈ {floor(Tw/W), floor(Tw/W)+1}  ⇔  (a-1)·W ≤ T·w < (a+1)·W
          expect((a - 1n) * W <= T * w).toBe(true)
          expect(T * w < (a + 1n) * W).toBe(true)
          if (w === 0n) expect(r.amount).toBe(0n)
        })
      }),
      fcParams(),
    )
  })

  it('hands leftovers to larger remainders first, ties to the smaller key', () => {
    fc.assert(
      fc.property(totalArb, sharesArb, (total, shares) => {
        const W = weightSum(shares)
        const T = abs(total)
        const result = splitLargestRemainder(total, shares)
        const info = shares.map((s, i) => {
          const w = BigInt(s.weight)
          return { key: s.key, rem: (T * w) % W, bumped: abs(result[i]!.amount) > (T * w) / W }
        })
        for (const got of info.filter((x) => x.bumped)) {
          for (const missed of info.filter((x) => !x.bumped)) {
            expect(got.rem >= missed.rem).toBe(true)
            if (got.rem === missed.rem) expect(got.key < missed.key).toBe(true)
          }
        }
      }),
      fcParams(),
    )
  })

  it('is symmetric under negation: split(-t) == -split(t)', () => {
    fc.assert(
      fc.property(totalArb, sharesArb, (total, shares) => {
        const positive = splitLargestRemainder(total, shares)
        const negative = splitLargestRemainder(-total, shares)
        expect(negative).toEqual(positive.map((r) => ({ key: r.key, amount: -r.amount })))
      }),
      fcParams(),
    )
  })

  it('does not depend on input order (keys are distinct)', () => {
    fc.assert(
      fc.property(
        totalArb,
        sharesArb.chain((shares) =>
          fc
            .shuffledSubarray(shares, { minLength: shares.length, maxLength: shares.length })
            .map((shuffled) => [shares, shuffled] as const),
        ),
        (total, [shares, shuffled]) => {
          const byKey = (rows: Array<{ key: number; amount: bigint }>): Map<number, bigint> =>
            new Map(rows.map((r) => [r.key, r.amount]))
          expect(byKey(splitLargestRemainder(total, shuffled))).toEqual(
            byKey(splitLargestRemainder(total, shares)),
          )
        },
      ),
      fcParams(),
    )
  })
})

describe('progressPercent', () => {
  it('never shows a bare 0.0% for a positive amount, and otherwise floors like percentFloor', () => {
    expect(progressPercent(1n, 20_000_000_000n)).toBe('<0.1%')
    expect(progressPercent(0n, 20_000_000_000n)).toBe('0.0%')
    expect(progressPercent(19_999_999_999n, 20_000_000_000n)).toBe('99.9%')
    expect(progressPercent(2_000_000n, 20_000_000_000n)).toBe('<0.1%')
    expect(progressPercent(20_000_000n, 20_000_000_000n)).toBe('0.1%')
  })

  it('agrees with percentFloor wherever that shows something above zero', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        fc.bigInt({ min: 1n, max: 10n ** 15n }),
        (part, whole) => {
          const shown = progressPercent(part, whole)
          if (part > 0n && (part * 1000n) / whole === 0n) expect(shown).toBe('<0.1%')
          else expect(shown).toBe(percentFloor(part, whole))
        },
      ),
    )
  })
})

describe('unitCounter', () => {
  it('counts in the pack, the counting word itself, or 份 for a bare weight', () => {
    expect(unitCounter('5kg/箱')).toBe('箱')
    expect(unitCounter('2.5kg/袋')).toBe('袋')
    expect(unitCounter('箱(约12瓶)')).toBe('箱')
    expect(unitCounter('只(约1.5kg)')).toBe('只')
    expect(unitCounter('件')).toBe('件')
    expect(unitCounter('500g')).toBe('份')
    expect(unitCounter('500g(鲜)')).toBe('份')
    expect(unitCounter('5L/桶')).toBe('桶')
    expect(unitCounter('')).toBe('份')
  })
})
