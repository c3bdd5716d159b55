import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import type { Db } from '../../../db/client.server'
import { productPhotos, products } from '../../../db/schema/catalog'
import { memberships } from '../../../db/schema/memberships'
import { saveFiles } from '../../services/files/files.server'
import { processImage, type ImageVariant } from '../../services/files/images.server'
import { fileUrl } from '../../services/files/keys.server'
import { sniffFileType } from '../../services/files/sniff'
import { defaultFileStore, type FileStore } from '../../services/files/store.server'
import type { Clock } from '../../utils/clock'
import { isUuid } from '../../utils/ids'
import { maxProductPhotos, type PhotoError } from './photos'
import { recordProductChange } from './product-changes.server'

/**
 * A product's photos: up to eight, in order, the first the cover that cards show. Only members of the cooperative
 * that owns the product (its admins and staff, acting for it) may change them; to anyone else the product does not
 * exist. Every change locks the product row, so that two changes to one product's photos never interleave, and
 * records the product in the search outbox in the same transaction (its card shows the cover).
 *
 * Uploads are checked and re-encoded before any transaction starts (sharp takes tens of milliseconds per image and
 * must not run while the product is locked); their bytes are stored and their `files` rows registered before the
 * photo rows that name them.
 */

export type PhotoView = {
  id: string
  position: number
  /** About 480 px wide (cards). */
  cardUrl: string
  /** About 1200 px wide (the product page). */
  pageUrl: string
  /** Of the page image. */
  width: number
  height: number
}

type Refused = { ok: false; error: PhotoError }
export type PhotoResult = { ok: true; photos: PhotoView[] } | Refused

/** Who acts on which product: the organisation the request acts for, and the signed-in user. */
export type PhotoActor = { orgId: string; productId: string; actorUserId: string }

export type PhotoUpload = { filename: string; bytes: Uint8Array }

const coopRoles = ['coop_admin', 'coop_staff'] as const

const refuse = (error: PhotoError): Refused => ({ ok: false, error })

function validIds(actor: PhotoActor): boolean {
  return isUuid(actor.orgId) && isUuid(actor.productId) && isUuid(actor.actorUserId)
}

/**
 * The product, locked for this transaction, if the actor may change its photos: it belongs to `orgId` and the actor
 * is a member of that cooperative. The lock is the one checkouts take (FOR NO KEY UPDATE); a photo change holds it
 * for a few statements.
 */
async function lockOwnProduct(tx: Db, actor: PhotoActor) {
  const [row] = await tx
    .select({ sku: products.sku, status: products.status })
    .from(products)
    .innerJoin(
      memberships,
      and(
        eq(memberships.orgId, products.orgId),
        eq(memberships.userId, actor.actorUserId),
        inArray(memberships.role, coopRoles),
      ),
    )
    .where(and(eq(products.id, actor.productId), eq(products.orgId, actor.orgId)))
    .for('no key update', { of: products })
  return row ?? null
}

const photoColumns = {
  id: productPhotos.id,
  position: productPhotos.position,
  cardFile: productPhotos.cardFile,
  pageFile: productPhotos.pageFile,
  width: productPhotos.width,
  height: productPhotos.height,
}

async function photosOf(tx: Db, productId: string) {
  return tx
    .select(photoColumns)
    .from(productPhotos)
    .where(eq(productPhotos.productId, productId))
    .orderBy(asc(productPhotos.position), asc(productPhotos.createdAt), asc(productPhotos.id))
}

function toView(row: Awaited<ReturnType<typeof photosOf>>[number]): PhotoView {
  return {
    id: row.id,
    position: row.position,
    cardUrl: fileUrl(row.cardFile),
    pageUrl: fileUrl(row.pageFile),
    width: row.width,
    height: row.height,
  }
}

