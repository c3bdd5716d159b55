import { and, asc, eq, inArray, isNotNull, isNull, type SQL, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import type { Db } from '../../../db/client.server'
import { type OrganizationKind, organizations } from '../../../db/schema/organizations'
import type { Clock } from '../../utils/clock'
import { isUuid } from '../../utils/ids'
import { recordAuditEvent } from '../audit/index.server'
import { referenceData, regionChain } from '../regions/index.server'

/**
 * Supplier admission as on the 832 platform (decision 015): a cooperative or enterprise becomes a seller once an
 * office whose jurisdiction covers its county recommends it (县级推荐) and a platform admin then verifies it. Only
 * an organisation whose registration was verified can be recommended. Both steps are one conditional update each
 * — of two people deciding at once exactly one does — and both are audited in the same transaction.
 */

/** Who acts: the user, and the organisation (office or platform) they act for. */
export type AdmissionActor = { userId: string; orgId: string }

const supplierKinds = ['cooperative', 'enterprise'] as const satisfies readonly OrganizationKind[]

/**
 * The actor is an office admin acting for a verified office whose jurisdiction (a set of region subtrees) holds
 * `region` — a column of the organisation being admitted.
 */
function officeCovers(actor: AdmissionActor, region: SQL | typeof organizations.regionCode): SQL {
  return sql`exists (select 1 from memberships m join organizations office on office.id = m.org_id
    where m.user_id = ${actor.userId}::uuid and m.org_id = ${actor.orgId}::uuid and m.role = 'office_admin'
      and office.kind = 'office' and office.verified_at is not null
      and exists (select 1 from unnest(office.jurisdiction) as j(code)
                  where ${region} like (case when j.code like '__0000' then left(j.code, 2)
                                             when j.code like '____00' then left(j.code, 4)
                                             else j.code end) || '%'))`
}

/** The actor is a platform admin acting for the platform. */
function platformAdmin(actor: AdmissionActor): SQL {
  return sql`exists (select 1 from memberships m join organizations platform on platform.id = m.org_id
    where m.user_id = ${actor.userId}::uuid and m.org_id = ${actor.orgId}::uuid and m.role = 'platform_admin'
      and platform.kind = 'platform')`
}

const isSupplier = inArray(organizations.kind, [...supplierKinds])

export type RecommendSupplierResult =
  | { ok: true; name: string }
  /** Not a cooperative or enterprise in the office's jurisdiction (or the actor recommends for no office). */
  | { ok: false; error: 'not_found' }
  /** Its registration has not been verified yet. */
  | { ok: false; error: 'not_verified' }
  | { ok: false; error: 'already_recommended' }

/** 县级推荐: an office admin recommends a cooperative or enterprise of its jurisdiction as a supplier. */
export async function recommendSupplier(
  db: Db,
  input: {
    supplierOrgId: string
    office: AdmissionActor
    /** What the office says about it (already checked by the form): kept in the audit event. */
    note?: string | null
  },
  clock: Clock,
): Promise<RecommendSupplierResult> {
  if (![input.supplierOrgId, input.office.userId, input.office.orgId].every(isUuid))
    return { ok: false, error: 'not_found' }
  const now = clock.now()
  const covered = officeCovers(input.office, organizations.regionCode)
  return db.transaction(async (tx): Promise<RecommendSupplierResult> => {
    const [recommended] = await tx
      .update(organizations)
      .set({
        sellerRecommendedAt: now,
        sellerRecommendedBy: input.office.userId,
        sellerRecommendingOrg: input.office.orgId,
      })
      .where(
        and(
          eq(organizations.id, input.supplierOrgId),
          isSupplier,
          isNotNull(organizations.verifiedAt),
          isNull(organizations.sellerRecommendedAt),
          covered,
        ),
      )
      .returning({ id: organizations.id, name: organizations.name, regionCode: organizations.regionCode })
    if (!recommended) {
      const [seen] = await tx
        .select({ verifiedAt: organizations.verifiedAt, recommendedAt: organizations.sellerRecommendedAt })
        .from(organizations)
        .where(and(eq(organizations.id, input.supplierOrgId), isSupplier, covered))
      if (!seen) return { ok: false, error: 'not_found' }
      return { ok: false, error: seen.recommendedAt ? 'already_recommended' : 'not_verified' }
    }
    await recordAuditEvent(tx, {
      actorUserId: input.office.userId,
      action: 'supplier.recommended',
      subjectType: 'organization',
      subjectId: recommended.id,
      details: {
        name: recommended.name,
        regionCode: recommended.regionCode,
        office: input.office.orgId,
        ...(input.note ? { note: input.note } : {}),
      },
      occurredAt: now,
    })
    return { ok: true, name: recommended.name }
  })
}

export type VerifySupplierResult =
  | { ok: true; name: string }
  | { ok: false; error: 'not_found' }
  /** No office has recommended it yet: verification comes second. */
  | { ok: false; error: 'not_recommended' }
  | { ok: false; error: 'already_verified' }

/** A platform admin verifies a recommended supplier: from now on it may submit listings for sale. */
export async function verifySupplier(
  db: Db,
  input: { supplierOrgId: string; admin: AdmissionActor },
  clock: Clock,
): Promise<VerifySupplierResult> {
  if (![input.supplierOrgId, input.admin.userId, input.admin.orgId].every(isUuid))
    return { ok: false, error: 'not_found' }
  const now = clock.now()
  const admin = platformAdmin(input.admin)
  return db.transaction(async (tx): Promise<VerifySupplierResult> => {
    const [verified] = await tx
      .update(organizations)
      .set({ sellerVerifiedAt: now, sellerVerifiedBy: input.admin.userId })
      .where(
        and(
          eq(organizations.id, input.supplierOrgId),
          isSupplier,
          isNotNull(organizations.sellerRecommendedAt),
          isNull(organizations.sellerVerifiedAt),
          admin,
        ),
      )
      .returning({
        id: organizations.id,
        name: organizations.name,
        office: organizations.sellerRecommendingOrg,
      })
    if (!verified) {
      const [seen] = await tx
        .select({
          recommendedAt: organizations.sellerRecommendedAt,
          verifiedAt: organizations.sellerVerifiedAt,
        })
        .from(organizations)
        .where(and(eq(organizations.id, input.supplierOrgId), isSupplier, admin))
      if (!seen) return { ok: false, error: 'not_found' }
      return { ok: false, error: seen.verifiedAt ? 'already_verified' : 'not_recommended' }
    }
    await recordAuditEvent(tx, {
      actorUserId: input.admin.userId,
      action: 'supplier.verified',
      subjectType: 'organization',
      subjectId: verified.id,
      details: { name: verified.name, recommendedBy: verified.office },
      occurredAt: now,
    })
    return { ok: true, name: verified.name }
  })
}

export type SupplierCandidate = {
  orgId: string
  name: string
  kind: 'cooperative' | 'enterprise'
  uscc: string | null
  regionCode: string
  /** "甘肃省 定西市 岷县". */
  regionName: string
  /** ISO-8601 instants. */
  registeredAt: string
  recommendedAt: string | null
  /** The recommending office's name (awaiting verification only). */
  recommendedBy: string | null
}

const recommendingOffice = alias(organizations, 'recommending_office')

async function candidates(db: Db, where: SQL | undefined): Promise<SupplierCandidate[]> {
  const [rows, reference] = await Promise.all([
    db
      .select({
        orgId: organizations.id,
        name: organizations.name,
        kind: organizations.kind,
        uscc: organizations.uscc,
        regionCode: organizations.regionCode,
        createdAt: organizations.createdAt,
        recommendedAt: organizations.sellerRecommendedAt,
        recommendedBy: recommendingOffice.name,
      })
      .from(organizations)
      .leftJoin(recommendingOffice, eq(recommendingOffice.id, organizations.sellerRecommendingOrg))
      .where(where)
      .orderBy(asc(organizations.sellerRecommendedAt), asc(organizations.createdAt), asc(organizations.id)),
    referenceData(db),
  ])
  return rows.map((row) => ({
    orgId: row.orgId,
    name: row.name,
    kind: row.kind as SupplierCandidate['kind'],
    uscc: row.uscc,
    regionCode: row.regionCode,
    regionName: regionChain(reference, row.regionCode)
      .map((r) => r.name)
      .filter((name) => !/^(市辖区|县|.*直辖县级行政区划)$/.test(name))
      .join(' '),
    registeredAt: row.createdAt.toISOString(),
    recommendedAt: row.recommendedAt?.toISOString() ?? null,
    recommendedBy: row.recommendedBy,
  }))
}

/**
 * For an office admin: the verified cooperatives and enterprises of the office's jurisdiction that no office has
 * recommended yet, the longest registered first. Empty for anyone who recommends for no office.
 */
export async function listSuppliersAwaitingRecommendation(
  db: Db,
  office: AdmissionActor,
): Promise<SupplierCandidate[]> {
  if (![office.userId, office.orgId].every(isUuid)) return []
  return candidates(
    db,
    and(
      isSupplier,
      isNotNull(organizations.verifiedAt),
      isNull(organizations.sellerRecommendedAt),
      officeCovers(office, organizations.regionCode),
    ),
  )
}

/** For a platform admin: recommended suppliers awaiting verification, the longest waiting first. */
export async function listSuppliersAwaitingVerification(
  db: Db,
  admin: AdmissionActor,
): Promise<SupplierCandidate[]> {
  if (![admin.userId, admin.orgId].every(isUuid)) return []
  return candidates(
    db,
    and(
      isSupplier,
      isNotNull(organizations.sellerRecommendedAt),
      isNull(organizations.sellerVerifiedAt),
      platformAdmin(admin),
    ),
  )
}
