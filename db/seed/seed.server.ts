import { count, eq, sql } from 'drizzle-orm'
import { slugFromName } from '../../app/domains/catalog/index.server'
import { publishDailyHead } from '../../app/domains/ledger/index.server'
import { fixedClock, shanghaiYear, startOfShanghaiDate } from '../../app/utils/clock'
import { hashPassword } from '../../app/services/passwords.server'
import { type Db, queryRows } from '../client.server'
import { type Role, users } from '../schema/accounts'
import { memberships } from '../schema/memberships'
import { bases, certifications, priceTiers, type ProductCategory, products } from '../schema/catalog'
import { households, proceedsRuleChanges, productBeneficiaries, proceedsRules } from '../schema/households'
import { organizations } from '../schema/organizations'
import { type PairingProgramme, pairings, regions } from '../schema/regions'
import { targets } from '../schema/targets'
import { demoHistoryPresent, seedDemoHistory } from './demo-history.server'
import { loadSourceData, type SourcePairing, type SourceProduct } from './source-data.server'
import {
  cooperativeTheme,
  intBetween,
  maskedName,
  pick,
  seedUuid,
  seededRandom,
  syntheticUscc,
} from './synthetic'

/**
 * Seeding is idempotent and resumable: every step inserts with ON CONFLICT DO NOTHING on rows whose ids derive
 * from stable keys, and each step is its own transaction. Running it twice changes nothing; a run interrupted
 * half-way is completed by the next one. It never overwrites: a price a cooperative edited stays edited.
 *
 * Reference data (regions, pairings, documented 2020 targets) is seeded in every mode; the synthetic demo world
 * (cooperatives, bases, products, households, demo targets, and a year of orders through the domain functions:
 * demo-history.server.ts) only in demo mode.
 */

export type SeedOptions = {
  demo: boolean
  now?: Date
  /**
   * The demo year of orders (the last demo step; on by default). The integration tests' shared seeded database
   * leaves it out, so that each test starts from an empty ledger and untouched stock.
   */
  history?: boolean
  /** Called after each step commits; tests throw from it to simulate an interrupted run. */
  afterStep?: (step: SeedStep) => void | Promise<void>
}

export const referenceSteps = ['regions', 'pairings', 'reference-targets'] as const
export const demoSteps = [
  'organizations',
  'demo-accounts',
  'catalog',
  'households',
  'demo-targets',
  'demo-history',
] as const
export type SeedStep = (typeof referenceSteps)[number] | (typeof demoSteps)[number]

export async function seedDatabase(db: Db, options: SeedOptions): Promise<void> {
  const now = options.now ?? new Date()
  const steps: Array<[SeedStep, (tx: Db) => Promise<void>]> = [
    ['regions', seedRegions],
    ['pairings', seedPairings],
    ['reference-targets', seedReferenceTargets],
  ]
  if (options.demo) {
    steps.push(
      ['organizations', (tx) => seedOrganizations(tx, now)],
      ['demo-accounts', (tx) => seedDemoAccounts(tx)],
      ['catalog', (tx) => seedCatalog(tx, now)],
      ['households', (tx) => seedHouseholds(tx, now)],
      ['demo-targets', (tx) => seedDemoTargets(tx, now)],
    )
    if (options.history ?? true)
      steps.push([
        'demo-history',
        // The day's head is published at once (decision 024), so the 公示 pages' history is never empty.
        (tx) =>
          seedDemoHistory(tx, { now, password: DEMO_PASSWORD })
            .then(() => publishDailyHead(tx, fixedClock(now)))
            .then(() => {}),
      ])
  }
  for (const [step, run] of steps) {
    await db.transaction(async (tx) => run(tx as unknown as Db))
    await options.afterStep?.(step)
  }
}

/**
 * True when the demo world has not been (fully) seeded: the demo targets (written by the last step of the world)
 * or the demo history (the last step of all) are missing.
 */
export async function needsDemoSeed(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(targets).where(eq(targets.kind, 'demo'))
  return (row?.n ?? 0) === 0 || !(await demoHistoryPresent(db))
}

