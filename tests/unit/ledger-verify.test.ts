import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { reversalProblem, saleCreditsProblem } from '../../app/domains/ledger/verify.server'
import {
  creditsFor,
  type HashedCredit,
  type LedgerEntryContent,
  ledgerEntryPayload,
} from '../../app/domains/ledger/ledger.server'
import { refundedProceeds, reversedCredits } from '../../app/domains/ledger/reversals'
import { canonicalJson, chainHash, GENESIS_HASH } from '../../app/services/hash-chain/index.server'
import { fcParams } from '../support/fast-check'

const entry: LedgerEntryContent = {
  seq: 7,
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
  quantity: 3,
  amountFen: 13000n,
  proceedsFen: 1300n,
}

const h = (n: number) => `00000000-0000-4000-8000-0000000001${String(n).padStart(2, '0')}`

type Link = { householdId: string; weight: number }

/** A product's links: distinct households with weights from 1 to 2^31−1, small ones often (ties). */
const linksArb: fc.Arbitrary<Link[]> = fc.uniqueArray(
  fc.record({
    householdId: fc.uuid(),
    weight: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 2 ** 31 - 1 })),
  }),
  { minLength: 1, maxLength: 12, selector: (l) => l.householdId },
)

const proceedsArb = fc.oneof(fc.bigInt({ min: 0n, max: 2_000n }), fc.bigInt({ min: 0n, max: 10n ** 12n }))

const split = (proceedsFen: bigint, links: readonly Link[]): HashedCredit[] =>
  creditsFor(
    proceedsFen,
    links.map((l) => ({ ...l, members: 1 })),
  ).map(({ householdId, amountFen }) => ({ householdId, amountFen }))

/** Per household (every link, 0 when not credited). */
const amountsOf = (links: readonly Link[], credits: readonly HashedCredit[]) =>
  links.map((l) => credits.find((c) => c.householdId === l.householdId)?.amountFen ?? 0n)

/** Credits from per-household amounts, leaving out zeros as creditsFor does. */
const creditsFrom = (links: readonly Link[], amounts: readonly bigint[]): HashedCredit[] =>
  links.flatMap((l, i) => (amounts[i] === 0n ? [] : [{ householdId: l.householdId, amountFen: amounts[i]! }]))

describe('ledgerEntryPayload', () => {
  const credits = [
    { householdId: h(3), amountFen: 400n },
    { householdId: h(1), amountFen: 500n },
    { householdId: h(2), amountFen: 200n },
    { householdId: h(4), amountFen: 200n },
  ]

  it('version 1 is the entry’s columns; version 2 adds the version and the credits, by household id', () => {
    expect(ledgerEntryPayload(entry, credits, 1)).toEqual({ ...entry })
    const json = canonicalJson(ledgerEntryPayload(entry, credits))
    expect(json).toContain(
      `"credits":[["${h(1)}","500"],["${h(2)}","200"],["${h(3)}","400"],["${h(4)}","200"]]`,
    )
    expect(json).toContain('"payloadVersion":"2"')
    expect(canonicalJson(ledgerEntryPayload(entry, []))).toContain('"credits":[]')
  })

  it('hashes the same whatever the order of the credits, and differently once any amount moves', () => {
    fc.assert(
      fc.property(
        linksArb,
        proceedsArb.filter((p) => p > 0n),
        fc.nat(),
        fc.nat(),
        (links, proceeds, from, to) => {
          const credits = split(proceeds, links)
          const hash = chainHash(GENESIS_HASH, ledgerEntryPayload(entry, credits))
          expect(chainHash(GENESIS_HASH, ledgerEntryPayload(entry, [...credits].reverse()))).toBe(hash)
          // Part of one household's credit moved to another, the sum unchanged.
          const amounts = amountsOf(links, credits)
          const i = from % links.length
          const j = to % links.length
          fc.pre(i !== j && amounts[i]! > 0n)
          const moved = 1n + (BigInt(from) % amounts[i]!)
          const rearranged = [...amounts]
          rearranged[i]! -= moved
          rearranged[j]! += moved
          expect(chainHash(GENESIS_HASH, ledgerEntryPayload(entry, creditsFrom(links, rearranged)))).not.toBe(
            hash,
          )
          // Version 1 does not see credits at all: the verifier's credit checks are what guard those entries.
          expect(chainHash(GENESIS_HASH, ledgerEntryPayload(entry, creditsFrom(links, rearranged), 1))).toBe(
            chainHash(GENESIS_HASH, ledgerEntryPayload(entry, credits, 1)),
          )
        },
      ),
      fcParams(),
    )
  })
})

