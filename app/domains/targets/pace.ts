/**
 * How far through its period a target is on a given Asia/Shanghai day, in basis points (0–10000), floored: the
 * share of the goal that even progress would have reached by the end of that day. Before the period it is 0, after
 * it 10000. Dates are YYYY-MM-DD; the period includes both ends.
 */
export function periodElapsedBp(periodStart: string, periodEnd: string, today: string): number {
  const day = (date: string) =>
    Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) / 86_400_000
  const start = day(periodStart)
  const length = day(periodEnd) - start + 1
  const elapsed = day(today) - start + 1
  if (length <= 0 || elapsed <= 0) return 0
  if (elapsed >= length) return 10_000
  return Math.floor((elapsed * 10_000) / length)
}

/** The target the home page leads with: the first top-level demo target counted in money, if any. */
export function headlineTarget<T extends { kind: string; metric: string; parentId: string | null }>(
  targets: readonly T[],
): T | null {
  return targets.find((t) => t.kind === 'demo' && t.metric === 'amount_fen' && t.parentId === null) ?? null
}