async function insertInChunks<T>(items: T[], size: number, insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += size) await insert(items.slice(i, i + size))
}

// --- reference data -------------------------------------------------------------------------------------------

async function seedRegions(tx: Db) {
  const { regions: all, regionTags } = loadSourceData()
  const levelOrder = { province: 0, city: 1, county: 2 } as const
  // Parents first, so every parent_code reference is satisfied as rows arrive.
  const rows = [...all]
    .sort((a, b) => levelOrder[a.level] - levelOrder[b.level] || a.code.localeCompare(b.code))
    .map((r) => ({
      code: r.code,
      name: r.name,
      level: r.level,
      parentCode: r.parent,
      tags: regionTags.get(r.code) ?? [],
    }))
  await insertInChunks(rows, 500, (chunk) => tx.insert(regions).values(chunk).onConflictDoNothing())
}

/** The programme a documented relation belongs to. Order matters: the first words name the programme. */
export function programmeOf(record: Pick<SourcePairing, 'id' | 'relation'>): PairingProgramme {
  if (record.id.startsWith('SH-')) return '浙江山海协作'
  if (record.id.startsWith('FD-')) return '东西部协作'
  const relation = record.relation
  if (relation.startsWith('闽宁')) return '闽宁协作'
  if (relation.startsWith('对口支援')) return '对口支援'
  if (relation.startsWith('对口帮扶')) return '对口帮扶'
  if (relation.startsWith('东西')) return '东西部协作'
  throw new Error(`Unclassified pairing ${record.id}: ${relation}`)
}

async function seedPairings(tx: Db) {
  const rows = loadSourceData().pairings.flatMap((p) => {
    // A record naming several helpers becomes one pairing per helper.
    const helpers = Array.isArray(p.helper) ? p.helper : [p.helper]
    return helpers.map((helper, index) => ({
      id: helpers.length === 1 ? p.id : `${p.id}-${helper.code ?? `zone${index + 1}`}`,
      helperCode: helper.code,
      helperName: helper.name,
      helpedCode: p.helped.code,
      programme: programmeOf(p),
      relationText: p.relation,
      sinceText: p.since ?? p.period ?? null,
      confidence: p.confidence,
      facts: p.facts,
      notes: p.notes ?? null,
      sourceIds: p.sources,
    }))
  })
  await tx.insert(pairings).values(rows).onConflictDoNothing()
}

const YUAN = 100n

async function seedReferenceTargets(tx: Db) {
  const documented = new Map(loadSourceData().documentedTargets.map((t) => [t.id, t]))
  const fz = documented.get('T-FZDX-2020')
  const zj = documented.get('T-ZJSH-CONSUMPTION')
  if (!fz || !zj) throw new Error('The documented 2020 targets are missing from the seed data')
  const fzAmount = BigInt(fz.value.total_cny ?? 0) * YUAN
  const fzPeople = BigInt(fz.value.poor_people_driven ?? 0)
  const zjAmount = BigInt(zj.value.annual_sales_cny ?? 0) * YUAN
  // The research notes prefix each quote with its confidence ("documented — …"); the quote itself is the source.
  const quote = (status: string) => status.replace(/^documented\s*—\s*/, '')
  const reference = {
    kind: 'reference' as const,
    periodStart: '2020-01-01',
    periodEnd: '2020-12-31',
  }
  await tx
    .insert(targets)
    .values([
      {
        ...reference,
        id: seedUuid('target:ref-2020-fz-dx'),
        key: 'ref-2020-fz-dx',
        name: '福州—定西 2020年消费扶贫目标',
        metric: 'amount_fen',
        goal: fzAmount,
        helpedCodes: ['621100'],
        helperCodes: ['350100'],
        sourceText: quote(fz.status),
        sourceIds: fz.sources,
        documentedOutcomes: fz.related_documented_results,
        sortOrder: 100,
      },
      {
        ...reference,
        id: seedUuid('target:ref-2020-fz-dx-people'),
        key: 'ref-2020-fz-dx-people',
        parentId: seedUuid('target:ref-2020-fz-dx'),
        name: '福州—定西 2020年带动贫困人口',
        metric: 'people',
        goal: fzPeople,
        helpedCodes: ['621100'],
        helperCodes: ['350100'],
        sourceText: quote(fz.status),
        sourceIds: fz.sources,
        sortOrder: 101,
      },
      {
        ...reference,
        id: seedUuid('target:ref-2020-zj-shanhai'),
        key: 'ref-2020-zj-shanhai',
        name: '浙江山海协作 2020年消费帮扶年销售额目标',
        metric: 'amount_fen',
        goal: zjAmount,
        helpedCodes: zhejiangMountainCounties(),
        helperCodes: ['330000'],
        sourceText: quote(zj.status),
        sourceIds: zj.sources,
        documentedOutcomes: zj.related_documented_results,
        sortOrder: 110,
      },
    ])
    .onConflictDoNothing()
}

