import { and, asc, between, eq, inArray, like, or, type SQL, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.server'
import { aidRollups, targetReach } from '../../db/schema/ledger'
import { targets } from '../../db/schema/targets'
import { subtreePrefix } from '../utils/regions'

export type TargetProgress =
  /** Reference targets: their documented outcomes are quoted instead, never a computed figure. */
  | { state: 'unavailable' }
  /** Fen (amount targets) or persons (people targets), as a decimal string; floored, never rounded up. */
  | { state: 'counted'; achieved: string }

type TargetScopeRow = {
  id: string
  kind: 'demo' | 'reference'
  metric: 'amount_fen' | 'people'
  periodStart: string
  periodEnd: string
  helpedCodes: string[]
  helperCodes: string[]
  buyerChannels: string[]
  certifiedOnly: boolean
}

/**
 * The one place progress toward a target is computed (DESIGN §5): the sum of the ledger's rollups inside the
 * target's scope and period, or the people reached (members of the households in target_reach). It reads only
 * aid_rollups and target_reach, never the entries, so it stays fast however long the ledger grows.
 */
export async function targetProgress(db: Db, target: TargetScopeRow): Promise<TargetProgress> {
  if (target.kind === 'reference') return { state: 'unavailable' }
  if (target.metric === 'people') {
    const [row] = await db
      .select({ people: sql<string>`coalesce(sum(${targetReach.members}), 0)::text` })
      .from(targetReach)
      .where(eq(targetReach.targetId, target.id))
    return { state: 'counted', achieved: row?.people ?? '0' }
  }
  const inSubtrees = (
    column: typeof aidRollups.helpedCode | typeof aidRollups.helperCode,
    codes: string[],
  ): SQL | undefined =>
    codes.length === 0 ? undefined : or(...codes.map((code) => like(column, `${subtreePrefix(code)}%`)))
  const [row] = await db
    .select({ amount: sql<string>`coalesce(sum(${aidRollups.amountFen}), 0)::text` })
    .from(aidRollups)
    .where(
      and(
        between(aidRollups.day, target.periodStart, target.periodEnd),
        inSubtrees(aidRollups.helpedCode, target.helpedCodes),
        inSubtrees(aidRollups.helperCode, target.helperCodes),
        target.buyerChannels.length === 0
          ? undefined
          : inArray(aidRollups.buyerChannel, target.buyerChannels),
        target.certifiedOnly ? eq(aidRollups.certified, true) : undefined,
      ),
    )
  return { state: 'counted', achieved: row?.amount ?? '0' }
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
      helpedCodes: targets.helpedCodes,
      helperCodes: targets.helperCodes,
      buyerChannels: targets.buyerChannels,
      certifiedOnly: targets.certifiedOnly,
    })
    .from(targets)
    .orderBy(asc(targets.sortOrder), asc(targets.key))
  return Promise.all(
    rows.map(async (row) => ({
      id: row.id,
      key: row.key,
      parentId: row.parentId,
      name: row.name,
      kind: row.kind,
      metric: row.metric,
      goal: row.goal.toString(),
      periodStart: row.periodStart,
      periodEnd: row.periodEnd,
      sourceText: row.sourceText,
      documentedOutcomes: row.documentedOutcomes,
      progress: await targetProgress(db, row),
    })),
  )
}
