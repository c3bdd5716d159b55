import { and, asc, between, eq, inArray, like, ne, or, type SQL, sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../../db/client.server'
import { aidEntries } from '../../../db/schema/ledger'
import { type TallyDimension, targetTallies, targetTallyHeads } from '../../../db/schema/tallies'
import { targetScopeColumns, targets } from '../../../db/schema/targets'
import { products } from '../../../db/schema/catalog'
import { organizations } from '../../../db/schema/organizations'
import type { Clock } from '../../utils/clock'
import { isUuid } from '../../utils/ids'
import { subtreePrefix } from '../regions'
import type { TargetScopeRow } from './targets.server'

/**
 * Target tallies (decision 026): each counted amount target's entries summed once per breakdown, folded in by the
 * background job up to a ledger seq; readers add the entries after that seq (the "tail") in the same statement, so
 * what they show is exact at the moment they read, and costs the same whether the ledger holds a thousand entries or
 * ten million. When the tallies are missing, summed for another scope, or too far behind (the job stopped), readers
 * get null and fall back to the rollups — slower, never different.
 */

/** Entries a reader will add on top of the tallies; beyond this the rollups are cheaper. */
export const TALLY_TAIL_LIMIT = 20_000
/** Entries one pass of the job folds into one target's tallies. */
export const TALLY_FOLD_BATCH = 50_000

type TallyScope = Pick<
  TargetScopeRow,
  'id' | 'periodStart' | 'periodEnd' | 'helpedCodes' | 'helperCodes' | 'buyerChannels' | 'certifiedOnly'
>

/** What the tallies were summed for: a target whose period, regions, channels or certification changed starts over. */
export function tallyScopeKey(target: TallyScope): string {
  const sorted = (codes: readonly string[]) => [...codes].sort()
  return JSON.stringify([
    target.periodStart,
    target.periodEnd,
    sorted(target.helpedCodes),
    sorted(target.helperCodes),
    sorted(target.buyerChannels),
    target.certifiedOnly,
  ])
}

const inSubtrees = (
  column: typeof aidEntries.originCode | typeof aidEntries.buyerRegionCode,
  codes: readonly string[],
): SQL | undefined =>
  codes.length === 0 ? undefined : or(...codes.map((code) => like(column, `${subtreePrefix(code)}%`)))

/** The entries inside a target's scope and period: the same rule as the rollups' and the ledger's entryInScope. */
function entriesInScope(target: TallyScope): SQL | undefined {
  return and(
    between(aidEntries.day, target.periodStart, target.periodEnd),
    inSubtrees(aidEntries.originCode, target.helpedCodes),
    inSubtrees(aidEntries.buyerRegionCode, target.helperCodes),
    target.buyerChannels.length === 0 ? undefined : inArray(aidEntries.buyerChannel, target.buyerChannels),
    target.certifiedOnly ? eq(aidEntries.certified, true) : undefined,
  )
}

/** One row per entry and breakdown: the key the entry is counted under in each dimension. */
const entryKeys = sql`cross join lateral (values
  ('helped', ${aidEntries.originCode}::text),
  ('helper', ${aidEntries.buyerRegionCode}::text),
  ('channel', ${aidEntries.buyerChannel}),
  ('category', ${aidEntries.productCategory}),
  ('buyer', coalesce(${aidEntries.buyerOrgId}::text, '')),
  ('product', ${aidEntries.productId}::text),
  ('day', ${aidEntries.day}::text)
) as d(dimension, key)`

/** The order of the keys in a tail row (`concat_ws` in readTallies). */
const tailDimensions: readonly TallyDimension[] = [
  'helped',
  'helper',
  'channel',
  'category',
  'buyer',
  'product',
  'day',
]

const dimensionIn = (dimensions: readonly TallyDimension[]) =>
  sql`d.dimension in (${sql.join(
    dimensions.map((d) => sql`${d}`),
    sql`, `,
  )})`

/** Sums of the target's entries with afterSeq < seq ≤ throughSeq (or every later one), by dimension and key. */
function entrySums(
  target: TallyScope,
  range: { after: SQL | number; through?: number; atLeast?: number },
  dimensions: readonly TallyDimension[],
): SQL {
  return sql`select d.dimension, d.key, sum(${aidEntries.amountFen}) as amount_fen, count(*)::int as entries
    from ${aidEntries} ${entryKeys}
    where ${aidEntries.seq} > ${range.after}
      ${range.atLeast === undefined ? sql`` : sql`and ${aidEntries.seq} > ${range.atLeast}`}
      ${range.through === undefined ? sql`` : sql`and ${aidEntries.seq} <= ${range.through}`}
      and ${entriesInScope(target) ?? sql`true`}
      and ${dimensionIn(dimensions)}
    group by d.dimension, d.key`
}

const allDimensions: readonly TallyDimension[] = [
  'helped',
  'helper',
  'channel',
  'category',
  'buyer',
  'product',
  'day',
]

async function ledgerHeadSeq(db: Db): Promise<number> {
  const [row] = await db
    .select({ seq: sql<string>`coalesce(max(${aidEntries.seq}), 0)::text` })
    .from(aidEntries)
  return Number(row?.seq ?? 0)
}

/**
 * One pass of the job: folds up to `batch` new entries into each counted amount target's tallies, each target in its
 * own transaction under its head row's lock (two processes folding at once wait for each other, never count twice).
 * Returns the entries folded (summed over targets).
 */
export async function foldTargetTallies(
  db: Db,
  clock: Clock,
  options: { batch?: number } = {},
): Promise<number> {
  const batch = options.batch ?? TALLY_FOLD_BATCH
  const counted = await db
    .select(targetScopeColumns)
    .from(targets)
    .where(and(ne(targets.kind, 'reference'), eq(targets.metric, 'amount_fen')))
    .orderBy(asc(targets.id))
  // Appends take the chain's head lock and commit in seq order, so every entry up to this seq is committed.
  const head = await ledgerHeadSeq(db)
  // Most passes find every target caught up: one read of the heads spares them a transaction each.
  const heads = new Map(
    (
      await db
        .select({
          targetId: targetTallyHeads.targetId,
          throughSeq: targetTallyHeads.throughSeq,
          scope: targetTallyHeads.scope,
        })
        .from(targetTallyHeads)
    ).map((h) => [h.targetId, h]),
  )
  let folded = 0
  for (const target of counted) {
    const scope = tallyScopeKey(target)
    const known = heads.get(target.id)
    if (known && known.scope === scope && known.throughSeq >= head) continue
    folded += await db.transaction(async (tx) => {
      await tx
        .insert(targetTallyHeads)
        .values({ targetId: target.id, throughSeq: 0, scope, refreshedAt: clock.now() })
        .onConflictDoNothing()
      const [state] = await tx
        .select({ throughSeq: targetTallyHeads.throughSeq, scope: targetTallyHeads.scope })
        .from(targetTallyHeads)
        .where(eq(targetTallyHeads.targetId, target.id))
        .for('update')
      if (!state) return 0
      let through = state.throughSeq
      if (state.scope !== scope) {
        await tx.delete(targetTallies).where(eq(targetTallies.targetId, target.id))
        through = 0
      }
      const upTo = Math.min(head, through + batch)
      if (upTo > through) {
        await tx.execute(sql`insert into ${targetTallies} (target_id, dimension, key, amount_fen, entries)
          select ${target.id}::uuid, s.dimension, s.key, s.amount_fen, s.entries
          from (${entrySums(target, { after: through, through: upTo }, allDimensions)}) s
          on conflict (target_id, dimension, key) do update
            set amount_fen = ${targetTallies.amountFen} + excluded.amount_fen,
                entries = ${targetTallies.entries} + excluded.entries`)
      }
      if (upTo > through || state.scope !== scope) {
        await tx
          .update(targetTallyHeads)
          .set({ throughSeq: Math.max(upTo, through), scope, refreshedAt: clock.now() })
          .where(eq(targetTallyHeads.targetId, target.id))
      }
      return Math.max(0, upTo - through)
    })
  }
  return folded
}

export type TallyRow = { key: string; amountFen: bigint; entries: number }
export type TallyView = { throughSeq: number; rows: Map<TallyDimension, TallyRow[]> }

/**
 * A target's sums by the given dimensions: its tallies plus the entries after them, read in one statement (one
 * snapshot: the job folding meanwhile cannot make an entry count twice or not at all). Null when the tallies cannot
 * serve (missing, another scope, or more than TALLY_TAIL_LIMIT entries behind): the caller reads the rollups.
 * Keys whose sum is zero are dropped (a sale and its refund).
 */
export async function readTallies(
  db: Db,
  target: TallyScope,
  dimensions: readonly TallyDimension[],
  options: { tailLimit?: number } = {},
): Promise<TallyView | null> {
  const tailLimit = options.tailLimit ?? TALLY_TAIL_LIMIT
  const scope = tallyScopeKey(target)
  const [state] = await db
    .select({
      throughSeq: targetTallyHeads.throughSeq,
      scope: targetTallyHeads.scope,
      head: sql<string>`(select coalesce(max(${aidEntries.seq}), 0) from ${aidEntries})::text`,
    })
    .from(targetTallyHeads)
    .where(eq(targetTallyHeads.targetId, target.id))
  if (!state || state.scope !== scope || Number(state.head) - state.throughSeq > tailLimit) return null
  // One statement, so one snapshot: the job folding meanwhile cannot make an entry count twice or not at all. The
  // tail is read only when it is short (the condition is a constant the planner checks before scanning). The seq read
  // just before bounds the tail as a plain parameter as well, so the planner sees a short range of the primary key;
  // the job only moves it forward, so the snapshot's own bound is never below it. The tail comes back grouped by the
  // entries' keys (one text, split here) and is spread over the dimensions below: cheaper than one row per entry and
  // dimension in the database. Not a prepared statement: with the seq as a parameter a generic plan would scan the
  // whole ledger; planned each time, the bound is known and the scan is a short range (≈2 ms of planning).
  const through = sql`(select ${targetTallyHeads.throughSeq} from ${targetTallyHeads}
    where ${targetTallyHeads.targetId} = ${target.id} and ${targetTallyHeads.scope} = ${scope})`
  const lag = sql`((select coalesce(max(${aidEntries.seq}), 0) from ${aidEntries}) - ${through})`
  const rows = await queryRows<{
    dimension: string
    key: string | null
    amount: string | null
    entries: number
  }>(
    db,
    sql`
    select '#head' as dimension, ${through}::text as key, ${lag}::text as amount, 0 as entries
    union all
    select ${targetTallies.dimension}, ${targetTallies.key}, ${targetTallies.amountFen}::text, ${targetTallies.entries}
      from ${targetTallies}
     where ${targetTallies.targetId} = ${target.id}
       and ${targetTallies.dimension} in (${sql.join(
         dimensions.map((d) => sql`${d}`),
         sql`, `,
       )})
       and ${lag} <= ${tailLimit}
    union all
    select '#entries', concat_ws('|', ${aidEntries.originCode}, ${aidEntries.buyerRegionCode},
             ${aidEntries.buyerChannel}, ${aidEntries.productCategory}, coalesce(${aidEntries.buyerOrgId}::text, ''),
             ${aidEntries.productId}, ${aidEntries.day}), sum(${aidEntries.amountFen})::text, count(*)::int
      from ${aidEntries}
     where ${aidEntries.seq} > ${through} and ${aidEntries.seq} > ${state.throughSeq}
       and ${entriesInScope(target) ?? sql`true`}
       and ${lag} <= ${tailLimit}
     group by 2`,
  )
  const marker = rows.find((r) => r.dimension === '#head')
  if (!marker || marker.key === null || marker.amount === null || Number(marker.amount) > tailLimit)
    return null
  const sums = new Map<TallyDimension, Map<string, { amountFen: bigint; entries: number }>>(
    dimensions.map((d) => [d, new Map()]),
  )
  const add = (dimension: TallyDimension, key: string, amountFen: bigint, entries: number) => {
    const byKey = sums.get(dimension)
    if (!byKey) return
    const sum = byKey.get(key)
    if (sum) {
      sum.amountFen += amountFen
      sum.entries += entries
    } else byKey.set(key, { amountFen, entries })
  }
  for (const row of rows) {
    if (row.dimension === '#head') continue
    const amountFen = BigInt(row.amount ?? 0)
    const entries = Number(row.entries)
    if (row.dimension === '#entries') {
      const keys = (row.key ?? '').split('|')
      tailDimensions.forEach((dimension, i) => add(dimension, keys[i] ?? '', amountFen, entries))
    } else add(row.dimension as TallyDimension, row.key ?? '', amountFen, entries)
  }
  const byDimension = new Map<TallyDimension, TallyRow[]>(
    [...sums].map(([dimension, byKey]) => [
      dimension,
      [...byKey]
        .filter(([, sum]) => sum.amountFen !== 0n)
        .map(([key, sum]) => ({ key, amountFen: sum.amountFen, entries: sum.entries })),
    ]),
  )
  for (const list of byDimension.values())
    list.sort((a, b) =>
      a.amountFen === b.amountFen ? a.key.localeCompare(b.key) : a.amountFen > b.amountFen ? -1 : 1,
    )
  return { throughSeq: Number(marker.key), rows: byDimension }
}

/** The sum of one dimension's rows (every dimension sums to the target's total). */
export function tallyTotal(view: TallyView, dimension: TallyDimension): bigint {
  return (view.rows.get(dimension) ?? []).reduce((sum, row) => sum + row.amountFen, 0n)
}

/** Where a target's tallies stand: up to which seq, for which scope, and how many entries the ledger has after. */
export type TallyHead = {
  throughSeq: number
  scope: string
  lag: number
  /** Which fold the tallies are at: their seq, the time of that fold and their scope (see foldedCopies). */
  version: string
}

/**
 * The target's tally head, or null when the job has never folded it. One short read (a primary-key row and the
 * ledger's last seq), so the dashboard can run it beside its other first reads rather than after them.
 */
export async function readTallyHead(db: Db, targetId: string): Promise<TallyHead | null> {
  const [state] = await db
    .select({
      throughSeq: targetTallyHeads.throughSeq,
      scope: targetTallyHeads.scope,
      refreshed: sql<string>`${targetTallyHeads.refreshedAt}::text`,
      head: sql<string>`(select coalesce(max(${aidEntries.seq}), 0) from ${aidEntries})::text`,
    })
    .from(targetTallyHeads)
    .where(eq(targetTallyHeads.targetId, targetId))
  return state
    ? {
        throughSeq: state.throughSeq,
        scope: state.scope,
        lag: Number(state.head) - state.throughSeq,
        version: foldVersion(state.throughSeq, state.refreshed, state.scope),
      }
    : null
}

/** One row of a dashboard table read from the tallies: buyers and products carry their names. */
export type TallyTableRow = { key: string; label: string | null; amountFen: bigint }
export type TallyTables = { throughSeq: number; rows: Record<TallyDimension, TallyTableRow[]> }

/** The tail's keys by dimension, as grouping sets: one pass over the tail gives every dimension's sums. */
const tailGroups: ReadonlyArray<{ dimension: TallyDimension; column: SQL; key: SQL }> = [
  { dimension: 'helped', column: sql`${aidEntries.originCode}`, key: sql`${aidEntries.originCode}::text` },
  {
    dimension: 'helper',
    column: sql`${aidEntries.buyerRegionCode}`,
    key: sql`${aidEntries.buyerRegionCode}::text`,
  },
  {
    dimension: 'channel',
    column: sql`${aidEntries.buyerChannel}`,
    key: sql`${aidEntries.buyerChannel}::text`,
  },
  {
    dimension: 'category',
    column: sql`${aidEntries.productCategory}`,
    key: sql`${aidEntries.productCategory}::text`,
  },
  {
    dimension: 'buyer',
    column: sql`${aidEntries.buyerOrgId}`,
    key: sql`coalesce(${aidEntries.buyerOrgId}::text, '')`,
  },
  { dimension: 'product', column: sql`${aidEntries.productId}`, key: sql`${aidEntries.productId}::text` },
  { dimension: 'day', column: sql`${aidEntries.day}`, key: sql`${aidEntries.day}::text` },
]

function foldVersion(throughSeq: number | string, refreshedAt: string, scope: string): string {
  return `${throughSeq}|${refreshedAt}|${scope}`
}

/**
 * The tallies as the last fold left them, kept in memory per database and target. A fold changes the tallies and
 * their head in one transaction, and every fold moves the head's seq or its time, so a copy read at one version is
 * exactly the stored tallies for as long as the head shows that version: a dashboard view whose head still shows it
 * reads only the entries after them (the tail, from the ledger, every view — the figures stay exact at every moment)
 * and takes the rest from here. The names beside them are a minute old at most (a copy older than that is read
 * again). Per process, so other processes only cost their own first read. Bounded: the least recently stored
 * targets leave first.
 */
type FoldedCopy = {
  version: string
  storedAt: number
  tallies: Array<{ dimension: TallyDimension; key: string; amountFen: bigint }>
  names: Map<string, string>
}
const foldedCopies = new WeakMap<Db, Map<string, FoldedCopy>>()
const FOLDED_COPY_TARGETS = 100
const FOLDED_COPY_MAX_AGE_MS = 60_000

function copiesOf(db: Db): Map<string, FoldedCopy> {
  let copies = foldedCopies.get(db)
  if (!copies) {
    copies = new Map()
    foldedCopies.set(db, copies)
  }
  return copies
}

/**
 * Every table of the unfiltered dashboard from the target's tallies and the entries after them (decision 026,
 * 2026-12-07), with the names of its buyers and products. Two statements at once on the pool (PGlite runs them in
 * turn): the tallies as they are stored (no sort, no join) with the tail summed per dimension by grouping sets in
 * the same statement — one snapshot, as readTallies — and the names of the buyers and products the tallies list.
 * The sums are added by key, zeros dropped, and each table ordered here: on the 2-core machine, a statement that
 * also summed, ordered and named the 1,400 rows took 20–30 ms; this one takes 7–13 ms and the work here about 2 ms
 * (decision 026, 2026-12-07). Products only the first `productLimit`. A buyer or product that only the tail has is named by one more read (rare).
 * The caller read `head` just before (readTallyHead): its seq bounds the tail as a plain parameter so the planner
 * sees a short range of the primary key (not a prepared statement, for the same reason as readTallies).
 * Null when the tallies cannot serve (missing, another scope, too far behind): the caller reads the rollups.
 */
export async function readTallyTables(
  db: Db,
  target: TallyScope,
  head: TallyHead | null,
  options: { productLimit: number; tailLimit?: number },
): Promise<TallyTables | null> {
  const tailLimit = options.tailLimit ?? TALLY_TAIL_LIMIT
  const scope = tallyScopeKey(target)
  if (!head || head.scope !== scope || head.lag > tailLimit) return null
  const copies = copiesOf(db)
  const held = copies.get(target.id)
  const copy =
    held && held.version === head.version && Date.now() - held.storedAt < FOLDED_COPY_MAX_AGE_MS ? held : null
  const through = sql`(select ${targetTallyHeads.throughSeq} from ${targetTallyHeads}
    where ${targetTallyHeads.targetId} = ${target.id} and ${targetTallyHeads.scope} = ${scope})`
  const lag = sql`((select coalesce(max(${aidEntries.seq}), 0) from ${aidEntries}) - ${through})`
  const grouping = (g: (typeof tailGroups)[number]) => sql`grouping(${g.column}) = 0`
  // The head as this statement sees it (its seq and fold time: the version), then the stored tallies unless the
  // copy in memory is of that version, then the tail summed per dimension.
  const headRow = sql`select '#head' as dimension,
      (select ${targetTallyHeads.throughSeq}::text || '|' || ${targetTallyHeads.refreshedAt}::text
         from ${targetTallyHeads}
        where ${targetTallyHeads.targetId} = ${target.id} and ${targetTallyHeads.scope} = ${scope}) as key,
      ${lag}::text as amount, 'h' as part`
  const storedRows = sql`select ${targetTallies.dimension}, ${targetTallies.key}, ${targetTallies.amountFen}::text, 't'
        from ${targetTallies}
       where ${targetTallies.targetId} = ${target.id} and ${lag} <= ${tailLimit}`
  const tailRows = sql`select case ${sql.join(
    tailGroups.map((g) => sql`when ${grouping(g)} then ${g.dimension}`),
    sql` `,
  )} end,
             case ${sql.join(
               tailGroups.map((g) => sql`when ${grouping(g)} then ${g.key}`),
               sql` `,
             )} end,
             sum(${aidEntries.amountFen})::text, 'e'
        from ${aidEntries}
       where ${aidEntries.seq} > ${through} and ${aidEntries.seq} > ${head.throughSeq}
         and ${entriesInScope(target) ?? sql`true`}
         and ${lag} <= ${tailLimit}
       group by grouping sets (${sql.join(
         tailGroups.map((g) => sql`(${g.column})`),
         sql`, `,
       )})`
  const [rows, storedNames] = await Promise.all([
    queryRows<{ dimension: string; key: string | null; amount: string | null; part: 'h' | 't' | 'e' }>(
      db,
      copy
        ? sql`${headRow} union all ${tailRows}`
        : sql`${headRow} union all ${storedRows} union all ${tailRows}`,
    ),
    // The names of what the tallies list (the tail's few newcomers are named below). The dimension filters the
    // tallies' rows in their scan, before the join, so only buyer (product) keys reach the uuid cast.
    copy
      ? null
      : queryRows<{ key: string; name: string }>(
          db,
          sql`select t.key, o.name from ${targetTallies} t join ${organizations} o on o.id = cast(t.key as uuid)
               where t.target_id = ${target.id} and t.dimension = 'buyer' and t.key <> ''
              union all
              select t.key, p.name from ${targetTallies} t join ${products} p on p.id = cast(t.key as uuid)
               where t.target_id = ${target.id} and t.dimension = 'product'`,
        ),
  ])
  const marker = rows.find((r) => r.part === 'h')
  if (!marker || marker.key === null || marker.amount === null || Number(marker.amount) > tailLimit)
    return null
  const [markerSeq = '', markerRefreshed = ''] = marker.key.split('|')
  const version = foldVersion(markerSeq, markerRefreshed, scope)
  // The job folded between the head's read and this one: the copy is of the fold before. Read everything again.
  if (copy && copy.version !== version) {
    copies.delete(target.id)
    return readTallyTables(db, target, { ...head, version }, options)
  }
  let stored: FoldedCopy['tallies']
  let names: Map<string, string>
  if (copy) {
    stored = copy.tallies
    names = new Map(copy.names)
  } else {
    stored = rows
      .filter((r) => r.part === 't')
      .map((r) => ({
        dimension: r.dimension as TallyDimension,
        key: r.key ?? '',
        amountFen: BigInt(r.amount ?? 0),
      }))
    names = new Map((storedNames ?? []).map((n) => [n.key, n.name]))
    copies.delete(target.id)
    copies.set(target.id, { version, storedAt: Date.now(), tallies: stored, names: new Map(names) })
    for (const oldest of copies.keys()) {
      if (copies.size <= FOLDED_COPY_TARGETS) break
      copies.delete(oldest)
    }
  }
  const sums = new Map<TallyDimension, Map<string, bigint>>(allDimensions.map((d) => [d, new Map()]))
  const add = (dimension: string, key: string, amountFen: bigint) => {
    const byKey = sums.get(dimension as TallyDimension)
    if (byKey) byKey.set(key, (byKey.get(key) ?? 0n) + amountFen)
  }
  for (const row of stored) add(row.dimension, row.key, row.amountFen)
  for (const row of rows) if (row.part === 'e') add(row.dimension, row.key ?? '', BigInt(row.amount ?? 0))
  const ordered = (dimension: TallyDimension) =>
    [...sums.get(dimension)!]
      .filter(([, amountFen]) => amountFen !== 0n)
      .sort(([ka, a], [kb, b]) => (a === b ? (ka < kb ? -1 : ka > kb ? 1 : 0) : a > b ? -1 : 1))
  const tables = Object.fromEntries(
    allDimensions.map((dimension) => {
      const list = ordered(dimension)
      const shown = dimension === 'product' ? list.slice(0, options.productLimit) : list
      return [dimension, shown.map(([key, amountFen]) => ({ key, label: null, amountFen }))]
    }),
  ) as Record<TallyDimension, TallyTableRow[]>
  const unnamed = {
    buyer: tables.buyer.filter((r) => r.key !== '' && !names.has(r.key)).map((r) => r.key),
    product: tables.product.filter((r) => !names.has(r.key)).map((r) => r.key),
  }
  if (unnamed.buyer.length > 0 || unnamed.product.length > 0) {
    const [buyerNames, productNames] = await Promise.all([
      namesByIds(db, 'organizations', unnamed.buyer),
      namesByIds(db, 'products', unnamed.product),
    ])
    for (const n of [...buyerNames, ...productNames]) names.set(n.id, n.name)
  }
  for (const dimension of ['buyer', 'product'] as const)
    for (const row of tables[dimension]) row.label = names.get(row.key) ?? null
  return { throughSeq: Number(markerSeq), rows: tables }
}

/**
 * The names of organisations or products by id. One array parameter, unnested once (a list of ids is one value to
 * bind; `id = any(cast(…))` would re-read the array for every row of the table).
 */
async function namesByIds(
  db: Db,
  table: 'organizations' | 'products',
  keys: readonly string[],
): Promise<Array<{ id: string; name: string }>> {
  const ids = keys.filter(isUuid)
  if (ids.length === 0) return []
  const source = table === 'organizations' ? organizations : products
  return queryRows<{ id: string; name: string }>(
    db,
    sql`select t.id::text as id, t.name from unnest(cast(${`{${ids.join(',')}}`} as text)::uuid[]) as k(id)
        join ${source} t on t.id = k.id`,
  )
}