/** 山区26县 (the list the 2020 plan addressed), and the 2024 山区海岛县 list used for current demo targets. */
function zhejiangMountainCounties(list: '2020' | 'current' = '2020'): string[] {
  const codes: string[] = []
  for (const [code, tags] of loadSourceData().regionTags) {
    const in2020 = tags.includes('zj_mountain_26')
    const current =
      (in2020 && !tags.includes('zj_mountain_26_removed_2024')) ||
      tags.includes('zj_mountain_island_25_added_2024')
    if (list === '2020' ? in2020 : current) codes.push(code)
  }
  return codes.sort()
}

// --- the synthetic demo world ---------------------------------------------------------------------------------

type CountySellers = { countyCode: string; countyName: string; products: SourceProduct[] }

function productCounties(): CountySellers[] {
  const byCounty = new Map<string, CountySellers>()
  for (const p of loadSourceData().products) {
    const entry = byCounty.get(p.county_code) ?? {
      countyCode: p.county_code,
      countyName: p.county_name,
      products: [],
    }
    entry.products.push(p)
    byCounty.set(p.county_code, entry)
  }
  return [...byCounty.values()].sort((a, b) => a.countyCode.localeCompare(b.countyCode))
}

/** Counties with many products get two cooperatives, so listings are not all one seller's. */
function cooperativesOf(
  county: CountySellers,
): Array<{ key: string; index: number; products: SourceProduct[] }> {
  const count = county.products.length >= 5 ? 2 : 1
  return Array.from({ length: count }, (_, index) => ({
    key: `coop:${county.countyCode}:${index + 1}`,
    index,
    products: county.products.filter((_, i) => i % count === index),
  }))
}

async function seedOrganizations(tx: Db, now: Date) {
  const rows: Array<typeof organizations.$inferInsert> = []
  for (const county of productCounties()) {
    for (const coop of cooperativesOf(county)) {
      const theme = cooperativeTheme(
        coop.products.map((p) => p.category),
        county.countyCode,
      )
      const suffix = coop.index === 0 ? '' : '第二'
      rows.push({
        id: seedUuid(coop.key),
        kind: 'cooperative',
        name: `${county.countyName}${theme}${suffix}农民专业合作社（演示）`,
        uscc: syntheticUscc(coop.key, '93', county.countyCode),
        regionCode: county.countyCode,
        contactName: '演示联系人',
        verifiedAt: now,
        // Demo cooperatives sell from the start: admitted as suppliers (recommended and verified) with their review;
        // the demo office recommended those in its jurisdiction (定西市), the others' offices are not in the demo.
        sellerRecommendedAt: now,
        sellerRecommendingOrg: county.countyCode.startsWith('6211') ? seedUuid('org:fuzhou-office') : null,
        sellerVerifiedAt: now,
        isDemo: true,
      })
    }
  }
  // Buyers and offices the demo accounts act for (the README).
  rows.push(
    {
      id: seedUuid('org:platform'),
      kind: 'platform',
      name: '消费帮扶平台运营方（演示）',
      uscc: syntheticUscc('org:platform', '91', '350102'),
      regionCode: '350102',
      verifiedAt: now,
      isDemo: true,
    },
    {
      id: seedUuid('org:gulou-unit'),
      kind: 'gov_unit',
      name: '鼓楼区演示预算单位（演示）',
      uscc: syntheticUscc('org:gulou-unit', '11', '350102'),
      regionCode: '350102',
      verifiedAt: now,
      isDemo: true,
    },
    {
      id: seedUuid('org:fuzhou-office'),
      kind: 'office',
      name: '福州市东西部协作工作机构（演示）',
      uscc: syntheticUscc('org:fuzhou-office', '11', '350100'),
      regionCode: '350100',
      jurisdiction: ['350100', '621100'],
      verifiedAt: now,
      isDemo: true,
    },
  )
  await tx.insert(organizations).values(rows).onConflictDoNothing()
}

