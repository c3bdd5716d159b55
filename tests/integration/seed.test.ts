import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { queryRows, toBigInt, toCount } from '../../db/client.server'
import { loadSourceData } from '../../db/seed/source-data.server'
import { seedDatabase, tableDigests } from '../../db/seed/seed.server'
import { isValidUscc } from '../../app/utils/uscc'
import { openTestDatabase, testDbKind } from '../support/db'
import { SEED_NOW } from '../support/test-clock'

describe(`seed (${testDbKind()})`, () => {
  it('gives identical tables when run twice', async () => {
    const handle = await openTestDatabase('migrated')
    await seedDatabase(handle.db, { demo: true, now: SEED_NOW })
    const first = await tableDigests(handle.db)
    await seedDatabase(handle.db, { demo: true, now: SEED_NOW })
    expect(await tableDigests(handle.db)).toEqual(first)
    expect(first.products?.startsWith('108:')).toBe(true)
  })

  it('completes a run interrupted half-way, ending where a clean run ends', async () => {
    const clean = await openTestDatabase('seeded')
    const handle = await openTestDatabase('migrated')
    await expect(
      seedDatabase(handle.db, {
        demo: true,
        now: SEED_NOW,
        afterStep: (step) => {
          if (step === 'catalog') throw new Error('power cut')
        },
      }),
    ).rejects.toThrow('power cut')
    const [half] = await queryRows<{ products: unknown; households: unknown }>(
      handle.db,
      sql`select (select count(*) from products) as products, (select count(*) from households) as households`,
    )
    expect(toCount(half?.products)).toBe(108)
    expect(toCount(half?.households)).toBe(0)

    await seedDatabase(handle.db, { demo: true, now: SEED_NOW })
    expect(await tableDigests(handle.db)).toEqual(await tableDigests(clean.db))
  })

  it('seeds only reference data outside demo mode', async () => {
    const handle = await openTestDatabase('migrated')
    await seedDatabase(handle.db, { demo: false, now: SEED_NOW })
    const [counts] = await queryRows<Record<string, unknown>>(
      handle.db,
      sql`select (select count(*) from regions) as regions, (select count(*) from pairings) as pairings,
                 (select count(*) from products) as products, (select count(*) from organizations) as organizations,
                 (select count(*) from targets where kind = 'reference') as reference_targets,
                 (select count(*) from targets where kind = 'demo') as demo_targets`,
    )
    expect(toCount(counts?.regions)).toBe(3348)
    expect(toCount(counts?.pairings)).toBeGreaterThan(40)
    expect(toCount(counts?.reference_targets)).toBe(3)
    expect(toCount(counts?.products)).toBe(0)
    expect(toCount(counts?.organizations)).toBe(0)
    expect(toCount(counts?.demo_targets)).toBe(0)
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
                    (select 1 from product_beneficiaries b where b.product_id = p.id)) as without_beneficiaries,
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
