import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ServerBuild } from '@remix-run/node'
import { and, asc, eq, ne } from 'drizzle-orm'
import sharp from 'sharp'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { users } from '../../db/schema/accounts'
import { productPhotos, products } from '../../db/schema/catalog'
import { files } from '../../db/schema/files'
import { memberships } from '../../db/schema/memberships'
import { organizations } from '../../db/schema/organizations'
import { outbox } from '../../db/schema/outbox'
import { seedUuid } from '../../db/seed/synthetic'
import {
  addProductPhotos,
  listProductPhotos,
  type PhotoActor,
  removeProductPhoto,
  reorderProductPhotos,
  setProductCover,
} from '../../app/domains/catalog/photos.server'
import { maxProductPhotos } from '../../app/domains/catalog/photos'
import { getProductPage, listProducts } from '../../app/domains/catalog/catalog.server'
import { fileKeyFor } from '../../app/services/files/keys.server'
import { localFileStore } from '../../app/services/files/store.server'
import { fixedClock, shanghaiDate, systemClock } from '../../app/utils/clock'
import { uploadLimits } from '../../app/utils/upload.server'
import { bodyLimitFor, PHOTO_UPLOAD_BODY_LIMIT } from '../../server/body-limit'
import { testContext } from '../support/context'
import { openTestDatabase, testDbKind } from '../support/db'
import { hasGpsDirectory, jpegWithGps, pngImage, svgWithScript } from '../support/images'
import { SEED_NOW } from '../support/test-clock'
import { startTestApp } from '../support/app-server'
import { sessionCookieFor } from '../support/session-cookie'
import { createSession } from '../../app/domains/accounts/sessions.server'

const MB = 1 << 20
const clock = fixedClock(SEED_NOW)
const today = shanghaiDate(SEED_NOW)

