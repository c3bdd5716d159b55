import { and, asc, desc, eq, inArray, isNotNull, isNull, type SQL } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import { countAll, type Db, pgErrorCode } from '../../../db/client.server'
import { type Role, users } from '../../../db/schema/accounts'
import { memberships } from '../../../db/schema/memberships'
import { type OrganizationKind, organizations } from '../../../db/schema/organizations'
import { regions } from '../../../db/schema/regions'
import type { Clock } from '../../utils/clock'
import { type FieldErrors, fieldErrorsOf } from '../../utils/validation'
import { isInSubtree } from '../regions'
import { placeableRegion, referenceData } from '../regions/index.server'
import { recordAuditEvent } from '../audit/index.server'
import {
  type OfficeField,
  type OfficeInput,
  officeSchema,
  type RegistrableKind,
  type RegistrationField,
  type RegistrationInput,
  registrationSchema,
  rejectionSchema,
  type ReviewStatusFilter,
} from './forms'
import { markSessionsForRotation } from '../accounts/index.server'

export type OrganizationStatus = 'verified' | 'pending' | 'rejected'

/** The role a user gets in an organisation they register: its administrator. */
const adminRoleOf: Record<RegistrableKind, Role> = {
  gov_unit: 'unit_admin',
  trade_union: 'unit_admin',
  enterprise: 'unit_admin',
  cooperative: 'coop_admin',
}

function statusOf(row: { verifiedAt: Date | null; rejectedAt: Date | null }): OrganizationStatus {
  if (row.verifiedAt) return 'verified'
  if (row.rejectedAt) return 'rejected'
  return 'pending'
}

function isUsccConflict(error: unknown): boolean {
  if (pgErrorCode(error) !== '23505') return false
  // The violated constraint is organizations_uscc_unique: postgres.js names it in constraint_name, PGlite in
  // constraint; both repeat it in the message.
  const cause = (error as { cause?: { constraint_name?: string; constraint?: string; message?: string } })
    .cause
  return `${cause?.constraint_name ?? ''} ${cause?.constraint ?? ''} ${cause?.message ?? ''}`.includes('uscc')
}

// ---------------------------------------------------------------------------------------------------------------
// Region names for display: "甘肃省 定西市 岷县". Grouping rows such as 市辖区 or 省直辖县级行政区划 are no place
// names and are left out.

const parentRegion = alias(regions, 'parent_region')
const grandparentRegion = alias(regions, 'grandparent_region')
const regionLabelColumns = {
  regionName: regions.name,
  parentName: parentRegion.name,
  grandparentName: grandparentRegion.name,
}
const GROUPING_NAME = /^(市辖区|县|.*直辖县级行政区划)$/

function regionLabel(row: {
  regionName: string | null
  parentName: string | null
  grandparentName: string | null
}): string {
  return [row.grandparentName, row.parentName, row.regionName]
    .filter((name): name is string => name !== null && !GROUPING_NAME.test(name))
    .join(' ')
}

// ---------------------------------------------------------------------------------------------------------------
// Registration

export type RegisterOrganizationInput = RegistrationInput & { userId: string }

/** Field problems are i18n keys, in the shape of a form's reply. */
export type RegisterOrganizationResult =
  | { ok: true; orgId: string }
  | { ok: false; errors: FieldErrors<RegistrationField> }

/**
 * A user registers a unit, trade union, enterprise or cooperative. It starts pending (a platform admin verifies
 * it); the user becomes its administrator at once, so they can follow the review and invite colleagues. Nothing
 * is written unless everything is valid: the organisation, the membership and the session flag are one transaction.
 */
