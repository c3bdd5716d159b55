import { and, asc, between, eq, inArray, like, or, type SQL, sql } from 'drizzle-orm'
import type { Db } from '../../../db/client.server'
import { aidRollups, targetReach } from '../../../db/schema/ledger'
import { type TargetKind, targetScopeColumns, targets } from '../../../db/schema/targets'
import { isUuid } from '../../utils/ids'
import { subtreePrefix } from '../regions'
import type { TargetScope } from '../ledger/index.server'
import { referenceData } from '../regions/index.server'
import { readTallies, tallyTotal } from './tallies.server'

export type TargetProgress =
  /** Reference targets: their documented outcomes are quoted instead, never a computed figure. */
  | { state: 'unavailable' }
  /** Fen (amount targets) or persons (people targets), as a decimal string; floored, never rounded up. */
  | { state: 'counted'; achieved: string }

export type TargetScopeRow = TargetScope & { kind: TargetKind; metric: 'amount_fen' | 'people' }

const inSubtrees = (
  column: typeof aidRollups.helpedCode | typeof aidRollups.helperCode,
  codes: string[],
): SQL | undefined =>
  codes.length === 0 ? undefined : or(...codes.map((code) => like(column, `${subtreePrefix(code)}%`)))

/** The rollups inside a target's scope and period (optionally a narrower date range). */
export function scopeConditions(
  target: TargetScopeRow,
  range?: { from: string; to: string },
): SQL | undefined {
  return and(
    between(aidRollups.day, range?.from ?? target.periodStart, range?.to ?? target.periodEnd),
    inSubtrees(aidRollups.helpedCode, target.helpedCodes),
    inSubtrees(aidRollups.helperCode, target.helperCodes),
    target.buyerChannels.length === 0 ? undefined : inArray(aidRollups.buyerChannel, target.buyerChannels),
    target.certifiedOnly ? eq(aidRollups.certified, true) : undefined,
  )
}

/**
 * The one place progress toward a target is computed (docs/architecture.md §5): the sum of the ledger's entries inside
 * the target's scope and period — read from the target's tallies plus the few entries after them, or from the
 * rollups when the tallies cannot serve (decision 026) — or the people reached (members of the households in
 * target_reach). Neither path sums the whole ledger, so it stays fast however long the ledger grows.
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
  // The tallies and the entries after them when the job keeps up (decision 026); the rollups otherwise.
  const tallied = await readTallies(db, target, ['channel'])
  if (tallied) return { state: 'counted', achieved: tallyTotal(tallied, 'channel').toString() }
  const [row] = await db
    .select({ amount: sql<string>`coalesce(sum(${aidRollups.amountFen}), 0)::text` })
    .from(aidRollups)
    .where(scopeConditions(target))
  return { state: 'counted', achieved: row?.amount ?? '0' }
}

export type TargetSummary = {
  id: string
  key: string
  parentId: string | null
  name: string
  kind: TargetKind
  metric: 'amount_fen' | 'people'
  /** Fen for amounts, persons for people; a decimal string because 2×10¹⁰ fen does not fit every client. */
  goal: string
  periodStart: string
  periodEnd: string
  sourceText: string | null
  documentedOutcomes: string[]
  progress: TargetProgress
  /** Households reached and their people (demo targets; reference targets quote outcomes instead). */
  reach: TargetReach | null
}

export const targetColumns = {
  ...targetScopeColumns,
  key: targets.key,
  parentId: targets.parentId,
  name: targets.name,
  kind: targets.kind,
  metric: targets.metric,
  goal: targets.goal,
  sourceText: targets.sourceText,
  documentedOutcomes: targets.documentedOutcomes,
  ownerOrgId: targets.ownerOrgId,
}

export type TargetRow = TargetScopeRow & {
  /** The office that keeps an office target (decision 024); null for demo and reference targets. */
  ownerOrgId: string | null
  key: string
  parentId: string | null
  name: string
  goal: bigint
  sourceText: string | null
  documentedOutcomes: string[]
}

/** A target as listed; `progress` when the caller has already read it (the dashboard, from the tallies). */
export async function summaryOf(
  db: Db,
  row: TargetRow,
  progress?: TargetProgress,
  /** The reach when the caller has read it already (the dashboard, beside its other reads). */
  reach?: TargetReach,
): Promise<TargetSummary> {
  return {
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
    progress: progress ?? (await targetProgress(db, row)),
    reach: row.kind !== 'reference' ? (reach ?? (await targetReachOf(db, row.id))) : null,
  }
}

export async function listTargets(db: Db): Promise<TargetSummary[]> {
  const rows = await db.select(targetColumns).from(targets).orderBy(asc(targets.sortOrder), asc(targets.key))
  return Promise.all(rows.map((row) => summaryOf(db, row)))
}

// ---------------------------------------------------------------------------------------------------------------
// One target in detail (GET /api/v1/targets/:id, and the office dashboard later): reach, breakdowns, forecast.

export type TargetReach = { households: number; people: number }