/** The demo accounts of the README (all with the password demo-password), listed in the README. */
export const DEMO_PASSWORD = 'demo-password'
export const demoAccounts: ReadonlyArray<{
  email: string
  displayName: string
  org: string | null
  role: Role | null
}> = [
  { email: 'consumer@demo.example', displayName: '演示消费者', org: null, role: null },
  { email: 'buyer@gulou.demo.example', displayName: '演示采购员', org: 'org:gulou-unit', role: 'unit_buyer' },
  {
    email: 'approver@gulou.demo.example',
    displayName: '演示审批人',
    org: 'org:gulou-unit',
    role: 'unit_approver',
  },
  {
    email: 'unit-admin@gulou.demo.example',
    displayName: '演示单位管理员',
    org: 'org:gulou-unit',
    role: 'unit_admin',
  },
  {
    email: 'coop@minxian.demo.example',
    displayName: '演示合作社管理员',
    org: 'coop:621126:1',
    role: 'coop_admin',
  },
  {
    email: 'coop-staff@minxian.demo.example',
    displayName: '演示合作社员工',
    org: 'coop:621126:1',
    role: 'coop_staff',
  },
  {
    email: 'office@fuzhou.demo.example',
    displayName: '演示分析员',
    org: 'org:fuzhou-office',
    role: 'office_analyst',
  },
  {
    email: 'office-admin@fuzhou.demo.example',
    displayName: '演示机构管理员',
    org: 'org:fuzhou-office',
    role: 'office_admin',
  },
  {
    email: 'finance@demo.example',
    displayName: '演示平台财务',
    org: 'org:platform',
    role: 'platform_finance',
  },
  { email: 'admin@demo.example', displayName: '演示平台管理员', org: 'org:platform', role: 'platform_admin' },
]

async function seedDemoAccounts(tx: Db) {
  const existing = new Set(
    (await tx.select({ email: users.email }).from(users))
      .map((u) => u.email)
      .filter((e): e is string => e !== null),
  )
  // Hash only for accounts not there yet: a re-run costs nothing, and never resets a changed password.
  for (const account of demoAccounts) {
    if (existing.has(account.email)) continue
    await tx
      .insert(users)
      .values({
        id: seedUuid(`user:${account.email}`),
        email: account.email,
        displayName: account.displayName,
        passwordHash: await hashPassword(DEMO_PASSWORD),
        isDemo: true,
      })
      .onConflictDoNothing()
  }
  const links = demoAccounts.flatMap((a) =>
    a.org && a.role ? [{ userId: seedUuid(`user:${a.email}`), orgId: seedUuid(a.org), role: a.role }] : [],
  )
  await tx.insert(memberships).values(links).onConflictDoNothing()
}

/** A demo price inside the documented range: its midpoint, floored to 10 fen. */
export function demoPriceFen(range: { min: number; max: number }): bigint {
  const minFen = Math.round(range.min * 100)
  const maxFen = Math.round(range.max * 100)
  return BigInt(Math.floor((minFen + maxFen) / 2 / 10) * 10)
}

const RELIEF_MODE_BY_CATEGORY: Partial<Record<string, '工资性' | '资产性' | '经营性'>> = {
  加工食品: '工资性',
  手工艺品: '工资性',
  水产: '资产性',
}