export async function registerOrganization(
  db: Db,
  input: RegisterOrganizationInput,
): Promise<RegisterOrganizationResult> {
  const parsed = registrationSchema.safeParse(input)
  if (!parsed.success) return { ok: false, errors: fieldErrorsOf(parsed.error) }
  const values = parsed.data

  // Organisations sit where products and buyers do (the regions domain says how precise that is).
  const place = placeableRegion(await referenceData(db), values.regionCode)
  if (place === 'unknown') return { ok: false, errors: { regionCode: ['orgForm.error.regionCode.unknown'] } }
  if (place === 'too_coarse')
    return { ok: false, errors: { regionCode: ['orgForm.error.regionCode.notLeaf'] } }

  try {
    const orgId = await db.transaction(async (tx) => {
      const [org] = await tx
        .insert(organizations)
        .values({
          kind: values.kind,
          name: values.name,
          uscc: values.uscc,
          regionCode: values.regionCode,
          contactName: values.contactName,
          contactPhone: values.contactPhone,
          submittedBy: input.userId,
          isDemo: false,
        })
        .returning({ id: organizations.id })
      if (!org) throw new Error('insert into organizations returned no row')
      await tx
        .insert(memberships)
        .values({ userId: input.userId, orgId: org.id, role: adminRoleOf[values.kind] })
      // The user's roles changed: every live session gets a new id on its next request.
      await markSessionsForRotation(tx, input.userId)
      return org.id
    })
    return { ok: true, orgId }
  } catch (error) {
    if (isUsccConflict(error)) return { ok: false, errors: { uscc: ['orgForm.error.uscc.taken'] } }
    throw error
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The user's own organisations

export type MyOrganization = {
  orgId: string
  name: string
  kind: OrganizationKind
  role: Role
  status: OrganizationStatus
  /** Only for rejected organisations: what the reviewer said. */
  rejectedReason: string | null
  regionCode: string
  regionName: string
  isDemo: boolean
}

export async function listMyOrganizations(db: Db, userId: string): Promise<MyOrganization[]> {
  const rows = await db
    .select({
      orgId: organizations.id,
      name: organizations.name,
      kind: organizations.kind,
      role: memberships.role,
      verifiedAt: organizations.verifiedAt,
      rejectedAt: organizations.rejectedAt,
      rejectedReason: organizations.rejectedReason,
      regionCode: organizations.regionCode,
      isDemo: organizations.isDemo,
      ...regionLabelColumns,
    })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .innerJoin(regions, eq(regions.code, organizations.regionCode))
    .leftJoin(parentRegion, eq(parentRegion.code, regions.parentCode))
    .leftJoin(grandparentRegion, eq(grandparentRegion.code, parentRegion.parentCode))
    .where(eq(memberships.userId, userId))
    .orderBy(desc(organizations.createdAt), asc(organizations.name))
  return rows.map((row) => {
    const status = statusOf(row)
    return {
      orgId: row.orgId,
      name: row.name,
      kind: row.kind,
      role: row.role,
      status,
      rejectedReason: status === 'rejected' ? row.rejectedReason : null,
      regionCode: row.regionCode,
      regionName: regionLabel(row),
      isDemo: row.isDemo,
    }
  })
}

// ---------------------------------------------------------------------------------------------------------------
// Review by platform admins

export type OrganizationForReview = {
  id: string
  name: string
  kind: OrganizationKind
  uscc: string | null
  regionCode: string
  regionName: string
  contactName: string | null
  contactPhone: string | null
  submitterName: string | null
  /** ISO-8601 instant. */
  createdAt: string
  status: OrganizationStatus
  rejectedReason: string | null
  isDemo: boolean
}

export type ReviewPage = {
  items: OrganizationForReview[]
  total: number
  page: number
  pageSize: number
  /** How many organisations wait for review, whatever the filter (for the tab label). */
  pendingCount: number
}

const pendingCondition = and(isNull(organizations.verifiedAt), isNull(organizations.rejectedAt))

function statusCondition(status: ReviewStatusFilter): SQL | undefined {
  switch (status) {
    case 'pending':
      return pendingCondition
    case 'verified':
      return isNotNull(organizations.verifiedAt)
    case 'rejected':
      return and(isNull(organizations.verifiedAt), isNotNull(organizations.rejectedAt))
    case 'all':
      return undefined
  }
}

export async function listOrganizationsForReview(
  db: Db,
  query: { status: ReviewStatusFilter; page: number; pageSize: number },
): Promise<ReviewPage> {
  const where = statusCondition(query.status)
  const page = Math.max(1, Math.floor(query.page))
  const pageSize = Math.min(100, Math.max(1, Math.floor(query.pageSize)))
  // The review queue is worked oldest first; the other lists show the newest first.
  const order =
    query.status === 'pending'
      ? [asc(organizations.createdAt), asc(organizations.id)]
      : [desc(organizations.createdAt), asc(organizations.id)]
  const [rows, [totalRow], [pendingRow]] = await Promise.all([
    db
      .select({
        id: organizations.id,
        name: organizations.name,
        kind: organizations.kind,
        uscc: organizations.uscc,
        regionCode: organizations.regionCode,
        contactName: organizations.contactName,
        contactPhone: organizations.contactPhone,
        submitterName: users.displayName,
        createdAt: organizations.createdAt,
        verifiedAt: organizations.verifiedAt,
        rejectedAt: organizations.rejectedAt,
        rejectedReason: organizations.rejectedReason,
        isDemo: organizations.isDemo,
        ...regionLabelColumns,
      })
      .from(organizations)
      .innerJoin(regions, eq(regions.code, organizations.regionCode))
      .leftJoin(parentRegion, eq(parentRegion.code, regions.parentCode))
      .leftJoin(grandparentRegion, eq(grandparentRegion.code, parentRegion.parentCode))
      .leftJoin(users, eq(users.id, organizations.submittedBy))
      .where(where)
      .orderBy(...order)
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ n: countAll }).from(organizations).where(where),
    db.select({ n: countAll }).from(organizations).where(pendingCondition),
  ])
  return {
    items: rows.map((row) => {
      const status = statusOf(row)
      return {
        id: row.id,
        name: row.name,
        kind: row.kind,
        uscc: row.uscc,
        regionCode: row.regionCode,
        regionName: regionLabel(row),
        contactName: row.contactName,
        contactPhone: row.contactPhone,
        submitterName: row.submitterName,
        createdAt: row.createdAt.toISOString(),
        status,
        rejectedReason: status === 'rejected' ? row.rejectedReason : null,
        isDemo: row.isDemo,
      }
    }),
    total: totalRow?.n ?? 0,
    page,
    pageSize,
    pendingCount: pendingRow?.n ?? 0,
  }
}

