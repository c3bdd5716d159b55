import { eq, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  createHousehold,
  deactivateHousehold,
  listHouseholds,
  revealHouseholdId,
  updateHousehold,
} from '../../app/domains/households/index.server'
import { changeBeneficiaries } from '../../app/domains/households/beneficiaries.server'
import { deriveSubKeys, getDataKey } from '../../app/services/secrets/index.server'
import type { Clock } from '../../app/utils/clock'
import { type Db, type DbHandle, queryRows } from '../../db/client.server'
import { auditEvents } from '../../db/schema/audit'
import { households } from '../../db/schema/households'
import { demo, makeOrganization, productId } from '../support/coop'
import { openTestDatabase, testDbKind } from '../support/db'
import { householdForm, syntheticIdNumber, validIdNumbersIn, wrongCheckDigit } from '../support/households'
import { SEED_NOW } from '../support/test-clock'

let handle: DbHandle
let db: Db
let time = SEED_NOW.getTime()
const clock: Clock = { now: () => new Date((time += 1000)) }

const admin = { orgId: demo.minxian, actorUserId: demo.coopAdmin }
const staff = { orgId: demo.minxian, actorUserId: demo.coopStaff }

beforeAll(async () => {
  handle = await openTestDatabase('seeded')
  db = handle.db
})

/** Every row of every table of the public schema, as text: what a dump of the database would hold. */
async function databaseDump(): Promise<string> {
  const tables = await queryRows<{ name: string }>(
    db,
    sql`select tablename as name from pg_tables where schemaname = 'public' order by tablename`,
  )
  const parts: string[] = []
  for (const { name } of tables) {
    const rows = await queryRows<{ dump: string | null }>(
      db,
      sql`select string_agg(t::text, E'\n') as dump from ${sql.identifier(name)} t`,
    )
    parts.push(rows[0]?.dump ?? '')
  }
  return parts.join('\n')
}