async function seedCatalog(tx: Db, now: Date) {
  const year = shanghaiYear(now)
  const productRows: Array<typeof products.$inferInsert> = []
  const tierRows: Array<typeof priceTiers.$inferInsert> = []
  const certificationRows: Array<typeof certifications.$inferInsert> = []
  const ruleRows: Array<typeof proceedsRules.$inferInsert> = []
  const baseRows: Array<typeof bases.$inferInsert> = []
  const slugs = new Set<string>()
  let certificateSerial = 0

  for (const county of productCounties()) {
    for (const coop of cooperativesOf(county)) {
      const orgId = seedUuid(coop.key)
      // A workshop (帮扶车间) when everything it sells is made rather than grown; named like its cooperative.
      const workshop = coop.products.every((p) => p.category === '加工食品' || p.category === '手工艺品')
      const theme = cooperativeTheme(
        coop.products.map((p) => p.category),
        county.countyCode,
      )
      const baseId = seedUuid(`base:${coop.key}`)
      baseRows.push({
        id: baseId,
        orgId,
        name: `${county.countyName}${theme}${workshop ? '帮扶车间' : '帮扶基地'}（演示）`,
        kind: workshop ? '帮扶车间' : '帮扶基地',
        regionCode: county.countyCode,
        isDemo: true,
      })
      for (const p of coop.products) {
        const random = seededRandom(`product:${p.id}`)
        const id = seedUuid(`product:${p.id}`)
        let slug = slugFromName(p.name) || p.id.toLowerCase()
        for (let n = 2; slugs.has(slug); n++) slug = `${slugFromName(p.name)}-${n}`
        slugs.add(slug)
        const priceFen = demoPriceFen(p.price_cny)
        productRows.push({
          id,
          orgId,
          baseId,
          sku: p.id,
          slug,
          name: p.name,
          alias: p.alias ?? null,
          description: p.description,
          category: p.category as ProductCategory,
          originCode: p.county_code,
          unit: p.unit,
          priceFen,
          stock: intBetween(random, 120, 2000),
          minOrderQty: priceFen < 1000n ? 2 : 1,
          status: 'active',
          approvedPriceFen: priceFen,
          giStatus: p.geographical_indication.status,
          giDetail: p.geographical_indication.detail ?? null,
          otherRecognition: p.other_recognition ?? null,
          sourceIds: p.sources,
          isDemo: true,
        })
        // Bulk buyers (units, trade unions) get 5% off from 10 units and 10% off from 50, floored to the fen.
        tierRows.push(
          { productId: id, minQty: 10, unitPriceFen: (priceFen * 95n) / 100n },
          { productId: id, minQty: 50, unitPriceFen: (priceFen * 90n) / 100n },
        )
        // One product in four credits a fixed amount per unit; the rest a share of the line amount.
        if (random() < 0.25) {
          const fenPerUnit = BigInt(Math.max(10, Math.floor(Number(priceFen) / 10 / 10) * 10))
          ruleRows.push({ productId: id, kind: 'fen_per_unit', fenPerUnit })
        } else {
          ruleRows.push({
            productId: id,
            kind: 'basis_points',
            basisPoints: pick(random, [500, 800, 1000, 1200, 1500]),
          })
        }
        // Demo certificates for about a third of the products, one of them already expired. No real
        // certification data was collected: the body and number say 演示 so nobody mistakes them for real ones.
        if (random() < 0.35) {
          certificateSerial++
          const expired = certificateSerial % 9 === 0
          certificationRows.push({
            id: seedUuid(`certification:${p.id}`),
            productId: id,
            number: `演示-${county.countyCode}-${year}-${String(certificateSerial).padStart(4, '0')}`,
            body: `（演示）${county.countyName}帮扶产品认定机构`,
            validFrom: expired ? `${year - 3}-01-01` : `${year - 1}-01-01`,
            validUntil: expired ? `${year - 1}-12-31` : `${year + 1}-12-31`,
            reliefMode: RELIEF_MODE_BY_CATEGORY[p.category] ?? '经营性',
            isDemo: true,
          })
        }
      }
    }
  }
  await tx.insert(bases).values(baseRows).onConflictDoNothing()
  await insertInChunks(productRows, 200, (chunk) => tx.insert(products).values(chunk).onConflictDoNothing())
  await tx.insert(priceTiers).values(tierRows).onConflictDoNothing()
  await tx.insert(proceedsRules).values(ruleRows).onConflictDoNothing()
  // Each rule's history starts with it, from before the demo history's first order.
  const ruleSince = startOfShanghaiDate(`${year - 1}-01-01`)
  await tx
    .insert(proceedsRuleChanges)
    .values(
      ruleRows.map((rule) => ({
        id: seedUuid(`proceeds-rule:${rule.productId}:initial`),
        productId: rule.productId,
        kind: rule.kind,
        basisPoints: rule.basisPoints ?? null,
        fenPerUnit: rule.fenPerUnit ?? null,
        changedAt: ruleSince,
      })),
    )
    .onConflictDoNothing()
  if (certificationRows.length > 0)
    await tx.insert(certifications).values(certificationRows).onConflictDoNothing()
}

