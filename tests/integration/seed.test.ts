import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { verifyLedger } from '../../app/domains/ledger/verify.server'
import { listTargets } from '../../app/domains/targets/targets.server'
import { periodElapsedBp } from '../../app/domains/targets'
import { shanghaiDate, startOfShanghaiDate } from '../../app/utils/clock'
import { type Db, type DbHandle, queryRows, toBigInt, toCount } from '../../db/client.server'
import { prepareDatabase } from '../../db/prepare.server'
import { historyBuyers } from '../../db/seed/demo-history.server'
import { loadSourceData } from '../../db/seed/source-data.server'
import { needsDemoSeed, seedDatabase, type SeedStep, tableDigests } from '../../db/seed/seed.server'
import { seedUuid } from '../../db/seed/synthetic'
import { isValidUscc } from '../../app/utils/uscc'
import { openTestDatabase, testDbKind } from '../support/db'
import { SEED_NOW } from '../support/test-clock'

/** A full demo seed (its year of orders included) takes a while on PGlite; more so on a busy machine. */
const SEED_TIMEOUT = 240_000

/**
 * What the history step wrote, by table. Its rows carry random ids and the app's timestamps by design (they are
 * orders, as real as any), so they are compared by count and amount, not by digest.
 */
async function historyCounts(db: Db): Promise<Record<string, string>> {
  const [row] = await queryRows<Record<string, unknown>>(
    db,
    sql`select
          (select count(*) || ':' || coalesce(sum(subtotal_fen), 0) from orders) as orders,
          (select string_agg(status || '=' || n, ',' order by status)
             from (select status, count(*) as n from orders group by status) s) as statuses,
          (select count(*) from seller_orders) as seller_orders,
          (select count(*) || ':' || coalesce(sum(qty), 0) from order_lines) as order_lines,
          (select count(*) || ':' || coalesce(sum(amount_fen), 0) from payments where status = 'confirmed') as payments,
          (select count(*) || ':' || coalesce(sum(amount_fen), 0) from refunds) as refunds,
          (select count(*) || ':' || coalesce(sum(amount_fen), 0) || ':' || coalesce(sum(proceeds_fen), 0)
             from aid_entries) as aid_entries,
          (select count(*) || ':' || coalesce(sum(amount_fen), 0) from household_credits) as household_credits,
          (select count(*) || ':' || coalesce(sum(amount_fen), 0) from aid_rollups) as aid_rollups,
          (select count(*) from target_reach) as target_reach,
          (select count(*) from audit_events) as audit_events`,
  )
  return Object.fromEntries(Object.entries(row ?? {}).map(([k, v]) => [k, String(v)]))
}

