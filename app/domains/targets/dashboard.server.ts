import { and, asc, between, eq, inArray, like, or, type SQL, sql } from 'drizzle-orm'
import type { Db } from '../../../db/client.server'
import { products } from '../../../db/schema/catalog'
import { aidBuyerRollups, aidProductRollups, aidRollups } from '../../../db/schema/ledger'
import { memberships } from '../../../db/schema/memberships'
import { organizations } from '../../../db/schema/organizations'
import { targets } from '../../../db/schema/targets'
import { type Clock, shanghaiToday } from '../../utils/clock'
import { isUuid } from '../../utils/ids'
import { ledgerHead, type PublishedHead, publishedHeads } from '../ledger/index.server'
import { listLaggingUnits } from '../procurement/index.server'
import { isInSubtree, isRegionCode, subtreePrefix } from '../regions'
import {
  readTallyHead,
  readTallyTables,
  TALLY_TAIL_LIMIT,
  type TallyHead,
  type TallyTableRow,
  tallyScopeKey,
} from './tallies.server'
import type { TallyDimension } from '../../../db/schema/tallies'
import { referenceData } from '../regions/index.server'
import type { DashboardFilters } from './dashboard-forms'
import { periodElapsedBp } from './pace'
import {
  addDays,
  forecastFrom,
  getTargetDetail,
  scopeConditions,
  summaryOf,
  targetColumns,
  type TargetBreakdownRow,
  type TargetDetail,
  type TargetForecast,
  type TargetReach,
  targetReachOf,
  type TargetRow,
  type TargetSummary,
} from './targets.server'

/** Who reads an office's dashboard: a member acting for the office (the route checks the role first). */
export type OfficeActor = { userId: string; orgId: string }

/**
 * The jurisdiction (region subtrees) of the verified office the actor acts for as admin or analyst; null when the
 * actor is no such member (then nothing is in scope).
 */
export async function officeJurisdiction(db: Db, actor: OfficeActor): Promise<string[] | null> {
  if (!isUuid(actor.userId) || !isUuid(actor.orgId)) return null
  const [row] = await db
    .select({ jurisdiction: organizations.jurisdiction })
    .from(organizations)
    .innerJoin(memberships, eq(memberships.orgId, organizations.id))
    .where(
      and(
        eq(organizations.id, actor.orgId),
        eq(organizations.kind, 'office'),
        sql`${organizations.verifiedAt} is not null`,
        eq(memberships.userId, actor.userId),
        inArray(memberships.role, ['office_admin', 'office_analyst']),
      ),
    )
  return row ? (row.jurisdiction ?? []).filter(isRegionCode) : null
}

/**
 * A target is an office's when its helped regions, or its helping regions, all lie inside the office's
 * jurisdiction (an empty side means "anywhere" and never makes a target the office's). Counted (demo) targets only:
 * documented historical targets quote their outcomes on the public page instead.
 */
export function targetInJurisdiction(
  target: { kind: string; helpedCodes: string[]; helperCodes: string[] },
  jurisdiction: readonly string[],
): boolean {
  if (target.kind === 'reference') return false
  const inside = (codes: string[]) =>
    codes.length > 0 && codes.every((code) => jurisdiction.some((root) => isInSubtree(code, root)))
  return inside(target.helpedCodes) || inside(target.helperCodes)
}

export type OfficeTarget = TargetSummary & {
  /** Share of the period elapsed today, basis points floored: the pace the goal needs. */
  paceBp: number
  /** What even progress would have reached by today (goal × pace), floored. */
  expected: string
  forecast: TargetForecast | null
  /** An office target kept by the acting office (its admins may edit it; decision 024). */
  ownTarget: boolean
}

export type OfficeTargetGroup = OfficeTarget & { children: OfficeTarget[] }

async function recentFen(db: Db, target: TargetRow, today: string): Promise<bigint> {
  const last30From = addDays(today, -29)
  const [row] = await db
    .select({ amount: sql<string>`coalesce(sum(${aidRollups.amountFen}), 0)::text` })
    .from(aidRollups)
    .where(
      scopeConditions(target, {
        from: last30From > target.periodStart ? last30From : target.periodStart,
        to: today < target.periodEnd ? today : target.periodEnd,
      }),
    )
  return BigInt(row?.amount ?? '0')
}

