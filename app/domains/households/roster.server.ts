import { and, asc, eq, isNull, type SQL, sql } from 'drizzle-orm'
import { countAll, type Db, pgErrorCode, queryRows } from '../../../db/client.server'
import { type householdLinkages, type householdStatuses, households } from '../../../db/schema/households'
import { organizations } from '../../../db/schema/organizations'
import { householdIdProtector } from '../../services/secrets/index.server'
import type { Clock } from '../../utils/clock'
import type { MessageKey } from '../../utils/i18n'
import { idCardNumberIssue } from '../../utils/id-card'
import { isUuid } from '../../utils/ids'
import { recordAuditEvent } from '../audit/index.server'
import { type FormErrors, parseForm } from '../catalog'
import { isInSubtree } from '../regions'
import { referenceData } from '../regions/index.server'
import {
  type HouseholdLinkage,
  householdSchema,
  type HouseholdStatus,
  type HouseholdValues,
  revealSchema,
} from './forms'

// The form's lists are the table's (the form cannot import the schema: it runs in the browser too).
const sameStatuses: [HouseholdStatus, (typeof householdStatuses)[number]] extends [
  (typeof householdStatuses)[number],
  HouseholdStatus,
]
  ? true
  : never = true
const sameLinkages: [HouseholdLinkage, (typeof householdLinkages)[number]] extends [
  (typeof householdLinkages)[number],
  HouseholdLinkage,
]
  ? true
  : never = true
void sameStatuses
void sameLinkages

/**
 * The beneficiary-household roster of a cooperative (受益农户). Every query keeps to the cooperative the actor acts
 * for: another cooperative's household is simply not found. The ID number is stored only as an AES-256-GCM
 * ciphertext and an HMAC (app/services/secrets); pages see its last four characters, and revealing the whole number
 * takes a coop admin, a reason and an audit event.
 */

export type RosterActor = { orgId: string; actorUserId: string }
type CoopRole = 'coop_admin' | 'coop_staff'

/** Any member reads and keeps the roster; only its administrators reveal an ID number. */
const rosterRoles: readonly CoopRole[] = ['coop_admin', 'coop_staff']
const revealRoles: readonly CoopRole[] = ['coop_admin']

function actsFor(orgId: string, actorUserId: string, roles: readonly CoopRole[]): SQL {
  return sql`exists (select 1 from memberships m join organizations o on o.id = m.org_id
    where m.user_id = ${actorUserId}::uuid and m.org_id = ${orgId}::uuid and o.kind = 'cooperative'
      and m.role in (${sql.join(
        roles.map((role) => sql`${role}`),
        sql`, `,
      )}))`
}

export type RosterCoop = { id: string; regionCode: string; role: CoopRole }

/** The cooperative the actor acts for (admin or staff), with the actor's role; null otherwise. */
export async function rosterCoop(db: Db, actor: RosterActor): Promise<RosterCoop | null> {
  if (!isUuid(actor.orgId) || !isUuid(actor.actorUserId)) return null
  const [row] = await queryRows<{ id: string; region_code: string; role: CoopRole }>(
    db,
    sql`select o.id, o.region_code, m.role from organizations o join memberships m on m.org_id = o.id
         where o.id = ${actor.orgId}::uuid and m.user_id = ${actor.actorUserId}::uuid and o.kind = 'cooperative'
           and m.role in ('coop_admin', 'coop_staff')`,
  )
  return row ? { id: row.id, regionCode: row.region_code, role: row.role } : null
}

/** name: with its city (定西市岷县); shortName: the county's own (岷县). */
export type RosterPlace = { code: string; name: string; shortName: string }

/** The counties of the cooperative's area (its region's subtree, at the lowest level), where its households live. */
export async function rosterPlaces(db: Db, areaCode: string): Promise<RosterPlace[]> {
  const reference = await referenceData(db)
  const parents = new Set<string>()
  for (const region of reference.regions.values()) if (region.parentCode) parents.add(region.parentCode)
  const places: RosterPlace[] = []
  for (const region of reference.regions.values()) {
    if (region.level === 'province' || parents.has(region.code) || !isInSubtree(region.code, areaCode))
      continue
    const city = region.parentCode ? reference.regions.get(region.parentCode)?.name : undefined
    places.push({
      code: region.code,
      name: city && region.level !== 'city' ? `${city}${region.name}` : region.name,
      shortName: region.name,
    })
  }
  return places.sort((a, b) => a.code.localeCompare(b.code))
}

