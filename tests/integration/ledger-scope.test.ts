import { asc, eq, inArray, type Logger, sql } from 'drizzle-orm'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { changeCart } from '../../app/domains/orders/cart.server'
import { countProductsByCategory, listFeaturedProducts } from '../../app/domains/catalog/catalog.server'
import { checkoutCart } from '../../app/domains/orders/checkout.server'
import { confirmBankTransfer } from '../../app/domains/payments/finance.server'
import { ledgerChainSource } from '../../app/domains/ledger/ledger.server'
import { listPairings } from '../../app/domains/regions/pairings.server'
import { listTargets, type TargetSummary } from '../../app/domains/targets/targets.server'
import { verifyChain } from '../../app/services/hash-chain/index.server'
import { type Clock, fixedClock, shanghaiYear } from '../../app/utils/clock'
import { subtreePrefix } from '../../app/domains/regions/codes'
import { type Db, type DbHandle, queryRows, schema } from '../../db/client.server'
import { products } from '../../db/schema/catalog'
import { households } from '../../db/schema/households'
import { aidEntries, householdCredits, targetReach } from '../../db/schema/ledger'
import { orderLines, orders, payments } from '../../db/schema/orders'
import { pairings } from '../../db/schema/regions'
import { targets } from '../../db/schema/targets'
import { fcParams } from '../support/fast-check'
import { openTestDatabase, testDbKind } from '../support/db'
import { buy, demoConsumer, demoFinance, seededProductId, testBankTransfer } from '../support/shopping'
import { SEED_NOW } from '../support/test-clock'

const consumer = demoConsumer
const finance = demoFinance
const method = testBankTransfer
const year = shanghaiYear(SEED_NOW)
/** The seeded demo targets (db/seed/seed.server.ts seedDemoTargets). */
const FZ_DX = `demo-${year}-fz-dx` // 福州→定西, amount: helped 621100, helper 350100
const FZ_DX_PEOPLE = `demo-${year}-fz-dx-people` // the same scope, people reached
const GULOU_MINXIAN = `demo-${year}-fz-dx-350102` // 鼓楼区→岷县
const TAIJIANG_ANDING = `demo-${year}-fz-dx-350103` // 台江区→安定区
const SHANGHAI_OFFSET_MS = 8 * 3_600_000

let handle: DbHandle
let db: Db

beforeAll(async () => {
  handle = await openTestDatabase('seeded')
  db = handle.db
  // Enough stock for every run of the property below; every product sells from one unit.
  await db.update(products).set({ stock: 1_000_000, minOrderQty: 1, status: 'active' })
})

const productId = seededProductId

/** The consumer buys `lines` delivered to `regionCode` and finance confirms (the shared helper, positionally). */
async function purchase(
  lines: ReadonlyArray<readonly [sku: string, qty: number]>,
  regionCode: string,
  at: Clock = fixedClock(SEED_NOW),
  confirmAt: Clock = at,
): Promise<{ orderId: string; paidFen: bigint; confirmedAt: Date }> {
  const bought = await buy(db, { lines, regionCode, at, confirmAt })
  return { orderId: bought.orderId, paidFen: bought.paidFen, confirmedAt: bought.confirmedAt! }
}

/** Progress of every demo target, by key (fen or persons), as listTargets reports it. */
async function progressByKey(on: Db = db): Promise<Map<string, bigint>> {
  const list: TargetSummary[] = await listTargets(on)
  const map = new Map<string, bigint>()
  for (const t of list) {
    if (t.kind !== 'demo') {
      expect(t.progress).toEqual({ state: 'unavailable' })
      continue
    }
    if (t.progress.state !== 'counted') throw new Error(`demo target ${t.key} not counted`)
    map.set(t.key, BigInt(t.progress.achieved))
  }
  return map
}

async function targetId(key: string): Promise<string> {
  const [row] = await db.select({ id: targets.id }).from(targets).where(eq(targets.key, key))
  if (!row) throw new Error(`no target ${key}`)
  return row.id
}

async function entriesOf(orderId: string) {
  return db.select().from(aidEntries).where(eq(aidEntries.orderId, orderId)).orderBy(asc(aidEntries.seq))
}

