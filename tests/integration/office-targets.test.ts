import { and, eq, sql } from 'drizzle-orm'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createSession } from '../../app/domains/accounts/sessions.server'
import {
  paymentReceipt,
  publishDailyHead,
  publishedHeads,
  verifyLedger,
} from '../../app/domains/ledger/index.server'
import { runBackgroundJobs } from '../../app/domains/operations/jobs.server'
import { proRataReservedFen, yearElapsed } from '../../app/domains/procurement/plan-math'
import {
  createOfficeTarget,
  getTargetDashboard,
  listOfficeTargets,
  updateOfficeTarget,
} from '../../app/domains/targets/index.server'
import { fixedClock, shanghaiToday, systemClock } from '../../app/utils/clock'
import { queryRows } from '../../db/client.server'
import { auditEvents } from '../../db/schema/audit'
import { aidEntries, ledgerPublishedHeads } from '../../db/schema/ledger'
import { targets } from '../../db/schema/targets'
import { startTestApp } from '../support/app-server'
import { demo } from '../support/coop'
import { openTestDatabase, testDbKind } from '../support/db'
import { sessionCookieFor } from '../support/session-cookie'
import { buy, makeBuyable } from '../support/shopping'

/**
 * Office dashboard II (decision 024): office admins create and edit targets of their jurisdiction (analysts read),
 * a counted sale freezes a target's scope, sub-targets stay within their parent, every change is audited; the
 * daily published head is written once per day; an order's receipt names the ledger entries its payment wrote.
 */
