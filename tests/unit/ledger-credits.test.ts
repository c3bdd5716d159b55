import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  aidCategoryOf,
  type Credit,
  creditsFor,
  entryInScope,
  pairingFor,
} from '../../app/domains/ledger/ledger.server'
import type { PairingRecord } from '../../app/domains/regions/reference-data.server'
import { isInSubtree, subtreePrefix } from '../../app/domains/regions/codes'
import { fcParams } from '../support/fast-check'

const INT32_MAX = 2 ** 31 - 1

type Beneficiary = { householdId: string; weight: number; members: number }

const abs = (x: bigint): bigint => (x < 0n ? -x : x)

/** Credits as a map household → fen, a household without a credit counting 0. */
function creditOf(credits: Credit[], householdId: string): bigint {
  return credits.find((c) => c.householdId === householdId)?.amountFen ?? 0n
}

// ---------------------------------------------------------------------------------------------------------------
// Generators

const household = (weight: fc.Arbitrary<number>): fc.Arbitrary<Beneficiary> =>
  fc.record({ householdId: fc.uuid(), weight, members: fc.integer({ min: 1, max: 20 }) })

const anyWeight = fc.oneof(
  fc.integer({ min: 1, max: 10 }),
  fc.integer({ min: 1, max: INT32_MAX }),
  fc.constantFrom(1, 2, INT32_MAX - 1, INT32_MAX),
)

const uniqueHouseholds = (
  weight: fc.Arbitrary<number>,
  constraints: { minLength: number; maxLength: number },
): fc.Arbitrary<Beneficiary[]> =>
  fc.uniqueArray(household(weight), { ...constraints, selector: (b) => b.householdId })

const beneficiariesArb: fc.Arbitrary<Beneficiary[]> = fc.oneof(
  // One household.
  uniqueHouseholds(anyWeight, { minLength: 1, maxLength: 1 }),
  // A few, with small weights: many ties, where the order by household id decides.
  uniqueHouseholds(fc.integer({ min: 1, max: 3 }), { minLength: 2, maxLength: 8 }),
  // Many households.
  uniqueHouseholds(anyWeight, { minLength: 2, maxLength: 60 }),
  // Extreme weights side by side: 1 next to 2^31−1.
  fc
    .tuple(
      household(fc.constant(1)),
      household(fc.constant(INT32_MAX)),
      uniqueHouseholds(fc.constantFrom(1, INT32_MAX), { minLength: 0, maxLength: 6 }),
    )
    .map(([a, b, rest]) => [a, b, ...rest])
    .filter((list) => new Set(list.map((h) => h.householdId)).size === list.length),
  // Some households with zero weight (nothing to share; never credited) beside at least one positive one.
  fc
    .tuple(
      uniqueHouseholds(anyWeight, { minLength: 1, maxLength: 5 }),
      uniqueHouseholds(fc.constant(0), { minLength: 1, maxLength: 3 }),
    )
    .map(([positive, zero]) => [...positive, ...zero])
    .filter((list) => new Set(list.map((h) => h.householdId)).size === list.length),
)

const proceedsArb: fc.Arbitrary<bigint> = fc.oneof(
  fc.constantFrom(0n, 1n, 2n),
  fc.bigInt({ min: 0n, max: 1_000n }),
  fc.bigInt({ min: 0n, max: 10n ** 9n }),
  // Up to ¥200 million and beyond: 2×10¹⁰ fen.
  fc.bigInt({ min: 0n, max: 10n ** 13n }),
)

/** Beneficiaries together with the same list in another order. */
const withShuffle = beneficiariesArb.chain((list) =>
  fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length })),
)

// ---------------------------------------------------------------------------------------------------------------