export type ReviewDecision = 'verify' | 'reject'

export type ReviewResult =
  | { ok: true; status: 'verified' | 'rejected'; name: string }
  | { ok: false; error: 'not_found' | 'not_pending' }
  | { ok: false; error: 'invalid'; errors: FieldErrors<'reason'> }

/**
 * Verifies or rejects a pending organisation. Only pending ones: a decision is final here (an organisation that
 * was rejected registers again with corrected details). The update is conditional, so two admins deciding at once
 * cannot both succeed.
 */
export async function reviewOrganization(
  db: Db,
  input: { orgId: string; reviewerId: string; decision: ReviewDecision; reason?: string | null },
  clock: Clock,
): Promise<ReviewResult> {
  let reason: string | null = null
  if (input.decision === 'reject') {
    const parsed = rejectionSchema.safeParse({ reason: input.reason ?? '' })
    if (!parsed.success) return { ok: false, error: 'invalid', errors: fieldErrorsOf(parsed.error) }
    reason = parsed.data.reason
  }
  const now = clock.now()
  const decided =
    input.decision === 'verify'
      ? { verifiedAt: now, reviewedBy: input.reviewerId }
      : { rejectedAt: now, rejectedReason: reason, reviewedBy: input.reviewerId }

  return db.transaction(async (tx): Promise<ReviewResult> => {
    const [updated] = await tx
      .update(organizations)
      .set(decided)
      .where(and(eq(organizations.id, input.orgId), pendingCondition))
      .returning({ id: organizations.id, name: organizations.name })
    if (!updated) {
      const [exists] = await tx
        .select({ id: organizations.id })
        .from(organizations)
        .where(eq(organizations.id, input.orgId))
      return { ok: false, error: exists ? 'not_pending' : 'not_found' }
    }
    // In this transaction, so that a decision and its audit record are written together or not at all.
    await recordAuditEvent(tx, {
      actorUserId: input.reviewerId,
      action: input.decision === 'verify' ? 'organization.verified' : 'organization.rejected',
      subjectType: 'organization',
      subjectId: updated.id,
      details: { name: updated.name, reason },
      occurredAt: now,
    })
    return { ok: true, status: input.decision === 'verify' ? 'verified' : 'rejected', name: updated.name }
  })
}