describe(`product photos (${testDbKind()})`, async () => {
  // The app serves files from DATA_DIR/uploads: a directory of this file's own, set before the app reads its env.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xfbf-photos-'))
  vi.stubEnv('DATA_DIR', dataDir)
  afterAll(() => {
    vi.unstubAllEnvs()
    fs.rmSync(dataDir, { recursive: true, force: true })
  })
  const uploadsDir = path.join(dataDir, 'uploads')
  const store = localFileStore(uploadsDir)

  const handle = await openTestDatabase('seeded')
  const db = handle.db

  // Minxian's cooperative (the demo coop admin and staff), and another cooperative with a member of our making.
  const ownOrg = seedUuid('coop:621126:1')
  const coopAdmin = seedUuid('user:coop@minxian.demo.example')
  const coopStaff = seedUuid('user:coop-staff@minxian.demo.example')
  const consumer = seedUuid('user:consumer@demo.example')
  const [otherProduct] = await db
    .select({ id: products.id, orgId: products.orgId })
    .from(products)
    .innerJoin(organizations, eq(organizations.id, products.orgId))
    .where(and(eq(organizations.kind, 'cooperative'), ne(products.orgId, ownOrg)))
    .orderBy(asc(products.sku))
    .limit(1)
  if (!otherProduct) throw new Error('the seed has no other cooperative with products')
  const otherOrg = otherProduct.orgId
  const otherMember = seedUuid('test:photos-other-coop-member')
  await db.insert(users).values({
    id: otherMember,
    displayName: '邻社管理员',
    email: 'other-coop@example.com',
    passwordHash: 'x',
  })
  await db.insert(memberships).values({ userId: otherMember, orgId: otherOrg, role: 'coop_admin' })

  const ownProducts = await db
    .select({ id: products.id, sku: products.sku, slug: products.slug, name: products.name })
    .from(products)
    .where(and(eq(products.orgId, ownOrg), eq(products.status, 'active')))
    .orderBy(asc(products.sku))
  const [product, second, third] = ownProducts
  if (!product || !second || !third)
    throw new Error('the seed has fewer than three products of coop:621126:1')

  const actor = (productId: string, actorUserId = coopAdmin, orgId = ownOrg): PhotoActor => ({
    orgId,
    productId,
    actorUserId,
  })
  const add = (a: PhotoActor, uploads: Array<{ filename: string; bytes: Uint8Array }>) =>
    addProductPhotos(db, { ...a, uploads, store }, clock)

  const storedKeys = () =>
    fs.existsSync(uploadsDir)
      ? fs.readdirSync(uploadsDir).flatMap((shard) => fs.readdirSync(path.join(uploadsDir, shard)))
      : []
  const fileRows = async () => (await db.select({ key: files.key }).from(files)).map((r) => r.key).sort()
  const outboxFor = async (sku: string) =>
    (await db.select({ id: outbox.id }).from(outbox).where(eq(outbox.key, sku))).length
  const photoRows = (productId: string) =>
    db
      .select({ id: productPhotos.id, position: productPhotos.position, pageFile: productPhotos.pageFile })
      .from(productPhotos)
      .where(eq(productPhotos.productId, productId))
      .orderBy(asc(productPhotos.position))

  /** Distinct images: solid colours. */
  const colour = (i: number) => pngImage({ color: `#${(0x102030 + i * 0x0a1b2c).toString(16).slice(-6)}` })

  it('stores a PNG renamed .jpg as the PNG it is, re-encoded to WebP in two sizes', async () => {
    const png = await pngImage({ width: 1600, height: 1200, alpha: 0.5 })
    const outboxBefore = await outboxFor(product.sku)
    const result = await add(actor(product.id), [{ filename: 'photo.jpg', bytes: png }])
    if (!result.ok) throw new Error(JSON.stringify(result.error))
    expect(result.photos).toHaveLength(1)
    const [photo] = result.photos
    expect(photo).toMatchObject({ position: 1, width: 1200, height: 900 })
    const cardKey = photo!.cardUrl.replace('/files/', '')
    const pageKey = photo!.pageUrl.replace('/files/', '')
    expect(cardKey).toMatch(/^[0-9a-f]{64}\.webp$/)
    const card = fs.readFileSync(path.join(uploadsDir, cardKey.slice(0, 2), cardKey))
    expect(fileKeyFor(card, 'webp')).toBe(cardKey)
    const cardMeta = await sharp(card).metadata()
    expect([cardMeta.format, cardMeta.width, cardMeta.height, cardMeta.hasAlpha]).toEqual([
      'webp',
      480,
      360,
      true,
    ])
    const rows = await db.select().from(files).where(eq(files.key, pageKey))
    expect(rows).toEqual([
      expect.objectContaining({
        key: pageKey,
        contentType: 'image/webp',
        createdBy: coopAdmin,
        createdAt: SEED_NOW,
      }),
    ])
    expect(rows[0]!.bytes).toBe(fs.statSync(path.join(uploadsDir, pageKey.slice(0, 2), pageKey)).size)
    // The card (and the search index, through the outbox) follows in the same transaction.
    expect(await outboxFor(product.sku)).toBe(outboxBefore + 1)
  })

  it('refuses an SVG with a script before it reaches sharp, whatever it is called, and stores nothing', async () => {
    const keysBefore = storedKeys()
    const rowsBefore = await fileRows()
    for (const filename of ['logo.svg', 'photo.png', 'photo.jpg']) {
      const result = await add(actor(second.id), [{ filename, bytes: svgWithScript }])
      // The sniffer's refusal (not_an_image, naming SVG), not the decoder's (unreadable): sharp never saw it.
      expect(result).toEqual({
        ok: false,
        error: { code: 'not_an_image', file: filename, kind: 'svg', reason: expect.stringContaining('SVG') },
      })
    }
    // One bad file refuses the whole batch, the good one included.
    const mixed = await add(actor(second.id), [
      { filename: 'good.png', bytes: await colour(1) },
      { filename: 'bad.png', bytes: svgWithScript },
    ])
    expect(mixed).toMatchObject({ ok: false, error: { code: 'not_an_image', file: 'bad.png' } })
    expect(storedKeys()).toEqual(keysBefore)
    expect(await fileRows()).toEqual(rowsBefore)
    expect(await photoRows(second.id)).toEqual([])
  })

  it('stores a phone JPEG without its EXIF and GPS, upright', async () => {
    const original = await jpegWithGps()
    expect(hasGpsDirectory((await sharp(original).metadata()).exif)).toBe(true)
    const result = await add(actor(second.id, coopStaff), [{ filename: 'IMG_0001.JPG', bytes: original }])
    if (!result.ok) throw new Error(JSON.stringify(result.error))
    const [photo] = result.photos
    for (const url of [photo!.cardUrl, photo!.pageUrl]) {
      const key = url.replace('/files/', '')
      const stored = fs.readFileSync(path.join(uploadsDir, key.slice(0, 2), key))
      const meta = await sharp(stored).metadata()
      expect(meta.format).toBe('webp')
      expect(meta.exif).toBeUndefined()
      expect(meta.xmp).toBeUndefined()
      expect(stored.includes('TestPhone')).toBe(false)
      // Shot 120 × 80 with orientation 6: shown (and stored) as portrait.
      expect([meta.width, meta.height]).toEqual([80, 120])
    }
  })

  it('stores the same image once, wherever it is uploaded, and never shows it twice on one product', async () => {
    const image = await colour(7)
    const first = await add(actor(third.id), [{ filename: 'a.png', bytes: image }])
    if (!first.ok) throw new Error(JSON.stringify(first.error))
    const keysAfterFirst = storedKeys()
    const rowsAfterFirst = await fileRows()
    // Again on the same product (also twice in one batch): nothing new.
    const again = await add(actor(third.id), [
      { filename: 'a-copy.png', bytes: image },
      { filename: 'a-copy-2.png', bytes: image },
    ])
    expect(again.ok && again.photos).toEqual(first.photos)
    // On another cooperative's product, by its own member: a photo of theirs, the same stored files.
    const elsewhere = await add(actor(otherProduct.id, otherMember, otherOrg), [
      { filename: 'b.png', bytes: image },
    ])
    if (!elsewhere.ok) throw new Error(JSON.stringify(elsewhere.error))
    expect(elsewhere.photos[0]?.pageUrl).toBe(first.photos[0]?.pageUrl)
    expect(storedKeys()).toEqual(keysAfterFirst)
    expect(await fileRows()).toEqual(rowsAfterFirst)
    await removeProductPhoto(db, {
      ...actor(otherProduct.id, otherMember, otherOrg),
      photoId: elsewhere.photos[0]!.id,
    })
  })

  it(`keeps at most ${maxProductPhotos} photos: a ninth is refused`, async () => {
    const existing = (await photoRows(third.id)).length
    const fill = []
    for (let i = existing; i < maxProductPhotos; i++)
      fill.push({ filename: `${i}.png`, bytes: await colour(100 + i) })
    const full = await add(actor(third.id), fill)
    expect(full.ok && full.photos.map((p) => p.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    const ninth = await add(actor(third.id), [{ filename: 'ninth.png', bytes: await colour(200) }])
    expect(ninth).toEqual({ ok: false, error: { code: 'too_many', limit: 8, current: 8 } })
    expect(await photoRows(third.id)).toHaveLength(8)
    // A batch that would go over is refused whole, before any decoding.
    const partial = await removeProductPhoto(db, {
      ...actor(third.id),
      photoId: (await photoRows(third.id))[7]!.id,
    })
    expect(partial.ok).toBe(true)
    const two = await add(actor(third.id), [
      { filename: 'x.png', bytes: await colour(201) },
      { filename: 'y.png', bytes: await colour(202) },
    ])
    expect(two).toEqual({ ok: false, error: { code: 'too_many', limit: 8, current: 7 } })
  })

  it('reorders, sets the cover and removes, keeping positions 1…n, each change in the outbox', async () => {
    const before = await photoRows(third.id)
    expect(before.map((p) => p.position)).toEqual([1, 2, 3, 4, 5, 6, 7])
    const outboxBefore = await outboxFor(third.sku)

    const reversed = [...before].reverse().map((p) => p.id)
    const reordered = await reorderProductPhotos(db, { ...actor(third.id), photoIds: reversed })
    expect(reordered.ok && reordered.photos.map((p) => p.id)).toEqual(reversed)

    const cover = before[3]!.id
    const covered = await setProductCover(db, { ...actor(third.id, coopStaff), photoId: cover })
    expect(covered.ok && covered.photos.map((p) => p.id)).toEqual([
      cover,
      ...reversed.filter((id) => id !== cover),
    ])

    const removed = await removeProductPhoto(db, { ...actor(third.id), photoId: cover })
    expect(removed.ok && removed.photos.map((p) => [p.id, p.position])).toEqual(
      reversed.filter((id) => id !== cover).map((id, i) => [id, i + 1]),
    )
    expect(await outboxFor(third.sku)).toBe(outboxBefore + 3)

    // The order must name every photo once.
    const ids = removed.ok ? removed.photos.map((p) => p.id) : []
    for (const photoIds of [
      ids.slice(1),
      [...ids, ids[0]!],
      [...ids.slice(1), seedUuid('test:no-photo')],
      ['x'],
    ]) {
      expect(await reorderProductPhotos(db, { ...actor(third.id), photoIds })).toEqual({
        ok: false,
        error: { code: 'order_mismatch' },
      })
    }
    expect(await setProductCover(db, { ...actor(third.id), photoId: cover })).toEqual({
      ok: false,
      error: { code: 'photo_not_found' },
    })
  })

  it("lets no one but the owning cooperative's members add, reorder, set the cover or remove", async () => {
    const photos = await photoRows(third.id)
    const outboxBefore = await outboxFor(third.sku)
    const image = await colour(300)
    const strangers: Array<[string, PhotoActor]> = [
      // A member of another cooperative, acting for theirs or claiming ours.
      ['another cooperative', actor(third.id, otherMember, otherOrg)],
      ['another cooperative claiming the owner', actor(third.id, otherMember, ownOrg)],
      // Our own member, through the other cooperative's name (where they are no member).
      ['the owner acting for another', actor(otherProduct.id, coopAdmin, otherOrg)],
      ["the owner on another's product", actor(otherProduct.id, coopAdmin, ownOrg)],
      ['a consumer', actor(third.id, consumer)],
      ['junk ids', { orgId: 'x', productId: "1' or '1'='1", actorUserId: coopAdmin }],
    ]
    for (const [who, stranger] of strangers) {
      const notFound = { ok: false, error: { code: 'not_found' } }
      expect(await add(stranger, [{ filename: 'x.png', bytes: image }]), who).toEqual(notFound)
      expect(await reorderProductPhotos(db, { ...stranger, photoIds: photos.map((p) => p.id) }), who).toEqual(
        notFound,
      )
      expect(await setProductCover(db, { ...stranger, photoId: photos[1]!.id }), who).toEqual(notFound)
      expect(await removeProductPhoto(db, { ...stranger, photoId: photos[0]!.id }), who).toEqual(notFound)
      expect(await listProductPhotos(db, stranger), who).toEqual(notFound)
    }
    // A photo of one product named through another product of the same cooperative: not that product's photo.
    expect(await removeProductPhoto(db, { ...actor(second.id), photoId: photos[0]!.id })).toEqual({
      ok: false,
      error: { code: 'photo_not_found' },
    })
    expect(await photoRows(third.id)).toEqual(photos)
    expect(await outboxFor(third.sku)).toBe(outboxBefore)
  })

  it('shows the cover on cards and the photos on the product page, from one query each', async () => {
    const listing = await listProducts(db, { regionCode: '621126' }, { page: 1, pageSize: 50 }, today)
    const bySku = new Map(listing.items.map((item) => [item.sku, item]))
    const coverOf = async (productId: string) => {
      const [row] = await photoRows(productId)
      const [photo] = await db
        .select({ cardFile: productPhotos.cardFile })
        .from(productPhotos)
        .where(eq(productPhotos.id, row!.id))
      return `/files/${photo!.cardFile}`
    }
    expect(bySku.get(product.sku)?.coverUrl).toBe(await coverOf(product.id))
    expect(bySku.get(third.sku)?.coverUrl).toBe(await coverOf(third.id))
    expect(listing.items.filter((item) => item.coverUrl === null).length).toBeGreaterThan(0)

    const page = await getProductPage(db, third.slug, today)
    const rows = await db
      .select()
      .from(productPhotos)
      .where(eq(productPhotos.productId, third.id))
      .orderBy(asc(productPhotos.position))
    expect(page?.coverUrl).toBe(`/files/${rows[0]!.cardFile}`)
    expect(page?.photos).toEqual(
      rows.map((r) => ({
        card: `/files/${r.cardFile}`,
        page: `/files/${r.pageFile}`,
        width: r.width,
        height: r.height,
      })),
    )
  })

  it('never names a file in a photo that is not registered and stored', async () => {
    const rows = await db.select().from(productPhotos)
    const registered = new Set(await fileRows())
    const stored = new Set(storedKeys())
    expect(rows.length).toBeGreaterThan(0)
    for (const row of rows) {
      for (const key of [row.cardFile, row.pageFile]) {
        expect(registered.has(key) && stored.has(key), key).toBe(true)
      }
    }
  })

  describe('through the app', async () => {
    const buildFile = path.resolve('build/server/index.js')
    const realBuild = (await import(pathToFileURL(buildFile).href)) as ServerBuild
    const { origin } = await startTestApp(handle)
    // The cooperative's admin, signed in (now: sessions expire) and acting for the cooperative, as the console's
    // upload form sends it.
    const { token } = await createSession(db, { userId: coopAdmin, activeOrgId: ownOrg }, systemClock, {
      idleMinutes: 60,
      absoluteHours: 1,
    })
    const cookie = await sessionCookieFor(token)

    it('serves a stored photo with long cache headers, its type and its key as ETag', async () => {
      const [photo] = await db.select().from(productPhotos).where(eq(productPhotos.productId, product.id))
      const key = photo!.pageFile
      const response = await fetch(`${origin}/files/${key}`)
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toBe('image/webp')
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
      expect(response.headers.get('etag')).toBe(`"${key}"`)
      expect(response.headers.get('x-content-type-options')).toBe('nosniff')
      const body = Buffer.from(await response.arrayBuffer())
      expect(response.headers.get('content-length')).toBe(String(body.length))
      expect(fileKeyFor(body, 'webp')).toBe(key)

      const revalidated = await fetch(`${origin}/files/${key}`, { headers: { 'If-None-Match': `"${key}"` } })
      expect(revalidated.status).toBe(304)
      expect(revalidated.headers.get('etag')).toBe(`"${key}"`)
    })

    it('serves files to GET only', async () => {
      const response = await fetch(`${origin}/files/${'0'.repeat(64)}.webp`, {
        method: 'POST',
        headers: { Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'x=1',
      })
      expect(response.status).toBe(405)
      await response.arrayBuffer()
    })

    it('answers 404 for a key it does not hold (or that is not a photo), 400 for one that is no key', async () => {
      for (const key of [`${'0'.repeat(64)}.webp`, `${'0'.repeat(64)}.pdf`]) {
        const response = await fetch(`${origin}/files/${key}`)
        expect(response.status, key).toBe(404)
        await response.arrayBuffer()
      }
      for (const key of [
        'abc.webp',
        `${'A'.repeat(64)}.webp`,
        `${'0'.repeat(64)}.svg`,
        '..%2F..%2Fetc%2Fpasswd',
        `${'0'.repeat(64)}.webp.exe`,
      ]) {
        const response = await fetch(`${origin}/files/${key}`)
        expect(response.status, key).toBe(400)
        await response.arrayBuffer()
      }
    })

    it('shows the cover on the product pages and in the API', async () => {
      const [photo] = await photoRows(product.id)
      const [row] = await db.select().from(productPhotos).where(eq(productPhotos.id, photo!.id))
      const html = await (await fetch(`${origin}/products/${product.slug}`)).text()
      expect(html).toContain(`src="/files/${row!.pageFile}"`)
      expect(html).toContain(`alt="${product.name}"`)
      const listing = await (await fetch(`${origin}/regions/621126`)).text()
      expect(listing).toMatch(
        new RegExp(`<img src="/files/${row!.cardFile}" alt="${product.name}"[^>]* loading="lazy"`),
      )

      const found = await (await fetch(`${origin}/search?q=${encodeURIComponent(product.name)}`)).text()
      expect(found).toMatch(new RegExp(`<img src="/files/${row!.cardFile}" alt="${product.name}"`))

      const api = (await (await fetch(`${origin}/api/v1/products/${product.slug}`)).json()) as Record<
        string,
        unknown
      >
      expect(api.coverUrl).toBe(`/files/${row!.cardFile}`)
      expect(api.photos).toEqual([
        {
          card: `/files/${row!.cardFile}`,
          page: `/files/${row!.pageFile}`,
          width: row!.width,
          height: row!.height,
        },
      ])
      const list = (await (await fetch(`${origin}/api/v1/products?region=621126&pageSize=50`)).json()) as {
        items: Array<{ sku: string; coverUrl: string | null }>
      }
      expect(list.items.find((item) => item.sku === product.sku)?.coverUrl).toBe(`/files/${row!.cardFile}`)
      // The loader data the page renders from.
      const loader = realBuild.routes['routes/_storefront.products.$slug']!.module.loader!
      const data = (await loader({
        request: new Request(`http://localhost/products/${product.slug}`),
        params: { slug: product.slug },
        context: testContext(),
      })) as { product: { coverUrl: string; photos: unknown[] } }
      expect(data.product.coverUrl).toBe(`/files/${row!.cardFile}`)
      expect(data.product.photos).toHaveLength(1)
    })

    it('limits the upload path as a streamed class of its own, also as a single-fetch request', () => {
      for (const p of [`/coop/products/${product.id}/photos`, `/coop/products/${product.id}/photos.data`]) {
        expect(bodyLimitFor(p)).toMatchObject({
          name: 'product-photos',
          streamed: true,
          maxBytes: PHOTO_UPLOAD_BODY_LIMIT,
        })
      }
      expect(bodyLimitFor(`/coop/products/${product.id}/photos/x`).name).toBe('forms')
      expect(PHOTO_UPLOAD_BODY_LIMIT).toBeGreaterThan(uploadLimits.files * uploadLimits.fileBytes)
    })

    it('uploads two photos through the console page, and adds them to the product', async () => {
      const form = new FormData()
      form.append('intent', 'upload')
      form.append('photos', new Blob([await colour(400)], { type: 'image/png' }), '一.png')
      form.append(
        'photos',
        new Blob([await jpegWithGps({ width: 90, height: 90 })], { type: 'image/jpeg' }),
        '二.jpg',
      )
      const before = (await photoRows(second.id)).length
      const response = await fetch(`${origin}/coop/products/${second.id}/photos`, {
        method: 'POST',
        headers: { Origin: origin, Cookie: cookie },
        body: form,
      })
      const html = await response.text()
      expect(response.status).toBe(200)
      expect(html).toContain('照片已上传')
      expect(await photoRows(second.id)).toHaveLength(before + 2)
    })

    it('refuses an upload from a member of another cooperative, writing nothing', async () => {
      const { token: otherToken } = await createSession(
        db,
        { userId: otherMember, activeOrgId: otherOrg },
        systemClock,
        { idleMinutes: 60, absoluteHours: 1 },
      )
      const form = new FormData()
      form.append('intent', 'upload')
      form.append('photos', new Blob([await colour(120)], { type: 'image/png' }), '三.png')
      const before = await photoRows(second.id)
      const response = await fetch(`${origin}/coop/products/${second.id}/photos`, {
        method: 'POST',
        headers: { Origin: origin, Cookie: await sessionCookieFor(otherToken) },
        body: form,
      })
      await response.arrayBuffer()
      expect(response.status).toBe(404)
      expect(await photoRows(second.id)).toEqual(before)
    })

    it('answers a 30 MB photo sent without a Content-Length with 413, reading little more than 10 MB', async () => {
      const before = await photoRows(second.id)
      const answer = await postFile(`${origin}/coop/products/${second.id}/photos`, 30 * MB, { cookie })
      expect(answer.status).toBe(413)
      expect(answer.body).toContain('10 MB')
      // The server stopped reading at the file limit, and read nothing more while the refusal page rendered: past
      // the limit the client could hand over little more than the socket buffers (a few MB), never the whole file.
      // (The process's memory is no measure here: client and server share it, and the page render allocates.)
      expect(answer.sent).toBeLessThan(20 * MB)
      expect(await photoRows(second.id)).toEqual(before)
    })

    it('answers an upload declared over the whole limit with 413 before reading it', async () => {
      const answer = await postFile(
        `${origin}/coop/products/${second.id}/photos`,
        PHOTO_UPLOAD_BODY_LIMIT + 1,
        { contentLength: true, cookie },
      )
      expect(answer.status).toBe(413)
      expect(answer.sent).toBeLessThan(20 * MB)
    })
  })
})

type Answer = { status: number; body: string; sent: number }

/**
 * POSTs one file of `size` bytes as multipart, produced on the fly (the client holds one 64 KB chunk, never the
 * file), without a Content-Length unless asked, and stops sending as soon as the answer arrives.
 */
function postFile(
  url: string,
  size: number,
  options: { contentLength?: boolean; cookie?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url)
    const boundary = '----photos'
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename="huge.jpg"\r\n` +
        'Content-Type: image/jpeg\r\n\r\n',
    )
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`)
    const headers: Record<string, string> = {
      'Content-Type': `multipart/form-data; boundary=${boundary}`,
      Origin: target.origin,
      'Sec-Fetch-Site': 'same-origin',
    }
    if (options.cookie) headers.Cookie = options.cookie
    if (options.contentLength) headers['Content-Length'] = String(head.length + size + tail.length)
    const request = http.request(target, { method: 'POST', headers })
    const chunk = Buffer.alloc(64 * 1024, 0xab)
    let sent = 0
    let answered = false
    request.on('response', (response) => {
      answered = true
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (text: string) => (body += text))
      response.on('end', () => {
        request.destroy()
        resolve({ status: response.statusCode ?? 0, body, sent })
      })
      response.on('error', reject)
    })
    // Writing into a connection the server closed after answering fails: expected, once the answer is in.
    request.on('error', (error) => {
      if (!answered) reject(error)
    })
    request.write(head)
    const pump = () => {
      while (!answered && sent < size) {
        const room = request.write(chunk.subarray(0, Math.min(chunk.length, size - sent)))
        sent += Math.min(chunk.length, size - sent)
        if (!room) {
          request.once('drain', pump)
          return
        }
      }
      if (!answered) request.end(tail)
    }
    pump()
  })
}
