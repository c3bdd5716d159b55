import { and, asc, desc, eq, inArray, like, or, type SQL, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import { countAll, type Db, pgErrorCode } from '../../../db/client.server'
import { bases, priceTiers, type ProductStatus, products } from '../../../db/schema/catalog'
import { organizations } from '../../../db/schema/organizations'
import { regions } from '../../../db/schema/regions'
import { type Clock, shanghaiDate, systemClock } from '../../utils/clock'
import type { MessageKey } from '../../utils/i18n'
import { fileUrl } from '../../services/files/keys.server'
import { recordAuditEvent } from '../audit/index.server'
import { type ReferenceData, referenceData } from '../regions/index.server'
import { certifiedOn } from './catalog.server'
import { type ProductCategory } from './constants'
import {
  actsForCooperative,
  allIds,
  listingRoles,
  placeIssue,
  type Seller,
  sellerFor,
} from './console-access.server'
import { type FormErrors, formError, parseForm } from './form-fields'
import {
  type ListingStatusFilter,
  type ListingValues,
  listingSchema,
  needsPriceReview,
  newListingSchema,
  rejectionReasonSchema,
  type ReviewDecision,
  yuanInput,
} from './listing-forms'
import { recordProductChange } from './product-changes.server'
import { firstFreeSlug, slugFromName } from './slugs'

/**
 * A cooperative's listings and their review (docs/architecture.md §2, decision 015): created as drafts, submitted
 * by an admitted seller, approved or rejected by a reviewer, archived by the cooperative. Every function is one
 * transaction; who may act is part of its queries; every change records the product in the search outbox, and
 * every status change writes an audit event, in that same transaction.
 */

export type ListingActor = { orgId: string; actorUserId: string }

export type ListingFailure =
  /** Not a listing of this cooperative, or the actor does not act for it. */
  { ok: false; error: 'not_found' } | { ok: false; error: 'invalid'; errors: FormErrors }

export type CreateListingResult = { ok: true; productId: string; sku: string; slug: string } | ListingFailure

export type UpdateListingResult =
  | {
      ok: true
      status: ProductStatus
      /** An active listing whose price moved more than 30% from the approved price went back to review. */
      sentToReview: boolean
    }
  | ListingFailure
  | { ok: false; error: 'archived' }

const originMessages = {
  unknown: 'listing.error.origin.unknown',
  outside: 'listing.error.origin.outsideArea',
  not_county: 'listing.error.origin.notCounty',
} as const satisfies Record<string, MessageKey>

/** The checks the form cannot make: the origin lies in the cooperative's area, the base is its own and in use. */
async function placeAndBaseErrors(
  tx: Db,
  reference: ReferenceData,
  seller: Seller,
  values: Pick<ListingValues, 'originCode' | 'baseId'>,
  currentBaseId: string | null,
): Promise<FormErrors | null> {
  const errors: FormErrors = {}
  const origin = placeIssue(reference.regions, seller.regionCode, values.originCode)
  if (origin) errors.originCode = [originMessages[origin]]
  if (values.baseId) {
    const [base] = await tx
      .select({ archivedAt: bases.archivedAt })
      .from(bases)
      .where(and(eq(bases.id, values.baseId), eq(bases.orgId, seller.id)))
    if (!base) errors.baseId = ['listing.error.base.unknown']
    // An archived base stays on the listings that named it; no listing may choose it anew.
    else if (base.archivedAt && values.baseId !== currentBaseId)
      errors.baseId = ['listing.error.base.archived']
  }
  return Object.keys(errors).length > 0 ? errors : null
}

/** Which unique constraint a failed insert or update violated. */
function uniqueViolation(error: unknown): 'sku' | 'slug' | null {
  if (pgErrorCode(error) !== '23505') return null
  // postgres.js names the constraint in constraint_name, PGlite in constraint; both repeat it in the message.
  const cause = (error as { cause?: { constraint_name?: string; constraint?: string; message?: string } })
    .cause
  const text = `${cause?.constraint_name ?? ''} ${cause?.constraint ?? ''} ${cause?.message ?? ''}`
  if (text.includes('products_sku')) return 'sku'
  if (text.includes('products_slug')) return 'slug'
  return null
}

const skuTaken = formError('sku', 'listing.error.sku.taken')

/** The pinyin of the name, made unique with -2, -3 …; a name without letters falls back to the SKU. */
async function freeSlug(tx: Db, values: Pick<ListingValues, 'name' | 'sku'>): Promise<string> {
  const wanted =
    slugFromName(values.name) ||
    values.sku
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
  const rows = await tx
    .select({ slug: products.slug })
    .from(products)
    .where(or(eq(products.slug, wanted), like(products.slug, `${wanted}-%`)))
  return firstFreeSlug(wanted, new Set(rows.map((r) => r.slug)))
}

async function writeTiers(tx: Db, productId: string, tiers: ListingValues['tiers']): Promise<void> {
  if (tiers.length === 0) return
  await tx
    .insert(priceTiers)
    .values(tiers.map((tier) => ({ productId, minQty: tier.minQty, unitPriceFen: tier.unitPrice })))
}

function listingColumns(values: ListingValues) {
  return {
    baseId: values.baseId,
    sku: values.sku,
    name: values.name,
    description: values.description,
    category: values.category,
    originCode: values.originCode,
    unit: values.unit,
    priceFen: values.price,
    minOrderQty: values.minOrderQty,
  }
}

/**
 * A cooperative member creates a listing: a draft, with its opening stock, that nobody else sees until it is
 * submitted and approved. The slug is the name's pinyin, made unique.
 */
export async function createListing(
  db: Db,
  input: ListingActor & { form: unknown },
  clock: Clock,
): Promise<CreateListingResult> {
  const parsed = parseForm(newListingSchema, input.form)
  if (!parsed.ok) return { ok: false, error: 'invalid', errors: parsed.errors }
  const values = parsed.data
  const reference = await referenceData(db)
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(async (tx): Promise<CreateListingResult> => {
        const seller = await sellerFor(tx, input.orgId, input.actorUserId, listingRoles)
        if (!seller) return { ok: false, error: 'not_found' }
        const errors = await placeAndBaseErrors(tx, reference, seller, values, null)
        if (errors) return { ok: false, error: 'invalid', errors }
        const slug = await freeSlug(tx, values)
        const now = clock.now()
        const [row] = await tx
          .insert(products)
          .values({
            ...listingColumns(values),
            orgId: seller.id,
            slug,
            stock: values.stock,
            status: 'draft',
            isDemo: false,
            createdAt: now,
            updatedAt: now,
          })
          .returning({ id: products.id })
        if (!row) throw new Error('insert into products returned no row')
        await writeTiers(tx, row.id, values.tiers)
        await recordProductChange(tx, [values.sku])
        return { ok: true, productId: row.id, sku: values.sku, slug }
      })
    } catch (error) {
      const conflict = uniqueViolation(error)
      if (conflict === 'sku') return { ok: false, error: 'invalid', errors: skuTaken.errors }
      // Two listings of one name created at the same moment: the other took the slug; choose again.
      if (conflict === 'slug' && attempt < 3) continue
      throw error
    }
  }
}