/** Positions 1…n in the given order, in one statement. */
async function writePositions(tx: Db, productId: string, orderedIds: readonly string[]): Promise<void> {
  if (orderedIds.length === 0) return
  const values = sql.join(
    orderedIds.map((id, i) => sql`(${id}::uuid, ${i + 1}::integer)`),
    sql`, `,
  )
  await tx.execute(sql`update product_photos set position = v.position
    from (values ${values}) as v(id, position)
    where product_photos.id = v.id and product_photos.product_id = ${productId}`)
}

/** The product's photos in order, for its cooperative's console. */
export async function listProductPhotos(db: Db, actor: PhotoActor): Promise<PhotoResult> {
  if (!validIds(actor)) return refuse({ code: 'not_found' })
  return db.transaction(async (tx) => {
    if (!(await lockOwnProduct(tx, actor))) return refuse({ code: 'not_found' })
    return { ok: true, photos: (await photosOf(tx, actor.productId)).map(toView) }
  })
}

type Prepared = { card: ImageVariant; page: ImageVariant }

/** Sniffs and re-encodes each upload; the first refusal refuses the whole batch (nothing is stored). */
async function prepareUploads(
  uploads: readonly PhotoUpload[],
): Promise<{ ok: true; images: Prepared[] } | Refused> {
  const sniffed = []
  // Every file is sniffed before any is decoded: an SVG (or anything else) never reaches sharp.
  for (const upload of uploads) {
    const kind = sniffFileType(upload.bytes)
    if (!kind.ok) {
      return refuse({ code: 'not_an_image', file: upload.filename, kind: kind.kind, reason: kind.reason })
    }
    if (kind.kind === 'pdf') {
      const reason = '这是 PDF，不是照片 / This is a PDF, not a photo'
      return refuse({ code: 'not_an_image', file: upload.filename, kind: 'pdf', reason })
    }
    sniffed.push({ upload, kind: kind.kind })
  }
  const images: Prepared[] = []
  // One at a time: each decode may take a few hundred MB for a 40 MP photo.
  for (const { upload, kind } of sniffed) {
    const processed = await processImage(upload.bytes, kind)
    if (!processed.ok) {
      const code = processed.error === 'too_many_pixels' ? 'too_many_pixels' : 'unreadable'
      return refuse({ code, file: upload.filename })
    }
    images.push({ card: processed.card, page: processed.page })
  }
  return { ok: true, images }
}

/**
 * Adds photos after the product's existing ones, in the order given. At most eight in all: a batch that would go
 * over is refused whole. An image the product already shows (the same page file) is not added twice. The same
 * image anywhere — this product, another, another cooperative's — is stored once, by its content hash.
 */
export async function addProductPhotos(
  db: Db,
  input: PhotoActor & { uploads: readonly PhotoUpload[]; store?: FileStore },
  clock: Clock,
): Promise<PhotoResult> {
  if (!validIds(input)) return refuse({ code: 'not_found' })
  if (input.uploads.length === 0) return refuse({ code: 'no_files' })

  // Cheap checks first, so that a stranger or a full gallery costs no image decoding.
  const before = await db.transaction(async (tx) => {
    const product = await lockOwnProduct(tx, input)
    if (!product) return refuse({ code: 'not_found' })
    if (product.status === 'archived') return refuse({ code: 'archived' })
    const current = (await photosOf(tx, input.productId)).length
    if (current + input.uploads.length > maxProductPhotos) {
      return refuse({ code: 'too_many', limit: maxProductPhotos, current })
    }
    return null
  })
  if (before) return before

  const prepared = await prepareUploads(input.uploads)
  if (!prepared.ok) return prepared
  await saveFiles(
    db,
    input.store ?? defaultFileStore(),
    prepared.images.flatMap((image) => [image.card, image.page]),
    input.actorUserId,
    clock,
  )

  return db.transaction(async (tx) => {
    // Again under the lock: the product may have been archived, or filled by a concurrent upload, meanwhile.
    const product = await lockOwnProduct(tx, input)
    if (!product) return refuse({ code: 'not_found' })
    if (product.status === 'archived') return refuse({ code: 'archived' })
    const existing = await photosOf(tx, input.productId)
    const shown = new Set(existing.map((photo) => photo.pageFile))
    const fresh = prepared.images.filter((image) => {
      if (shown.has(image.page.key)) return false
      shown.add(image.page.key)
      return true
    })
    if (existing.length + fresh.length > maxProductPhotos) {
      return refuse({ code: 'too_many', limit: maxProductPhotos, current: existing.length })
    }
    if (fresh.length > 0) {
      const now = clock.now()
      await tx.insert(productPhotos).values(
        fresh.map((image, i) => ({
          productId: input.productId,
          position: existing.length + i + 1,
          cardFile: image.card.key,
          pageFile: image.page.key,
          width: image.page.width,
          height: image.page.height,
          createdBy: input.actorUserId,
          createdAt: now,
        })),
      )
      await recordProductChange(tx, [product.sku])
    }
    return { ok: true, photos: (await photosOf(tx, input.productId)).map(toView) }
  })
}