describe('creditsFor', () => {
  it('splits small examples as the largest-remainder method does, ties by household id', () => {
    const a = { householdId: '00000000-0000-4000-8000-00000000000a', weight: 1, members: 3 }
    const b = { householdId: '00000000-0000-4000-8000-00000000000b', weight: 1, members: 2 }
    const c = { householdId: '00000000-0000-4000-8000-00000000000c', weight: 1, members: 1 }
    // 100 fen over three equal weights: 33⅓ each; the one leftover fen goes to the smallest id.
    expect(creditsFor(100n, [c, b, a])).toEqual([
      { householdId: a.householdId, amountFen: 34n, members: 3 },
      { householdId: b.householdId, amountFen: 33n, members: 2 },
      { householdId: c.householdId, amountFen: 33n, members: 1 },
    ])
    // 1 fen over three equal weights: only the smallest id is credited; the others get no (zero) credit.
    expect(creditsFor(1n, [b, c, a])).toEqual([{ householdId: a.householdId, amountFen: 1n, members: 3 }])
    // 2 fen: the two smallest ids.
    expect(creditsFor(2n, [c, a, b]).map((x) => [x.householdId, x.amountFen])).toEqual([
      [a.householdId, 1n],
      [b.householdId, 1n],
    ])
    // 1 fen with weights 1 and 2^31−1: the heavy household's remainder is the larger one.
    expect(creditsFor(1n, [{ ...a }, { ...b, weight: INT32_MAX }])).toEqual([
      { householdId: b.householdId, amountFen: 1n, members: 2 },
    ])
    // Nothing to split: no credits at all.
    expect(creditsFor(0n, [a, b, c])).toEqual([])
    // A reversal of 100 fen is the mirror of the sale.
    expect(creditsFor(-100n, [a, b, c]).map((x) => x.amountFen)).toEqual([-34n, -33n, -33n])
  })

  it('credits sum exactly to the proceeds, each within 1 fen of its exact share', () => {
    fc.assert(
      fc.property(proceedsArb, beneficiariesArb, (proceeds, beneficiaries) => {
        const credits = creditsFor(proceeds, beneficiaries)
        expect(credits.reduce((sum, c) => sum + c.amountFen, 0n)).toBe(proceeds)
        const W = beneficiaries.reduce((sum, b) => sum + BigInt(b.weight), 0n)
        for (const b of beneficiaries) {
          // |credit − proceeds·w/W| < 1  ⇔  |credit·W − proceeds·w| < W
          const diff = creditOf(credits, b.householdId) * W - proceeds * BigInt(b.weight)
          expect(abs(diff) < W, `${b.householdId} (weight ${b.weight})`).toBe(true)
        }
      }),
      fcParams(),
    )
  })

  it('credits only beneficiaries with a share, once each, never with a zero amount, with their members', () => {
    fc.assert(
      fc.property(proceedsArb, beneficiariesArb, (proceeds, beneficiaries) => {
        const credits = creditsFor(proceeds, beneficiaries)
        const byId = new Map(beneficiaries.map((b) => [b.householdId, b]))
        expect(new Set(credits.map((c) => c.householdId)).size).toBe(credits.length)
        for (const credit of credits) {
          const b = byId.get(credit.householdId)
          expect(b, 'a credit for someone who is not a beneficiary').toBeDefined()
          expect(credit.amountFen).not.toBe(0n)
          expect(credit.members).toBe(b!.members)
          // Zero share (zero proceeds or zero weight): no credit.
          expect(proceeds * BigInt(b!.weight)).not.toBe(0n)
        }
        if (proceeds === 0n) expect(credits).toEqual([])
        // Every household whose exact share is at least 1 fen is credited.
        const W = beneficiaries.reduce((sum, b) => sum + BigInt(b.weight), 0n)
        for (const b of beneficiaries)
          if (proceeds * BigInt(b.weight) >= W) expect(creditOf(credits, b.householdId) > 0n).toBe(true)
      }),
      fcParams(),
    )
  })

  it('hands the leftover fen to the largest remainders, ties to the smaller household id', () => {
    fc.assert(
      fc.property(proceedsArb, beneficiariesArb, (proceeds, beneficiaries) => {
        const credits = creditsFor(proceeds, beneficiaries)
        const W = beneficiaries.reduce((sum, b) => sum + BigInt(b.weight), 0n)
        const rows = beneficiaries.map((b) => {
          const exact = proceeds * BigInt(b.weight)
          const floor = exact / W
          const credit = creditOf(credits, b.householdId)
          return { id: b.householdId, weight: b.weight, remainder: exact % W, bonus: credit - floor }
        })
        for (const r of rows) expect([0n, 1n]).toContain(r.bonus)
        for (const got of rows.filter((r) => r.bonus === 1n))
          for (const not of rows.filter((r) => r.bonus === 0n)) {
            const before =
              got.remainder > not.remainder || (got.remainder === not.remainder && got.id < not.id)
            expect(before, `${got.id} got the fen before ${not.id}`).toBe(true)
          }
        // Consequence: of two households with the same weight, the smaller id never gets less.
        for (const x of rows)
          for (const y of rows)
            if (x.weight === y.weight && x.id < y.id)
              expect(creditOf(credits, x.id) >= creditOf(credits, y.id)).toBe(true)
      }),
      fcParams(),
    )
  })

  it('is deterministic: the order of the beneficiaries does not matter', () => {
    fc.assert(
      fc.property(proceedsArb, withShuffle, (proceeds, [list, shuffled]) => {
        const credits = creditsFor(proceeds, list)
        expect(creditsFor(proceeds, shuffled)).toEqual(credits)
        expect(creditsFor(proceeds, list)).toEqual(credits)
        // Listed by household id.
        const ids = credits.map((c) => c.householdId)
        expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)))
      }),
      fcParams(),
    )
  })

  it('splits a negative proceeds (a reversal) as the exact mirror of the sale', () => {
    fc.assert(
      fc.property(proceedsArb, withShuffle, (proceeds, [list, shuffled]) => {
        const sale = creditsFor(proceeds, list)
        const reversal = creditsFor(-proceeds, shuffled)
        expect(reversal).toEqual(sale.map((c) => ({ ...c, amountFen: -c.amountFen })))
        expect(reversal.reduce((sum, c) => sum + c.amountFen, 0n)).toBe(-proceeds)
      }),
      fcParams(),
    )
  })
})