/**
 * Edits a listing (not its stock: that is an adjustment with a reason, stock.server.ts). The slug stays: links to
 * the product keep working after a rename. An active listing whose price moves more than 30% from the approved
 * price goes back to review (needsPriceReview), and the result says so; other edits keep the status — a rejected
 * listing stays rejected, with its reason, until it is submitted again.
 */
export async function updateListing(
  db: Db,
  input: ListingActor & { productId: string; form: unknown },
  clock: Clock,
): Promise<UpdateListingResult> {
  const parsed = parseForm(listingSchema, input.form)
  if (!parsed.ok) return { ok: false, error: 'invalid', errors: parsed.errors }
  const values = parsed.data
  if (!allIds(input.productId)) return { ok: false, error: 'not_found' }
  const reference = await referenceData(db)
  try {
    return await db.transaction(async (tx): Promise<UpdateListingResult> => {
      const seller = await sellerFor(tx, input.orgId, input.actorUserId, listingRoles)
      if (!seller) return { ok: false, error: 'not_found' }
      const [current] = await tx
        .select({
          id: products.id,
          sku: products.sku,
          status: products.status,
          baseId: products.baseId,
          approvedPriceFen: products.approvedPriceFen,
        })
        .from(products)
        .where(and(eq(products.id, input.productId), eq(products.orgId, seller.id)))
        .for('no key update')
      if (!current) return { ok: false, error: 'not_found' }
      if (current.status === 'archived') return { ok: false, error: 'archived' }
      const errors = await placeAndBaseErrors(tx, reference, seller, values, current.baseId)
      if (errors) return { ok: false, error: 'invalid', errors }

      const now = clock.now()
      const repriced = current.status === 'active' && needsPriceReview(current.approvedPriceFen, values.price)
      await tx
        .update(products)
        .set({
          ...listingColumns(values),
          updatedAt: now,
          ...(repriced ? { status: 'pending' as const, submittedAt: now } : {}),
        })
        .where(eq(products.id, current.id))
      await tx.delete(priceTiers).where(eq(priceTiers.productId, current.id))
      await writeTiers(tx, current.id, values.tiers)
      // A new SKU is a new document for the index, and the old one must go.
      await recordProductChange(tx, [...new Set([current.sku, values.sku])])
      if (repriced) {
        await recordAuditEvent(tx, {
          actorUserId: input.actorUserId,
          action: 'listing.resubmitted_for_price',
          subjectType: 'product',
          subjectId: current.id,
          details: { sku: values.sku, approvedPriceFen: current.approvedPriceFen, priceFen: values.price },
          occurredAt: now,
        })
      }
      return { ok: true, status: repriced ? 'pending' : current.status, sentToReview: repriced }
    })
  } catch (error) {
    if (uniqueViolation(error) === 'sku') return { ok: false, error: 'invalid', errors: skuTaken.errors }
    throw error
  }
}

