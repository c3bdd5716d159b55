/**
 * The reserved share (预留份额) arithmetic, in integer fen. The reserved amount is the base times the share in basis
 * points, rounded up to the fen: a unit that buys exactly the amount shown has met its share, never fallen a fraction
 * of a fen short of it (decision 017).
 */

export const MIN_RESERVED_SHARE_BP = 1000
export const MAX_RESERVED_SHARE_BP = 10_000

export function reservedAmountFen(baseFen: bigint, shareBp: number): bigint {
  if (baseFen < 0n) throw new RangeError('base must not be negative')
  if (!Number.isInteger(shareBp) || shareBp < 0 || shareBp > MAX_RESERVED_SHARE_BP)
    throw new RangeError('share out of range')
  const product = baseFen * BigInt(shareBp)
  return (product + 9999n) / 10_000n
}

/** Progress in basis points of the reserved amount (floored; 0 when nothing is reserved). */
export function progressBp(doneFen: bigint, reservedFen: bigint): number {
  if (reservedFen <= 0n) return 0
  const bp = (doneFen * 10_000n) / reservedFen
  return Number(bp < 0n ? 0n : bp)
}

export type MonthFigures = {
  /** 1–12. */
  month: number
  /** Counted purchases on this platform (the ledger's buyer rollups: sales minus reversals). */
  platformFen: bigint
  /** Recorded purchases elsewhere, the unit's own. */
  externalFen: bigint
  /** 职工消费帮扶: a trade union's staff purchases, shown apart (not in the unit's share). */
  staffFen: bigint
}

export type BurnDownRow = MonthFigures & {
  /** Platform + external, this month. */
  monthFen: bigint
  /** Cumulative platform + external up to this month. */
  cumulativeFen: bigint
  /** What is left of the reserved amount after this month (never below zero). */
  remainingFen: bigint
}

/** Month by month: cumulative progress and what remains of the reserved amount. */
export function burnDown(reservedFen: bigint, months: readonly MonthFigures[]): BurnDownRow[] {
  let cumulative = 0n
  return [...months]
    .sort((a, b) => a.month - b.month)
    .map((m) => {
      const monthFen = m.platformFen + m.externalFen
      cumulative += monthFen
      const remaining = reservedFen - cumulative
      return { ...m, monthFen, cumulativeFen: cumulative, remainingFen: remaining > 0n ? remaining : 0n }
    })
}

// Office dashboard II (decision 024): units lagging on their reserved share.
/**
 * What a unit should have bought by a day at an even pace through the year: the reserved amount times the share of
 * the year's days elapsed (the day itself counted), floored to the fen — a unit is only called behind when it is
 * behind by at least a fen.
 */
export function proRataReservedFen(reservedFen: bigint, elapsedDays: number, yearDays: number): bigint {
  if (!Number.isInteger(elapsedDays) || !Number.isInteger(yearDays) || yearDays <= 0)
    throw new RangeError('days must be whole and the year non-empty')
  const days = Math.min(Math.max(elapsedDays, 0), yearDays)
  return (reservedFen * BigInt(days)) / BigInt(yearDays)
}

/** Days of a year elapsed by an Asia/Shanghai date (1 on 1 January), and the year's length. */
export function yearElapsed(today: string): { year: number; elapsedDays: number; yearDays: number } {
  const year = Number(today.slice(0, 4))
  const start = Date.UTC(year, 0, 1)
  const day = Date.parse(`${today}T00:00:00Z`)
  const yearDays = (Date.UTC(year + 1, 0, 1) - start) / 86_400_000
  return { year, elapsedDays: Math.round((day - start) / 86_400_000) + 1, yearDays }
}