async function officeTargetOf(
  db: Db,
  row: TargetRow,
  today: string,
  actingOrgId?: string,
  /** Progress, the last 30 days' amount and the reach when the caller already has them (from the tallies). */
  known?: { achievedFen: bigint; last30DaysFen: bigint; reach: TargetReach },
): Promise<OfficeTarget> {
  const summary = await summaryOf(
    db,
    row,
    known ? { state: 'counted', achieved: known.achievedFen.toString() } : undefined,
    known?.reach,
  )
  const paceBp = periodElapsedBp(row.periodStart, row.periodEnd, today)
  const achieved = summary.progress.state === 'counted' ? BigInt(summary.progress.achieved) : 0n
  const inPeriod = today >= row.periodStart && today <= row.periodEnd
  return {
    ...summary,
    paceBp,
    ownTarget: row.kind === 'office' && row.ownerOrgId !== null && row.ownerOrgId === actingOrgId,
    expected: ((row.goal * BigInt(paceBp)) / 10_000n).toString(),
    forecast:
      row.metric === 'amount_fen' && inPeriod
        ? forecastFrom({
            achievedFen: achieved,
            goalFen: row.goal,
            last30DaysFen: known?.last30DaysFen ?? (await recentFen(db, row, today)),
            today,
            periodEnd: row.periodEnd,
          })
        : null,
  }
}

/**
 * The office's targets (those of its jurisdiction), each with its sub-targets: progress from the rollups against
 * the pace the period needs, the forecast from the last 30 days on the injected clock, households and people
 * reached. Null when the actor does not act for a verified office.
 */
export async function listOfficeTargets(
  db: Db,
  actor: OfficeActor,
  clock: Clock,
): Promise<OfficeTargetGroup[] | null> {
  const jurisdiction = await officeJurisdiction(db, actor)
  if (!jurisdiction) return null
  const today = shanghaiToday(clock)
  const rows = (
    await db.select(targetColumns).from(targets).orderBy(asc(targets.sortOrder), asc(targets.key))
  ).filter((row) => targetInJurisdiction(row, jurisdiction))
  const views = await Promise.all(rows.map((row) => officeTargetOf(db, row, today, actor.orgId)))
  const ids = new Set(views.map((v) => v.id))
  return views
    .filter((v) => v.parentId === null || !ids.has(v.parentId))
    .map((parent) => ({ ...parent, children: views.filter((v) => v.parentId === parent.id) }))
}

// ---------------------------------------------------------------------------------------------------------------
// One target's dashboard

export type DashboardTables = {
  byHelpedRegion: TargetBreakdownRow[]
  byChannel: TargetBreakdownRow[]
  byHelperRegion: TargetBreakdownRow[]
  byBuyer: TargetBreakdownRow[]
  byCategory: TargetBreakdownRow[]
  byProduct: TargetBreakdownRow[]
}
export type DashboardTable = keyof DashboardTables
export const dashboardTables: readonly DashboardTable[] = [
  'byHelpedRegion',
  'byChannel',
  'byHelperRegion',
  'byBuyer',
  'byCategory',
  'byProduct',
]

export type TargetDashboard = {
  target: OfficeTarget
  /** The filters as applied (dates clamped to the period; codes outside the target's scope dropped). */
  filters: { from: string; to: string; helped: string | null; helper: string | null }
  /** The helped counties and helping districts a filter may pick (those with counted sales in the period). */
  options: { helped: Array<{ code: string; name: string }>; helper: Array<{ code: string; name: string }> }
  /** Counted in the filtered view (from the rollups). */
  totalFen: string
  /** Cumulative counted amount per day with sales, from the period's start (or `from`). */
  cumulative: Array<{ day: string; fen: string }>
  tables: DashboardTables
  /**
   * Office dashboard II (decision 024): the units of the office's jurisdiction behind the pro-rata pace of their
   * reserved share this year (amounts in fen as decimal strings), the largest shortfall first.
   */
  lagging: {
    year: number
    units: Array<{
      orgId: string
      name: string
      uscc: string | null
      reservedFen: string
      expectedFen: string
      doneFen: string
      shortfallFen: string
    }>
  }
}