export type SubmitListingResult =
  | { ok: true }
  | { ok: false; error: 'not_found' }
  /** The cooperative has not completed supplier admission (县级推荐 and the platform's verification). */
  | { ok: false; error: 'not_admitted' }
  /** Only drafts and rejected listings are submitted; the listing is in `status`. */
  | { ok: false; error: 'not_submittable'; status: ProductStatus }

/** Draft or rejected → pending: the listing joins the review queue. Only an admitted seller may submit. */
export async function submitListing(
  db: Db,
  input: ListingActor & { productId: string },
  clock: Clock,
): Promise<SubmitListingResult> {
  if (!allIds(input.productId)) return { ok: false, error: 'not_found' }
  return db.transaction(async (tx): Promise<SubmitListingResult> => {
    const seller = await sellerFor(tx, input.orgId, input.actorUserId, listingRoles)
    if (!seller) return { ok: false, error: 'not_found' }
    const [current] = await tx
      .select({ id: products.id, sku: products.sku, status: products.status })
      .from(products)
      .where(and(eq(products.id, input.productId), eq(products.orgId, seller.id)))
      .for('no key update')
    if (!current) return { ok: false, error: 'not_found' }
    if (!seller.admitted) return { ok: false, error: 'not_admitted' }
    if (current.status !== 'draft' && current.status !== 'rejected')
      return { ok: false, error: 'not_submittable', status: current.status }
    const now = clock.now()
    await tx
      .update(products)
      .set({ status: 'pending', submittedAt: now, rejectionReason: null, updatedAt: now })
      .where(eq(products.id, current.id))
    await recordProductChange(tx, [current.sku])
    await recordAuditEvent(tx, {
      actorUserId: input.actorUserId,
      action: 'listing.submitted',
      subjectType: 'product',
      subjectId: current.id,
      details: { sku: current.sku, from: current.status },
      occurredAt: now,
    })
    return { ok: true }
  })
}

export type ArchiveListingResult =
  | { ok: true }
  | { ok: false; error: 'not_found' }
  | { ok: false; error: 'already_archived' }

/** Any status → archived: off the storefront and out of search; orders already placed are not touched. */
export async function archiveListing(
  db: Db,
  input: ListingActor & { productId: string },
  clock: Clock,
): Promise<ArchiveListingResult> {
  if (!allIds(input.productId)) return { ok: false, error: 'not_found' }
  return db.transaction(async (tx): Promise<ArchiveListingResult> => {
    const seller = await sellerFor(tx, input.orgId, input.actorUserId, listingRoles)
    if (!seller) return { ok: false, error: 'not_found' }
    const [current] = await tx
      .select({ id: products.id, sku: products.sku, status: products.status })
      .from(products)
      .where(and(eq(products.id, input.productId), eq(products.orgId, seller.id)))
      .for('no key update')
    if (!current) return { ok: false, error: 'not_found' }
    if (current.status === 'archived') return { ok: false, error: 'already_archived' }
    const now = clock.now()
    await tx.update(products).set({ status: 'archived', updatedAt: now }).where(eq(products.id, current.id))
    await recordProductChange(tx, [current.sku])
    await recordAuditEvent(tx, {
      actorUserId: input.actorUserId,
      action: 'listing.archived',
      subjectType: 'product',
      subjectId: current.id,
      details: { sku: current.sku, from: current.status },
      occurredAt: now,
    })
    return { ok: true }
  })
}

