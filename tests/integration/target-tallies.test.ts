import { eq, sql } from 'drizzle-orm'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { runBackgroundJobs } from '../../app/domains/operations/index.server'
import { foldTargetTallies, getTargetDashboard, readTallies } from '../../app/domains/targets/index.server'
import { readTallyHead, readTallyTables } from '../../app/domains/targets/tallies.server'
import { targetProgress } from '../../app/domains/targets/targets.server'
import { fixedClock, shanghaiToday, systemClock } from '../../app/utils/clock'
import { type Db, queryRows } from '../../db/client.server'
import { products } from '../../db/schema/catalog'
import { targetTallies, targetTallyHeads } from '../../db/schema/tallies'
import { targets } from '../../db/schema/targets'
import { demo } from '../support/coop'
import { openTestDatabase, testDbKind } from '../support/db'
import { fcRuns } from '../support/fast-check'
import { buy, makeBuyable, seededProductId } from '../support/shopping'

/**
 * Target tallies (decision 026): progress and the unfiltered dashboard read the tallies plus the entries after them;
 * whatever the job has folded, and however often, the figures equal the raw sum over the entries in scope.
 */
describe(`target tallies (${testDbKind()})`, async () => {
  const handle = await openTestDatabase('seeded')
  const db = handle.db
  const office = { userId: demo.officeAnalyst, orgId: demo.office }
  const year = shanghaiToday(systemClock).slice(0, 4)
  const [parent] = await db
    .select()
    .from(targets)
    .where(eq(targets.key, `demo-${year}-fz-dx`))
  await makeBuyable(db, ['PRD001', 'PRD005'])
  // The job has not run against this database: nothing is folded yet.
  await db.delete(targetTallies)
  await db.delete(targetTallyHeads)

  async function rawSum(target: NonNullable<typeof parent>): Promise<bigint> {
    const [row] = await queryRows<{ total: string }>(
      db,
      sql`select coalesce(sum(amount_fen), 0)::text as total from aid_entries
          where day between ${target.periodStart} and ${target.periodEnd}
            and origin_code like '6211%' and buyer_region_code like '3501%'`,
    )
    return BigInt(row!.total)
  }
  const progressOf = async (target: NonNullable<typeof parent>) => {
    const progress = await targetProgress(db, target)
    return progress.state === 'counted' ? BigInt(progress.achieved) : -1n
  }
  const sale = (qty: number) => buy(db, { lines: [['PRD001', qty]], at: systemClock })

  it('counts the same before folding, after folding and with new sales after the fold', async () => {
    await sale(2)
    expect(await readTallies(db, parent!, ['channel'])).toBeNull()
    const before = await progressOf(parent!)
    expect(before).toBe(await rawSum(parent!))

    expect(await foldTargetTallies(db, systemClock)).toBeGreaterThan(0)
    const view = await readTallies(db, parent!, ['channel'])
    expect(view).not.toBeNull()
    expect(await progressOf(parent!)).toBe(before)

    // A sale the job has not folded yet is counted from the entries after the tallies.
    const bought = await sale(3)
    expect(await progressOf(parent!)).toBe(before + bought.paidFen)
    expect(await progressOf(parent!)).toBe(await rawSum(parent!))
    // A second pass folds it; a third has nothing to do.
    expect(await foldTargetTallies(db, systemClock)).toBeGreaterThan(0)
    expect(await progressOf(parent!)).toBe(before + bought.paidFen)
    const again = await foldTargetTallies(db, systemClock)
    expect(again).toBe(0)
  })

  it('is kept by the background jobs, quietly', async () => {
    await sale(1)
    const lines: string[] = []
    await runBackgroundJobs(db, systemClock, (line) => lines.push(line))
    expect(lines.filter((line) => line.includes('tallies'))).toEqual([])
    const view = await readTallies(db, parent!, ['channel'], { tailLimit: 0 })
    expect(view).not.toBeNull()
    expect(await progressOf(parent!)).toBe(await rawSum(parent!))
  })

  /** The unfiltered dashboard (from the tallies) against the same scope read from the rollups, table by table. */
  async function expectDashboardAsRollups(): Promise<void> {
    const fromTallies = (await getTargetDashboard(db, office, parent!.id, {}, systemClock))!
    // A filter on the target's own helped region reads the rollups over the same scope.
    const fromRollups = (await getTargetDashboard(
      db,
      office,
      parent!.id,
      { helped: parent!.helpedCodes[0] },
      systemClock,
    ))!
    expect(fromTallies.totalFen).toBe((await rawSum(parent!)).toString())
    expect(fromRollups.totalFen).toBe(fromTallies.totalFen)
    for (const table of ['byHelpedRegion', 'byChannel', 'byHelperRegion', 'byCategory', 'byBuyer'] as const) {
      const listed = (rows: typeof fromTallies.tables.byChannel) =>
        rows.map((r) => `${r.key}=${r.label}=${r.amountFen}`).sort()
      expect(listed(fromTallies.tables[table]), table).toEqual(listed(fromRollups.tables[table]))
      // Largest first, as the page lists them.
      const amounts = fromTallies.tables[table].map((r) => BigInt(r.amountFen))
      expect(amounts, table).toEqual([...amounts].sort((a, b) => (a === b ? 0 : a > b ? -1 : 1)))
    }
    expect(fromTallies.options).toEqual(fromRollups.options)
    expect(fromTallies.cumulative).toEqual(fromRollups.cumulative)
    expect(fromTallies.target.progress).toEqual(fromRollups.target.progress)
    expect(fromTallies.target.forecast).toEqual(fromRollups.target.forecast)
    expect(fromTallies.target.reach).toEqual(fromRollups.target.reach)
    // Products are summed within the whole scope here (the rollup path can only scope them by origin), and named.
    const productSum = fromTallies.tables.byProduct.reduce((s, r) => s + BigInt(r.amountFen), 0n)
    expect(productSum).toBe(BigInt(fromTallies.totalFen))
    expect(fromTallies.tables.byProduct.every((r) => r.label !== r.key)).toBe(true)
  }

  it('gives the unfiltered dashboard the same tables as the rollups give', async () => {
    await foldTargetTallies(db, systemClock)
    await sale(1) // in the tail
    // A product the tallies have never counted, sold after the fold: listed, and by its name.
    const newcomer = seededProductId('PRD005')
    expect(await db.select().from(targetTallies).where(eq(targetTallies.key, newcomer))).toEqual([])
    await buy(db, { lines: [['PRD005', 1]], at: systemClock })
    await expectDashboardAsRollups()
    const dashboard = (await getTargetDashboard(db, office, parent!.id, {}, systemClock))!
    const [product] = await db.select({ name: products.name }).from(products).where(eq(products.id, newcomer))
    expect(dashboard.tables.byProduct.find((r) => r.key === newcomer)?.label).toBe(product!.name)
  })

  it("serves the last fold's tallies from memory only while the head still shows that fold", async () => {
    await foldTargetTallies(db, systemClock)
    const total = async (head: Awaited<ReturnType<typeof readTallyHead>>) => {
      const tables = await readTallyTables(db, parent!, head, { productLimit: 50 })
      return tables!.rows.channel.reduce((sum, r) => sum + r.amountFen, 0n)
    }
    // Read once (the copy is kept), then a sale the job has not folded: counted from the tail.
    expect(await total(await readTallyHead(db, parent!.id))).toBe(await rawSum(parent!))
    await sale(2)
    expect(await total(await readTallyHead(db, parent!.id))).toBe(await rawSum(parent!))
    // The job folds between the view's head read and its tables read: the copy is of the fold before, and the
    // statement's own head says so — the tables are read again, not counted twice or missed.
    const stale = await readTallyHead(db, parent!.id)
    await sale(1)
    expect(await foldTargetTallies(db, systemClock)).toBeGreaterThan(0)
    expect(await total(stale)).toBe(await rawSum(parent!))
    expect(await total(await readTallyHead(db, parent!.id))).toBe(await rawSum(parent!))
    await expectDashboardAsRollups()
  })

  it('starts over when the scope changes, and reads the rollups meanwhile', async () => {
    await foldTargetTallies(db, systemClock)
    const narrowed = { ...parent!, periodStart: shanghaiToday(systemClock) }
    await db.update(targets).set({ periodStart: narrowed.periodStart }).where(eq(targets.id, parent!.id))
    try {
      expect(await readTallies(db, narrowed, ['channel'])).toBeNull()
      expect(await progressOf(narrowed)).toBe(await rawSum(narrowed))
      await foldTargetTallies(db, systemClock)
      expect(await readTallies(db, narrowed, ['channel'])).not.toBeNull()
      expect(await progressOf(narrowed)).toBe(await rawSum(narrowed))
    } finally {
      await db.update(targets).set({ periodStart: parent!.periodStart }).where(eq(targets.id, parent!.id))
    }
    await foldTargetTallies(db, systemClock)
    expect(await progressOf(parent!)).toBe(await rawSum(parent!))
  })

  it('falls back to the rollups when the job is too far behind', async () => {
    await foldTargetTallies(db, systemClock)
    await sale(1)
    expect(await readTallies(db, parent!, ['channel'], { tailLimit: 0 })).toBeNull()
    expect(await readTallies(db, parent!, ['channel'], { tailLimit: 10 })).not.toBeNull()
  })

  it('never counts an entry twice or not at all, whatever the batches and however many folds run at once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ qty: fc.integer({ min: 1, max: 3 }), batch: fc.integer({ min: 1, max: 4 }) }), {
          minLength: 1,
          maxLength: 3,
        }),
        async (steps) => {
          for (const step of steps) {
            await sale(step.qty)
            // Two passes at once: the head row's lock makes the second wait and fold only what is left.
            await Promise.all([
              foldTargetTallies(db, systemClock, { batch: step.batch }),
              foldTargetTallies(db, systemClock, { batch: step.batch }),
            ])
            expect(await progressOf(parent!)).toBe(await rawSum(parent!))
            // Whatever part of the sales is still in the tail, every table of the dashboard is exact too.
            await expectDashboardAsRollups()
          }
          await foldUntilDone(db)
          const view = (await readTallies(db, parent!, ['channel', 'day']))!
          const total = (dimension: 'channel' | 'day') =>
            view.rows.get(dimension)!.reduce((s, r) => s + r.amountFen, 0n)
          expect(total('channel')).toBe(await rawSum(parent!))
          expect(total('day')).toBe(total('channel'))
        },
      ),
      { numRuns: Math.min(fcRuns, 6) },
    )
  }, 120_000)
})

async function foldUntilDone(db: Db): Promise<void> {
  for (let pass = 0; pass < 100; pass++) {
    if ((await foldTargetTallies(db, fixedClock(new Date()), { batch: 1_000 })) === 0) return
  }
  throw new Error('the tallies never caught up')
}