const prefixIn = (column: SQL | typeof aidRollups.helpedCode, codes: readonly string[]): SQL | undefined =>
  codes.length === 0 ? undefined : or(...codes.map((code) => like(column as SQL, `${subtreePrefix(code)}%`)))

function clampDate(value: string | undefined, min: string, max: string, fallback: string): string {
  if (!value) return fallback
  if (value < min) return min
  if (value > max) return max
  return value
}

/**
 * The dashboard of one of the office's targets: every breakdown read from the rollups (aid_rollups for regions,
 * channels and categories; aid_buyer_rollups for buyer units, with the unit's region as the helping side;
 * aid_product_rollups for products, scoped by the product's origin — that rollup has no buyer region, so the
 * product table ignores the helping side, and says so). Null when the target is not the office's (or unknown).
 */
export async function getTargetDashboard(
  db: Db,
  actor: OfficeActor,
  id: string,
  input: DashboardFilters,
  clock: Clock,
): Promise<TargetDashboard | null> {
  if (!isUuid(id)) return null
  // Three short reads at once, each on its own pooled connection (PGlite runs them one after the other): nothing of
  // the target is shown unless the checks below pass.
  const [jurisdiction, [row], head] = await Promise.all([
    officeJurisdiction(db, actor),
    db.select(targetColumns).from(targets).where(eq(targets.id, id)),
    readTallyHead(db, id),
  ])
  if (!jurisdiction) return null
  if (!row || !targetInJurisdiction(row, jurisdiction) || row.metric !== 'amount_fen') return null
  const today = shanghaiToday(clock)
  const from = clampDate(input.from, row.periodStart, row.periodEnd, row.periodStart)
  const to = clampDate(input.to, from, row.periodEnd, row.periodEnd)
  const inHelped = (code: string) =>
    row.helpedCodes.length === 0 || row.helpedCodes.some((root) => isInSubtree(code, root))
  const inHelper = (code: string) =>
    row.helperCodes.length === 0 || row.helperCodes.some((root) => isInSubtree(code, root))
  const helped = input.helped && inHelped(input.helped) ? input.helped : null
  const helper = input.helper && inHelper(input.helper) ? input.helper : null

  // The whole period unfiltered — what an office opens — comes from the target's tallies when they can serve.
  if (from === row.periodStart && to === row.periodEnd && !helped && !helper) {
    const tallied = await dashboardFromTallies(db, row, head, today, actor.orgId, jurisdiction)
    if (tallied) return tallied
  }
  const target = await officeTargetOf(db, row, today, actor.orgId)

  const where = and(
    scopeConditions(row, { from, to }),
    helped ? like(aidRollups.helpedCode, `${subtreePrefix(helped)}%`) : undefined,
    helper ? like(aidRollups.helperCode, `${subtreePrefix(helper)}%`) : undefined,
  )
  const sumBy = (column: SQL) =>
    db
      .select({ key: sql<string>`${column}`, amount: sql<string>`sum(${aidRollups.amountFen})::text` })
      .from(aidRollups)
      .where(where)
      .groupBy(sql`1`)
      .having(sql`sum(${aidRollups.amountFen}) <> 0`)
      .orderBy(sql`sum(${aidRollups.amountFen}) desc`, sql`1`)

  const channelScope = row.buyerChannels
  const buyerRows = db
    .select({
      key: sql<string>`${aidBuyerRollups.buyerOrgId}::text`,
      label: organizations.name,
      amount: sql<string>`sum(${aidBuyerRollups.amountFen})::text`,
    })
    .from(aidBuyerRollups)
    .innerJoin(organizations, eq(organizations.id, aidBuyerRollups.buyerOrgId))
    .where(
      and(
        between(aidBuyerRollups.day, from, to),
        prefixIn(sql`${aidBuyerRollups.helpedCode}`, row.helpedCodes),
        prefixIn(sql`${organizations.regionCode}`, row.helperCodes),
        channelScope.length === 0 ? undefined : inArray(aidBuyerRollups.buyerChannel, channelScope),
        row.certifiedOnly ? eq(aidBuyerRollups.certified, true) : undefined,
        helped ? like(aidBuyerRollups.helpedCode, `${subtreePrefix(helped)}%`) : undefined,
        helper ? like(organizations.regionCode, `${subtreePrefix(helper)}%`) : undefined,
      ),
    )
    .groupBy(aidBuyerRollups.buyerOrgId, organizations.name)
    .having(sql`sum(${aidBuyerRollups.amountFen}) <> 0`)
    .orderBy(sql`sum(${aidBuyerRollups.amountFen}) desc`, organizations.name)
  const productRows = db
    .select({
      key: sql<string>`${aidProductRollups.productId}::text`,
      label: products.name,
      amount: sql<string>`sum(${aidProductRollups.amountFen})::text`,
    })
    .from(aidProductRollups)
    .innerJoin(products, eq(products.id, aidProductRollups.productId))
    .where(
      and(
        between(aidProductRollups.day, from, to),
        prefixIn(sql`${products.originCode}`, row.helpedCodes),
        channelScope.length === 0 ? undefined : inArray(aidProductRollups.buyerChannel, channelScope),
        row.certifiedOnly ? eq(aidProductRollups.certified, true) : undefined,
        helped ? like(products.originCode, `${subtreePrefix(helped)}%`) : undefined,
      ),
    )
    .groupBy(aidProductRollups.productId, products.name)
    .having(sql`sum(${aidProductRollups.amountFen}) <> 0`)
    .orderBy(sql`sum(${aidProductRollups.amountFen}) desc`, products.name)
    .limit(50)
  const daily = db
    .select({
      day: sql<string>`${aidRollups.day}::text`,
      amount: sql<string>`sum(${aidRollups.amountFen})::text`,
    })
    .from(aidRollups)
    .where(where)
    .groupBy(aidRollups.day)
    .orderBy(aidRollups.day)
  // The filter's choices: every helped county and helping district with sales in the whole period.
  const choices = (column: SQL) =>
    db
      .selectDistinct({ code: sql<string>`${column}` })
      .from(aidRollups)
      .where(scopeConditions(row))
      .orderBy(sql`1`)
  const [
    helpedRows,
    helperRows,
    channelRows,
    categoryRows,
    buyers,
    productList,
    days,
    helpedCodes,
    helperCodes,
  ] = await Promise.all([
    sumBy(sql`${aidRollups.helpedCode}`),
    sumBy(sql`${aidRollups.helperCode}`),
    sumBy(sql`${aidRollups.buyerChannel}`),
    sumBy(sql`${aidRollups.productCategory}`),
    buyerRows,
    productRows,
    daily,
    choices(sql`${aidRollups.helpedCode}`),
    choices(sql`${aidRollups.helperCode}`),
  ])
  const { regions } = await referenceData(db)
  const lagging = await laggingOf(db, jurisdiction, today)
  const regionName = (code: string) => regions.get(code)?.name ?? code
  const named = (rows: Array<{ key: string; amount: string }>) =>
    rows.map((r) => ({ key: r.key, label: regionName(r.key), amountFen: r.amount }))
  const plain = (rows: Array<{ key: string; amount: string }>) =>
    rows.map((r) => ({ key: r.key, label: r.key, amountFen: r.amount }))
  let running = 0n
  const cumulative = days.map((d) => {
    running += BigInt(d.amount)
    return { day: d.day, fen: running.toString() }
  })
  return {
    target,
    filters: { from, to, helped, helper },
    options: {
      helped: helpedCodes.map((r) => ({ code: r.code, name: regionName(r.code) })),
      helper: helperCodes.map((r) => ({ code: r.code, name: regionName(r.code) })),
    },
    totalFen: running.toString(),
    cumulative,
    tables: {
      byHelpedRegion: named(helpedRows),
      byChannel: plain(channelRows),
      byHelperRegion: named(helperRows),
      byBuyer: buyers.map((r) => ({ key: r.key, label: r.label, amountFen: r.amount })),
      byCategory: plain(categoryRows),
      byProduct: productList.map((r) => ({ key: r.key, label: r.label, amountFen: r.amount })),
    },
    lagging,
  }
}