const LINKAGES = ['订单收购', '订单收购', '务工就业', '务工就业', '入股分红', '土地流转', '其他'] as const

async function seedHouseholds(tx: Db, now: Date) {
  // The demo world's links hold from before the demo history's first order (1 January of the seed's year).
  const linkedAt = startOfShanghaiDate(`${shanghaiYear(now) - 1}-01-01`)
  const link = (productId: string, householdId: string, weight: number) => ({
    id: seedUuid(`beneficiary:${productId}:${householdId}`),
    productId,
    householdId,
    weight,
    linkedAt,
  })
  const householdRows: Array<typeof households.$inferInsert> = []
  const linkRows: Array<typeof productBeneficiaries.$inferInsert> = []
  for (const county of productCounties()) {
    let serial = 0
    // Zhejiang's beneficiaries are 低收入农户 (its own standard); elsewhere 脱贫户 and monitored households.
    const zhejiang = county.countyCode.startsWith('33')
    for (const coop of cooperativesOf(county)) {
      const orgId = seedUuid(coop.key)
      const roster: string[] = []
      for (const p of coop.products) {
        const random = seededRandom(`households:${p.id}`)
        const newHouseholds = intBetween(random, 3, 6)
        for (let i = 0; i < newHouseholds; i++) {
          serial++
          const code = `HH-${county.countyCode}-${String(serial).padStart(4, '0')}`
          const id = seedUuid(`household:${code}`)
          householdRows.push({
            id,
            orgId,
            code,
            regionCode: county.countyCode,
            maskedName: maskedName(random),
            members: intBetween(random, 1, 6),
            status: zhejiang ? '低收入农户' : random() < 0.15 ? '防止返贫监测对象' : '脱贫户',
            linkage: pick(random, LINKAGES),
            isDemo: true,
          })
          roster.push(id)
          linkRows.push(link(seedUuid(`product:${p.id}`), id, intBetween(random, 1, 5)))
        }
        // Some households on the cooperative's roster also benefit from its next product.
        if (roster.length > newHouseholds) {
          const earlier = roster[Math.floor(random() * (roster.length - newHouseholds))]
          if (earlier) linkRows.push(link(seedUuid(`product:${p.id}`), earlier, 1))
        }
      }
    }
  }
  await insertInChunks(householdRows, 200, (chunk) =>
    tx.insert(households).values(chunk).onConflictDoNothing(),
  )
  await insertInChunks(linkRows, 500, (chunk) =>
    tx.insert(productBeneficiaries).values(chunk).onConflictDoNothing(),
  )
}