// ---------------------------------------------------------------------------------------------------------------
// Review

/** Who reviews: the organisation they act for, and themselves. */
export type Reviewer = { userId: string; orgId: string }

/**
 * The reviewer may decide on this product: a platform admin acting for the platform, or an office admin or analyst
 * acting for a verified office whose jurisdiction (a set of region subtrees) holds the product's origin.
 */
function reviewerCovers(reviewer: Reviewer): SQL {
  return sql`exists (select 1 from memberships m join organizations o on o.id = m.org_id
    where m.user_id = ${reviewer.userId}::uuid and m.org_id = ${reviewer.orgId}::uuid and (
      (o.kind = 'platform' and m.role = 'platform_admin')
      or (o.kind = 'office' and o.verified_at is not null and m.role in ('office_admin', 'office_analyst')
          and exists (select 1 from unnest(o.jurisdiction) as j(code)
                      where ${products.originCode} like (case when j.code like '__0000' then left(j.code, 2)
                                                             when j.code like '____00' then left(j.code, 4)
                                                             else j.code end) || '%'))))`
}

export type ReviewListingResult =
  | { ok: true; status: 'active' | 'rejected' }
  | { ok: false; error: 'not_found' }
  | { ok: false; error: 'invalid'; errors: FormErrors }
  /** Someone decided first (or the cooperative archived it): the listing is in `status` now. */
  | { ok: false; error: 'already_decided'; status: ProductStatus }

/**
 * Approves or rejects a pending listing. One conditional update: of two reviewers deciding at once, exactly one
 * decides and the other is told the listing is already decided. Approval records the price it saw (the base of
 * the 30% rule) and clears an earlier rejection's reason.
 */
export async function reviewListing(
  db: Db,
  input: { productId: string; reviewer: Reviewer; decision: ReviewDecision; reason?: string | null },
  clock: Clock,
): Promise<ReviewListingResult> {
  let reason: string | null = null
  if (input.decision === 'reject') {
    const parsed = parseForm(rejectionReasonSchema, { reason: input.reason ?? '' })
    if (!parsed.ok) return { ok: false, error: 'invalid', errors: parsed.errors }
    reason = parsed.data.reason
  } else if (input.decision !== 'approve') {
    return {
      ok: false,
      error: 'invalid',
      errors: formError('decision', 'listing.error.decision.required').errors,
    }
  }
  if (!allIds(input.productId, input.reviewer.userId, input.reviewer.orgId))
    return { ok: false, error: 'not_found' }
  const now = clock.now()
  const covered = reviewerCovers(input.reviewer)
  return db.transaction(async (tx): Promise<ReviewListingResult> => {
    const [decided] = await tx
      .update(products)
      .set(
        input.decision === 'approve'
          ? {
              status: 'active',
              approvedPriceFen: sql`${products.priceFen}`,
              reviewedAt: now,
              reviewedBy: input.reviewer.userId,
              rejectionReason: null,
            }
          : {
              status: 'rejected',
              reviewedAt: now,
              reviewedBy: input.reviewer.userId,
              rejectionReason: reason,
            },
      )
      .where(and(eq(products.id, input.productId), eq(products.status, 'pending'), covered))
      .returning({ id: products.id, sku: products.sku, priceFen: products.priceFen })
    if (!decided) {
      const [seen] = await tx
        .select({ status: products.status })
        .from(products)
        .where(and(eq(products.id, input.productId), covered))
      return seen
        ? { ok: false, error: 'already_decided', status: seen.status }
        : { ok: false, error: 'not_found' }
    }
    await recordProductChange(tx, [decided.sku])
    await recordAuditEvent(tx, {
      actorUserId: input.reviewer.userId,
      action: input.decision === 'approve' ? 'listing.approved' : 'listing.rejected',
      subjectType: 'product',
      subjectId: decided.id,
      details:
        input.decision === 'approve'
          ? { sku: decided.sku, priceFen: decided.priceFen }
          : { sku: decided.sku, reason },
      occurredAt: now,
    })
    return { ok: true, status: input.decision === 'approve' ? 'active' : 'rejected' }
  })
}