export type HouseholdView = {
  id: string
  code: string
  maskedName: string
  regionCode: string
  regionName: string
  village: string
  members: number
  status: HouseholdStatus
  linkage: HouseholdLinkage
  /** The last four characters of the ID number, or null when none is on file. */
  idLast4: string | null
  active: boolean
  /** Products it is linked to now. */
  linkedProducts: number
  /** Whether the ledger has credited it (then it can only be deactivated, never deleted). */
  credited: boolean
}

export type RosterPage = {
  items: HouseholdView[]
  page: number
  pageSize: number
  total: number
  places: RosterPlace[]
  canReveal: boolean
}

export const ROSTER_PAGE_SIZE = 20

/** The roster, active households first, by code; null when the actor does not act for the cooperative. */
export async function listHouseholds(
  db: Db,
  input: RosterActor & { page: number },
): Promise<RosterPage | null> {
  const coop = await rosterCoop(db, input)
  if (!coop) return null
  const page = Math.max(1, Math.floor(input.page))
  const where = eq(households.orgId, coop.id)
  const [total, rows, places] = await Promise.all([
    db
      .select({ n: countAll })
      .from(households)
      .where(where)
      .then((r) => r[0]?.n ?? 0),
    db
      .select({
        id: households.id,
        code: households.code,
        maskedName: households.maskedName,
        regionCode: households.regionCode,
        village: households.village,
        members: households.members,
        status: households.status,
        linkage: households.linkage,
        idCipher: households.idCipher,
        deactivatedAt: households.deactivatedAt,
        linkedProducts: sql<number>`(select count(*) from product_beneficiaries b
          where b.household_id = households.id and b.unlinked_at is null)`.mapWith(Number),
        credited: sql<boolean>`exists (select 1 from household_credits c where c.household_id = households.id)`,
      })
      .from(households)
      .where(where)
      .orderBy(sql`${households.deactivatedAt} is not null`, asc(households.code))
      .limit(ROSTER_PAGE_SIZE)
      .offset((page - 1) * ROSTER_PAGE_SIZE),
    rosterPlaces(db, coop.regionCode),
  ])
  const protector = rows.some((r) => r.idCipher) ? householdIdProtector() : null
  const reference = await referenceData(db)
  return {
    items: rows.map(({ idCipher, deactivatedAt, ...row }) => {
      const id = idCipher && protector ? protector.decrypt(idCipher) : null
      return {
        ...row,
        credited: Boolean(row.credited),
        regionName:
          places.find((p) => p.code === row.regionCode)?.name ??
          reference.regions.get(row.regionCode)?.name ??
          row.regionCode,
        idLast4: id ? id.slice(-4) : idCipher ? '????' : null,
        active: deactivatedAt === null,
      }
    }),
    page,
    pageSize: ROSTER_PAGE_SIZE,
    total,
    places,
    canReveal: revealRoles.includes(coop.role),
  }
}

export type HouseholdForEdit = Omit<HouseholdView, 'linkedProducts' | 'credited'>

/** One household of the cooperative, for its edit form; null when it is not on this cooperative's roster. */
export async function getHousehold(
  db: Db,
  input: RosterActor & { householdId: string },
): Promise<(HouseholdForEdit & { places: RosterPlace[] }) | null> {
  if (!isUuid(input.householdId)) return null
  const coop = await rosterCoop(db, input)
  if (!coop) return null
  const [row] = await db
    .select()
    .from(households)
    .where(and(eq(households.id, input.householdId), eq(households.orgId, coop.id)))
  if (!row) return null
  const places = await rosterPlaces(db, coop.regionCode)
  const id = row.idCipher ? householdIdProtector().decrypt(row.idCipher) : null
  return {
    id: row.id,
    code: row.code,
    maskedName: row.maskedName,
    regionCode: row.regionCode,
    regionName: places.find((p) => p.code === row.regionCode)?.name ?? row.regionCode,
    village: row.village,
    members: row.members,
    status: row.status,
    linkage: row.linkage,
    idLast4: id ? id.slice(-4) : row.idCipher ? '????' : null,
    active: row.deactivatedAt === null,
    places,
  }
}

export type HouseholdResult =
  | { ok: true; householdId: string; code: string }
  | { ok: false; error: 'not_found' | 'deactivated' }
  | { ok: false; error: 'invalid'; errors: FormErrors }

const duplicateId = { idNumber: ['household.error.idNumber.duplicate' as MessageKey] }

/** Domain checks the schema cannot make: the place inside the cooperative's area, the birth date by the clock. */
function valueIssues(values: HouseholdValues, places: RosterPlace[], clock: Clock): FormErrors | null {
  if (!places.some((p) => p.code === values.regionCode))
    return { regionCode: ['household.error.region.outside'] }
  if (values.idNumber && idCardNumberIssue(values.idNumber, clock.now()) === 'date')
    return { idNumber: ['household.error.idNumber.date'] }
  return null
}