describe(`seed (${testDbKind()})`, () => {
  // One complete seed (demo world and history, at SEED_NOW) that the other runs are compared with.
  let full: DbHandle
  let fullDigests: Record<string, string>
  let fullHistory: Record<string, string>
  beforeAll(async () => {
    full = await openTestDatabase('migrated')
    await seedDatabase(full.db, { demo: true, now: SEED_NOW })
    fullDigests = await tableDigests(full.db)
    fullHistory = await historyCounts(full.db)
  }, SEED_TIMEOUT)

  /** A fresh database whose demo seed stopped (a power cut) right after `step`. */
  async function seedCutAfter(step: SeedStep): Promise<DbHandle> {
    const handle = await openTestDatabase('migrated')
    await expect(
      seedDatabase(handle.db, {
        demo: true,
        now: SEED_NOW,
        afterStep: (done) => {
          if (done === step) throw new Error('power cut')
        },
      }),
    ).rejects.toThrow('power cut')
    return handle
  }

  /** Seeding again finishes the job: the tables end exactly as after one uninterrupted run. */
  async function expectResumedLikeFull(handle: DbHandle) {
    await seedDatabase(handle.db, { demo: true, now: SEED_NOW })
    expect(await needsDemoSeed(handle.db)).toBe(false)
    expect(await tableDigests(handle.db)).toEqual(fullDigests)
    expect(await historyCounts(handle.db)).toEqual(fullHistory)
  }

  it(
    'gives identical tables when run twice, and the second run adds no orders',
    async () => {
      expect(fullDigests.products?.startsWith('108:')).toBe(true)
      expect(await needsDemoSeed(full.db)).toBe(false)
      await seedDatabase(full.db, { demo: true, now: SEED_NOW })
      expect(await tableDigests(full.db)).toEqual(fullDigests)
      expect(await historyCounts(full.db)).toEqual(fullHistory)
      // Later the same year, too: the history is there, so nothing is added.
      await seedDatabase(full.db, { demo: true, now: new Date(SEED_NOW.getTime() + 30 * 86_400_000) })
      expect(await historyCounts(full.db)).toEqual(fullHistory)
    },
    SEED_TIMEOUT,
  )

  it(
    'completes a run interrupted half-way, ending where a clean run ends',
    async () => {
      const handle = await seedCutAfter('catalog')
      const [half] = await queryRows<{ products: unknown; households: unknown }>(
        handle.db,
        sql`select (select count(*) from products) as products, (select count(*) from households) as households`,
      )
      expect(toCount(half?.products)).toBe(108)
      expect(toCount(half?.households)).toBe(0)
      expect(await needsDemoSeed(handle.db)).toBe(true)
      await expectResumedLikeFull(handle)
    },
    SEED_TIMEOUT,
  )

  it(
    'resumes a run interrupted between the demo targets and the history',
    async () => {
      const handle = await seedCutAfter('demo-targets')
      const [half] = await queryRows<{ targets: unknown; orders: unknown }>(
        handle.db,
        sql`select (select count(*) from targets where kind = 'demo') as targets, (select count(*) from orders) as orders`,
      )
      expect(toCount(half?.targets)).toBeGreaterThan(0)
      expect(toCount(half?.orders)).toBe(0)
      // A starting server sees the demo seed unfinished (db/prepare.server.ts) and runs it again.
      expect(await needsDemoSeed(handle.db)).toBe(true)
      await expectResumedLikeFull(handle)
    },
    SEED_TIMEOUT,
  )

  it('seeds only reference data outside demo mode', async () => {
    const handle = await openTestDatabase('migrated')
    await seedDatabase(handle.db, { demo: false, now: SEED_NOW })
    const [counts] = await queryRows<Record<string, unknown>>(
      handle.db,
      sql`select (select count(*) from regions) as regions, (select count(*) from pairings) as pairings,
                 (select count(*) from products) as products, (select count(*) from organizations) as organizations,
                 (select count(*) from targets where kind = 'reference') as reference_targets,
                 (select count(*) from targets where kind = 'demo') as demo_targets,
                 (select count(*) from orders) as orders`,
    )
    expect(toCount(counts?.regions)).toBe(3348)
    expect(toCount(counts?.pairings)).toBeGreaterThan(40)
    expect(toCount(counts?.reference_targets)).toBe(3)
    expect(toCount(counts?.products)).toBe(0)
    expect(toCount(counts?.organizations)).toBe(0)
    expect(toCount(counts?.demo_targets)).toBe(0)
    expect(toCount(counts?.orders)).toBe(0)
  })

  describe('the demo history', () => {
    it('verifies: the chain, and every entry against its payment or refund', async () => {
      const verified = await verifyLedger(full.db)
      expect(verified).toMatchObject({ ok: true })
      expect(verified.ok && verified.checked).toBeGreaterThan(100)
    })

    it('counts every confirmed payment, line by line, and nothing else', async () => {
      const [row] = await queryRows<Record<string, unknown>>(
        full.db,
        sql`select
              (select count(*) from payments where status = 'confirmed') as confirmed,
              (select count(*) from order_lines l join payments p on p.order_id = l.order_id
                where p.status = 'confirmed'
                  and not exists (select 1 from aid_entries e where e.kind = 'sale' and e.order_line_id = l.id
                                    and e.payment_id = p.id
                                    -- an on-account line counts what the unit accepted (decision 022)
                                    and e.amount_fen = coalesce((select al.accepted_amount_fen from acceptance_lines al
                                                                  where al.order_line_id = l.id), l.amount_fen)))
                  as uncounted_lines,
              (select count(*) from aid_entries e join payments p on p.id = e.payment_id
                where p.status <> 'confirmed') as counted_unpaid,
              (select count(*) from payments p join orders o on o.id = p.order_id
                where (p.status = 'confirmed') <> (o.status = 'paid')) as status_disagreements,
              (select count(*) from payments where status = 'confirmed'
                and (received_fen <> amount_fen or confirmed_by <> ${seedUuid('user:finance@demo.example')}::uuid))
                as odd_confirmations,
              (select count(*) from aid_entries e
                where (select coalesce(sum(c.amount_fen), 0) from household_credits c where c.entry_seq = e.seq)
                      <> e.proceeds_fen
                  and exists (select 1 from household_credits c where c.entry_seq = e.seq)) as credit_mismatches`,
      )
      expect(toCount(row?.confirmed)).toBeGreaterThan(50)
      expect(toCount(row?.uncounted_lines)).toBe(0)
      expect(toCount(row?.counted_unpaid)).toBe(0)
      expect(toCount(row?.status_disagreements)).toBe(0)
      expect(toCount(row?.odd_confirmations)).toBe(0)
      expect(toCount(row?.credit_mismatches)).toBe(0)
    })

    it('keeps the rollups equal to the raw sums of the entries', async () => {
      const [row] = await queryRows<{ mismatches: unknown; rollups: unknown }>(
        full.db,
        sql`select count(*) filter (where r.day is null or e.day is null or r.amount_fen <> e.amount_fen
                                       or r.proceeds_fen <> e.proceeds_fen or r.entries <> e.entries) as mismatches,
                   count(*) as rollups
            from aid_rollups r
            full join (select day, origin_code, buyer_region_code, buyer_channel, aid_category, product_category,
                              certified, sum(amount_fen) as amount_fen, sum(proceeds_fen) as proceeds_fen,
                              count(*) as entries
                         from aid_entries
                        group by day, origin_code, buyer_region_code, buyer_channel, aid_category, product_category,
                                 certified) e
              on e.day = r.day and e.origin_code = r.helped_code and e.buyer_region_code = r.helper_code
                 and e.buyer_channel = r.buyer_channel and e.aid_category = r.aid_category
                 and e.product_category = r.product_category and e.certified = r.certified`,
      )
      expect(toCount(row?.rollups)).toBeGreaterThan(0)
      expect(toCount(row?.mismatches)).toBe(0)
    })

    it('moves the demo targets, far from their goals', async () => {
      const targets = await listTargets(full.db)
      const achieved = (key: string) => {
        const target = targets.find((t) => t.key === key)
        expect(target, key).toBeDefined()
        expect(target!.progress.state, key).toBe('counted')
        const value = target!.progress.state === 'counted' ? BigInt(target!.progress.achieved) : 0n
        expect(value, key).toBeLessThan(BigInt(target!.goal))
        return value
      }
      expect(achieved('demo-2026-fz-dx')).toBeGreaterThan(0n)
      expect(achieved('demo-2026-fz-dx-people')).toBeGreaterThan(0n)
      for (const district of ['350102', '350103', '350104', '350112', '350122'])
        expect(achieved(`demo-2026-fz-dx-${district}`), district).toBeGreaterThan(0n)
      expect(achieved('demo-2026-zj-shanhai')).toBeGreaterThan(0n)
      // The districts are parts of the whole: together no more than the city's progress.
      const districts = ['350102', '350103', '350104', '350112', '350122']
        .map((d) => achieved(`demo-2026-fz-dx-${d}`))
        .reduce((a, b) => a + b, 0n)
      expect(districts).toBeLessThanOrEqual(achieved('demo-2026-fz-dx'))
    })

    it('spreads the orders over this year up to the seed time, with every outcome', async () => {
      const [row] = await queryRows<Record<string, unknown>>(
        full.db,
        sql`select min(created_at) filter (where buyer_org_id is null) as first, max(created_at) as last,
                   (select max(confirmed_at) from payments) as last_confirmed,
                   (select max(created_at) from refunds) as last_refund,
                   count(*) filter (where status = 'paid') as paid,
                   count(*) filter (where status = 'cancelled') as cancelled,
                   count(*) filter (where status = 'expired') as expired,
                   count(*) filter (where status = 'pending_payment' and terms = 'prepaid'
                     and payment_due_at < ${SEED_NOW.toISOString()}::timestamptz) as unexpired,
                   (select count(*) from refunds r join payments p on p.id = r.payment_id
                     where r.amount_fen < p.amount_fen) as partial_refunds,
                   (select count(*) from refunds r join payments p on p.id = r.payment_id
                     where r.amount_fen = p.amount_fen) as full_refunds,
                   (select count(*) from order_lines where qty >= 10) as tier_lines,
                   count(distinct buyer_region_code) as regions
            from orders`,
      )
      expect(new Date(row!.first as string).getTime()).toBeGreaterThanOrEqual(
        startOfShanghaiDate('2026-01-01').getTime(),
      )
      for (const key of ['last', 'last_confirmed', 'last_refund'])
        expect(new Date(row![key] as string).getTime(), key).toBeLessThanOrEqual(SEED_NOW.getTime())
      expect(toCount(row?.paid)).toBeGreaterThan(50)
      expect(toCount(row?.cancelled)).toBeGreaterThan(0)
      expect(toCount(row?.expired)).toBeGreaterThan(0)
      // A prepaid order past its payment window has expired (a unit's on-account order is flagged overdue instead).
      expect(toCount(row?.unexpired)).toBe(0)
      expect(toCount(row?.partial_refunds)).toBeGreaterThan(0)
      expect(toCount(row?.full_refunds)).toBeGreaterThan(0)
      expect(toCount(row?.tier_lines)).toBeGreaterThan(0)
      expect(toCount(row?.regions)).toBeGreaterThan(5)
    })

    it('leaves stock where the orders holding it say, and never low', async () => {
      // The history-free seeded database holds the catalogue's stock before any order.
      const before = await openTestDatabase('seeded')
      const initial = new Map(
        (
          await queryRows<{ id: string; stock: unknown }>(
            before.db,
            sql`select id::text, stock from products`,
          )
        ).map((r) => [r.id, toCount(r.stock)]),
      )
      const rows = await queryRows<{
        id: string
        stock: unknown
        held: unknown
        restocked: unknown
        returned: unknown
      }>(
        full.db,
        sql`select p.id::text, p.stock,
                   (select coalesce(sum(l.qty), 0) from order_lines l join orders o on o.id = l.order_id
                     where l.product_id = p.id and o.status in ('pending_payment', 'paid')) as held,
                   (select coalesce(sum(m.change), 0) from stock_movements m where m.product_id = p.id) as restocked,
                   (select coalesce(sum(al.rejected_qty), 0) from acceptance_lines al
                      join order_lines l on l.id = al.order_line_id
                      join disputes d on d.acceptance_id = al.acceptance_id
                     where l.product_id = p.id and d.status = 'returned') as returned
            from products p`,
      )
      expect(rows).toHaveLength(108)
      for (const row of rows) {
        // What the cooperatives stocked up for the units' orders, and what came back from a dispute, are on the
        // shelf or held by an order too.
        expect(toCount(row.stock) + toCount(row.held), row.id).toBe(
          initial.get(row.id)! + toCount(row.restocked) + toCount(row.returned),
        )
        expect(toCount(row.stock), row.id).toBeGreaterThanOrEqual(50)
      }
    })

    // Government procurement (issue 16).
    it('gives the demo unit a plan and monthly purchases counted under its own channel, never as a consumer', async () => {
      const [row] = await queryRows<Record<string, unknown>>(
        full.db,
        sql`select
              (select count(*) from procurement_plans p join organizations o on o.id = p.org_id
                where o.name = '鼓楼区演示预算单位（演示）') as plans,
              (select count(*) from orders o join organizations g on g.id = o.buyer_org_id
                where o.buyer_channel = 'gov_unit' and o.terms = 'on_account' and o.status = 'paid') as unit_orders,
              (select count(*) from orders where buyer_org_id is not null and buyer_channel = 'consumer')
                as miscounted,
              (select count(*) from aid_buyer_rollups where buyer_channel = 'gov_unit') as unit_rollups`,
      )
      expect(toCount(row?.plans)).toBe(1)
      expect(toCount(row?.unit_orders)).toBeGreaterThan(0)
      expect(toCount(row?.miscounted)).toBe(0)
      expect(toCount(row?.unit_rollups)).toBeGreaterThan(0)
    })

    // The demo year of procurement (issue 18): the 福州→定西 target near its pace every day.
    it('keeps 福州→定西 within ±15% of its pro-rata pace on every day up to the seed time', async () => {
      const days = await queryRows<{ day: string; fen: unknown }>(
        full.db,
        sql`select day::text as day, sum(amount_fen) as fen from aid_entries
            where origin_code like '6211%' and buyer_region_code like '3501%' group by day`,
      )
      const byDay = new Map(days.map((d) => [d.day, toBigInt(d.fen)]))
      const goal = 20_000_000_000n
      const today = shanghaiDate(SEED_NOW)
      let counted = 0n
      const outside: string[] = []
      for (let t = Date.UTC(2026, 0, 1); ; t += 86_400_000) {
        const day = new Date(t).toISOString().slice(0, 10)
        counted += byDay.get(day) ?? 0n
        // Today only up to the seed time: finance confirms in the morning, and SEED_NOW is midday.
        const pace = (goal * BigInt(periodElapsedBp('2026-01-01', '2026-12-31', day))) / 10_000n
        const ratio = Number(counted) / Number(pace)
        if (ratio < 0.85 || ratio > 1.15) outside.push(`${day}: ${ratio.toFixed(3)}`)
        if (day === today) break
      }
      expect(outside).toEqual([])
      // The target's own figure is that sum.
      const target = (await listTargets(full.db)).find((t) => t.key === 'demo-2026-fz-dx')!
      expect(target.progress.state === 'counted' && BigInt(target.progress.achieved)).toBe(counted)
    })

    it("spreads the districts' sub-targets: some ahead of their pace, some behind", async () => {
      const targets = await listTargets(full.db)
      const paceBp = periodElapsedBp('2026-01-01', '2026-12-31', shanghaiDate(SEED_NOW))
      const ratios = ['350102', '350103', '350104', '350112', '350122'].map((district) => {
        const t = targets.find((x) => x.key === `demo-2026-fz-dx-${district}`)!
        const achieved = t.progress.state === 'counted' ? Number(t.progress.achieved) : 0
        return achieved / ((Number(t.goal) * paceBp) / 10_000)
      })
      expect(Math.max(...ratios)).toBeGreaterThan(1.0)
      expect(Math.min(...ratios)).toBeLessThan(0.85)
    })

    it('procures through a few dozen units: every order approved, shipped, accepted, and paid the accepted amount, some late', async () => {
      const [row] = await queryRows<Record<string, unknown>>(
        full.db,
        sql`select
              (select count(distinct o.buyer_org_id) from orders o join payments p on p.order_id = o.id
                where p.status = 'confirmed' and o.buyer_channel = 'gov_unit') as paying_units,
              (select count(*) from requisitions where status = 'ordered') as ordered,
              (select count(*) from requisitions r where r.status = 'ordered' and not exists
                 (select 1 from requisition_events e where e.requisition_id = r.id and e.action = 'approved'
                    and e.actor_user_id <> r.requester_user_id)) as unapproved,
              (select count(*) from payments p join orders o on o.id = p.order_id
                where o.terms = 'on_account' and p.status = 'confirmed'
                  and p.amount_fen <> (select sum(al.accepted_amount_fen) from acceptance_lines al
                                        join acceptances a on a.id = al.acceptance_id where a.order_id = o.id))
                as paid_other_than_accepted,
              (select count(*) from acceptance_lines where rejected_qty > 0) as short_lines,
              (select count(*) from disputes where status = 'returned') as returned,
              (select count(*) from seller_orders s join orders o on o.id = s.order_id
                where o.terms = 'on_account' and o.status = 'paid' and s.shipped_at is null) as paid_unshipped,
              (select count(*) from procurement_plans) as plans,
              (select count(*) from orders o where o.terms = 'on_account' and o.status = 'pending_payment'
                and o.payment_due_at < ${SEED_NOW.toISOString()}::timestamptz) as overdue`,
      )
      expect(toCount(row?.paying_units)).toBeGreaterThanOrEqual(24)
      expect(toCount(row?.ordered)).toBeGreaterThan(50)
      expect(toCount(row?.unapproved)).toBe(0)
      expect(toCount(row?.paid_other_than_accepted)).toBe(0)
      expect(toCount(row?.short_lines)).toBeGreaterThan(0)
      expect(toCount(row?.returned)).toBeGreaterThan(0)
      expect(toCount(row?.paid_unshipped)).toBe(0)
      expect(toCount(row?.plans)).toBeGreaterThanOrEqual(37)
      // Some unit pays late: on the seed's day an accepted order is past its term, flagged overdue.
      expect(toCount(row?.overdue)).toBeGreaterThanOrEqual(1)
    })

    it('buys through synthetic demo consumers, leaving the README consumer one order', async () => {
      const buyers = await queryRows<{
        email: string
        display_name: string
        is_demo: boolean
        orders: unknown
      }>(
        full.db,
        sql`select u.email, u.display_name, u.is_demo,
                   (select count(*) from orders o where o.buyer_user_id = u.id) as orders
            from users u where u.email like '%@consumers.demo.example' order by u.email`,
      )
      expect(buyers.map((b) => b.email)).toEqual(historyBuyers.map((b) => b.email))
      for (const buyer of buyers) {
        expect(buyer.is_demo).toBe(true)
        expect(buyer.display_name).toMatch(/^演示买家\d{2}$/)
      }
      expect(buyers.reduce((sum, b) => sum + toCount(b.orders), 0)).toBeGreaterThan(50)
      const [consumer] = await queryRows<{ orders: unknown }>(
        full.db,
        sql`select count(*) as orders from orders o join users u on u.id = o.buyer_user_id
            where u.email = 'consumer@demo.example'`,
      )
      expect(toCount(consumer?.orders)).toBe(1)
      // Demo accounts all: a production start refuses this database.
      await expect(prepareDatabase(full, { demo: false })).rejects.toThrow(/demo accounts/)
    })
  })
})

