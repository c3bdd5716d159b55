import { and, asc, desc, eq, gte, inArray, lte, ne, or, sql } from 'drizzle-orm'
import type { Db } from '../../../db/client.server'
import { type povertyReliefModes, certifications, products } from '../../../db/schema/catalog'
import { files } from '../../../db/schema/files'
import { type Clock, shanghaiDate } from '../../utils/clock'
import { actsForCooperative, allIds, listingRoles } from './console-access.server'
import type { ReliefMode } from './constants'
import { certificationSchema } from './certification-forms'
import { type FormErrors, parseForm } from './form-fields'
import { recordProductChange } from './product-changes.server'

// The form's modes are the table's modes (the form cannot import the schema: it runs in the browser too).
type TableMode = (typeof povertyReliefModes)[number]
const sameModes: [ReliefMode, TableMode] extends [TableMode, ReliefMode] ? true : never = true
void sameModes

/** YYYY-MM-DD plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`)
  at.setUTCDate(at.getUTCDate() + days)
  return at.toISOString().slice(0, 10)
}

export type AddCertificationResult =
  | { ok: true; certificationId: string }
  | { ok: false; error: 'not_found' }
  | { ok: false; error: 'invalid'; errors: FormErrors }

/**
 * Records a 帮扶产品认定 certificate of a product. Certificates are history: a new one is added, none is changed or
 * deleted, and the product is certified on the days some certificate covers (valid_from … valid_until inclusive,
 * Asia/Shanghai). The evidence is a file already in the files store. The product goes to the search outbox: its
 * certified status today may have changed.
 */
export async function addCertification(
  db: Db,
  input: { orgId: string; productId: string; actorUserId: string; form: unknown },
  clock: Clock,
): Promise<AddCertificationResult> {
  const parsed = parseForm(certificationSchema, input.form)
  if (!parsed.ok) return { ok: false, error: 'invalid', errors: parsed.errors }
  const values = parsed.data
  if (!allIds(input.orgId, input.productId, input.actorUserId)) return { ok: false, error: 'not_found' }
  return db.transaction(async (tx): Promise<AddCertificationResult> => {
    const [product] = await tx
      .select({ id: products.id, sku: products.sku })
      .from(products)
      .where(
        and(
          eq(products.id, input.productId),
          eq(products.orgId, input.orgId),
          actsForCooperative(input.orgId, input.actorUserId, listingRoles),
        ),
      )
    if (!product) return { ok: false, error: 'not_found' }
    if (values.evidenceFile) {
      const [file] = await tx.select({ key: files.key }).from(files).where(eq(files.key, values.evidenceFile))
      if (!file)
        return { ok: false, error: 'invalid', errors: { evidenceFile: ['cert.error.evidence.unknown'] } }
    }
    const [row] = await tx
      .insert(certifications)
      .values({
        productId: product.id,
        number: values.number,
        body: values.body,
        validFrom: values.validFrom,
        validUntil: values.validUntil,
        reliefMode: values.reliefMode,
        evidenceFile: values.evidenceFile,
        createdBy: input.actorUserId,
        isDemo: false,
        createdAt: clock.now(),
      })
      .returning({ id: certifications.id })
    await recordProductChange(tx, [product.sku])
    return { ok: true, certificationId: row!.id }
  })
}

export type CertificationState = 'valid' | 'expired' | 'not_yet_valid'

export type CertificationRecord = {
  id: string
  number: string
  body: string
  validFrom: string
  validUntil: string
  reliefMode: ReliefMode
  evidenceFile: string | null
  isDemo: boolean
  /** On today's (Asia/Shanghai) date. */
  state: CertificationState
  /** ISO-8601 instant. */
  createdAt: string
}

function stateOn(today: string, row: { validFrom: string; validUntil: string }): CertificationState {
  return today < row.validFrom ? 'not_yet_valid' : today > row.validUntil ? 'expired' : 'valid'
}