describe(`office targets, published heads and receipts (${testDbKind()})`, async () => {
  const handle = await openTestDatabase('seeded')
  const db = handle.db
  const { origin } = await startTestApp(handle)
  const admin = { userId: demo.officeAdmin, orgId: demo.office }
  const analyst = { userId: demo.officeAnalyst, orgId: demo.office }
  const today = shanghaiToday(systemClock)
  const year = today.slice(0, 4)
  const [parent] = await db
    .select()
    .from(targets)
    .where(eq(targets.key, `demo-${year}-fz-dx`))
  const [zhejiang] = await db
    .select()
    .from(targets)
    .where(eq(targets.key, `demo-${year}-zj-shanhai`))

  async function cookieFor(userId: string, activeOrgId: string | null): Promise<string> {
    const { token } = await createSession(db, { userId, activeOrgId }, systemClock, {
      idleMinutes: 60,
      absoluteHours: 1,
    })
    return sessionCookieFor(token)
  }
  const adminCookie = await cookieFor(demo.officeAdmin, demo.office)
  const analystCookie = await cookieFor(demo.officeAnalyst, demo.office)
  const get = (path: string, cookie: string) =>
    fetch(`${origin}${path}`, { headers: { Cookie: cookie }, redirect: 'manual' })
  const post = (path: string, cookie: string, form: Record<string, string | string[]>) => {
    const body = new URLSearchParams()
    for (const [k, v] of Object.entries(form)) for (const one of [v].flat()) body.append(k, one)
    return fetch(`${origin}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        Cookie: cookie,
        Origin: origin,
        'Sec-Fetch-Site': 'same-origin',
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body,
    })
  }
  const countTargets = async () => (await db.select({ id: targets.id }).from(targets)).length
  const auditFor = (id: string) =>
    db
      .select({ action: auditEvents.action, details: auditEvents.details })
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectType, 'target'), eq(auditEvents.subjectId, id)))

  const baseForm = (over: Record<string, string | string[]> = {}) => ({
    name: '鼓楼区消费帮扶专项',
    metric: 'amount_fen',
    goal: '1000000',
    helped: '621102',
    helper: '350102',
    channelDirect: 'on',
    channelAssist: 'on',
    periodStart: `${year}-01-01`,
    periodEnd: `${year}-12-31`,
    ...over,
  })

  it('lets an office admin create a target in its jurisdiction over HTTP, audited; an analyst cannot', async () => {
    const before = await countTargets()
    // The analyst: no form, no action.
    expect((await get('/office/targets/new', analystCookie)).status).toBe(403)
    expect((await post('/office/targets/new', analystCookie, baseForm())).status).toBe(403)
    expect(await countTargets()).toBe(before)

    const created = await post('/office/targets/new', adminCookie, baseForm({ name: '鼓楼区HTTP目标' }))
    expect(created.status).toBe(302)
    const [row] = await db.select().from(targets).where(eq(targets.name, '鼓楼区HTTP目标'))
    expect(row).toMatchObject({
      kind: 'office',
      ownerOrgId: demo.office,
      goal: 100_000_000n,
      helpedCodes: ['621102'],
      helperCodes: ['350102'],
      buyerChannels: [],
    })
    const audit = await auditFor(row!.id)
    expect(audit.map((a) => a.action)).toEqual(['target.created'])
    expect(audit[0]!.details).toMatchObject({
      name: '鼓楼区HTTP目标',
      goalFen: '100000000',
      metric: 'amount_fen',
    })

    // Shown to the office (analysts too), labelled an office target, editable by the admin only.
    const groups = (await listOfficeTargets(db, analyst, systemClock))!
    const listed = groups.find((g) => g.id === row!.id)
    expect(listed?.ownTarget).toBe(true)
    const adminPage = await (await get('/office/targets', adminCookie)).text()
    expect(adminPage).toContain(`/office/targets/${row!.id}/edit`)
    const analystPage = await (await get('/office/targets', analystCookie)).text()
    expect(analystPage).not.toContain(`/office/targets/${row!.id}/edit`)
    expect((await get(`/office/targets/${row!.id}/edit`, analystCookie)).status).toBe(403)
  })

  it('refuses targets outside the jurisdiction and bad fields with messages next to them (400, nothing written)', async () => {
    const before = await countTargets()
    const outside = await post(
      '/office/targets/new',
      adminCookie,
      baseForm({ helped: '330102', helper: '330103' }),
    )
    expect(outside.status).toBe(400)
    expect(await outside.text()).toContain('至少一方须全部在本机构辖区内')
    const bad = await post(
      '/office/targets/new',
      adminCookie,
      baseForm({ goal: '-5', channelDirect: '', channelAssist: '' }),
    )
    expect(bad.status).toBe(400)
    const html = await bad.text()
    expect(html).toContain('请填写大于0的金额')
    expect(html).toContain('请至少选择一个计入渠道')
    const backwards = await post(
      '/office/targets/new',
      adminCookie,
      baseForm({ periodEnd: `${year}-01-01`, periodStart: `${year}-06-01` }),
    )
    expect(backwards.status).toBe(400)
    expect(await countTargets()).toBe(before)
  })

  it('keeps sub-targets within their parent: period inside, goals summed at most the parent’s', async () => {
    // The demo parent (¥2亿) has five ¥3,000万 district sub-targets: ¥5,000万 is left.
    const sub = (name: string, goal: string, over: Record<string, string> = {}) =>
      createOfficeTarget(
        db,
        admin,
        {
          name,
          goal: BigInt(goal),
          periodEnd: `${year}-12-31`,
          parentId: parent!.id,
          scope: {
            metric: 'amount_fen',
            helped: ['621102'],
            helper: ['350102'],
            channels: ['direct_purchase', 'sales_assist'],
            certifiedOnly: false,
            periodStart: `${year}-01-01`,
            ...over,
          },
        },
        systemClock,
      )
    const tooMuch = await sub('超额分解', String(5_000_000_001n))
    expect(tooMuch).toMatchObject({
      ok: false,
      status: 400,
      errors: { goal: ['targetForm.error.parent.exceeds'] },
    })
    const ok = await sub('鼓楼区补充分解', String(3_000_000_000n))
    expect(ok.ok).toBe(true)
    const again = await sub('再一个分解', String(3_000_000_000n))
    expect(again).toMatchObject({ ok: false, errors: { goal: ['targetForm.error.parent.exceeds'] } })
    const early = await sub('期间超出', '100', { periodStart: `${Number(year) - 1}-12-01` })
    expect(early).toMatchObject({ ok: false, errors: { periodEnd: ['targetForm.error.parent.period'] } })
    // Another office's target cannot be a parent (it is not in this jurisdiction): like an unknown id.
    const foreign = await createOfficeTarget(
      db,
      admin,
      {
        name: '挂到浙江',
        goal: 100n,
        periodEnd: `${year}-12-31`,
        parentId: zhejiang!.id,
        scope: {
          metric: 'amount_fen',
          helped: ['621102'],
          helper: [],
          channels: ['sales_assist'],
          certifiedOnly: false,
          periodStart: `${year}-01-01`,
        },
      },
      systemClock,
    )
    expect(foreign).toMatchObject({ ok: false, errors: { parentId: ['targetForm.error.parent.unknown'] } })
    // Sub-target goals always add up to at most the parent's (the database agrees).
    const [sum] = await queryRows<{ s: string }>(
      db,
      sql`select coalesce(sum(goal), 0)::text as s from targets where parent_id = ${parent!.id}::uuid and metric = 'amount_fen'`,
    )
    expect(BigInt(sum!.s)).toBeLessThanOrEqual(parent!.goal)
  })

  it('freezes the scope once a sale was counted: name, goal and end stay editable; a changed scope is 409', async () => {
    const made = await createOfficeTarget(
      db,
      admin,
      {
        name: '冻结测试',
        goal: 1_000_000n,
        periodEnd: `${year}-12-31`,
        parentId: undefined,
        scope: {
          metric: 'amount_fen',
          helped: ['621102'],
          helper: ['350102'],
          channels: ['sales_assist'],
          certifiedOnly: false,
          periodStart: `${year}-01-01`,
        },
      },
      systemClock,
    )
    if (!made.ok) throw new Error('not created')
    const id = made.id
    // Before any sale: the scope may change.
    const widened = await post(
      `/office/targets/${id}/edit`,
      adminCookie,
      baseForm({ name: '冻结测试', helped: '621100', channelDirect: '' }),
    )
    expect(widened.status).toBe(302)
    expect((await db.select().from(targets).where(eq(targets.id, id)))[0]!.helpedCodes).toEqual(['621100'])

    // A consumer in 鼓楼区 buys an 安定区 product: counted against the target.
    await makeBuyable(db, ['PRD001'])
    await buy(db, { lines: [['PRD001', 1]], at: systemClock })
    const page = await (await get(`/office/targets/${id}/edit`, adminCookie)).text()
    expect(page).toContain('计入范围已锁定')
    expect(page).toContain('改为新建目标')

    const auditBefore = (await auditFor(id)).length
    const changed = await post(
      `/office/targets/${id}/edit`,
      adminCookie,
      baseForm({ name: '冻结测试', helped: '621102', channelDirect: '' }),
    )
    expect(changed.status).toBe(409)
    expect(await changed.text()).toContain('计入范围不能修改')
    const [after] = await db.select().from(targets).where(eq(targets.id, id))
    expect(after!.helpedCodes).toEqual(['621100'])
    expect((await auditFor(id)).length).toBe(auditBefore)

    // The frozen form: name, goal, end only.
    const renamed = await post(`/office/targets/${id}/edit`, adminCookie, {
      name: '冻结测试（改名）',
      goal: '2,000,000.50',
      periodEnd: `${year}-11-30`,
      metricHint: 'amount_fen',
    })
    expect(renamed.status).toBe(302)
    const [renamedRow] = await db.select().from(targets).where(eq(targets.id, id))
    expect(renamedRow).toMatchObject({
      name: '冻结测试（改名）',
      goal: 200_000_050n,
      periodEnd: `${year}-11-30`,
      helpedCodes: ['621100'],
    })
    const audit = await auditFor(id)
    expect(audit.map((a) => a.action)).toEqual(['target.created', 'target.updated', 'target.updated'])
    expect(audit[2]!.details).toMatchObject({ changed: 'name,goalFen,periodEnd' })
    // Its reach counts the household the sale credited (rebuilt from the entries).
    const groups = (await listOfficeTargets(db, analyst, systemClock))!
    const view = groups.find((g) => g.id === id)!
    const [credited] = await queryRows<{ n: string }>(
      db,
      sql`select count(distinct c.household_id)::text as n from aid_entries e
            join household_credits c on c.entry_seq = e.seq and c.amount_fen > 0
           where e.kind = 'sale' and e.origin_code like '6211%' and e.buyer_region_code = '350102'
             and e.buyer_channel = 'consumer' and e.day between ${`${year}-01-01`}::date and ${`${year}-11-30`}::date`,
    )
    expect(view.reach?.households).toBe(Number(credited!.n))

    // Another office's (or a demo) target: 404 like an unknown id, nothing written.
    expect((await get(`/office/targets/${parent!.id}/edit`, adminCookie)).status).toBe(404)
    expect((await post(`/office/targets/${zhejiang!.id}/edit`, adminCookie, baseForm())).status).toBe(404)
    expect((await get(`/office/targets/not-a-uuid/edit`, adminCookie)).status).toBe(404)
    const direct = await updateOfficeTarget(
      db,
      { userId: demo.officeAdmin, orgId: demo.office },
      parent!.id,
      { name: 'x', goal: 1n, periodEnd: `${year}-12-31`, parentId: undefined, scope: null },
      systemClock,
    )
    expect(direct).toEqual({ ok: false, status: 404 })
  })

  it('publishes the ledger head once per Asia/Shanghai day, idempotently, from the job loop', async () => {
    const day1 = fixedClock('2031-03-04T15:59:00Z') // 23:59 on 4 March in Shanghai
    const first = await publishDailyHead(db, day1)
    expect(first?.day).toBe('2031-03-04')
    expect(await publishDailyHead(db, fixedClock('2031-03-04T02:00:00Z'))).toBeNull()
    await runBackgroundJobs(db, fixedClock('2031-03-04T10:00:00Z'), () => {})
    const rows = await db
      .select()
      .from(ledgerPublishedHeads)
      .where(eq(ledgerPublishedHeads.day, '2031-03-04'))
    expect(rows).toHaveLength(1)
    // The next Shanghai day starts at 16:00 UTC: the job loop publishes a new row.
    await runBackgroundJobs(db, fixedClock('2031-03-04T16:00:00Z'), () => {})
    const history = await publishedHeads(db)
    expect(history[0]!.day).toBe('2031-03-05')
    // Each published head verifies against the ledger.
    const result = await verifyLedger(db, { expect: { seq: history[0]!.seq, hash: history[0]!.hash } })
    expect(result.ok).toBe(true)
    // History is never rewritten.
    await expect(
      db.execute(sql`update ledger_published_heads set seq = 0 where day = '2031-03-05'`),
    ).rejects.toThrow()
  })

  it('shows the buyer a receipt whose seq and hash are the ledger’s and verify', async () => {
    await makeBuyable(db, ['PRD005'])
    const bought = await buy(db, { lines: [['PRD005', 2]], at: systemClock })
    const receipt = (await paymentReceipt(db, bought.paymentId))!
    const entries = await db
      .select({ seq: aidEntries.seq, hash: aidEntries.hash, amountFen: aidEntries.amountFen })
      .from(aidEntries)
      .where(eq(aidEntries.paymentId, bought.paymentId))
      .orderBy(aidEntries.seq)
    expect(receipt.entries.map((e) => [e.seq, e.hash])).toEqual(entries.map((e) => [Number(e.seq), e.hash]))
    expect(BigInt(receipt.countedFen)).toBe(bought.paidFen)
    for (const e of receipt.entries) {
      expect((await verifyLedger(db, { expect: { seq: e.seq, hash: e.hash } })).ok).toBe(true)
    }
    const forged = await verifyLedger(db, { expect: { seq: receipt.entries[0]!.seq, hash: 'f'.repeat(64) } })
    expect(forged.ok).toBe(false)
    // The order page shows it to its buyer.
    const consumer = await cookieFor(demo.consumer, null)
    const html = await (await get(`/account/orders/${bought.orderId}`, consumer)).text()
    expect(html).toContain('台账回执')
    expect(html).toContain(receipt.entries[0]!.hash)
    expect(html).toContain(`--expect ${receipt.entries.at(-1)!.seq}:${receipt.entries.at(-1)!.hash}`)
    // The public notice lists the published heads.
    const notice = await (await fetch(`${origin}/targets/${parent!.id}/gongshi`)).text()
    expect(notice).toContain('每日公布的台账头')
  })

  it('lists the jurisdiction’s units behind the pace of their reserved share, and exports them', async () => {
    const dashboard = (await getTargetDashboard(db, analyst, parent!.id, {}, systemClock))!
    for (const unit of dashboard.lagging.units) {
      expect(BigInt(unit.shortfallFen)).toBe(BigInt(unit.expectedFen) - BigInt(unit.doneFen))
      expect(BigInt(unit.shortfallFen)).toBeGreaterThan(0n)
    }
    const csv = await get(`/office/targets/${parent!.id}/export.csv?table=laggingUnits`, analystCookie)
    expect(csv.status).toBe(200)
    const text = new TextDecoder().decode(new Uint8Array(await csv.arrayBuffer()))
    expect(text).toContain('差额')
    for (const unit of dashboard.lagging.units) expect(text).toContain(unit.name)
  })

  it('paces the reserved share pro rata, floored, never above the reserved amount (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 13n }),
        fc.integer({ min: 0, max: 400 }),
        (reserved, days) => {
          const value = proRataReservedFen(reserved, days, 365)
          expect(value).toBeGreaterThanOrEqual(0n)
          expect(value).toBeLessThanOrEqual(reserved)
          expect(value * 365n).toBeLessThanOrEqual(reserved * BigInt(Math.min(days, 365)))
          if (days >= 365) expect(value).toBe(reserved)
        },
      ),
    )
    expect(yearElapsed('2028-12-31')).toEqual({ year: 2028, elapsedDays: 366, yearDays: 366 })
    expect(yearElapsed('2027-01-01')).toEqual({ year: 2027, elapsedDays: 1, yearDays: 365 })
  })
})
