import ExcelJS from 'exceljs'
import { eq, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { createSession } from '../../app/domains/accounts/sessions.server'
import { ledgerHead, verifyLedger } from '../../app/domains/ledger/index.server'
import {
  getTargetDashboard,
  listOfficeTargets,
  targetInJurisdiction,
} from '../../app/domains/targets/index.server'
import { addDays } from '../../app/domains/targets/targets.server'
import { fixedClock, shanghaiToday, systemClock } from '../../app/utils/clock'
import { queryRows } from '../../db/client.server'
import { targets } from '../../db/schema/targets'
import { seedUuid } from '../../db/seed/synthetic'
import { startTestApp } from '../support/app-server'
import { demo } from '../support/coop'
import { openTestDatabase, testDbKind } from '../support/db'
import { sessionCookieFor } from '../support/session-cookie'
import { buy, makeBuyable } from '../support/shopping'

/**
 * The office dashboard and the public notice (issue 19): an office sees its jurisdiction's targets only; every
 * figure comes from the rollups and agrees with the ledger; progress is floored; exports equal the page.
 */
describe(`office dashboard and 公示 (${testDbKind()})`, async () => {
  const handle = await openTestDatabase('seeded')
  const db = handle.db
  const { origin } = await startTestApp(handle)
  const office = { userId: demo.officeAnalyst, orgId: demo.office }
  const year = shanghaiToday(systemClock).slice(0, 4)
  const parentKey = `demo-${year}-fz-dx`
  const [parent] = await db.select().from(targets).where(eq(targets.key, parentKey))
  const [zhejiang] = await db
    .select()
    .from(targets)
    .where(eq(targets.key, `demo-${year}-zj-shanhai`))

  // Sales today (the pages read today's year): 安定区 products bought from 鼓楼区 (Fuzhou).
  await makeBuyable(db, ['PRD001', 'PRD005'])
  await buy(db, {
    lines: [
      ['PRD001', 2],
      ['PRD005', 3],
    ],
    at: systemClock,
  })

  async function cookieFor(userId: string, activeOrgId: string | null): Promise<string> {
    const { token } = await createSession(db, { userId, activeOrgId }, systemClock, {
      idleMinutes: 60,
      absoluteHours: 1,
    })
    return sessionCookieFor(token)
  }
  const analyst = await cookieFor(demo.officeAnalyst, demo.office)
  const get = async (path: string, cookie?: string) => {
    const response = await fetch(`${origin}${path}`, {
      headers: cookie ? { Cookie: cookie } : {},
      redirect: 'manual',
    })
    return response
  }

  it('shows an office its jurisdiction’s targets only, with their sub-targets', async () => {
    expect(parent && zhejiang).toBeTruthy()
    const groups = (await listOfficeTargets(db, office, systemClock))!
    const keys = groups.flatMap((g) => [g.key, ...g.children.map((c) => c.key)])
    expect(keys).toContain(parentKey)
    expect(keys.some((k) => k.startsWith(`${parentKey}-`))).toBe(true)
    expect(keys).not.toContain(zhejiang!.key)
    expect(groups.find((g) => g.key === parentKey)!.children.length).toBeGreaterThan(1)
    // A Zhejiang office would see the Zhejiang target and not Fuzhou's.
    expect(targetInJurisdiction(zhejiang!, ['330000'])).toBe(true)
    expect(targetInJurisdiction(parent!, ['330000'])).toBe(false)
    // An empty side is "anywhere": it never makes a target an office's.
    expect(targetInJurisdiction({ kind: 'demo', helpedCodes: [], helperCodes: [] }, ['350100'])).toBe(false)

    const page = await get('/office/targets', analyst)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain(parent!.name)
    expect(html).not.toContain(zhejiang!.name)
    // The Zhejiang dashboard and its exports are not this office's: 404, not someone else's figures.
    expect((await get(`/office/targets/${zhejiang!.id}`, analyst)).status).toBe(404)
    expect((await get(`/office/targets/${zhejiang!.id}/export.xlsx?table=byChannel`, analyst)).status).toBe(
      404,
    )
    // Not an office member: no dashboard at all.
    expect((await get(`/office/targets/${parent!.id}`)).status).toBe(302)
  })

  it('exports a table whose XLSX total equals the dashboard’s and the ledger’s own sums', async () => {
    const dashboard = (await getTargetDashboard(db, office, parent!.id, {}, systemClock))!
    expect(BigInt(dashboard.totalFen)).toBeGreaterThan(0n)
    const achieved = dashboard.target.progress.state === 'counted' ? dashboard.target.progress.achieved : ''
    expect(dashboard.totalFen).toBe(achieved)
    // The raw sum over the entries in the target's scope (what ledger:verify recomputes), and the rollups agree.
    const [raw] = await queryRows<{ total: string }>(
      db,
      sql`select coalesce(sum(amount_fen), 0)::text as total from aid_entries
          where day between ${parent!.periodStart} and ${parent!.periodEnd}
            and origin_code like '6211%' and buyer_region_code like '3501%'`,
    )
    expect(dashboard.totalFen).toBe(raw!.total)
    expect((await verifyLedger(db)).ok).toBe(true)
    for (const table of ['byHelpedRegion', 'byChannel', 'byHelperRegion', 'byCategory'] as const) {
      const sum = dashboard.tables[table].reduce((s, r) => s + BigInt(r.amountFen), 0n)
      expect(sum, table).toBe(BigInt(dashboard.totalFen))
    }

    const response = await get(`/office/targets/${parent!.id}/export.xlsx?table=byHelpedRegion`, analyst)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('spreadsheetml')
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load((await response.arrayBuffer()) as ArrayBuffer)
    const sheet = workbook.worksheets[0]!
    const last = sheet.getRow(sheet.rowCount)
    expect(last.getCell(1).value).toBe('合计')
    const totalCell = last.getCell(3).value
    expect(typeof totalCell).toBe('number')
    expect(BigInt(Math.round((totalCell as number) * 100))).toBe(BigInt(dashboard.totalFen))
    // Every data row's amount is a number too.
    const amounts: number[] = []
    sheet.eachRow((row, n) => {
      if (n > 2 && n < sheet.rowCount) amounts.push(row.getCell(3).value as number)
    })
    expect(amounts.every((a) => typeof a === 'number')).toBe(true)

    const csv = await get(`/office/targets/${parent!.id}/export.csv?table=byChannel`, analyst)
    expect(csv.status).toBe(200)
    const bytes = new Uint8Array(await csv.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = new TextDecoder().decode(bytes)
    expect(text).toContain('个人消费者')
  })

  it('never shows 100% before the goal: one fen short of ¥2亿 is 99.9%', async () => {
    const dashboard = (await getTargetDashboard(db, office, parent!.id, {}, systemClock))!
    const achieved = BigInt(dashboard.totalFen)
    // A target of the same scope whose goal is one fen more than what is counted.
    const id = seedUuid('test:office-boundary-target')
    await db.insert(targets).values({
      id,
      key: 'test-office-boundary',
      name: '边界测试目标（演示）',
      kind: 'demo',
      metric: 'amount_fen',
      goal: achieved + 1n,
      periodStart: parent!.periodStart,
      periodEnd: parent!.periodEnd,
      helpedCodes: ['621100'],
      helperCodes: ['350100'],
      sortOrder: 99,
    })
    const html = await (await get(`/office/targets/${id}`, analyst)).text()
    expect(html).toContain('完成 99.9%')
    expect(html).not.toContain('完成 100')
  })

  it('counts each sub-target as the parent’s dashboard filtered to its pair', async () => {
    const groups = (await listOfficeTargets(db, office, systemClock))!
    const group = groups.find((g) => g.key === parentKey)!
    let sum = 0n
    for (const child of group.children.filter((c) => c.metric === 'amount_fen')) {
      const [row] = await db.select().from(targets).where(eq(targets.id, child.id))
      const filtered = (await getTargetDashboard(
        db,
        office,
        parent!.id,
        { helped: row!.helpedCodes[0], helper: row!.helperCodes[0] },
        systemClock,
      ))!
      const achieved = child.progress.state === 'counted' ? child.progress.achieved : 'x'
      expect(filtered.totalFen, child.key).toBe(achieved)
      sum += BigInt(achieved)
    }
    const parentAchieved = group.progress.state === 'counted' ? BigInt(group.progress.achieved) : -1n
    expect(sum <= parentAchieved).toBe(true)
  })

  it('forecasts from the last 30 days on the injected clock', async () => {
    const today = shanghaiToday(systemClock)
    const clock = fixedClock(new Date())
    const groups = (await listOfficeTargets(db, office, clock))!
    const group = groups.find((g) => g.key === parentKey)!
    const recent = (await getTargetDashboard(
      db,
      office,
      parent!.id,
      { from: addDays(today, -29), to: today },
      clock,
    ))!
    expect(group.forecast).toMatchObject({
      state: 'projected',
      dailyPaceFen: (BigInt(recent.totalFen) / 30n).toString(),
    })
    // A day after the period: no forecast, the pace is complete.
    const after = (await listOfficeTargets(db, office, fixedClock(`${Number(year) + 1}-01-02T04:00:00Z`)))!
    expect(after.find((g) => g.key === parentKey)!.forecast).toBeNull()
    expect(after.find((g) => g.key === parentKey)!.paceBp).toBe(10_000)
  })

  it('publishes the notice signed out: totals, county and channel, reach counts and the ledger head', async () => {
    const response = await get(`/targets/${parent!.id}/gongshi`)
    expect(response.status).toBe(200)
    const html = await response.text()
    const head = await ledgerHead(db)
    expect(html).toContain(head.hash)
    expect(html).toContain(`npm run ledger:verify -- --expect ${head.seq}:${head.hash}`)
    expect(html).toContain('安定区')
    expect(html).toContain('个人消费者')
    expect(html).toMatch(/已惠及受益农户 \d+ 户/)
    const reference = await get(`/targets/${seedUuid('target:ref-2020-fz-dx')}/gongshi`)
    expect(reference.status).toBe(404)
    expect((await get('/targets/not-a-uuid/gongshi')).status).toBe(404)
    // The public targets page links to it.
    expect(await (await get('/targets')).text()).toContain(`/targets/${parent!.id}/gongshi`)
  })
})