/** A product's certificates, latest validity first; null when it is not a product of the actor's cooperative. */
export async function listCertifications(
  db: Db,
  input: { orgId: string; productId: string; actorUserId: string },
  clock: Clock,
): Promise<CertificationRecord[] | null> {
  if (!allIds(input.orgId, input.productId, input.actorUserId)) return null
  const [product] = await db
    .select({ id: products.id })
    .from(products)
    .where(
      and(
        eq(products.id, input.productId),
        eq(products.orgId, input.orgId),
        actsForCooperative(input.orgId, input.actorUserId, listingRoles),
      ),
    )
  if (!product) return null
  const today = shanghaiDate(clock.now())
  const rows = await db
    .select({
      id: certifications.id,
      number: certifications.number,
      body: certifications.body,
      validFrom: certifications.validFrom,
      validUntil: certifications.validUntil,
      reliefMode: certifications.reliefMode,
      evidenceFile: certifications.evidenceFile,
      isDemo: certifications.isDemo,
      createdAt: certifications.createdAt,
    })
    .from(certifications)
    .where(eq(certifications.productId, product.id))
    .orderBy(desc(certifications.validUntil), desc(certifications.createdAt))
  return rows.map((row) => ({ ...row, state: stateOn(today, row), createdAt: row.createdAt.toISOString() }))
}

export type ExpiringCertification = {
  productId: string
  productName: string
  sku: string
  number: string
  validUntil: string
  /** Days left after today: 0 when it ends today. */
  daysLeft: number
}

/**
 * The cooperative's certificates valid today that end within `withinDays` days (today included) — unless a later
 * certificate of the same product already takes over the day after, since then nothing lapses. Archived listings
 * are left out.
 */
export async function listExpiringCertifications(
  db: Db,
  input: { orgId: string; actorUserId: string },
  today: string,
  withinDays = 30,
): Promise<ExpiringCertification[]> {
  if (!allIds(input.orgId, input.actorUserId)) return []
  const last = addDays(today, withinDays)
  const rows = await db
    .select({
      productId: products.id,
      productName: products.name,
      sku: products.sku,
      number: certifications.number,
      validUntil: certifications.validUntil,
    })
    .from(certifications)
    .innerJoin(products, eq(products.id, certifications.productId))
    .where(
      and(
        eq(products.orgId, input.orgId),
        actsForCooperative(input.orgId, input.actorUserId, listingRoles),
        ne(products.status, 'archived'),
        lte(certifications.validFrom, today),
        gte(certifications.validUntil, today),
        lte(certifications.validUntil, last),
        sql`not exists (select 1 from ${certifications} later where later.product_id = ${products.id}
              and later.valid_from <= ${certifications.validUntil} + 1
              and later.valid_until > ${certifications.validUntil})`,
      ),
    )
    .orderBy(asc(certifications.validUntil), asc(products.sku))
  return rows.map((row) => ({
    ...row,
    daysLeft: Math.round((Date.parse(row.validUntil) - Date.parse(today)) / 86_400_000),
  }))
}

/**
 * The daily pass of the background jobs (jobs.server.ts): certified status in search is computed when a product is
 * indexed, so on the day a certificate lapses or begins its product must be indexed again. Records in the search
 * outbox every active product whose certificate ended on a day in [since, today) or begins on a day in
 * (since, today] — `since` being the last day the jobs saw, so days the process was down are caught up.
 */
export async function recordCertificationBoundaries(
  db: Db,
  days: { since: string; today: string },
): Promise<number> {
  if (days.since >= days.today) return 0
  return db.transaction(async (tx) => {
    const rows = await tx
      .selectDistinct({ sku: products.sku })
      .from(certifications)
      .innerJoin(products, eq(products.id, certifications.productId))
      .where(
        and(
          inArray(products.status, ['active']),
          or(
            and(
              gte(certifications.validUntil, days.since),
              sql`${certifications.validUntil} < ${days.today}::date`,
            ),
            and(
              sql`${certifications.validFrom} > ${days.since}::date`,
              lte(certifications.validFrom, days.today),
            ),
          ),
        ),
      )
    await recordProductChange(
      tx,
      rows.map((row) => row.sku),
    )
    return rows.length
  })
}