/** Why a listing waits for review: the cooperative submitted it, or its price moved more than 30%. */
export type PendingBecause = 'submitted' | 'price_change'

function pendingBecause(row: {
  status: ProductStatus
  priceFen: bigint
  approvedPriceFen: bigint | null
}): PendingBecause | null {
  if (row.status !== 'pending') return null
  return needsPriceReview(row.approvedPriceFen, row.priceFen) ? 'price_change' : 'submitted'
}

const parentRegion = alias(regions, 'parent_region')

/** A view model (loaders send it as JSON): fen as numbers, safe for any price the form accepts. */
export type ReviewQueueItem = {
  productId: string
  sku: string
  name: string
  category: ProductCategory
  unit: string
  priceFen: number
  /** The price the last approval saw (null for a listing never approved). */
  approvedPriceFen: number | null
  because: PendingBecause
  description: string
  originCode: string
  originName: string
  originParentName: string | null
  cooperative: string
  /** ISO-8601 instant. */
  submittedAt: string | null
  tiers: Array<{ minQty: number; unitPriceFen: number }>
  /** The cover photo at card size, or null when the listing has no photo yet. */
  coverUrl: string | null
  /** Its certificates (扶贫/帮扶产品认定), the latest first; `validToday` on the reviewer's (Asia/Shanghai) today. */
  certifications: Array<{
    body: string
    number: string
    /** YYYY-MM-DD. */
    validFrom: string
    validUntil: string
    reliefMode: string
    validToday: boolean
  }>
}

/**
 * The pending listings a reviewer may decide on (all of them for a platform admin, those from their jurisdiction
 * for an office), the longest waiting first. Someone who reviews nothing gets an empty queue.
 */
export async function listReviewQueue(
  db: Db,
  viewer: Reviewer,
  paging: { page: number; pageSize: number } = { page: 1, pageSize: 50 },
  clock: Clock = systemClock,
): Promise<{ items: ReviewQueueItem[]; total: number; page: number; pageSize: number }> {
  const today = shanghaiDate(clock.now())
  const page = Math.max(1, Math.floor(paging.page))
  const pageSize = Math.min(100, Math.max(1, Math.floor(paging.pageSize)))
  if (!allIds(viewer.userId, viewer.orgId)) return { items: [], total: 0, page, pageSize }
  const where = and(eq(products.status, 'pending'), reviewerCovers(viewer))
  const [rows, [total]] = await Promise.all([
    db
      .select({
        productId: products.id,
        sku: products.sku,
        name: products.name,
        category: products.category,
        unit: products.unit,
        status: products.status,
        priceFen: products.priceFen,
        approvedPriceFen: products.approvedPriceFen,
        description: products.description,
        originCode: products.originCode,
        originName: regions.name,
        originParentName: parentRegion.name,
        cooperative: organizations.name,
        submittedAt: products.submittedAt,
        tiers: tiersOf,
        coverFile: coverOf,
        certifications: certificationsOf(today),
      })
      .from(products)
      .innerJoin(organizations, eq(organizations.id, products.orgId))
      .innerJoin(regions, eq(regions.code, products.originCode))
      .leftJoin(parentRegion, eq(parentRegion.code, regions.parentCode))
      .where(where)
      .orderBy(asc(products.submittedAt), asc(products.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ n: countAll }).from(products).where(where),
  ])
  return {
    items: rows.map((row) => ({
      productId: row.productId,
      sku: row.sku,
      name: row.name,
      category: row.category,
      unit: row.unit,
      priceFen: Number(row.priceFen),
      approvedPriceFen: row.approvedPriceFen === null ? null : Number(row.approvedPriceFen),
      because: pendingBecause(row) ?? 'submitted',
      description: row.description,
      originCode: row.originCode,
      originName: row.originName,
      originParentName: row.originParentName,
      cooperative: row.cooperative,
      submittedAt: row.submittedAt?.toISOString() ?? null,
      tiers: parseTiers(row.tiers).map((t) => ({ minQty: t.minQty, unitPriceFen: Number(t.unitPriceFen) })),
      coverUrl: row.coverFile ? fileUrl(row.coverFile) : null,
      certifications: parseCertifications(row.certifications),
    })),
    total: total?.n ?? 0,
    page,
    pageSize,
  }
}