describe(`the beneficiary-household roster (${testDbKind()})`, () => {
  it('adds a household with a masked name and a protected ID number, shown as its last four characters', async () => {
    const idNumber = syntheticIdNumber(101)
    const created = await createHousehold(
      db,
      { ...admin, form: householdForm({ headName: '王小明', idNumber, members: '5' }) },
      clock,
    )
    expect(created).toMatchObject({ ok: true })
    if (!created.ok) return
    expect(created.code).toMatch(/^HH-621126-\d{4,}$/)
    const [row] = await db.select().from(households).where(eq(households.id, created.householdId))
    expect(row!.maskedName).toBe('王*明')
    expect(row!.idCipher).not.toContain(idNumber)
    expect(row!.idHmac).not.toContain(idNumber)
    const roster = await listHouseholds(db, { ...staff, page: 1 })
    expect(roster!.total).toBeGreaterThan(0)
    const all = []
    for (let page = 1; page <= Math.ceil(roster!.total / roster!.pageSize); page++)
      all.push(...(await listHouseholds(db, { ...staff, page }))!.items)
    const shown = all.find((h) => h.id === created.householdId)!
    expect(shown.idLast4).toBe(idNumber.slice(-4))
    expect(shown.maskedName).toBe('王*明')
    expect(JSON.stringify(all)).not.toContain(idNumber)
  })

  it('encrypts one ID number differently each time; neither the key nor the number is in a database dump', async () => {
    const idNumber = syntheticIdNumber(202)
    const first = await createHousehold(db, { ...admin, form: householdForm({ idNumber }) }, clock)
    expect(first.ok).toBe(true)
    // The same number again is a duplicate, found by its HMAC.
    const again = await createHousehold(db, { ...admin, form: householdForm({ idNumber }) }, clock)
    expect(again).toEqual({
      ok: false,
      error: 'invalid',
      errors: { idNumber: ['household.error.idNumber.duplicate'] },
    })
    // …also when another cooperative enters it (the platform keeps one roster entry per person).
    const other = await makeOrganization(db, { regionCode: '621126' })
    const elsewhere = await createHousehold(
      db,
      { orgId: other.orgId, actorUserId: other.userId, form: householdForm({ idNumber }) },
      clock,
    )
    expect(elsewhere.ok).toBe(false)
    // Re-entering it on edit re-encrypts it: a new ciphertext for the same number.
    if (!first.ok) return
    const [before] = await db.select().from(households).where(eq(households.id, first.householdId))
    const edited = await updateHousehold(
      db,
      { ...admin, householdId: first.householdId, form: householdForm({ idNumber }) },
      clock,
    )
    expect(edited.ok).toBe(true)
    const [after] = await db.select().from(households).where(eq(households.id, first.householdId))
    expect(after!.idCipher).not.toBe(before!.idCipher)
    expect(after!.idHmac).toBe(before!.idHmac)

    const dump = await databaseDump()
    expect(dump).toContain(after!.idCipher!)
    expect(validIdNumbersIn(dump)).toEqual([])
    expect(dump).not.toContain(idNumber)
    const key = getDataKey()
    const sub = deriveSubKeys(key)
    for (const secret of [key, sub.encryption, sub.hmac]) {
      for (const spelling of [
        secret.toString('hex'),
        secret.toString('base64'),
        secret.toString('base64url'),
      ])
        expect(dump).not.toContain(spelling)
    }
  })

  it('says what is wrong next to the field and writes nothing', async () => {
    const id = syntheticIdNumber(303)
    const cases: Array<[Record<string, string>, string, string]> = [
      [{ idNumber: wrongCheckDigit(id) }, 'idNumber', 'household.error.idNumber.checkDigit'],
      [{ idNumber: '12345' }, 'idNumber', 'household.error.idNumber.format'],
      [{ members: '0' }, 'members', 'household.error.members.range'],
      [{ members: '21' }, 'members', 'household.error.members.range'],
      [{ status: '贫困户' }, 'status', 'household.error.status.unknown'],
      [{ regionCode: '350102' }, 'regionCode', 'household.error.region.outside'],
      [{ headName: '' }, 'headName', 'household.error.headName.required'],
    ]
    const before = (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from households`))[0]?.n
    for (const [overrides, field, message] of cases) {
      const result = await createHousehold(db, { ...admin, form: householdForm(overrides) }, clock)
      expect(result, JSON.stringify(overrides)).toEqual({
        ok: false,
        error: 'invalid',
        errors: { [field]: [message] },
      })
    }
    const after = (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from households`))[0]?.n
    expect(after).toBe(before)
  })

  it('reveals a whole ID number to an admin who gives a reason, and logs who, which and why — never the number', async () => {
    const idNumber = syntheticIdNumber(404)
    const created = await createHousehold(db, { ...staff, form: householdForm({ idNumber }) }, clock)
    if (!created.ok) throw new Error('not created')
    const form = { householdId: created.householdId, reason: '核对帮扶台账' }
    // Staff may keep the roster but not reveal.
    expect(await revealHouseholdId(db, { ...staff, form }, clock)).toEqual({ ok: false, error: 'not_found' })
    expect(
      await revealHouseholdId(
        db,
        { ...admin, form: { householdId: created.householdId, reason: '' } },
        clock,
      ),
    ).toMatchObject({ ok: false, error: 'invalid' })
    const revealed = await revealHouseholdId(db, { ...admin, form }, clock)
    expect(revealed).toEqual({ ok: true, idNumber, code: created.code })
    const events = await db.select().from(auditEvents).where(eq(auditEvents.subjectId, created.householdId))
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({
      action: 'personal_data.revealed',
      subjectType: 'household',
      actorUserId: demo.coopAdmin,
      details: { field: 'id_number', household: created.code, reason: '核对帮扶台账' },
    })
    expect(JSON.stringify(events[0])).not.toContain(idNumber)
  })

  it('never shows or changes another cooperative’s households', async () => {
    const other = await makeOrganization(db, { regionCode: '621102' })
    const theirs = await createHousehold(
      db,
      {
        orgId: other.orgId,
        actorUserId: other.userId,
        form: householdForm({ regionCode: '621102', idNumber: syntheticIdNumber(505, '19800101', '621102') }),
      },
      clock,
    )
    if (!theirs.ok) throw new Error('not created')
    const ours = await listHouseholds(db, { ...admin, page: 1 })
    expect(ours!.items.some((h) => h.id === theirs.householdId)).toBe(false)
    expect(
      await updateHousehold(db, { ...admin, householdId: theirs.householdId, form: householdForm() }, clock),
    ).toEqual({ ok: false, error: 'not_found' })
    expect(await deactivateHousehold(db, { ...admin, householdId: theirs.householdId }, clock)).toEqual({
      ok: false,
      error: 'not_found',
    })
    expect(
      await revealHouseholdId(
        db,
        { ...admin, form: { householdId: theirs.householdId, reason: '核对' } },
        clock,
      ),
    ).toEqual({ ok: false, error: 'not_found' })
    // A consumer (no cooperative) sees no roster at all.
    expect(await listHouseholds(db, { orgId: demo.minxian, actorUserId: demo.consumer, page: 1 })).toBeNull()
  })

  it('deactivates a household (never deletes it), and not while a product still credits it', async () => {
    const created = await createHousehold(db, { ...admin, form: householdForm() }, clock)
    if (!created.ok) throw new Error('not created')
    const linked = await changeBeneficiaries(
      db,
      { productId: productId('PRD030'), changes: [{ householdId: created.householdId, weight: 1 }] },
      clock,
    )
    expect(linked.ok).toBe(true)
    expect(await deactivateHousehold(db, { ...admin, householdId: created.householdId }, clock)).toEqual({
      ok: false,
      error: 'linked',
    })
    await changeBeneficiaries(
      db,
      { productId: productId('PRD030'), changes: [{ householdId: created.householdId, weight: null }] },
      clock,
    )
    expect(await deactivateHousehold(db, { ...admin, householdId: created.householdId }, clock)).toEqual({
      ok: true,
    })
    const [row] = await db.select().from(households).where(eq(households.id, created.householdId))
    expect(row!.deactivatedAt).not.toBeNull()
    expect(
      await updateHousehold(db, { ...admin, householdId: created.householdId, form: householdForm() }, clock),
    ).toEqual({ ok: false, error: 'deactivated' })
  })
})