// ---------------------------------------------------------------------------------------------------------------

describe('pairingFor', () => {
  const p = (id: string, helperCode: string | null, helpedCode: string): PairingRecord => ({
    id,
    programme: '东西部协作',
    helperName: helperCode ?? '功能区',
    helperCode,
    helpedCode,
  })
  // A small list modelled on the documented ones: city to city, county to county, and a few made-up broader
  // ones to tell the rules apart.
  const cityToCity = p('EW-FZ-DX', '350100', '621100') // 福州市 → 定西市
  const taijiangAnding = p('FD-350103-621102', '350103', '621102') // 台江区 → 安定区
  const gulouMinxian = p('FD-350102-621126', '350102', '621126') // 鼓楼区 → 岷县
  const fujianAnding = p('T-FJ-AD', '350000', '621102') // 福建省 → 安定区
  const gulouDingxi = p('T-GL-DX', '350102', '621100') // 鼓楼区 → 定西市
  const zoneAnding = p('T-ZONE-AD', null, '621102') // a functional zone with no code → 安定区
  const hangzhouEnshi = p('EW-HZ-ES', '330100', '422800') // 杭州市 → 恩施州
  const pairings = [cityToCity, taijiangAnding, gulouMinxian, hangzhouEnshi]

  it('serves the documented pairing: county pair first, else the city pair', () => {
    expect(pairingFor(pairings, '621102', '350103')).toBe(taijiangAnding)
    expect(pairingFor(pairings, '621102', '350102')).toBe(cityToCity)
    expect(pairingFor(pairings, '621126', '350102')).toBe(gulouMinxian)
    expect(pairingFor(pairings, '621126', '350103')).toBe(cityToCity)
    expect(pairingFor(pairings, '621121', '350181')).toBe(cityToCity)
    expect(pairingFor(pairings, '422802', '330102')).toBe(hangzhouEnshi)
  })

  it('prefers the most specific helped side, then the most specific helper side', () => {
    // Helped side first: 福建省→安定区 beats 福州市→定西市 and 鼓楼区→定西市 for an 安定区 product.
    expect(pairingFor([cityToCity, gulouDingxi, fujianAnding], '621102', '350102')).toBe(fujianAnding)
    // Same helped side: the more specific helper wins.
    expect(pairingFor([cityToCity, gulouDingxi], '621102', '350102')).toBe(gulouDingxi)
    expect(pairingFor([gulouDingxi, cityToCity], '621102', '350102')).toBe(gulouDingxi)
    // …but only where the helper side matches at all.
    expect(pairingFor([cityToCity, gulouDingxi], '621102', '350104')).toBe(cityToCity)
    // Equal matches: the smaller id, whatever the order of the list.
    const twinA = p('A-TWIN', '350100', '621100')
    const twinB = p('B-TWIN', '350100', '621100')
    expect(pairingFor([twinB, twinA], '621102', '350102')).toBe(twinA)
    expect(pairingFor([twinA, twinB], '621102', '350102')).toBe(twinA)
  })

  it('serves none when no helper code matches — never a guess', () => {
    // A Hangzhou buyer of a Dingxi product.
    expect(pairingFor(pairings, '621102', '330102')).toBeNull()
    // A helper region that matches but not for this helped region.
    expect(pairingFor([hangzhouEnshi], '621102', '330102')).toBeNull()
    // A pairing without a helper code (a functional zone) matches no buyer.
    expect(pairingFor([zoneAnding], '621102', '350103')).toBeNull()
    expect(pairingFor([zoneAnding, cityToCity], '621102', '350103')).toBe(cityToCity)
    // Neighbouring codes are not ancestors: 350101 is not in 350102's chain, 6211 is not 6212.
    expect(pairingFor([p('X', '350101', '621100')], '621102', '350102')).toBeNull()
    expect(pairingFor([p('Y', '350100', '621200')], '621102', '350102')).toBeNull()
    expect(pairingFor([], '621102', '350102')).toBeNull()
  })

  it('agrees with a brute-force reading of the rule, whatever the order of the list', () => {
    const list = [
      cityToCity,
      taijiangAnding,
      gulouMinxian,
      fujianAnding,
      gulouDingxi,
      zoneAnding,
      hangzhouEnshi,
      p('T-GS-FZ', '350100', '620000'), // 福州市 → 甘肃省
      p('T-ZJ-GS', '330000', '620000'), // 浙江省 → 甘肃省
    ]
    const origins = ['621102', '621126', '621121', '620102', '422802', '330127', '330900']
    const buyers = ['350102', '350103', '350104', '350181', '330102', '330110', '110101', '621102']
    const specificity = (code: string) => subtreePrefix(code).length
    const oracle = (pool: PairingRecord[], origin: string, buyer: string) => {
      const matches = pool.filter(
        (x) => x.helperCode !== null && isInSubtree(origin, x.helpedCode) && isInSubtree(buyer, x.helperCode),
      )
      matches.sort(
        (a, b) =>
          specificity(b.helpedCode) - specificity(a.helpedCode) ||
          specificity(b.helperCode!) - specificity(a.helperCode!) ||
          (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
      )
      return matches[0] ?? null
    }
    fc.assert(
      fc.property(
        fc.subarray(list),
        fc.constantFrom(...origins),
        fc.constantFrom(...buyers),
        fc.nat(),
        (pool, origin, buyer, rotate) => {
          const rotated = pool.map((_, i) => pool[(i + rotate) % pool.length]!)
          const expected = oracle(pool, origin, buyer)
          expect(pairingFor(pool, origin, buyer)).toBe(expected)
          expect(pairingFor(rotated, origin, buyer)).toBe(expected)
          expect(pairingFor([...pool].reverse(), origin, buyer)).toBe(expected)
        },
      ),
      fcParams(),
    )
  })
})

// ---------------------------------------------------------------------------------------------------------------

describe('entryInScope', () => {
  const anyScope = {
    id: 't',
    periodStart: '2026-01-01',
    periodEnd: '2026-12-31',
    helpedCodes: [] as string[],
    helperCodes: [] as string[],
    buyerChannels: [] as string[],
    certifiedOnly: false,
  }
  const entry = {
    day: '2026-06-15',
    originCode: '621102', // 安定区
    buyerRegionCode: '350102', // 鼓楼区
    buyerChannel: 'consumer',
    certified: false,
  }

  it('counts only inside the period, both ends inclusive', () => {
    expect(entryInScope(anyScope, entry)).toBe(true)
    expect(entryInScope(anyScope, { ...entry, day: '2026-01-01' })).toBe(true)
    expect(entryInScope(anyScope, { ...entry, day: '2026-12-31' })).toBe(true)
    expect(entryInScope(anyScope, { ...entry, day: '2025-12-31' })).toBe(false)
    expect(entryInScope(anyScope, { ...entry, day: '2027-01-01' })).toBe(false)
    const oneDay = { ...anyScope, periodStart: '2026-06-15', periodEnd: '2026-06-15' }
    expect(entryInScope(oneDay, entry)).toBe(true)
    expect(entryInScope(oneDay, { ...entry, day: '2026-06-16' })).toBe(false)
  })

  it('counts helped and helper regions by subtree, any of the listed ones', () => {
    const fzDx = { ...anyScope, helpedCodes: ['621100'], helperCodes: ['350100'] }
    expect(entryInScope(fzDx, entry)).toBe(true)
    expect(entryInScope(fzDx, { ...entry, buyerRegionCode: '330102' })).toBe(false) // 杭州 buyer
    expect(entryInScope(fzDx, { ...entry, buyerRegionCode: '350181' })).toBe(true) // 福清市
    expect(entryInScope(fzDx, { ...entry, buyerRegionCode: '350200' })).toBe(false) // 厦门市
    expect(entryInScope(fzDx, { ...entry, originCode: '621126' })).toBe(true) // 岷县
    expect(entryInScope(fzDx, { ...entry, originCode: '620102' })).toBe(false) // 兰州
    expect(entryInScope(fzDx, { ...entry, originCode: '330127' })).toBe(false)
    // A county-pair scope.
    const taijiangAnding = { ...anyScope, helpedCodes: ['621102'], helperCodes: ['350103'] }
    expect(entryInScope(taijiangAnding, entry)).toBe(false)
    expect(entryInScope(taijiangAnding, { ...entry, buyerRegionCode: '350103' })).toBe(true)
    expect(entryInScope(taijiangAnding, { ...entry, buyerRegionCode: '350103', originCode: '621126' })).toBe(
      false,
    )
    // Several codes: any of them; a province covers all its counties.
    const several = { ...anyScope, helpedCodes: ['330127', '621126'], helperCodes: ['330000', '350102'] }
    expect(entryInScope(several, { ...entry, originCode: '621126' })).toBe(true)
    expect(entryInScope(several, { ...entry, originCode: '330127', buyerRegionCode: '330110' })).toBe(true)
    expect(entryInScope(several, entry)).toBe(false)
    expect(entryInScope({ ...anyScope, helpedCodes: ['620000'] }, entry)).toBe(true)
  })

  it('counts only the listed channels, and only certified products when certified-only', () => {
    expect(entryInScope({ ...anyScope, buyerChannels: ['consumer'] }, entry)).toBe(true)
    expect(entryInScope({ ...anyScope, buyerChannels: ['gov_unit', 'trade_union'] }, entry)).toBe(false)
    expect(
      entryInScope(
        { ...anyScope, buyerChannels: ['gov_unit', 'trade_union'] },
        { ...entry, buyerChannel: 'gov_unit' },
      ),
    ).toBe(true)
    expect(entryInScope({ ...anyScope, certifiedOnly: true }, entry)).toBe(false)
    expect(entryInScope({ ...anyScope, certifiedOnly: true }, { ...entry, certified: true })).toBe(true)
    expect(entryInScope(anyScope, { ...entry, certified: true })).toBe(true)
  })

  it('is the conjunction of its parts, an empty list meaning any', () => {
    const codes = [
      '350000',
      '350100',
      '350102',
      '350103',
      '330000',
      '330100',
      '330102',
      '621100',
      '621102',
      '621126',
    ]
    const entryArb = fc.record({
      day: fc.constantFrom('2025-12-31', '2026-01-01', '2026-06-15', '2026-12-31', '2027-01-01'),
      originCode: fc.constantFrom('621102', '621126', '621121', '330127', '350102'),
      buyerRegionCode: fc.constantFrom('350102', '350103', '350181', '330102', '621102'),
      buyerChannel: fc.constantFrom('consumer', 'gov_unit', 'trade_union', 'enterprise'),
      certified: fc.boolean(),
    })
    const scopeArb = fc.record({
      id: fc.constant('t'),
      periodStart: fc.constantFrom('2026-01-01', '2026-06-15'),
      periodEnd: fc.constantFrom('2026-06-15', '2026-12-31'),
      helpedCodes: fc.subarray(codes, { maxLength: 3 }),
      helperCodes: fc.subarray(codes, { maxLength: 3 }),
      buyerChannels: fc.subarray(['consumer', 'gov_unit', 'trade_union', 'enterprise']),
      certifiedOnly: fc.boolean(),
    })
    fc.assert(
      fc.property(scopeArb, entryArb, (scope, e) => {
        const only = (part: Partial<typeof anyScope>) =>
          entryInScope({ ...anyScope, periodStart: '0000-01-01', periodEnd: '9999-12-31', ...part }, e)
        const expected =
          only({ periodStart: scope.periodStart, periodEnd: scope.periodEnd }) &&
          only({ helpedCodes: scope.helpedCodes }) &&
          only({ helperCodes: scope.helperCodes }) &&
          only({ buyerChannels: scope.buyerChannels }) &&
          only({ certifiedOnly: scope.certifiedOnly })
        expect(entryInScope(scope, e)).toBe(expected)
        // Each part on its own, read independently.
        expect(only({ helpedCodes: scope.helpedCodes })).toBe(
          scope.helpedCodes.length === 0 ||
            scope.helpedCodes.some((c) => e.originCode.startsWith(subtreePrefix(c))),
        )
        expect(only({ helperCodes: scope.helperCodes })).toBe(
          scope.helperCodes.length === 0 ||
            scope.helperCodes.some((c) => e.buyerRegionCode.startsWith(subtreePrefix(c))),
        )
        expect(only({ buyerChannels: scope.buyerChannels })).toBe(
          scope.buyerChannels.length === 0 || scope.buyerChannels.includes(e.buyerChannel),
        )
        expect(only({ certifiedOnly: scope.certifiedOnly })).toBe(!scope.certifiedOnly || e.certified)
        expect(only({ periodStart: scope.periodStart, periodEnd: scope.periodEnd })).toBe(
          scope.periodStart <= e.day && e.day <= scope.periodEnd,
        )
      }),
      fcParams(),
    )
  })
})

describe('aidCategoryOf', () => {
  it('counts a consumer purchase as 帮助销售 and a unit purchase as 直接采购', () => {
    expect(aidCategoryOf('consumer')).toBe('sales_assist')
    expect(aidCategoryOf('gov_unit')).toBe('direct_purchase')
    expect(aidCategoryOf('trade_union')).toBe('direct_purchase')
    expect(aidCategoryOf('enterprise')).toBe('direct_purchase')
  })
})