/**
 * A listing's tiers as [min_qty, fen as text] pairs. Spelled out with the table's name: in a one-table select drizzle
 * leaves column names unqualified, and inside a subquery an unqualified name can bind to the inner table.
 */
const tiersOf = sql<Array<[number, string]>>`coalesce((select json_agg(json_build_array(t.min_qty,
  t.unit_price_fen::text) order by t.min_qty) from price_tiers t where t.product_id = products.id), '[]'::json)`

/** A listing's certificates as [body, number, from, until, relief mode, valid today] rows, the latest first. */
function certificationsOf(today: string) {
  return sql<unknown>`coalesce((select json_agg(json_build_array(c.body, c.number, c.valid_from::text,
    c.valid_until::text, c.relief_mode, ${today}::date between c.valid_from and c.valid_until)
    order by c.valid_from desc, c.created_at desc) from certifications c where c.product_id = products.id), '[]'::json)`
}

function parseCertifications(value: unknown): ReviewQueueItem['certifications'] {
  const rows = (typeof value === 'string' ? JSON.parse(value) : value) as Array<
    [string, string, string, string, string, boolean]
  >
  return rows.map(([body, number, validFrom, validUntil, reliefMode, validToday]) => ({
    body,
    number,
    validFrom,
    validUntil,
    reliefMode,
    validToday: validToday === true,
  }))
}

function parseTiers(value: unknown): Array<{ minQty: number; unitPriceFen: bigint }> {
  const pairs = (typeof value === 'string' ? JSON.parse(value) : value) as Array<[number, string]>
  return pairs.map(([minQty, fen]) => ({ minQty: Number(minQty), unitPriceFen: BigInt(fen) }))
}

// ---------------------------------------------------------------------------------------------------------------
// The cooperative's own listings

export type OwnListing = {
  productId: string
  sku: string
  slug: string
  name: string
  category: ProductCategory
  status: ProductStatus
  unit: string
  priceFen: number
  stock: number
  minOrderQty: number
  originCode: string
  originName: string
  baseName: string | null
  /** Holds a certificate valid today (Asia/Shanghai). */
  certified: boolean
  /** Only while rejected: what the reviewer said. */
  rejectionReason: string | null
  /** Only while pending. */
  pendingBecause: PendingBecause | null
  /** ISO-8601 instant. */
  updatedAt: string
  /** The cover photo's card image (/files/…), or null when the listing has no photo. */
  coverUrl: string | null
}

/** The cover's card file: one subselect per row on the (product_id, position) index, as cards read it. */
const coverOf = sql<
  string | null
>`(select pp.card_file from product_photos pp where pp.product_id = products.id
  order by pp.position limit 1)`

function ownListingRow(row: {
  productId: string
  sku: string
  slug: string
  name: string
  category: ProductCategory
  status: ProductStatus
  unit: string
  priceFen: bigint
  approvedPriceFen: bigint | null
  stock: number
  minOrderQty: number
  originCode: string
  originName: string
  baseName: string | null
  certified: unknown
  rejectionReason: string | null
  updatedAt: Date
  coverFile: string | null
}): OwnListing {
  const {
    approvedPriceFen: _approved,
    certified,
    rejectionReason,
    updatedAt,
    priceFen,
    coverFile,
    ...rest
  } = row
  return {
    ...rest,
    coverUrl: coverFile ? fileUrl(coverFile) : null,
    priceFen: Number(priceFen),
    certified: certified === true || certified === 't',
    rejectionReason: row.status === 'rejected' ? rejectionReason : null,
    pendingBecause: pendingBecause(row),
    updatedAt: updatedAt.toISOString(),
  }
}

function ownListingColumns(today: string) {
  return {
    productId: products.id,
    sku: products.sku,
    slug: products.slug,
    name: products.name,
    category: products.category,
    status: products.status,
    unit: products.unit,
    priceFen: products.priceFen,
    approvedPriceFen: products.approvedPriceFen,
    stock: products.stock,
    minOrderQty: products.minOrderQty,
    originCode: products.originCode,
    originName: regions.name,
    baseName: bases.name,
    certified: certifiedOn(today),
    rejectionReason: products.rejectionReason,
    updatedAt: products.updatedAt,
    coverFile: coverOf,
  }
}

