import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  certifiedOn,
  type Credit,
  type LedgerEntryContent,
  buyerRollupRows,
  ledgerRows,
  productRollupRows,
  rollupRows,
  type TargetScope,
} from '../../app/domains/ledger/ledger.server'
import {
  type CanonicalInput,
  canonicalJson,
  canonicalJsonAround,
  sqlArrayLiteral,
  StatementParams,
} from '../../app/services/hash-chain/index.server'
import { fcParams } from '../support/fast-check'

/** Any value canonicalJson accepts (as in hash-chain.test.ts). */
const canonicalValue: fc.Arbitrary<CanonicalInput> = fc.letrec<{ value: CanonicalInput }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.string(),
    fc.string({ unit: 'grapheme', maxLength: 8 }),
    fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
    fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }),
    fc.date({
      min: new Date('1970-01-01T00:00:00Z'),
      max: new Date('2999-12-31T23:59:59Z'),
      noInvalidDate: true,
    }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 5 }),
  ),
})).value

describe('canonicalJsonAround', () => {
  it('splits the canonical JSON around the seq: prefix + n + suffix is canonicalJson with seq n', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ maxLength: 8 }), canonicalValue, { maxKeys: 8 }),
        fc.oneof(fc.constant('seq'), fc.string({ maxLength: 4 })),
        fc.nat({ max: Number.MAX_SAFE_INTEGER }),
        (payload, key, n) => {
          const { prefix, suffix } = canonicalJsonAround(payload, key)
          expect(`${prefix}${n}${suffix}`).toBe(canonicalJson({ ...payload, [key]: n }))
          // Whatever stands at the key now does not matter.
          expect(canonicalJsonAround({ ...payload, [key]: 12345 }, key)).toEqual({ prefix, suffix })
        },
      ),
      fcParams(),
    )
  })

  it('puts the seq where sorting puts it, first, in between or last', () => {
    expect(canonicalJsonAround({ b: 1, a: 'x' }, 'seq')).toEqual({
      prefix: '{"a":"x","b":"1","seq":"',
      suffix: '"}',
    })
    expect(canonicalJsonAround({ z: true, a: null }, 'm')).toEqual({
      prefix: '{"a":null,"m":"',
      suffix: '","z":true}',
    })
    expect(canonicalJsonAround({}, 'seq')).toEqual({ prefix: '{"seq":"', suffix: '"}' })
  })

  it('refuses what canonicalJson refuses', () => {
    expect(() => canonicalJsonAround({ amount: 1.5 }, 'seq')).toThrow(RangeError)
    expect(() => canonicalJsonAround({ missing: undefined as never }, 'seq')).toThrow(RangeError)
    expect(() => canonicalJsonAround([] as never, 'seq')).toThrow(RangeError)
    expect(() => canonicalJsonAround(new Date() as never, 'seq')).toThrow(RangeError)
  })
})

describe('sqlArrayLiteral', () => {
  it('quotes every element, escapes quotes and backslashes, and writes NULL for null', () => {
    expect(sqlArrayLiteral([])).toBe('{}')
    expect(sqlArrayLiteral(['a', null, 'b"c', 'd\\e', 'x,y', ' '])).toBe(
      '{"a",NULL,"b\\"c","d\\\\e","x,y"," "}',
    )
    expect(sqlArrayLiteral([1, -2, 3n, true, false])).toBe('{"1","-2","3","true","false"}')
    expect(sqlArrayLiteral(['NULL'])).toBe('{"NULL"}')
  })

  it('refuses floats', () => {
    expect(() => sqlArrayLiteral([1.5])).toThrow(RangeError)
    expect(() => sqlArrayLiteral([Number.NaN])).toThrow(RangeError)
  })
})

describe('StatementParams', () => {
  it('numbers placeholders in order, with casts and array parameters', () => {
    const params = new StatementParams()
    expect(params.add('x')).toBe('$1')
    expect(params.add(null, 'uuid')).toBe('$2::uuid')
    expect(params.array(['a', 'b'], 'text')).toBe('cast($3 as text)::text[]')
    expect(params.values).toEqual(['x', null, '{"a","b"}'])
  })
})

describe('certifiedOn', () => {
  it('counts a day inside any certificate, both ends included', () => {
    const validities: Array<[string, string]> = [
      ['2026-01-01', '2026-03-31'],
      ['2026-06-01', '2026-06-30'],
    ]
    expect(certifiedOn(validities, '2026-01-01')).toBe(true)
    expect(certifiedOn(validities, '2026-03-31')).toBe(true)
    expect(certifiedOn(validities, '2026-04-01')).toBe(false)
    expect(certifiedOn(validities, '2026-06-15')).toBe(true)
    expect(certifiedOn(validities, '2025-12-31')).toBe(false)
    expect(certifiedOn([], '2026-01-01')).toBe(false)
  })
})