// ---------------------------------------------------------------------------------------------------------------
// Offices (帮扶工作机构), created by platform admins

export type CreateOfficeInput = Omit<OfficeInput, 'uscc'> & { uscc?: string | null; createdBy: string }

export type CreateOfficeResult =
  | { ok: true; orgId: string; jurisdiction: Array<{ code: string; name: string }> }
  | { ok: false; errors: FieldErrors<OfficeField>; unknownCodes?: string[] }

/**
 * The smallest set of region codes with the same subtrees: duplicates go, and so does a code inside another
 * code's subtree (621126 岷县 inside 621100 定西市).
 */
export function normalizeJurisdiction(codes: readonly string[]): string[] {
  const unique = [...new Set(codes)].sort()
  return unique.filter((code) => !unique.some((other) => other !== code && isInSubtree(code, other)))
}

/**
 * An office is verified on creation (the platform admin creating it is the check). Its jurisdiction is a set of
 * region subtrees, on the helping and/or the helped side (福州市 ∪ 定西市); every code must exist.
 */
export async function createOffice(
  db: Db,
  input: CreateOfficeInput,
  clock: Clock,
): Promise<CreateOfficeResult> {
  const parsed = officeSchema.safeParse({
    name: input.name,
    regionCode: input.regionCode,
    uscc: input.uscc ?? undefined,
    jurisdiction: input.jurisdiction,
  })
  if (!parsed.success) return { ok: false, errors: fieldErrorsOf(parsed.error) }
  const values = parsed.data
  const jurisdiction = normalizeJurisdiction(values.jurisdiction)

  const known = await db
    .select({ code: regions.code, name: regions.name })
    .from(regions)
    .where(inArray(regions.code, [...new Set([values.regionCode, ...values.jurisdiction])]))
  const names = new Map(known.map((r) => [r.code, r.name]))
  const errors: FieldErrors<OfficeField> = {}
  if (!names.has(values.regionCode)) errors.regionCode = ['orgForm.error.regionCode.unknown']
  const unknownCodes = [...new Set(values.jurisdiction)].filter((code) => !names.has(code))
  if (unknownCodes.length > 0) errors.jurisdiction = ['officeForm.error.jurisdiction.unknown']
  if (Object.keys(errors).length > 0) {
    return unknownCodes.length > 0 ? { ok: false, errors, unknownCodes } : { ok: false, errors }
  }

  const now = clock.now()
  try {
    const office = await db.transaction(async (tx) => {
      const [inserted] = await tx
        .insert(organizations)
        .values({
          kind: 'office',
          name: values.name,
          uscc: values.uscc ?? null,
          regionCode: values.regionCode,
          jurisdiction,
          verifiedAt: now,
          reviewedBy: input.createdBy,
          isDemo: false,
        })
        .returning({ id: organizations.id })
      if (!inserted) throw new Error('insert into organizations returned no row')
      await recordAuditEvent(tx, {
        actorUserId: input.createdBy,
        action: 'office.created',
        subjectType: 'organization',
        subjectId: inserted.id,
        details: { name: values.name, regionCode: values.regionCode, jurisdiction },
        occurredAt: now,
      })
      return inserted
    })
    return {
      ok: true,
      orgId: office.id,
      jurisdiction: jurisdiction.map((code) => ({ code, name: names.get(code) ?? code })),
    }
  } catch (error) {
    if (isUsccConflict(error)) return { ok: false, errors: { uscc: ['orgForm.error.uscc.taken'] } }
    throw error
  }
}