export type TargetBreakdownRow = { key: string; label: string; amountFen: string }

export type TargetForecast =
  /** No counted sales in the last 30 days: no pace to project from. */
  | { state: 'no_pace' }
  | {
      state: 'projected'
      /** Fen per day over the last 30 days (floored). */
      dailyPaceFen: string
      /** What the period would end with at that pace. */
      projectedFen: string
      /** The Asia/Shanghai date the goal is reached at that pace (already reached: the date it was; null: not
       * within the period). */
      completionDate: string | null
    }

export type TargetDetail = TargetSummary & {
  breakdown: {
    byHelpedRegion: TargetBreakdownRow[]
    byHelperRegion: TargetBreakdownRow[]
    byChannel: TargetBreakdownRow[]
    byCategory: TargetBreakdownRow[]
  } | null
  forecast: TargetForecast | null
}

const DAY_MS = 86_400_000
export const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10)
const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS)

/** Households reached and the people in them (target_reach only). */
export async function targetReachOf(db: Db, targetId: string): Promise<TargetReach> {
  const [row] = await db
    .select({
      households: sql<string>`count(*)::text`,
      people: sql<string>`coalesce(sum(${targetReach.members}), 0)::text`,
    })
    .from(targetReach)
    .where(eq(targetReach.targetId, targetId))
  return { households: Number(row?.households ?? 0), people: Number(row?.people ?? 0) }
}

/**
 * Forecast (docs/architecture.md §5): the pace of the last 30 days (to `today`, inside the period) carried to the period's end,
 * and the date the goal is reached at that pace. Amount targets only.
 */
export function forecastFrom(input: {
  achievedFen: bigint
  goalFen: bigint
  last30DaysFen: bigint
  today: string
  periodEnd: string
}): TargetForecast {
  const pace = input.last30DaysFen / 30n
  if (pace <= 0n) return { state: 'no_pace' }
  const daysLeft = BigInt(Math.max(0, daysBetween(input.today, input.periodEnd)))
  const projected = input.achievedFen + pace * daysLeft
  let completionDate: string | null
  if (input.achievedFen >= input.goalFen) completionDate = input.today
  else {
    const needed = input.goalFen - input.achievedFen
    const days = (needed + pace - 1n) / pace
    completionDate = days <= daysLeft ? addDays(input.today, Number(days)) : null
  }
  return {
    state: 'projected',
    dailyPaceFen: pace.toString(),
    projectedFen: projected.toString(),
    completionDate,
  }
}

export async function getTargetDetail(db: Db, id: string, today: string): Promise<TargetDetail | null> {
  if (!isUuid(id)) return null
  const [target] = await db.select(targetColumns).from(targets).where(eq(targets.id, id))
  if (!target) return null
  const summary = await summaryOf(db, target)
  if (summary.kind === 'reference') return { ...summary, breakdown: null, forecast: null }
  const sumBy = (column: SQL.Aliased<string> | SQL) =>
    db
      .select({ key: sql<string>`${column}`, amount: sql<string>`sum(${aidRollups.amountFen})::text` })
      .from(aidRollups)
      .where(scopeConditions(target))
      .groupBy(sql`1`)
      .orderBy(sql`sum(${aidRollups.amountFen}) desc`, sql`1`)
  const last30From = addDays(today, -29)
  const [helped, helper, channel, category, recent] = await Promise.all([
    sumBy(sql`${aidRollups.helpedCode}`),
    sumBy(sql`${aidRollups.helperCode}`),
    sumBy(sql`${aidRollups.buyerChannel}`),
    sumBy(sql`${aidRollups.productCategory}`),
    db
      .select({ amount: sql<string>`coalesce(sum(${aidRollups.amountFen}), 0)::text` })
      .from(aidRollups)
      .where(
        scopeConditions(target, {
          from: last30From > target.periodStart ? last30From : target.periodStart,
          to: today < target.periodEnd ? today : target.periodEnd,
        }),
      ),
  ])
  const { regions } = await referenceData(db)
  const regionRows = (rows: Array<{ key: string; amount: string }>) =>
    rows.map((r) => ({ key: r.key, label: regions.get(r.key)?.name ?? r.key, amountFen: r.amount }))
  const plainRows = (rows: Array<{ key: string; amount: string }>) =>
    rows.map((r) => ({ key: r.key, label: r.key, amountFen: r.amount }))
  const achieved = summary.progress.state === 'counted' ? BigInt(summary.progress.achieved) : 0n
  return {
    ...summary,
    breakdown: {
      byHelpedRegion: regionRows(helped),
      byHelperRegion: regionRows(helper),
      byChannel: plainRows(channel),
      byCategory: plainRows(category),
    },
    forecast:
      target.metric === 'amount_fen' && today >= target.periodStart && today <= target.periodEnd
        ? forecastFrom({
            achievedFen: achieved,
            goalFen: BigInt(summary.goal),
            last30DaysFen: BigInt(recent[0]?.amount ?? '0'),
            today,
            periodEnd: target.periodEnd,
          })
        : null,
  }
}