/** household → members of the households credited by these entries, with the first entry that credited each. */
async function creditedBy(seqs: number[]) {
  const rows = await db
    .select({
      seq: householdCredits.entrySeq,
      householdId: householdCredits.householdId,
      members: households.members,
    })
    .from(householdCredits)
    .innerJoin(households, eq(households.id, householdCredits.householdId))
    .where(inArray(householdCredits.entrySeq, seqs))
  const map = new Map<string, { members: number; firstSeq: number }>()
  for (const r of rows) {
    const seen = map.get(r.householdId)
    if (!seen || r.seq < seen.firstSeq) map.set(r.householdId, { members: r.members, firstSeq: r.seq })
  }
  return map
}

async function reachOf(key: string) {
  const rows = await db
    .select({
      householdId: targetReach.householdId,
      firstSeq: targetReach.firstSeq,
      members: targetReach.members,
    })
    .from(targetReach)
    .where(eq(targetReach.targetId, await targetId(key)))
  return rows
}

describe(`ledger scope and reach (${testDbKind()})`, () => {
  it('a Fuzhou consumer buying Dingxi products counts toward 福州→定西 by exactly the order amount', async () => {
    const before = await progressByKey()
    const { orderId, paidFen } = await purchase(
      [
        ['PRD001', 2], // 定西马铃薯, 安定区 621102
        ['PRD005', 3], // 马铃薯曲奇, 安定区 621102
      ],
      '350102', // 福州市鼓楼区
    )
    const after = await progressByKey()

    const [order] = await db.select().from(orders).where(eq(orders.id, orderId))
    const lines = await db.select().from(orderLines).where(eq(orderLines.orderId, orderId))
    expect(paidFen).toBe(order!.subtotalFen)
    expect(lines.reduce((s, l) => s + l.amountFen, 0n)).toBe(paidFen)
    expect(paidFen > 0n).toBe(true)

    expect(after.get(FZ_DX)! - before.get(FZ_DX)!).toBe(paidFen)
    // Not toward the county pairs it is not in (鼓楼区→岷县: other helped county; 台江区→安定区: other buyer).
    for (const [key, value] of after)
      if (key !== FZ_DX && key !== FZ_DX_PEOPLE) expect(value, key).toBe(before.get(key))

    // One entry per line, each serving the documented 福州市→定西市 pairing (no county pairing matches 鼓楼→安定).
    const entries = await entriesOf(orderId)
    expect(entries).toHaveLength(2)
    for (const entry of entries) {
      expect(entry).toMatchObject({
        kind: 'sale',
        originCode: '621102',
        buyerRegionCode: '350102',
        buyerChannel: 'consumer',
        aidCategory: 'sales_assist',
        pairingId: 'EW-FZ-DX',
      })
    }
    const [pairing] = await db.select().from(pairings).where(eq(pairings.id, 'EW-FZ-DX'))
    expect(pairing).toMatchObject({ helperCode: '350100', helpedCode: '621100', confidence: 'documented' })
    expect(pairing!.helperName).toContain('福州')
    expect(pairing!.relationText).toContain('定西')
  })

  it('the people reached grow by the members of newly credited households, each reached once', async () => {
    const peopleBefore = (await progressByKey()).get(FZ_DX_PEOPLE)!
    const reachBefore = new Set((await reachOf(FZ_DX_PEOPLE)).map((r) => r.householdId))

    const { orderId } = await purchase([['PRD003', 4]], '350104') // 马铃薯精淀粉 (安定区), 仓山区 buyer
    const entries = await entriesOf(orderId)
    expect(entries).toHaveLength(1)
    const credited = await creditedBy(entries.map((e) => e.seq))
    expect(credited.size).toBeGreaterThan(0)
    const fresh = [...credited].filter(([id]) => !reachBefore.has(id))
    const freshMembers = fresh.reduce((s, [, c]) => s + BigInt(c.members), 0n)

    const after = await progressByKey()
    expect(after.get(FZ_DX_PEOPLE)! - peopleBefore).toBe(freshMembers)
    for (const key of [FZ_DX, FZ_DX_PEOPLE]) {
      const reach = await reachOf(key)
      for (const [householdId, c] of credited) {
        const rows = reach.filter((r) => r.householdId === householdId)
        expect(rows, `${key} reaches ${householdId} once`).toHaveLength(1)
        expect(rows[0]!.members).toBe(c.members)
        if (!reachBefore.has(householdId)) expect(rows[0]!.firstSeq).toBe(c.firstSeq)
      }
    }

    // The same product again: the amount grows, the people reached do not, and no household is reached twice.
    const reachSnapshot = await reachOf(FZ_DX_PEOPLE)
    const again = await purchase([['PRD003', 1]], '350102')
    const final = await progressByKey()
    expect(final.get(FZ_DX)! - after.get(FZ_DX)!).toBe(again.paidFen)
    expect(final.get(FZ_DX_PEOPLE)).toBe(after.get(FZ_DX_PEOPLE))
    expect(await reachOf(FZ_DX_PEOPLE)).toEqual(expect.arrayContaining(reachSnapshot))
    expect(await reachOf(FZ_DX_PEOPLE)).toHaveLength(reachSnapshot.length)
  })

  it('a Hangzhou purchase of the same products does not count toward 福州→定西 and serves no pairing', async () => {
    const before = await progressByKey()
    const reachBefore = await db.select({ n: sql<number>`count(*)::int` }).from(targetReach)
    const { orderId, paidFen } = await purchase(
      [
        ['PRD001', 2],
        ['PRD005', 3],
        ['PRD002', 1], // 定西宽粉 (安定区), not bought before in this file: its households are not reached yet
      ],
      '330102', // 杭州市上城区
    )
    expect(paidFen > 0n).toBe(true)
    expect(await progressByKey()).toEqual(before)
    expect(await db.select({ n: sql<number>`count(*)::int` }).from(targetReach)).toEqual(reachBefore)
    // Still a sale on the ledger — counted, only not toward this target — and no pairing is invented for it.
    const entries = await entriesOf(orderId)
    expect(entries).toHaveLength(3)
    const seqs = entries.map((e) => e.seq)
    expect(await db.select().from(targetReach).where(inArray(targetReach.firstSeq, seqs))).toEqual([])
    expect((await creditedBy(seqs)).size).toBeGreaterThan(0)
    for (const entry of entries)
      expect(entry).toMatchObject({
        kind: 'sale',
        buyerRegionCode: '330102',
        originCode: '621102',
        pairingId: null,
      })
    const [rollup] = await queryRows<{ amount: string | null }>(
      db,
      sql`select sum(amount_fen)::text as amount from aid_rollups where helper_code = '330102' and helped_code = '621102'`,
    )
    expect(BigInt(rollup!.amount ?? '0')).toBeGreaterThanOrEqual(paidFen)
  })

  it('a 台江区 purchase of an 安定区 product serves the county pairing and counts toward both targets', async () => {
    const before = await progressByKey()
    const { orderId, paidFen } = await purchase([['PRD001', 1]], '350103')
    const after = await progressByKey()
    const entries = await entriesOf(orderId)
    expect(entries.map((e) => e.pairingId)).toEqual(['FD-350103-621102'])
    expect(after.get(FZ_DX)! - before.get(FZ_DX)!).toBe(paidFen)
    expect(after.get(TAIJIANG_ANDING)! - before.get(TAIJIANG_ANDING)!).toBe(paidFen)
    expect(after.get(GULOU_MINXIAN)).toBe(before.get(GULOU_MINXIAN))
  })

  it('after random confirmed purchases, rollups equal raw sums over the entries and credits sum to proceeds', async () => {
    // PRD002, PRD004 and PRD005 share a rollup key (安定区, 加工食品, not certified): bought together, their lines
    // add up in one rollup row.
    const sameKey = ['PRD002', 'PRD004', 'PRD005']
    const pool = [
      'PRD001', // 621102 安定区, certified, fen per unit
      'PRD002', // 621102
      'PRD003', // 621102, certified
      'PRD004', // 621102, fen per unit
      'PRD005', // 621102
      'PRD008', // 621121 通渭县
      'PRD012', // 621122 陇西县
      'PRD022', // 621124 临洮县, certified
      'PRD030', // 621126 岷县, certified
      'PRD034', // 330127 淳安县
      'PRD039', // 330329 泰顺县
      'PRD095', // 433124 花垣县
    ]
    const buyerRegions = [
      '350102', // 鼓楼区
      '350103', // 台江区
      '350104', // 仓山区
      '350112', // 长乐区
      '350122', // 连江县
      '350181', // 福清市
      '330102', // 杭州上城区
      '330110', // 余杭区
      '110101', // 北京东城区
      '621102', // 安定区 itself
    ]
    const linesFrom = (skus: string[], minLength: number) =>
      fc.uniqueArray(fc.record({ sku: fc.constantFrom(...skus), qty: fc.integer({ min: 1, max: 25 }) }), {
        minLength,
        maxLength: 3,
        selector: (l) => l.sku,
      })
    const purchaseArb = fc.record({
      region: fc.constantFrom(...buyerRegions),
      lines: fc.oneof(
        { weight: 4, arbitrary: linesFrom(pool, 1) },
        { weight: 1, arbitrary: linesFrom(sameKey, 2) },
      ),
      // SEED_NOW is 12:00 in Shanghai: +720 minutes is the next Shanghai midnight.
      dayOffset: fc.integer({ min: -1, max: 2 }),
      minute: fc.oneof(fc.constantFrom(0, 719, 720, 721), fc.integer({ min: 0, max: 1439 })),
      confirmDelayMinutes: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 90 })),
    })

    const allPairings = await db
      .select({ id: pairings.id, helperCode: pairings.helperCode, helpedCode: pairings.helpedCode })
      .from(pairings)
    const inSubtree = (code: string, root: string) => code.startsWith(subtreePrefix(root))
    const demoTargets = await db.select().from(targets).where(eq(targets.kind, 'demo'))

    // Each run is one confirmed order (1–3 lines); the ledger grows from run to run, and after each one the
    // invariants are checked over everything on it.
    await fc.assert(
      fc.asyncProperty(purchaseArb, async (p) => {
        const at = SEED_NOW.getTime() + p.dayOffset * 86_400_000 + p.minute * 60_000
        const { orderId, confirmedAt } = await purchase(
          p.lines.map((l) => [l.sku, l.qty] as const),
          p.region,
          fixedClock(new Date(at)),
          fixedClock(new Date(at + p.confirmDelayMinutes * 60_000)),
        )
        // One sale entry per line, as the line and the product say, on the Shanghai day of the confirmation.
        const lines = await db
          .select({
            id: orderLines.id,
            qty: orderLines.qty,
            amountFen: orderLines.amountFen,
            proceedsFen: orderLines.proceedsFen,
            originCode: products.originCode,
            category: products.category,
          })
          .from(orderLines)
          .innerJoin(products, eq(products.id, orderLines.productId))
          .where(eq(orderLines.orderId, orderId))
        const entries = await entriesOf(orderId)
        const day = new Date(confirmedAt.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10)
        expect(entries.map((e) => e.orderLineId).sort()).toEqual(lines.map((l) => l.id).sort())
        for (const entry of entries) {
          const line = lines.find((l) => l.id === entry.orderLineId)!
          expect(entry).toMatchObject({
            kind: 'sale',
            day,
            quantity: line.qty,
            amountFen: line.amountFen,
            proceedsFen: line.proceedsFen,
            originCode: line.originCode,
            productCategory: line.category,
            buyerRegionCode: p.region,
            buyerChannel: 'consumer',
            aidCategory: 'sales_assist',
          })
          // The pairing, if any, is one that covers both sides; none only when none does.
          const covering = allPairings.filter(
            (x) =>
              x.helperCode !== null &&
              inSubtree(entry.originCode, x.helpedCode) &&
              inSubtree(entry.buyerRegionCode, x.helperCode),
          )
          if (entry.pairingId === null) expect(covering).toEqual([])
          else expect(covering.map((x) => x.id)).toContain(entry.pairingId)
        }

        // Rollups = raw sums over aid_entries, per (day, helped, helper, channel, category, product category, certified).
        const raw = await queryRows<Record<string, unknown>>(
          db,
          sql`select day::text as day, origin_code as helped_code, buyer_region_code as helper_code, buyer_channel,
                     aid_category, product_category, certified, sum(amount_fen)::text as amount,
                     sum(proceeds_fen)::text as proceeds, count(*)::int as entries
              from aid_entries
              group by day, origin_code, buyer_region_code, buyer_channel, aid_category, product_category, certified`,
        )
        const rollups = await queryRows<Record<string, unknown>>(
          db,
          sql`select day::text as day, helped_code, helper_code, buyer_channel, aid_category, product_category,
                     certified, amount_fen::text as amount, proceeds_fen::text as proceeds, entries
              from aid_rollups`,
        )
        const key = (r: Record<string, unknown>) => JSON.stringify(r)
        expect(rollups.map(key).sort()).toEqual(raw.map(key).sort())

        // Every entry's credits sum to its proceeds, and go only to the product's beneficiaries at the time.
        const unbalanced = await queryRows<{ seq: string }>(
          db,
          sql`select e.seq::text as seq from aid_entries e
              left join household_credits c on c.entry_seq = e.seq
              group by e.seq, e.proceeds_fen
              having coalesce(sum(c.amount_fen), 0) <> e.proceeds_fen`,
        )
        expect(unbalanced).toEqual([])
        const strangers = await queryRows<{ n: number }>(
          db,
          sql`select count(*)::int as n from household_credits c
              join aid_entries e on e.seq = c.entry_seq
              left join product_beneficiaries b on b.product_id = e.product_id and b.household_id = c.household_id
                and b.linked_at <= e.occurred_at and (b.unlinked_at is null or b.unlinked_at > e.occurred_at)
              where b.household_id is null`,
        )
        expect(strangers[0]!.n).toBe(0)
      }),
      fcParams(),
    )

    // Target progress and reach agree with the raw entries, read independently of the ledger's own scope code.
    const entries = await db
      .select({
        seq: aidEntries.seq,
        kind: aidEntries.kind,
        day: aidEntries.day,
        originCode: aidEntries.originCode,
        buyerRegionCode: aidEntries.buyerRegionCode,
        buyerChannel: aidEntries.buyerChannel,
        certified: aidEntries.certified,
        amountFen: aidEntries.amountFen,
      })
      .from(aidEntries)
    const credits = await db
      .select({
        seq: householdCredits.entrySeq,
        householdId: householdCredits.householdId,
        members: households.members,
      })
      .from(householdCredits)
      .innerJoin(households, eq(households.id, householdCredits.householdId))
    const progress = await progressByKey()
    const summaries = new Map((await listTargets(db)).map((t) => [t.key, t]))
    for (const target of demoTargets) {
      const inScope = (e: (typeof entries)[number]) =>
        e.day >= target.periodStart &&
        e.day <= target.periodEnd &&
        (target.helpedCodes.length === 0 || target.helpedCodes.some((c) => inSubtree(e.originCode, c))) &&
        (target.helperCodes.length === 0 ||
          target.helperCodes.some((c) => inSubtree(e.buyerRegionCode, c))) &&
        (target.buyerChannels.length === 0 || target.buyerChannels.includes(e.buyerChannel)) &&
        (!target.certifiedOnly || e.certified)
      const counted = entries.filter(inScope)
      const reachedSeqs = new Set(counted.filter((e) => e.kind === 'sale').map((e) => e.seq))
      const expectedReach = new Map<string, { firstSeq: number; members: number }>()
      for (const c of credits) {
        if (!reachedSeqs.has(c.seq)) continue
        const seen = expectedReach.get(c.householdId)
        if (!seen || c.seq < seen.firstSeq)
          expectedReach.set(c.householdId, { firstSeq: c.seq, members: c.members })
      }
      const reach = await reachOf(target.key)
      expect(
        reach.map((r) => [r.householdId, r.firstSeq, r.members]).sort(),
        `reach of ${target.key}`,
      ).toEqual([...expectedReach].map(([id, r]) => [id, r.firstSeq, r.members]).sort())
      const expected =
        target.metric === 'people'
          ? [...expectedReach.values()].reduce((s, r) => s + BigInt(r.members), 0n)
          : counted.reduce((s, e) => s + e.amountFen, 0n)
      expect(progress.get(target.key), `progress of ${target.key}`).toBe(expected)
      expect(summaries.get(target.key)!.reach, `reach summary of ${target.key}`).toEqual({
        households: expectedReach.size,
        people: [...expectedReach.values()].reduce((s, r) => s + r.members, 0),
      })
    }
    // The toward-Fuzhou figure is not vacuous.
    expect(progress.get(FZ_DX)! > 0n).toBe(true)
    expect(await verifyChain(db, ledgerChainSource)).toMatchObject({ ok: true })
  }, 600_000)

  it('listTargets and the home page never sum the ledger; progress comes from the rollups (or the tallies) and target_reach', async () => {
    const statements: string[] = []
    const logger: Logger = { logQuery: (query) => statements.push(query) }
    // The same connection(s) as the test database, through a drizzle instance that logs every statement it sends.
    const logged = (handle.driver === 'pglite'
      ? drizzlePglite({ client: handle.client, schema, logger })
      : drizzlePostgres({ client: handle.client, schema, logger })) as unknown as Db

    // The logger sees what it is meant to see.
    await logged.select({ seq: aidEntries.seq }).from(aidEntries).limit(1)
    expect(statements.some((s) => s.includes('aid_entries'))).toBe(true)
    statements.length = 0

    const viaLogger = await progressByKey(logged)
    expect(viaLogger).toEqual(await progressByKey())
    expect([...viaLogger.values()].some((v) => v > 0n)).toBe(true)
    expect(statements.length).toBeGreaterThan(0)
    const lower = statements.map((s) => s.toLowerCase())
    expect(lower.filter((s) => s.includes('household_credits'))).toEqual([])
    // The only reads of the entries allowed: the ledger's last seq, and the entries after a target's tallies.
    expect(lower.filter((s) => s.includes('aid_entries') && !boundedEntryRead(s))).toEqual([])
    expect(lower.some((s) => s.includes('aid_rollups'))).toBe(true)
    expect(lower.some((s) => s.includes('target_reach'))).toBe(true)

    // The rest of the home page's public queries.
    statements.length = 0
    const today = new Date(SEED_NOW.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10)
    await Promise.all([
      listTargets(logged),
      listFeaturedProducts(logged, 9, today),
      countProductsByCategory(logged),
      listPairings(logged),
    ])
    expect(statements.length).toBeGreaterThan(0)
    expect(
      statements.filter((s) => s.toLowerCase().includes('aid_entries') && !boundedEntryRead(s.toLowerCase())),
    ).toEqual([])
  })

  it('confirming a payment does not reload the regions of China inside the confirming transaction', async () => {
    // reference-data.server.ts promises regions and pairings "loaded once per database per process"; the ledger
    // hook asks for them with the confirming transaction, a new object each time, so the cache never answers and
    // every confirmation reads all ≈3,400 regions while it holds the payment and order row locks. It needs only
    // the pairings.
    const statements: string[] = []
    const logger: Logger = { logQuery: (query) => statements.push(query) }
    const logged = (handle.driver === 'pglite'
      ? drizzlePglite({ client: handle.client, schema, logger })
      : drizzlePostgres({ client: handle.client, schema, logger })) as unknown as Db
    const added = await changeCart(
      logged,
      { userId: consumer },
      { kind: 'add', productId: productId('PRD001'), qty: 1 },
    )
    expect(added.ok).toBe(true)
    // Checkout loads the reference data for this database (and caches it).
    const placed = await checkoutCart(
      logged,
      {
        userId: consumer,
        form: {
          recipient: '演示',
          phone: '13800000000',
          regionCode: '350102',
          address: '演示路 1 号',
          invoiceKind: 'none',
        },
      },
      fixedClock(SEED_NOW),
      method,
    )
    if (!placed.ok) throw new Error(`checkout failed: ${JSON.stringify(placed)}`)
    const [payment] = await logged.select().from(payments).where(eq(payments.orderId, placed.orderId))
    statements.length = 0
    const confirmed = await confirmBankTransfer(
      logged,
      { paymentId: payment!.id, receivedFen: payment!.amountFen, financeUserId: finance },
      fixedClock(SEED_NOW),
    )
    expect(confirmed.ok).toBe(true)
    // The confirmation was seen (it wrote the ledger), and it read no regions.
    expect(statements.some((s) => /insert into "?aid_entries"?/i.test(s))).toBe(true)
    expect(statements.filter((s) => /\bfrom\s+"?regions"?(\s|$)/i.test(s))).toEqual([])
  })
})

/**
 * A statement that reads the entries without summing the ledger (decision 026): the last seq (the primary key's
 * end), or the entries after a target's tallies (a range of the primary key).
 */
function boundedEntryRead(statement: string): boolean {
  const rest = statement.replace(
    /\(select coalesce\(max\(("aid_entries"\.)?"seq"\), 0\) from "aid_entries"\)/g,
    '',
  )
  return (
    !rest.includes('aid_entries') ||
    /from "aid_entries" cross join lateral[\s\S]*where "aid_entries"\."seq" > /.test(rest)
  )
}