const sale = (overrides: Partial<Omit<LedgerEntryContent, 'seq'>> = {}): Omit<LedgerEntryContent, 'seq'> => ({
  kind: 'sale',
  occurredAt: new Date('2026-05-01T02:00:00Z'),
  day: '2026-05-01',
  paymentId: '00000000-0000-4000-8000-000000000001',
  refundId: null,
  orderId: '00000000-0000-4000-8000-000000000002',
  orderLineId: '00000000-0000-4000-8000-000000000003',
  productId: '00000000-0000-4000-8000-000000000004',
  sellerOrgId: '00000000-0000-4000-8000-000000000005',
  originCode: '621102',
  buyerOrgId: null,
  buyerRegionCode: '350102',
  buyerChannel: 'consumer',
  certified: true,
  aidCategory: 'sales_assist',
  productCategory: '杂粮',
  pairingId: null,
  quantity: 1,
  amountFen: 1000n,
  proceedsFen: 100n,
  ...overrides,
})

const target = (id: string, overrides: Partial<TargetScope> = {}): TargetScope => ({
  id,
  periodStart: '2026-01-01',
  periodEnd: '2026-12-31',
  helpedCodes: ['621100'],
  helperCodes: ['350100'],
  buyerChannels: [],
  certifiedOnly: false,
  ...overrides,
})

describe('ledgerRows', () => {
  const h = (n: number) => `00000000-0000-4000-8000-0000000001${String(n).padStart(2, '0')}`
  const credit = (n: number, amountFen: bigint): Credit => ({ householdId: h(n), amountFen, members: n })

  it('numbers entries from 1, credits each by entry, and reaches each household once per target, first entry first', () => {
    const contents = [sale(), sale({ orderLineId: '00000000-0000-4000-8000-000000000013' })]
    const credits = [
      [credit(1, 60n), credit(2, 40n)],
      [credit(2, 70n), credit(3, 30n)],
    ]
    const rows = ledgerRows(contents, credits, [target('t1'), target('t2', { helperCodes: ['330000'] })])
    expect(rows.entries.map((e) => e.i)).toEqual([1, 2])
    expect(rows.credits).toEqual([
      { i: 1, householdId: h(1), amountFen: 60n },
      { i: 1, householdId: h(2), amountFen: 40n },
      { i: 2, householdId: h(2), amountFen: 70n },
      { i: 2, householdId: h(3), amountFen: 30n },
    ])
    // t2 (Zhejiang buyers) is out of scope; household 2 is reached by entry 1, not again by entry 2.
    expect(rows.reach).toEqual([
      { i: 1, targetId: 't1', householdId: h(1), members: 1 },
      { i: 1, targetId: 't1', householdId: h(2), members: 2 },
      { i: 2, targetId: 't1', householdId: h(3), members: 3 },
    ])
  })

  it('reaches nobody with a reversal', () => {
    const reversal = sale({
      kind: 'reversal',
      refundId: '00000000-0000-4000-8000-000000000009',
      amountFen: -1000n,
      proceedsFen: -100n,
    })
    const rows = ledgerRows([reversal], [[credit(1, -100n)]], [target('t1')])
    expect(rows.credits).toEqual([{ i: 1, householdId: h(1), amountFen: -100n }])
    expect(rows.reach).toEqual([])
  })
})

describe('rollupRows', () => {
  it('sums entries by key and returns the keys in one fixed order, whatever the order of the entries', () => {
    const a = sale()
    const b = sale({ buyerRegionCode: '350103', amountFen: 500n, proceedsFen: 50n })
    const c = sale({ amountFen: 2000n, proceedsFen: 0n, certified: true })
    const rows = rollupRows([a, b, c])
    expect(rows).toEqual(rollupRows([c, b, a]))
    expect(rows).toHaveLength(2)
    const fuzhou102 = rows.find((r) => r.helperCode === '350102')!
    expect(fuzhou102).toMatchObject({ amountFen: 3000n, proceedsFen: 100n, entries: 2 })
    expect(rows.find((r) => r.helperCode === '350103')).toMatchObject({ amountFen: 500n, entries: 1 })
  })
})

describe('productRollupRows and buyerRollupRows', () => {
  it('sum by product and by buyer organisation in a fixed key order; consumers have no buyer rows', () => {
    const unit = '00000000-0000-4000-8000-0000000000aa'
    const a = sale({ quantity: 3 })
    const b = sale({
      buyerOrgId: unit,
      buyerChannel: 'gov_unit',
      amountFen: 500n,
      proceedsFen: 50n,
      quantity: 2,
    })
    const c = sale({
      buyerOrgId: unit,
      buyerChannel: 'gov_unit',
      amountFen: 700n,
      proceedsFen: 0n,
      quantity: 1,
    })
    expect(productRollupRows([a, b, c])).toEqual(productRollupRows([c, b, a]))
    const byProduct = productRollupRows([a, b, c])
    expect(byProduct.reduce((sum, r) => sum + r.quantity, 0n)).toBe(6n)
    expect(byProduct.reduce((sum, r) => sum + r.amountFen, 0n)).toBe(a.amountFen + 1200n)
    const byBuyer = buyerRollupRows([a, b, c])
    expect(byBuyer).toEqual(buyerRollupRows([c, a, b]))
    expect(byBuyer).toEqual([
      expect.objectContaining({ buyerOrgId: unit, amountFen: 1200n, proceedsFen: 50n, entries: 2 }),
    ])
  })
})
