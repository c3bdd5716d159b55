import { and, asc, eq, isNull, sql } from 'drizzle-orm'
import type { Db } from '../../../db/client.server'
import { type baseKinds as tableKinds, bases } from '../../../db/schema/catalog'
import type { Clock } from '../../utils/clock'
import { referenceData } from '../regions/index.server'
import { baseSchema } from './base-forms'
import {
  actsForCooperative,
  allIds,
  baseRoles,
  listingRoles,
  placeIssue,
  sellerFor,
} from './console-access.server'
import type { BaseKind } from './constants'
import { type FormErrors, parseForm } from './form-fields'

// The form's kinds are the table's kinds (the form cannot import the schema: it runs in the browser too).
type TableKind = (typeof tableKinds)[number]
const sameKinds: [BaseKind, TableKind] extends [TableKind, BaseKind] ? true : never = true
void sameKinds

const regionMessages = {
  unknown: 'base.error.region.unknown',
  outside: 'base.error.region.outsideArea',
  not_county: 'base.error.region.notCounty',
} as const

export type BaseResult =
  | { ok: true; baseId: string }
  | { ok: false; error: 'not_found' }
  | { ok: false; error: 'invalid'; errors: FormErrors }

type BaseActor = { orgId: string; actorUserId: string }

/** A cooperative's administrator adds a 帮扶基地 or 帮扶车间, in a county of the cooperative's area. */
export async function createBase(
  db: Db,
  input: BaseActor & { form: unknown },
  clock: Clock,
): Promise<BaseResult> {
  const parsed = parseForm(baseSchema, input.form)
  if (!parsed.ok) return { ok: false, error: 'invalid', errors: parsed.errors }
  const values = parsed.data
  const reference = await referenceData(db)
  return db.transaction(async (tx): Promise<BaseResult> => {
    const seller = await sellerFor(tx, input.orgId, input.actorUserId, baseRoles)
    if (!seller) return { ok: false, error: 'not_found' }
    const place = placeIssue(reference.regions, seller.regionCode, values.regionCode)
    if (place) return { ok: false, error: 'invalid', errors: { regionCode: [regionMessages[place]] } }
    const [row] = await tx
      .insert(bases)
      .values({ ...values, orgId: seller.id, isDemo: false, createdAt: clock.now() })
      .returning({ id: bases.id })
    return { ok: true, baseId: row!.id }
  })
}

/** Edits a base that is in use. Product pages read its name live; the search index holds no base. */
export async function updateBase(
  db: Db,
  input: BaseActor & { baseId: string; form: unknown },
): Promise<BaseResult | { ok: false; error: 'archived' }> {
  const parsed = parseForm(baseSchema, input.form)
  if (!parsed.ok) return { ok: false, error: 'invalid', errors: parsed.errors }
  const values = parsed.data
  if (!allIds(input.baseId)) return { ok: false, error: 'not_found' }
  const reference = await referenceData(db)
  return db.transaction(async (tx) => {
    const seller = await sellerFor(tx, input.orgId, input.actorUserId, baseRoles)
    if (!seller) return { ok: false as const, error: 'not_found' as const }
    const [current] = await tx
      .select({ id: bases.id, archivedAt: bases.archivedAt })
      .from(bases)
      .where(and(eq(bases.id, input.baseId), eq(bases.orgId, seller.id)))
      .for('update')
    if (!current) return { ok: false as const, error: 'not_found' as const }
    if (current.archivedAt) return { ok: false as const, error: 'archived' as const }
    const place = placeIssue(reference.regions, seller.regionCode, values.regionCode)
    if (place)
      return {
        ok: false as const,
        error: 'invalid' as const,
        errors: { regionCode: [regionMessages[place]] },
      }
    await tx.update(bases).set(values).where(eq(bases.id, current.id))
    return { ok: true as const, baseId: current.id }
  })
}

/** An archived base stays on the listings that name it; no listing may choose it anew. */
export async function archiveBase(
  db: Db,
  input: BaseActor & { baseId: string },
  clock: Clock,
): Promise<{ ok: true } | { ok: false; error: 'not_found' | 'already_archived' }> {
  if (!allIds(input.orgId, input.actorUserId, input.baseId)) return { ok: false, error: 'not_found' }
  return db.transaction(async (tx) => {
    const [archived] = await tx
      .update(bases)
      .set({ archivedAt: clock.now() })
      .where(
        and(
          eq(bases.id, input.baseId),
          eq(bases.orgId, input.orgId),
          isNull(bases.archivedAt),
          actsForCooperative(input.orgId, input.actorUserId, baseRoles),
        ),
      )
      .returning({ id: bases.id })
    if (archived) return { ok: true as const }
    const [exists] = await tx
      .select({ id: bases.id })
      .from(bases)
      .where(
        and(
          eq(bases.id, input.baseId),
          eq(bases.orgId, input.orgId),
          actsForCooperative(input.orgId, input.actorUserId, baseRoles),
        ),
      )
    return { ok: false as const, error: exists ? ('already_archived' as const) : ('not_found' as const) }
  })
}

export type BaseView = {
  id: string
  name: string
  kind: BaseKind
  regionCode: string
  regionName: string
  description: string
  archived: boolean
  /** How many of the cooperative's listings (archived ones aside) name it. */
  products: number
}

/**
 * The cooperative's bases (any member may read them: the listing form offers the ones in use), in use first;
 * null when the actor does not act for it.
 */
export async function listBases(db: Db, input: BaseActor): Promise<BaseView[] | null> {
  const seller = await sellerFor(db, input.orgId, input.actorUserId, listingRoles)
  if (!seller) return null
  const reference = await referenceData(db)
  const rows = await db
    .select({
      id: bases.id,
      name: bases.name,
      kind: bases.kind,
      regionCode: bases.regionCode,
      description: bases.description,
      archivedAt: bases.archivedAt,
      // Spelled out: in a one-table select drizzle leaves column names unqualified, and a bare "id" here would be p.id.
      products: sql<number>`(select count(*) from products p where p.base_id = bases.id
        and p.status <> 'archived')`.mapWith(Number),
    })
    .from(bases)
    .where(eq(bases.orgId, seller.id))
    .orderBy(sql`${bases.archivedAt} is not null`, asc(bases.name), asc(bases.id))
  return rows.map(({ archivedAt, ...row }) => ({
    ...row,
    regionName: reference.regions.get(row.regionCode)?.name ?? row.regionCode,
    archived: archivedAt !== null,
  }))
}
