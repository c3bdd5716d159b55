import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type CatalogueProduct, pickOrderLines, reconcileStock } from '../../scripts/bench-checkout'
import { cpuMsOfStat, parsePgbenchTps } from '../../scripts/bench-db'
import { seededRandom } from '../../db/seed/synthetic'
import { fcParams } from '../support/fast-check'

describe('parsePgbenchTps', () => {
  it('reads the tps of PostgreSQL 14+ output', () => {
    const output = [
      'pgbench (15.20 (Debian 15.20-0+deb12u1))',
      'transaction type: <builtin: TPC-B (sort of)>',
      'number of transactions actually processed: 12867',
      'latency average = 7.776 ms',
      'initial connection time = 37.261 ms',
      'tps = 1286.036405 (without initial connection time)',
    ].join('\n')
    expect(parsePgbenchTps(output)).toBe(1286.036405)
  })

  it('prefers the figure excluding connection setup in older output', () => {
    const output = [
      'tps = 980.5 (including connections establishing)',
      'tps = 1001.25 (excluding connections establishing)',
    ].join('\n')
    expect(parsePgbenchTps(output)).toBe(1001.25)
  })

  it('takes a bare tps line, and gives null when there is none', () => {
    expect(parsePgbenchTps('tps = 12.5\n')).toBe(12.5)
    expect(parsePgbenchTps('pgbench: error: connection to server failed\n')).toBeNull()
    expect(parsePgbenchTps('')).toBeNull()
    // Only at the start of a line: a progress line quoting tps elsewhere is not the result.
    expect(parsePgbenchTps('progress: 1.0 s, 1200.0 tps, lat 8.1 ms stddev 2.0\n')).toBeNull()
  })
})

describe('reconcileStock', () => {
  it('is zero when every unit that left stock is held by an order', () => {
    expect(
      reconcileStock([
        { productId: 'a', initial: 100, final: 0, held: 100 },
        { productId: 'b', initial: 1_000_000, final: 999_000, held: 1_000 },
        { productId: 'c', initial: 5, final: 5, held: 0 },
      ]),
    ).toEqual({ oversold: 0, leaked: 0, products: [] })
  })

  it('counts units held beyond what left stock as oversold', () => {
    // 103 units held by orders of a product that only ever had 100: 3 oversold.
    expect(reconcileStock([{ productId: 'hot', initial: 100, final: 0, held: 103 }])).toEqual({
      oversold: 3,
      leaked: 0,
      products: ['hot'],
    })
  })

  it('counts units that left stock with no order holding them as leaked, separately', () => {
    expect(
      reconcileStock([
        { productId: 'a', initial: 50, final: 40, held: 8 },
        { productId: 'b', initial: 50, final: 45, held: 6 },
      ]),
    ).toEqual({ oversold: 1, leaked: 2, products: ['a', 'b'] })
  })

  it('never lets an oversold product hide behind a leaked one (no netting across products)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            initial: fc.integer({ min: 0, max: 1000 }),
            sold: fc.integer({ min: 0, max: 1000 }),
            drift: fc.integer({ min: -5, max: 5 }),
          }),
          { maxLength: 20 },
        ),
        (rows) => {
          const input = rows.map((r, i) => ({
            productId: `p${i}`,
            initial: r.initial,
            final: r.initial - r.sold,
            held: r.sold + r.drift,
          }))
          const result = reconcileStock(input)
          expect(result.oversold).toBe(rows.reduce((s, r) => s + Math.max(0, r.drift), 0))
          expect(result.leaked).toBe(rows.reduce((s, r) => s + Math.max(0, -r.drift), 0))
          expect(result.products).toHaveLength(rows.filter((r) => r.drift !== 0).length)
        },
      ),
      fcParams(),
    )
  })
})

describe('pickOrderLines', () => {
  const pool: CatalogueProduct[] = Array.from({ length: 20 }, (_, i) => ({
    id: `p${i}`,
    minOrderQty: i % 3 === 0 ? 2 : 1,
  }))
  const hot: CatalogueProduct = { id: 'hot', minOrderQty: 1 }

  it('orders 1–3 distinct products at or above their minimum, the hot one only as an extra line', () => {
    const random = seededRandom('pick-test')
    const sizes = new Set<number>()
    let withHot = 0
    for (let i = 0; i < 2_000; i++) {
      const lines = pickOrderLines(random, pool, hot, 0.1)
      const regular = lines.filter((l) => l.productId !== 'hot')
      sizes.add(regular.length)
      expect(regular.length).toBeGreaterThanOrEqual(1)
      expect(regular.length).toBeLessThanOrEqual(3)
      expect(new Set(lines.map((l) => l.productId)).size).toBe(lines.length)
      for (const line of regular) {
        const min = pool.find((p) => p.id === line.productId)!.minOrderQty
        expect(line.qty).toBeGreaterThanOrEqual(min)
        expect(line.qty).toBeLessThanOrEqual(min + 2)
      }
      if (lines.length > regular.length) {
        withHot++
        expect(lines.at(-1)).toEqual({ productId: 'hot', qty: 1 })
      }
    }
    expect([...sizes].sort()).toEqual([1, 2, 3])
    // 10 % of 2,000 orders, give or take.
    expect(withHot).toBeGreaterThan(120)
    expect(withHot).toBeLessThan(280)
  })

  it('never takes the hot product at share 0, and copes with a pool smaller than three', () => {
    const random = seededRandom('pick-test-2')
    for (let i = 0; i < 200; i++) {
      expect(pickOrderLines(random, pool, hot, 0).some((l) => l.productId === 'hot')).toBe(false)
      expect(pickOrderLines(random, pool.slice(0, 1), undefined, 1)).toHaveLength(1)
    }
    expect(() => pickOrderLines(random, [], hot, 0.1)).toThrow(RangeError)
  })
})

describe('cpuMsOfStat', () => {
  it('adds utime and stime (fields 14 and 15) in clock ticks', () => {
    // A postgres backend's /proc/<pid>/stat line (utime 1234, stime 56).
    const stat =
      '4242 (postgres) S 900 900 900 0 -1 4194560 5207 0 0 0 1234 56 0 0 20 0 1 0 1000 224780288 7000 ' +
      '18446744073709551615 1 1 0 0 0 0 4194304 19935232 1073745927 0 0 0 17 1 0 0 0 0 0'
    expect(cpuMsOfStat(stat)).toBe(12_900)
    expect(cpuMsOfStat(stat, 1000)).toBe(1_290)
  })

  it('reads past a command name with spaces and parentheses', () => {
    const stat = '77 (my (odd) name) R 1 77 77 0 -1 0 0 0 0 0 7 3 0 0 20 0 1 0 5 0 0'
    expect(cpuMsOfStat(stat)).toBe(100)
  })

  it('gives null for a line it cannot read', () => {
    expect(cpuMsOfStat('garbage')).toBeNull()
  })
})