describe('saleCreditsProblem', () => {
  it('accepts exactly the largest-remainder split over the links, in any order', () => {
    fc.assert(
      fc.property(linksArb, proceedsArb, (links, proceeds) => {
        const credits = split(proceeds, links)
        expect(saleCreditsProblem(proceeds, links, credits)).toBeNull()
        expect(saleCreditsProblem(proceeds, [...links].reverse(), [...credits].reverse())).toBeNull()
      }),
      fcParams(),
    )
  })

  it('refuses any other arrangement of the same sum over the same households', () => {
    fc.assert(
      fc.property(
        linksArb.filter((l) => l.length >= 2),
        proceedsArb.filter((p) => p > 0n),
        fc.array(fc.nat(), { minLength: 12, maxLength: 12 }),
        (links, proceeds, keys) => {
          const amounts = amountsOf(links, split(proceeds, links))
          // Any permutation of the amounts over the households (sorting by random keys).
          const order = links.map((_, i) => i).sort((a, b) => keys[a]! - keys[b]! || a - b)
          const permuted = order.map((k) => amounts[k]!)
          fc.pre(permuted.some((a, i) => a !== amounts[i]))
          expect(saleCreditsProblem(proceeds, links, creditsFrom(links, permuted))).toBe('credits_mismatch')
        },
      ),
      fcParams(),
    )
  })

  it('refuses one fen moved, a household left out, and a zero credit', () => {
    const links = [1, 2, 3, 4].map((n) => ({ householdId: h(n), weight: [5, 2, 2, 4][n - 1]! }))
    const credits = split(1300n, links)
    expect(credits.map((c) => c.amountFen)).toEqual([500n, 200n, 200n, 400n])
    expect(saleCreditsProblem(1300n, links, creditsFrom(links, [400n, 300n, 200n, 400n]))).toBe(
      'credits_mismatch',
    )
    expect(saleCreditsProblem(1300n, links, credits.slice(1))).toBe('credits_mismatch')
    expect(saleCreditsProblem(1n, links, [{ householdId: h(1), amountFen: 1n }])).toBeNull()
    expect(
      saleCreditsProblem(1n, links, [
        { householdId: h(1), amountFen: 1n },
        { householdId: h(2), amountFen: 0n },
      ]),
    ).toBe('credits_mismatch')
    // No links at the time (a product sold while it had no households): no credits, whatever the proceeds.
    expect(saleCreditsProblem(1300n, [], [])).toBeNull()
  })

  it('names a credit to a household that was not linked at the time, whatever the amounts', () => {
    fc.assert(
      fc.property(
        linksArb,
        proceedsArb,
        fc.uuid(),
        fc.bigInt({ min: -5n, max: 10n ** 9n }),
        (links, p, x, amt) => {
          fc.pre(!links.some((l) => l.householdId === x))
          const credits = [...split(p, links), { householdId: x, amountFen: amt }]
          expect(saleCreditsProblem(p, links, credits)).toBe('credit_not_beneficiary')
          // Moved to the stranger, the sum unchanged.
          const [first, ...rest] = split(p, links)
          if (first) {
            expect(
              saleCreditsProblem(p, links, [...rest, { householdId: x, amountFen: first.amountFen }]),
            ).toBe('credit_not_beneficiary')
          }
        },
      ),
      fcParams(),
    )
  })
})