describe(`seeded demo data (${testDbKind()})`, async () => {
  const handle = await openTestDatabase('seeded')
  const db = handle.db
  const source = loadSourceData()

  it('holds every region of China with the demo tags', async () => {
    const rows = await queryRows<{ level: string; n: unknown }>(
      db,
      sql`select level, count(*) as n from regions group by level order by level`,
    )
    const byLevel = Object.fromEntries(rows.map((r) => [r.level, toCount(r.n)]))
    expect(byLevel.province).toBe(31)
    expect(byLevel.province! + byLevel.city! + byLevel.county!).toBe(3348)
    const [minxian] = await queryRows<{ name: string; tags: string[]; parent_code: string }>(
      db,
      sql`select name, tags, parent_code from regions where code = '621126'`,
    )
    expect(minxian).toMatchObject({ name: '岷县', parent_code: '621100' })
    expect(minxian?.tags).toContain('dingxi_county')
  })

  it('keeps every documented pairing, one row per helper, with its programme', async () => {
    const rows = await queryRows<{
      id: string
      helper_code: string | null
      helped_code: string
      programme: string
    }>(db, sql`select id, helper_code, helped_code, programme from pairings order by id`)
    const byId = new Map(rows.map((r) => [r.id, r]))
    expect(byId.get('FD-350102-621126')).toMatchObject({
      helper_code: '350102',
      helped_code: '621126',
      programme: '东西部协作',
    })
    expect(byId.get('SH-330127')?.programme).toBe('浙江山海协作')
    expect(byId.get('EW-ZJ-HX')?.programme).toBe('对口支援')
    expect(byId.get('EW-MW-YZ')?.programme).toBe('闽宁协作')
    // 景宁 has five documented helpers in one source record: five pairings.
    expect(rows.filter((r) => r.helped_code === '331127')).toHaveLength(5)
    // A functional zone has no administrative code and is kept by name only.
    expect(rows.some((r) => r.helper_code === null)).toBe(true)
    // No partner was documented for 通渭县 or 渭源县: none may be invented.
    expect(rows.filter((r) => r.helped_code === '621121' || r.helped_code === '621123')).toEqual([])
  })

  it('lists the 108 real products at prices inside their documented ranges', async () => {
    const rows = await queryRows<{ sku: string; price_fen: unknown; gi_status: string; origin_code: string }>(
      db,
      sql`select sku, price_fen, gi_status, origin_code from products where status = 'active'`,
    )
    expect(rows).toHaveLength(108)
    const bySku = new Map(source.products.map((p) => [p.id, p]))
    for (const row of rows) {
      const documented = bySku.get(row.sku)
      expect(documented, row.sku).toBeDefined()
      const price = toBigInt(row.price_fen)
      expect(price, row.sku).toBeGreaterThanOrEqual(BigInt(Math.round(documented!.price_cny.min * 100)))
      expect(price, row.sku).toBeLessThanOrEqual(BigInt(Math.round(documented!.price_cny.max * 100)))
      expect(row.gi_status, row.sku).toBe(documented!.geographical_indication.status)
      expect(row.origin_code).toBe(documented!.county_code)
    }
    expect(rows.filter((r) => r.gi_status === 'confirmed')).toHaveLength(23)
  })

  it('gives every product county a verified cooperative with a valid credit code', async () => {
    const coops = await queryRows<{ region_code: string; uscc: string; name: string; verified_at: unknown }>(
      db,
      sql`select region_code, uscc, name, verified_at from organizations where kind = 'cooperative'`,
    )
    const counties = new Set(source.products.map((p) => p.county_code))
    for (const county of counties)
      expect(
        coops.some((c) => c.region_code === county),
        county,
      ).toBe(true)
    for (const coop of coops) {
      expect(isValidUscc(coop.uscc), coop.uscc).toBe(true)
      expect(coop.name).toContain('演示')
      expect(coop.verified_at).not.toBeNull()
    }
  })

  it('links 300+ synthetic households to every product, with weights and a proceeds rule', async () => {
    const [counts] = await queryRows<Record<string, unknown>>(
      db,
      sql`select (select count(*) from households) as households,
                 (select count(*) from households where id_hmac is not null or id_cipher is not null) as with_ids,
                 (select count(*) from households where masked_name !~ '^.\\*.$') as unmasked,
                 (select count(*) from products p where not exists
                    (select 1 from product_beneficiaries b
                     where b.product_id = p.id and b.unlinked_at is null)) as without_beneficiaries,
                 (select count(*) from products p where not exists
                    (select 1 from proceeds_rules r where r.product_id = p.id)) as without_rule,
                 (select count(*) from households h join organizations o on o.id = h.org_id
                   where h.region_code <> o.region_code) as outside_their_county,
                 (select count(*) from households where region_code like '33%' and status <> '低收入农户') as zj_not_low_income`,
    )
    expect(toCount(counts?.households)).toBeGreaterThanOrEqual(300)
    expect(toCount(counts?.with_ids)).toBe(0)
    expect(toCount(counts?.unmasked)).toBe(0)
    expect(toCount(counts?.without_beneficiaries)).toBe(0)
    expect(toCount(counts?.without_rule)).toBe(0)
    expect(toCount(counts?.outside_their_county)).toBe(0)
    expect(toCount(counts?.zj_not_low_income)).toBe(0)
  })

  it('marks every certification as demo data', async () => {
    const rows = await queryRows<{ number: string; body: string; is_demo: boolean }>(
      db,
      sql`select number, body, is_demo from certifications`,
    )
    expect(rows.length).toBeGreaterThan(0)
    for (const row of rows) {
      expect(row.is_demo).toBe(true)
      expect(row.number).toContain('演示')
      expect(row.body).toContain('演示')
    }
  })

  it('sets the demo targets for the current year and keeps the documented 2020 ones as reference', async () => {
    const rows = await queryRows<{
      key: string
      kind: string
      metric: string
      goal: unknown
      period_start: unknown
      helped_codes: string[]
      helper_codes: string[]
      source_text: string | null
      parent_key: string | null
    }>(
      db,
      sql`select t.key, t.kind, t.metric, t.goal, t.period_start::text as period_start, t.helped_codes,
                 t.helper_codes, t.source_text, p.key as parent_key
          from targets t left join targets p on p.id = t.parent_id order by t.key`,
    )
    const byKey = new Map(rows.map((r) => [r.key, r]))
    const parent = byKey.get('demo-2026-fz-dx')
    expect(toBigInt(parent?.goal)).toBe(20_000_000_000n)
    expect(parent?.period_start).toBe('2026-01-01')
    expect(parent?.helped_codes).toEqual(['621100'])
    expect(parent?.helper_codes).toEqual(['350100'])
    const districts = rows.filter((r) => r.parent_key === 'demo-2026-fz-dx' && r.metric === 'amount_fen')
    // Five Fuzhou county-level units have a documented Dingxi partner.
    expect(districts.map((r) => r.helper_codes[0]).sort()).toEqual([
      '350102',
      '350103',
      '350104',
      '350112',
      '350122',
    ])
    for (const d of districts) expect(toBigInt(d.goal)).toBe(3_000_000_000n)
    expect(toBigInt(byKey.get('demo-2026-fz-dx-people')?.goal)).toBe(32_000n)
    expect(toBigInt(byKey.get('demo-2026-zj-shanhai')?.goal)).toBe(50_000_000_000n)
    const reference = byKey.get('ref-2020-fz-dx')
    expect(reference?.kind).toBe('reference')
    expect(reference?.period_start).toBe('2020-01-01')
    expect(reference?.source_text).toContain('榕扶组〔2020〕3号')
  })
})
