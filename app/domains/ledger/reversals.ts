import { splitLargestRemainder } from '../../utils/money'
import type { Credit } from './ledger.server'

/**
 * How a refund reverses a sale (decision 008): a line's proceeds as rule(total refunded) − rule(refunded before),
 * and each household's credit the same way over the sale's own split, so a full refund returns every figure to
 * exactly zero. Pure: the refunds (payments) write with these, the verifier checks with them.
 */

/** rule(x): the proceeds that x fen of a line's amount carry, floored. */
export function refundedProceeds(
  line: { amountFen: bigint; proceedsFen: bigint },
  refundedFen: bigint,
): bigint {
  if (line.amountFen === 0n) return 0n
  return (line.proceedsFen * refundedFen) / line.amountFen
}

/** The reversal of a sale's credits when its refunded proceeds go from `before` to `after` (both ≥ 0). */
export function reversedCredits(saleCredits: readonly Credit[], before: bigint, after: bigint): Credit[] {
  const total = saleCredits.reduce((sum, c) => sum + c.amountFen, 0n)
  if (total === 0n || saleCredits.length === 0) return []
  const shares = saleCredits.map((c) => ({ key: c.householdId, weight: c.amountFen }))
  const splitAfter = splitLargestRemainder(after, shares)
  const splitBefore = splitLargestRemainder(before, shares)
  return saleCredits
    .map((c, i) => ({
      householdId: c.householdId,
      members: c.members,
      amountFen: -(splitAfter[i]!.amount - splitBefore[i]!.amount),
    }))
    .filter((c) => c.amountFen !== 0n)
}