describe('reversalProblem', () => {
  /** A sale's line, its credits, and refunds in parts that add up to at most the line. */
  const refunded = fc
    .record({
      links: linksArb,
      amountFen: fc.bigInt({ min: 1n, max: 10n ** 10n }),
      share: fc.integer({ min: 0, max: 10_000 }),
      cuts: fc.uniqueArray(fc.integer({ min: 1, max: 999 }), { minLength: 1, maxLength: 4 }),
    })
    .map(({ links, amountFen, share, cuts }) => {
      const proceedsFen = (amountFen * BigInt(share)) / 10_000n
      const points = [...new Set(cuts.map((c) => (amountFen * BigInt(c)) / 1000n))]
        .filter((p) => p > 0n)
        .sort((a, b) => (a < b ? -1 : 1))
      const parts = points.map((p, i) => p - (i === 0 ? 0n : points[i - 1]!))
      return { sale: { amountFen, proceedsFen, credits: split(proceedsFen, links) }, parts }
    })

  /** The reversals refundPayment appends for `parts`, each with what was refunded before it. */
  function reversals(
    sale: { amountFen: bigint; proceedsFen: bigint; credits: HashedCredit[] },
    parts: bigint[],
  ) {
    let before = 0n
    return parts.map((part) => {
      const pb = refundedProceeds(sale, before)
      const pa = refundedProceeds(sale, before + part)
      const reversal = {
        amountFen: -part,
        proceedsFen: -(pa - pb),
        credits: reversedCredits(
          sale.credits.map((c) => ({ ...c, members: 1 })),
          pb,
          pa,
        ).map(({ householdId, amountFen }) => ({ householdId, amountFen })),
      }
      const refundedBefore = before
      before += part
      return { reversal, refundedBefore }
    })
  }

  it('accepts the reversals refundPayment makes, part after part', () => {
    fc.assert(
      fc.property(refunded, ({ sale, parts }) => {
        for (const { reversal, refundedBefore } of reversals(sale, parts))
          expect(reversalProblem(sale, refundedBefore, reversal)).toBeNull()
      }),
      fcParams(),
    )
  })

  it('refuses other proceeds, credits rearranged, and households its sale did not credit', () => {
    fc.assert(
      fc.property(refunded, fc.nat(), fc.uuid(), ({ sale, parts }, pick, stranger) => {
        fc.pre(!sale.credits.some((c) => c.householdId === stranger))
        for (const { reversal, refundedBefore } of reversals(sale, parts)) {
          expect(
            reversalProblem(sale, refundedBefore, { ...reversal, proceedsFen: reversal.proceedsFen - 1n }),
          ).toBe('refund_mismatch')
          if (reversal.credits.length === 0) continue
          const moved = reversal.credits.map((c, i) =>
            i === pick % reversal.credits.length ? { ...c, householdId: stranger } : c,
          )
          expect(reversalProblem(sale, refundedBefore, { ...reversal, credits: moved })).toBe(
            'credit_not_beneficiary',
          )
          // One fen of the reversal moved between two of the sale's households.
          const others = sale.credits.filter((c) => c.householdId !== reversal.credits[0]!.householdId)
          if (others.length === 0) continue
          const to = others[pick % others.length]!.householdId
          const amounts = new Map(reversal.credits.map((c) => [c.householdId, c.amountFen]))
          amounts.set(reversal.credits[0]!.householdId, reversal.credits[0]!.amountFen + 1n)
          amounts.set(to, (amounts.get(to) ?? 0n) - 1n)
          const rearranged = [...amounts].flatMap(([householdId, amountFen]) =>
            amountFen === 0n ? [] : [{ householdId, amountFen }],
          )
          expect(reversalProblem(sale, refundedBefore, { ...reversal, credits: rearranged })).toBe(
            'credits_mismatch',
          )
        }
      }),
      fcParams(),
    )
  })
})
