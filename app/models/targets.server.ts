import { asc } from 'drizzle-orm'
import type { Db } from '../../db/client.server'
import { targets } from '../../db/schema/targets'

export type TargetProgress =
  /** No sales ledger yet: progress is unknown, and is shown as "—", never as a made-up number. */
  { state: 'unavailable' }

/**
 * The one place progress toward a target is computed. Until the consumption-aid ledger exists there is nothing
 * to count, so it says so; reference targets never get computed progress (their outcomes are quoted instead).
 */
export function targetProgress(_target: { kind: 'demo' | 'reference' }): TargetProgress {
  return { state: 'unavailable' }
}

export type TargetSummary = {
  id: string
  key: string
  parentId: string | null
  name: string
  kind: 'demo' | 'reference'
  metric: 'amount_fen' | 'people'
  /** Fen for amounts, persons for people; a decimal string because 2×10¹⁰ fen does not fit every client. */
  goal: string
  periodStart: string
  periodEnd: string
  sourceText: string | null
  documentedOutcomes: string[]
  progress: TargetProgress
}

export async function listTargets(db: Db): Promise<TargetSummary[]> {
  const rows = await db
    .select({
      id: targets.id,
      key: targets.key,
      parentId: targets.parentId,
      name: targets.name,
      kind: targets.kind,
      metric: targets.metric,
      goal: targets.goal,
      periodStart: targets.periodStart,
      periodEnd: targets.periodEnd,
      sourceText: targets.sourceText,
      documentedOutcomes: targets.documentedOutcomes,
    })
    .from(targets)
    .orderBy(asc(targets.sortOrder), asc(targets.key))
  return rows.map((row) => ({ ...row, goal: row.goal.toString(), progress: targetProgress(row) }))
}