async function seedDemoTargets(tx: Db, now: Date) {
  const year = shanghaiYear(now)
  const period = { kind: 'demo' as const, periodStart: `${year}-01-01`, periodEnd: `${year}-12-31` }
  const parentKey = `demo-${year}-fz-dx`
  const parentId = seedUuid(`target:${parentKey}`)
  const countyPairs = loadSourceData().pairings.filter((p) => p.id.startsWith('FD-'))
  const rows: Array<typeof targets.$inferInsert> = [
    {
      ...period,
      id: parentId,
      key: parentKey,
      name: `福州→定西 ${year}年消费帮扶（演示）`,
      metric: 'amount_fen',
      goal: 200_000_000n * YUAN,
      helpedCodes: ['621100'],
      helperCodes: ['350100'],
      sourceText: '演示目标，参照 榕扶组〔2020〕3号 第（十九）条的2020年目标设定',
      sourceIds: ['SEED-FZ-2020'],
      sortOrder: 1,
    },
    {
      ...period,
      id: seedUuid(`target:${parentKey}-people`),
      key: `${parentKey}-people`,
      parentId,
      name: `福州→定西 ${year}年带动人数（演示）`,
      metric: 'people',
      goal: 32_000n,
      helpedCodes: ['621100'],
      helperCodes: ['350100'],
      sourceText: '演示目标，参照2020年“带动贫困人口3.2万人以上”',
      sourceIds: ['SEED-FZ-2020'],
      sortOrder: 2,
    },
  ]
  // ¥30 million for each Fuzhou county-level unit with a documented Dingxi partner, scoped to that pair
  // (docs/decisions/002-demo-targets.md).
  countyPairs.forEach((pair, index) => {
    const helper = Array.isArray(pair.helper) ? pair.helper[0] : pair.helper
    if (!helper?.code) return
    const key = `${parentKey}-${helper.code}`
    rows.push({
      ...period,
      id: seedUuid(`target:${key}`),
      key,
      parentId,
      name: `${helper.name}→${pair.helped.name} ${year}年消费帮扶（演示）`,
      metric: 'amount_fen',
      goal: 30_000_000n * YUAN,
      helpedCodes: [pair.helped.code],
      helperCodes: [helper.code],
      sourceText: '演示目标，参照2020年“各县（市）区3000万元”',
      sourceIds: ['SEED-FZ-2020', ...pair.sources],
      sortOrder: 10 + index,
    })
  })
  rows.push({
    ...period,
    id: seedUuid(`target:demo-${year}-zj-shanhai`),
    key: `demo-${year}-zj-shanhai`,
    name: `浙江山海协作 ${year}年消费帮扶（演示）`,
    metric: 'amount_fen',
    goal: 500_000_000n * YUAN,
    helpedCodes: zhejiangMountainCounties('current'),
    helperCodes: ['330000'],
    sourceText: '演示目标，参照浙江省扶贫办《2020年工作要点》“消费帮扶年销售额达到5亿元”',
    sourceIds: ['SEED-ZJ-2020'],
    sortOrder: 20,
  })
  await tx.insert(targets).values(rows).onConflictDoNothing()
}

/**
 * Row-level digests of every seeded table, ignoring timestamps (which record when, not what) and password hashes
 * (salted: the same password hashes differently each time). The demo history's tables (orders and their lines,
 * payments, refunds, the ledger and its rollups, the audit log) are left out: their ids are random and their times
 * the app's, as for any order. Its effect on products (stock) and users (its buyers) is deterministic and included.
 */
export async function tableDigests(db: Db): Promise<Record<string, string>> {
  const tables = [
    'regions',
    'pairings',
    'organizations',
    'bases',
    'products',
    'price_tiers',
    'certifications',
    'proceeds_rules',
    'households',
    'product_beneficiaries',
    'targets',
    'users',
    'memberships',
  ]
  const digests: Record<string, string> = {}
  for (const table of tables) {
    const names = await queryRows<{ column_name: string }>(
      db,
      sql`select column_name from information_schema.columns
          where table_schema = 'public' and table_name = ${table} and data_type not like 'timestamp%'
            and column_name <> 'password_hash'
          order by ordinal_position`,
    )
    const list = sql.join(
      names.map((c) => sql.identifier(c.column_name)),
      sql`, `,
    )
    const [row] = await queryRows<{ n: string; digest: string }>(
      db,
      sql`select count(*)::text as n, coalesce(md5(string_agg(r::text, E'\n' order by r::text)), '') as digest
          from (select ${list} from ${sql.identifier(table)}) r`,
    )
    digests[table] = `${row?.n ?? 0}:${row?.digest ?? ''}`
  }
  return digests
}