/** Puts the product's photos in the given order: `photoIds` must name each of its photos exactly once. */
export async function reorderProductPhotos(
  db: Db,
  input: PhotoActor & { photoIds: readonly string[] },
): Promise<PhotoResult> {
  if (!validIds(input)) return refuse({ code: 'not_found' })
  return db.transaction(async (tx) => {
    const product = await lockOwnProduct(tx, input)
    if (!product) return refuse({ code: 'not_found' })
    const existing = await photosOf(tx, input.productId)
    const wanted = new Set(input.photoIds)
    if (
      wanted.size !== input.photoIds.length ||
      wanted.size !== existing.length ||
      existing.some((photo) => !wanted.has(photo.id))
    ) {
      return refuse({ code: 'order_mismatch' })
    }
    await writePositions(tx, input.productId, input.photoIds)
    await recordProductChange(tx, [product.sku])
    return { ok: true, photos: (await photosOf(tx, input.productId)).map(toView) }
  })
}

/** Makes one photo the cover (position 1); the others keep their order after it. */
export async function setProductCover(db: Db, input: PhotoActor & { photoId: string }): Promise<PhotoResult> {
  if (!validIds(input)) return refuse({ code: 'not_found' })
  if (!isUuid(input.photoId)) return refuse({ code: 'photo_not_found' })
  return db.transaction(async (tx) => {
    const product = await lockOwnProduct(tx, input)
    if (!product) return refuse({ code: 'not_found' })
    const existing = await photosOf(tx, input.productId)
    if (!existing.some((photo) => photo.id === input.photoId)) return refuse({ code: 'photo_not_found' })
    const order = [input.photoId, ...existing.map((photo) => photo.id).filter((id) => id !== input.photoId)]
    await writePositions(tx, input.productId, order)
    await recordProductChange(tx, [product.sku])
    return { ok: true, photos: (await photosOf(tx, input.productId)).map(toView) }
  })
}

/**
 * Removes one photo; the ones after it move up. The stored files stay: another photo (of any product) may show the
 * same content, and files are kept until a sweep that knows every reference removes them.
 */
export async function removeProductPhoto(
  db: Db,
  input: PhotoActor & { photoId: string },
): Promise<PhotoResult> {
  if (!validIds(input)) return refuse({ code: 'not_found' })
  if (!isUuid(input.photoId)) return refuse({ code: 'photo_not_found' })
  return db.transaction(async (tx) => {
    const product = await lockOwnProduct(tx, input)
    if (!product) return refuse({ code: 'not_found' })
    const removed = await tx
      .delete(productPhotos)
      .where(and(eq(productPhotos.id, input.photoId), eq(productPhotos.productId, input.productId)))
      .returning({ id: productPhotos.id })
    if (removed.length === 0) return refuse({ code: 'photo_not_found' })
    const rest = await photosOf(tx, input.productId)
    await writePositions(
      tx,
      input.productId,
      rest.map((photo) => photo.id),
    )
    await recordProductChange(tx, [product.sku])
    return { ok: true, photos: (await photosOf(tx, input.productId)).map(toView) }
  })
}