/** The household codes' prefix for a county: HH-621126-. */
export function codePrefix(regionCode: string): string {
  return `HH-${regionCode}-`
}

/**
 * The next free serial numbers for codes of a county, under a transaction-scoped advisory lock on the prefix, so
 * two cooperatives of one county (or two imports) never hand out one code twice.
 */
export async function reserveCodes(tx: Db, regionCode: string, count: number): Promise<string[]> {
  const prefix = codePrefix(regionCode)
  await queryRows(tx, sql`select pg_advisory_xact_lock(hashtext(${'households.code:' + prefix}))`)
  const [row] = await queryRows<{ last: string | null }>(
    tx,
    sql`select max(substring(code from ${prefix.length + 1}::int)::int)::text as last from households
         where code like ${prefix + '%'} and substring(code from ${prefix.length + 1}::int) ~ '^[0-9]{1,9}$'`,
  )
  const last = Number(row?.last ?? 0)
  return Array.from({ length: count }, (_, i) => `${prefix}${String(last + i + 1).padStart(4, '0')}`)
}

/** Adds a household to the cooperative's roster; its code is given out here (HH-<county>-<serial>). */
export async function createHousehold(
  db: Db,
  input: RosterActor & { form: unknown },
  clock: Clock,
): Promise<HouseholdResult> {
  const parsed = parseForm(householdSchema, input.form)
  if (!parsed.ok) return { ok: false, error: 'invalid', errors: parsed.errors }
  const values = parsed.data
  const coop = await rosterCoop(db, input)
  if (!coop) return { ok: false, error: 'not_found' }
  const places = await rosterPlaces(db, coop.regionCode)
  const issues = valueIssues(values, places, clock)
  if (issues) return { ok: false, error: 'invalid', errors: issues }
  const protector = values.idNumber ? householdIdProtector() : null
  const idHmac = values.idNumber && protector ? protector.hmac(values.idNumber) : null
  try {
    return await db.transaction(async (tx): Promise<HouseholdResult> => {
      if (!(await stillActsFor(tx, input, rosterRoles))) return { ok: false, error: 'not_found' }
      if (idHmac && (await idTaken(tx, idHmac, null)))
        return { ok: false, error: 'invalid', errors: duplicateId }
      const [code] = await reserveCodes(tx, values.regionCode, 1)
      const now = clock.now()
      const [row] = await tx
        .insert(households)
        .values({
          orgId: coop.id,
          code: code!,
          regionCode: values.regionCode,
          maskedName: values.headName,
          village: values.village,
          members: values.members,
          status: values.status,
          linkage: values.linkage,
          idHmac,
          idCipher: values.idNumber && protector ? protector.encrypt(values.idNumber) : null,
          isDemo: false,
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: households.id, code: households.code })
      return { ok: true, householdId: row!.id, code: row!.code }
    })
  } catch (error) {
    // Two people entering one ID number at once: the unique index on the HMAC decides.
    if (pgErrorCode(error) === '23505') return { ok: false, error: 'invalid', errors: duplicateId }
    throw error
  }
}

async function stillActsFor(tx: Db, actor: RosterActor, roles: readonly CoopRole[]): Promise<boolean> {
  const [row] = await tx
    .select({ id: organizations.id })
    .from(organizations)
    .where(and(eq(organizations.id, actor.orgId), actsFor(actor.orgId, actor.actorUserId, roles)))
  return Boolean(row)
}

async function idTaken(tx: Db, idHmac: string, exceptId: string | null): Promise<boolean> {
  const [row] = await tx
    .select({ id: households.id })
    .from(households)
    .where(
      exceptId
        ? and(eq(households.idHmac, idHmac), sql`${households.id} <> ${exceptId}::uuid`)
        : eq(households.idHmac, idHmac),
    )
  return Boolean(row)
}