/** The units of the jurisdiction behind the pace of their reserved share, as the dashboard shows them. */
async function laggingOf(db: Db, jurisdiction: string[], today: string): Promise<TargetDashboard['lagging']> {
  const lagging = await listLaggingUnits(db, { regionRoots: jurisdiction, today })
  return {
    year: lagging.year,
    units: lagging.units.map((u) => ({
      orgId: u.orgId,
      name: u.name,
      uscc: u.uscc,
      reservedFen: u.reservedFen.toString(),
      expectedFen: u.expectedFen.toString(),
      doneFen: u.doneFen.toString(),
      shortfallFen: u.shortfallFen.toString(),
    })),
  }
}

/** Rows of the product table (the page and the printed summary say "top 50"). */
const PRODUCT_ROWS = 50

/**
 * The unfiltered dashboard from the target's tallies (decision 026): the same tables as the rollup path, without a
 * sum over the period's rollups. Every table — summed, ordered and named — comes from one statement
 * (readTallyTables), run beside the page's other reads (reach, lagging units, region names) on the pool's other
 * connections: one round of queries after the first. Null when the tallies cannot serve.
 */
async function dashboardFromTallies(
  db: Db,
  row: TargetRow,
  head: TallyHead | null,
  today: string,
  actingOrgId: string,
  jurisdiction: string[],
): Promise<TargetDashboard | null> {
  // Checked here too so that a target the tallies cannot serve sends none of the other reads twice.
  if (!head || head.scope !== tallyScopeKey(row) || head.lag > TALLY_TAIL_LIMIT) return null
  const [view, reach, { regions }, lagging] = await Promise.all([
    readTallyTables(db, row, head, { productLimit: PRODUCT_ROWS }),
    targetReachOf(db, row.id),
    referenceData(db),
    laggingOf(db, jurisdiction, today),
  ])
  if (!view) return null
  const rowsOf = (dimension: TallyDimension) => view.rows[dimension]
  const days = [...rowsOf('day')].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  const last30From = addDays(today, -29)
  const last30DaysFen = days
    .filter((d) => d.key >= last30From && d.key <= today)
    .reduce((s, d) => s + d.amountFen, 0n)
  const totalFen = rowsOf('channel').reduce((s, r) => s + r.amountFen, 0n)
  const target = await officeTargetOf(db, row, today, actingOrgId, {
    achievedFen: totalFen,
    last30DaysFen,
    reach,
  })
  const regionName = (code: string) => regions.get(code)?.name ?? code
  const table = (dimension: TallyDimension, label: (r: TallyTableRow) => string) =>
    rowsOf(dimension).map((r) => ({ key: r.key, label: label(r), amountFen: r.amountFen.toString() }))
  let running = 0n
  const cumulative = days.map((d) => {
    running += d.amountFen
    return { day: d.key, fen: running.toString() }
  })
  const codes = (dimension: 'helped' | 'helper') =>
    rowsOf(dimension)
      .map((r) => r.key)
      .sort()
      .map((code) => ({ code, name: regionName(code) }))
  return {
    target,
    filters: { from: row.periodStart, to: row.periodEnd, helped: null, helper: null },
    options: { helped: codes('helped'), helper: codes('helper') },
    totalFen: totalFen.toString(),
    cumulative,
    tables: {
      byHelpedRegion: table('helped', (r) => regionName(r.key)),
      byChannel: table('channel', (r) => r.key),
      byHelperRegion: table('helper', (r) => regionName(r.key)),
      // Entries without a buyer organisation (consumers) are counted in the total, not listed as a unit.
      byBuyer: table('buyer', (r) => r.label ?? r.key).filter((r) => r.key !== ''),
      byCategory: table('category', (r) => r.key),
      byProduct: table('product', (r) => r.label ?? r.key),
    },
    lagging,
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The public notice (公示)

export type PublicNotice = {
  target: TargetDetail
  head: { seq: number; hash: string; updatedAt: string | null }
  /** Office dashboard II (decision 024): the heads published once a day, newest first. */
  published: PublishedHead[]
}

/**
 * What the public notice of a counted target shows, without signing in: its totals and breakdowns by helped county
 * and channel (from the rollups), households and people reached (counts only), and the ledger's head, which anyone
 * can later check with `npm run ledger:verify -- --expect SEQ:HASH`. Null for an unknown or reference target.
 */
export async function getPublicNotice(db: Db, id: string, clock: Clock): Promise<PublicNotice | null> {
  const target = await getTargetDetail(db, id, shanghaiToday(clock))
  if (!target || target.kind === 'reference') return null
  const [head, published] = await Promise.all([ledgerHead(db), publishedHeads(db, 30)])
  return { target, head, published }
}
