import { eq, sql } from 'drizzle-orm'
import iconv from 'iconv-lite'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  getImportJob,
  listHouseholds,
  previewHouseholdImport,
  startHouseholdImport,
} from '../../app/domains/households/index.server'
import type { Clock } from '../../app/utils/clock'
import { type Db, type DbHandle, queryRows } from '../../db/client.server'
import { households, importJobs } from '../../db/schema/households'
import { demo, makeOrganization } from '../support/coop'
import { openTestDatabase, testDbKind } from '../support/db'
import { syntheticIdNumber, validIdNumbersIn, wrongCheckDigit } from '../support/households'
import { SEED_NOW } from '../support/test-clock'

let handle: DbHandle
let db: Db
let time = SEED_NOW.getTime()
const clock: Clock = { now: () => new Date((time += 1000)) }

beforeAll(async () => {
  handle = await openTestDatabase('seeded')
  db = handle.db
})

const header = '户主姓名,所在区县,乡镇村,家庭人口,农户类别,利益联结方式,身份证号'

function csv(rows: string[]): string {
  return [header, ...rows].join('\r\n') + '\r\n'
}

async function countFor(orgId: string): Promise<number> {
  const rows = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from households where org_id = ${orgId}`,
  )
  return rows[0]?.n ?? 0
}

async function importAndWait(
  actor: { orgId: string; actorUserId: string },
  bytes: Uint8Array,
  fileName = 'a.csv',
) {
  const started = await startHouseholdImport(db, { ...actor, fileName, bytes }, clock)
  if (!started.ok) return started
  await started.finished
  return { ...started, job: await getImportJob(db, { ...actor, jobId: started.jobId }, clock) }
}

describe(`household import (${testDbKind()})`, () => {
  it('lists every bad row of a GB18030 file with its line and reason, writes nothing, then imports the fixed file', async () => {
    const coop = await makeOrganization(db, { regionCode: '621126' })
    const actor = { orgId: coop.orgId, actorUserId: coop.userId }
    const good = syntheticIdNumber(11, '19650302')
    const rows = [
      `马*花,岷县,梅川镇演示村,4,脱贫户,订单收购,${good}`,
      `王*明,岷县,梅川镇演示村,21,脱贫户,务工就业,`, // members out of range (line 3)
      `李*,,西江镇演示村,3,贫困户,入股分红,${wrongCheckDigit(syntheticIdNumber(12, '19700101'))}`, // line 4: two
      `赵*军,621126,十里镇演示村,2,防止返贫监测对象,土地流转,${good}`, // line 5: duplicate in file
    ]
    const bytes = iconv.encode(csv(rows), 'gb18030')
    const preview = await previewHouseholdImport(db, { ...actor, bytes }, clock)
    expect(preview).toEqual({
      ok: false,
      error: 'problems',
      totalRows: 4,
      problems: [
        { line: 3, field: 'members', reason: 'household.error.members.range' },
        { line: 4, field: 'status', reason: 'household.error.status.unknown' },
        { line: 4, field: 'idNumber', reason: 'household.error.idNumber.checkDigit' },
        { line: 5, field: 'idNumber', reason: 'household.import.error.duplicateInFile' },
      ],
    })
    // Importing it is refused the same way: nothing is written, no job recorded.
    const refused = await startHouseholdImport(db, { ...actor, fileName: 'bad.csv', bytes }, clock)
    expect(refused).toMatchObject({ ok: false, error: 'problems' })
    expect(await countFor(coop.orgId)).toBe(0)
    expect(await db.select().from(importJobs).where(eq(importJobs.orgId, coop.orgId))).toEqual([])

    const fixed = [
      rows[0]!,
      `王*明,岷县,梅川镇演示村,6,脱贫户,务工就业,`,
      `李*,,西江镇演示村,3,低收入农户,入股分红,${syntheticIdNumber(12, '19700101')}`,
      `赵*军,621126,十里镇演示村,2,防止返贫监测对象,土地流转,${syntheticIdNumber(13, '19800101')}`,
    ]
    const fixedBytes = iconv.encode(csv(fixed), 'gb18030')
    expect(await previewHouseholdImport(db, { ...actor, bytes: fixedBytes }, clock)).toEqual({
      ok: true,
      totalRows: 4,
      encoding: 'gb18030',
    })
    const done = await importAndWait(actor, fixedBytes, '名册.csv')
    expect(done).toMatchObject({ ok: true, totalRows: 4 })
    if (!done.ok) return
    expect(done.job).toMatchObject({ status: 'done', totalRows: 4, doneRows: 4, fileName: '名册.csv' })
    const roster = await listHouseholds(db, { ...actor, page: 1 })
    expect(roster!.items.map((h) => [h.maskedName, h.village, h.members, h.status])).toEqual([
      ['马*花', '梅川镇演示村', 4, '脱贫户'],
      ['王*明', '梅川镇演示村', 6, '脱贫户'],
      ['李*', '西江镇演示村', 3, '低收入农户'],
      ['赵*军', '十里镇演示村', 2, '防止返贫监测对象'],
    ])
    expect(roster!.items[0]!.idLast4).toBe(good.slice(-4))
    // The same file again: every ID number is now a duplicate on the platform.
    const again = await previewHouseholdImport(db, { ...actor, bytes: fixedBytes }, clock)
    expect(again).toMatchObject({ ok: false, error: 'problems' })
    if (again.ok || again.error !== 'problems') return
    expect(again.problems.map((p) => [p.line, p.reason])).toEqual([
      [2, 'household.error.idNumber.duplicate'],
      [4, 'household.error.idNumber.duplicate'],
      [5, 'household.error.idNumber.duplicate'],
    ])
  })

  it('reads UTF-8 with and without the BOM, and refuses a file without the header', async () => {
    const coop = await makeOrganization(db, { regionCode: '621126' })
    const actor = { orgId: coop.orgId, actorUserId: coop.userId }
    const withBom = Buffer.from('\uFEFF' + csv([`周*平,岷县,梅川镇演示村,3,脱贫户,其他,`]), 'utf8')
    const withoutBom = Buffer.from(csv([`吴*,岷县,梅川镇演示村,2,脱贫户,其他,`]), 'utf8')
    expect(await previewHouseholdImport(db, { ...actor, bytes: withBom }, clock)).toEqual({
      ok: true,
      totalRows: 1,
      encoding: 'utf-8-bom',
    })
    expect(await importAndWait(actor, withBom)).toMatchObject({ ok: true, job: { status: 'done' } })
    expect(await importAndWait(actor, withoutBom)).toMatchObject({ ok: true, job: { status: 'done' } })
    const names = (await listHouseholds(db, { ...actor, page: 1 }))!.items.map((h) => h.maskedName)
    expect(names).toEqual(['周*平', '吴*'])
    const noHeader = Buffer.from('周*平,岷县,梅川镇演示村,3,脱贫户,其他,\r\n', 'utf8')
    expect(await previewHouseholdImport(db, { ...actor, bytes: noHeader }, clock)).toMatchObject({
      ok: false,
      problems: [{ line: 1, field: 'file', reason: 'household.import.error.header' }],
    })
    // A job belongs to its cooperative: another's is not found.
    const jobs = await db.select().from(importJobs).where(eq(importJobs.orgId, coop.orgId))
    expect(
      await getImportJob(db, { orgId: demo.minxian, actorUserId: demo.coopAdmin, jobId: jobs[0]!.id }, clock),
    ).toBeNull()
  })

  it(
    'imports 10,000 rows with ID numbers in under 30 seconds, all or nothing',
    { timeout: 90_000 },
    async () => {
      const coop = await makeOrganization(db, { regionCode: '621126' })
      const actor = { orgId: coop.orgId, actorUserId: coop.userId }
      const rows: string[] = []
      for (let i = 0; i < 10_000; i++) {
        const birth = `19${String(50 + Math.floor(i / 1000)).padStart(2, '0')}0101`
        rows.push(
          `户*${i % 10},岷县,梅川镇演示村,${(i % 20) + 1},脱贫户,订单收购,${syntheticIdNumber(i % 1000, birth, '621127')}`,
        )
      }
      const bytes = Buffer.from('\uFEFF' + csv(rows), 'utf8')
      const started = Date.now()
      const done = await importAndWait(actor, bytes, 'big.csv')
      const seconds = (Date.now() - started) / 1000
      expect(done).toMatchObject({ ok: true, job: { status: 'done', doneRows: 10_000 } })
      expect(seconds).toBeLessThan(30)
      expect(await countFor(coop.orgId)).toBe(10_000)
      // Codes are unique and in order.
      const codes = await db
        .select({ code: households.code })
        .from(households)
        .where(eq(households.orgId, coop.orgId))
      expect(new Set(codes.map((c) => c.code)).size).toBe(10_000)
      // Nothing readable of an ID number is stored.
      const stored = await queryRows<{ dump: string }>(
        db,
        sql`select string_agg(h::text, E'\n') as dump from households h where org_id = ${coop.orgId}`,
      )
      expect(validIdNumbersIn(stored[0]!.dump)).toEqual([])
      // One more row duplicating the first: the whole file is refused, nothing added.
      const dup = Buffer.from(csv([`新*户,岷县,梅川镇演示村,2,脱贫户,其他,`, rows[0]!]), 'utf8')
      expect(
        await startHouseholdImport(db, { ...actor, fileName: 'dup.csv', bytes: dup }, clock),
      ).toMatchObject({
        ok: false,
        error: 'problems',
      })
      expect(await countFor(coop.orgId)).toBe(10_000)
    },
  )
})