/** The cooperative's listings, newest change first; null when the actor does not act for it. */
export async function listOwnListings(
  db: Db,
  input: ListingActor & { status?: ListingStatusFilter; page?: number; pageSize?: number },
  clock: Clock,
): Promise<{ items: OwnListing[]; total: number; page: number; pageSize: number } | null> {
  const page = Math.max(1, Math.floor(input.page ?? 1))
  const pageSize = Math.min(100, Math.max(1, Math.floor(input.pageSize ?? 20)))
  if (!allIds(input.orgId, input.actorUserId)) return null
  const status = input.status ?? 'all'
  const where = and(
    eq(products.orgId, input.orgId),
    actsForCooperative(input.orgId, input.actorUserId, listingRoles),
    status === 'all' ? undefined : eq(products.status, status),
  )
  const seller = await sellerFor(db, input.orgId, input.actorUserId, listingRoles)
  if (!seller) return null
  const [rows, [total]] = await Promise.all([
    db
      .select(ownListingColumns(shanghaiDate(clock.now())))
      .from(products)
      .innerJoin(regions, eq(regions.code, products.originCode))
      .leftJoin(bases, eq(bases.id, products.baseId))
      .where(where)
      .orderBy(desc(products.updatedAt), asc(products.sku))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ n: countAll }).from(products).where(where),
  ])
  return { items: rows.map(ownListingRow), total: total?.n ?? 0, page, pageSize }
}

/** What the edit form starts from: the listing as its fields show it (prices in yuan), or null. */
export type ListingForEdit = {
  productId: string
  status: ProductStatus
  slug: string
  stock: number
  rejectionReason: string | null
  pendingBecause: PendingBecause | null
  form: {
    name: string
    category: ProductCategory
    originCode: string
    unit: string
    price: string
    minOrderQty: string
    sku: string
    description: string
    baseId: string
    tiers: Array<{ minQty: string; unitPrice: string }>
  }
}

export async function getListingForEdit(
  db: Db,
  input: ListingActor & { productId: string },
): Promise<ListingForEdit | null> {
  if (!allIds(input.orgId, input.actorUserId, input.productId)) return null
  const [row] = await db
    .select({
      productId: products.id,
      status: products.status,
      slug: products.slug,
      stock: products.stock,
      rejectionReason: products.rejectionReason,
      approvedPriceFen: products.approvedPriceFen,
      name: products.name,
      category: products.category,
      originCode: products.originCode,
      unit: products.unit,
      priceFen: products.priceFen,
      minOrderQty: products.minOrderQty,
      sku: products.sku,
      description: products.description,
      baseId: products.baseId,
      tiers: tiersOf,
    })
    .from(products)
    .where(
      and(
        eq(products.id, input.productId),
        eq(products.orgId, input.orgId),
        actsForCooperative(input.orgId, input.actorUserId, listingRoles),
      ),
    )
  if (!row) return null
  return {
    productId: row.productId,
    status: row.status,
    slug: row.slug,
    stock: row.stock,
    rejectionReason: row.status === 'rejected' ? row.rejectionReason : null,
    pendingBecause: pendingBecause(row),
    form: {
      name: row.name,
      category: row.category,
      originCode: row.originCode,
      unit: row.unit,
      price: yuanInput(row.priceFen),
      minOrderQty: String(row.minOrderQty),
      sku: row.sku,
      description: row.description,
      baseId: row.baseId ?? '',
      tiers: parseTiers(row.tiers).map((t) => ({
        minQty: String(t.minQty),
        unitPrice: yuanInput(t.unitPriceFen),
      })),
    },
  }
}

/** Statuses whose listings the console home lists as needing the cooperative's attention. */
export const attentionStatuses = ['pending', 'rejected'] as const satisfies readonly ProductStatus[]

/** The cooperative's listings waiting for review or rejected (with the reason), for the console home. */
export async function listListingsNeedingAttention(
  db: Db,
  input: ListingActor,
  today: string,
): Promise<OwnListing[]> {
  if (!allIds(input.orgId, input.actorUserId)) return []
  const rows = await db
    .select(ownListingColumns(today))
    .from(products)
    .innerJoin(regions, eq(regions.code, products.originCode))
    .leftJoin(bases, eq(bases.id, products.baseId))
    .where(
      and(
        eq(products.orgId, input.orgId),
        actsForCooperative(input.orgId, input.actorUserId, listingRoles),
        inArray(products.status, [...attentionStatuses]),
      ),
    )
    .orderBy(desc(products.updatedAt), asc(products.sku))
  return rows.map(ownListingRow)
}