/** Edits a household; a blank ID number keeps the one on file. Its code never changes. */
export async function updateHousehold(
  db: Db,
  input: RosterActor & { householdId: string; form: unknown },
  clock: Clock,
): Promise<HouseholdResult> {
  const parsed = parseForm(householdSchema, input.form)
  if (!parsed.ok) return { ok: false, error: 'invalid', errors: parsed.errors }
  const values = parsed.data
  if (!isUuid(input.householdId)) return { ok: false, error: 'not_found' }
  const coop = await rosterCoop(db, input)
  if (!coop) return { ok: false, error: 'not_found' }
  const places = await rosterPlaces(db, coop.regionCode)
  const issues = valueIssues(values, places, clock)
  if (issues) return { ok: false, error: 'invalid', errors: issues }
  const protector = values.idNumber ? householdIdProtector() : null
  const idHmac = values.idNumber && protector ? protector.hmac(values.idNumber) : null
  try {
    return await db.transaction(async (tx): Promise<HouseholdResult> => {
      if (!(await stillActsFor(tx, input, rosterRoles))) return { ok: false, error: 'not_found' }
      const [current] = await tx
        .select({ id: households.id, code: households.code, deactivatedAt: households.deactivatedAt })
        .from(households)
        .where(and(eq(households.id, input.householdId), eq(households.orgId, coop.id)))
        .for('update')
      if (!current) return { ok: false, error: 'not_found' }
      if (current.deactivatedAt) return { ok: false, error: 'deactivated' }
      if (idHmac && (await idTaken(tx, idHmac, current.id)))
        return { ok: false, error: 'invalid', errors: duplicateId }
      await tx
        .update(households)
        .set({
          regionCode: values.regionCode,
          maskedName: values.headName,
          village: values.village,
          members: values.members,
          status: values.status,
          linkage: values.linkage,
          updatedAt: clock.now(),
          ...(idHmac && protector ? { idHmac, idCipher: protector.encrypt(values.idNumber!) } : {}),
        })
        .where(eq(households.id, current.id))
      return { ok: true, householdId: current.id, code: current.code }
    })
  } catch (error) {
    if (pgErrorCode(error) === '23505') return { ok: false, error: 'invalid', errors: duplicateId }
    throw error
  }
}

/**
 * Takes a household off the active roster. It stays (with its credits) for reports and the ledger: nothing here
 * deletes a household. While a product still credits it, it must first be unlinked there.
 */
export async function deactivateHousehold(
  db: Db,
  input: RosterActor & { householdId: string },
  clock: Clock,
): Promise<{ ok: true } | { ok: false; error: 'not_found' | 'already_deactivated' | 'linked' }> {
  if (!isUuid(input.householdId) || !isUuid(input.orgId) || !isUuid(input.actorUserId))
    return { ok: false, error: 'not_found' }
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select({ id: households.id, deactivatedAt: households.deactivatedAt })
      .from(households)
      .where(
        and(
          eq(households.id, input.householdId),
          eq(households.orgId, input.orgId),
          actsFor(input.orgId, input.actorUserId, rosterRoles),
        ),
      )
      .for('update')
    if (!current) return { ok: false as const, error: 'not_found' as const }
    if (current.deactivatedAt) return { ok: false as const, error: 'already_deactivated' as const }
    const [linked] = await queryRows<{ n: number }>(
      tx,
      sql`select 1 as n from product_beneficiaries where household_id = ${current.id} and unlinked_at is null limit 1`,
    )
    if (linked) return { ok: false as const, error: 'linked' as const }
    await tx
      .update(households)
      .set({ deactivatedAt: clock.now(), updatedAt: clock.now() })
      .where(and(eq(households.id, current.id), isNull(households.deactivatedAt)))
    return { ok: true as const }
  })
}

export type RevealResult =
  | { ok: true; idNumber: string; code: string }
  | { ok: false; error: 'not_found' | 'no_id' }
  | { ok: false; error: 'invalid'; errors: FormErrors }

/**
 * Shows a household's whole ID number to a coop admin who gives a reason; the reveal (who, which household, why —
 * never the number) is written to the audit log in the same transaction.
 */
export async function revealHouseholdId(
  db: Db,
  input: RosterActor & { form: unknown },
  clock: Clock,
): Promise<RevealResult> {
  const parsed = parseForm(revealSchema, input.form)
  if (!parsed.ok) return { ok: false, error: 'invalid', errors: parsed.errors }
  const { householdId, reason } = parsed.data
  if (!isUuid(householdId) || !isUuid(input.orgId) || !isUuid(input.actorUserId))
    return { ok: false, error: 'not_found' }
  return db.transaction(async (tx): Promise<RevealResult> => {
    const [row] = await tx
      .select({ id: households.id, code: households.code, idCipher: households.idCipher })
      .from(households)
      .where(
        and(
          eq(households.id, householdId),
          eq(households.orgId, input.orgId),
          actsFor(input.orgId, input.actorUserId, revealRoles),
        ),
      )
    if (!row) return { ok: false, error: 'not_found' }
    if (!row.idCipher) return { ok: false, error: 'no_id' }
    const idNumber = householdIdProtector().decrypt(row.idCipher)
    if (!idNumber) return { ok: false, error: 'no_id' }
    await recordAuditEvent(tx, {
      actorUserId: input.actorUserId,
      action: 'personal_data.revealed',
      subjectType: 'household',
      subjectId: row.id,
      details: { field: 'id_number', household: row.code, orgId: input.orgId, reason },
      occurredAt: clock.now(),
    })
    return { ok: true, idNumber, code: row.code }
  })
}
