import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { databaseUrlFor, percentile, percentiles, requireDatabaseUrl, round } from '../../scripts/bench-lib'
import { fcParams } from '../support/fast-check'

describe('percentile (nearest rank)', () => {
  it('takes the smallest sample with at least p % of the samples at or below it', () => {
    const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1)
    expect(percentile(oneToHundred, 95)).toBe(95)
    expect(percentile(oneToHundred, 50)).toBe(50)
    expect(percentile(oneToHundred, 7)).toBe(7) // 0.07 * 100 is 7.000000000000001 in floating point
    expect(percentile(oneToHundred, 100)).toBe(100)
    expect(percentile(oneToHundred, 0.5)).toBe(1)
  })

  it('rounds the rank up and sorts numerically, not as strings', () => {
    expect(percentile([15, 20, 35, 40, 50], 30)).toBe(20) // rank ceil(1.5) = 2
    expect(percentile([15, 20, 35, 40, 50], 40)).toBe(20) // rank 2 exactly
    expect(percentile([15, 20, 35, 40, 50], 95)).toBe(50)
    expect(percentile([100, 9, 20.5, 3], 50)).toBe(9)
    expect(percentile([42], 95)).toBe(42)
  })

  it('leaves its input alone', () => {
    const values = [3, 1, 2]
    percentile(values, 50)
    expect(values).toEqual([3, 1, 2])
  })

  it('gives several percentiles of one sample in the order asked', () => {
    const values = Array.from({ length: 20 }, (_, i) => 20 - i)
    expect(percentiles(values, [95, 50, 100])).toEqual([19, 10, 20])
  })

  it('refuses an empty sample, NaN and p outside (0, 100]', () => {
    expect(() => percentile([], 95)).toThrow(RangeError)
    expect(() => percentile([1, NaN], 95)).toThrow(RangeError)
    expect(() => percentile([1, 2], 0)).toThrow(RangeError)
    expect(() => percentile([1, 2], 101)).toThrow(RangeError)
    expect(() => percentile([1, 2], NaN)).toThrow(RangeError)
  })

  it('is a sample such that at least p % are at or below it and fewer than p % strictly below', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 100 }),
        (values, p) => {
          const result = percentile(values, p)
          expect(values).toContain(result)
          const atOrBelow = values.filter((v) => v <= result).length
          const below = values.filter((v) => v < result).length
          expect(atOrBelow * 100).toBeGreaterThanOrEqual(p * values.length)
          expect(below * 100).toBeLessThan(p * values.length)
        },
      ),
      fcParams(),
    )
  })
})

describe('round', () => {
  it('rounds to the given number of decimals', () => {
    expect(round(0.12345, 3)).toBe(0.123)
    expect(round(1234.56, 1)).toBe(1234.6)
    expect(round(2 / 3, 3)).toBe(0.667)
  })
})

describe('bench configuration', () => {
  it('refuses to run without DATABASE_URL, saying how to set it', () => {
    expect(() => requireDatabaseUrl({})).toThrow(/DATABASE_URL=postgres:\/\//)
    expect(() => requireDatabaseUrl({ DATABASE_URL: '' })).toThrow(/set DATABASE_URL/)
    expect(() => requireDatabaseUrl({ DATABASE_URL: 'mysql://x' })).toThrow(/postgres:\/\//)
    expect(requireDatabaseUrl({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres' })).toBe(
      'postgres://postgres@127.0.0.1:5432/postgres',
    )
  })

  it('names the bench database on the same server, keeping role and options', () => {
    expect(databaseUrlFor('postgres://u:p@127.0.0.1:5432/postgres?sslmode=disable', 'xfbf_bench_1')).toBe(
      'postgres://u:p@127.0.0.1:5432/xfbf_bench_1?sslmode=disable',
    )
  })
})
