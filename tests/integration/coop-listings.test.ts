import { and, asc, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  archiveBase,
  archiveListing,
  createBase,
  createListing,
  getListingForEdit,
  listBases,
  listOwnListings,
  listReviewQueue,
  reviewListing,
  submitListing,
  updateBase,
  updateListing,
} from '../../app/domains/catalog/index.server'
import { getProductPage } from '../../app/domains/catalog/catalog.server'
import { verifyAuditChain } from '../../app/domains/audit/audit.server'
import { type Clock, shanghaiDate } from '../../app/utils/clock'
import type { Db } from '../../db/client.server'
import { auditEvents } from '../../db/schema/audit'
import { priceTiers, products } from '../../db/schema/catalog'
import { outbox } from '../../db/schema/outbox'
import { regions } from '../../db/schema/regions'
import { demo, listingForm, makeOrganization, productId } from '../support/coop'
import { openTestDatabase, testDbKind } from '../support/db'
import { SEED_NOW } from '../support/test-clock'

let db: Db
let time = SEED_NOW.getTime()
/** Each reading a second later: events keep their order. */
const clock: Clock = { now: () => new Date((time += 1000)) }
const today = shanghaiDate(SEED_NOW)

const admin = { orgId: demo.minxian, actorUserId: demo.coopAdmin }
const staff = { orgId: demo.minxian, actorUserId: demo.coopStaff }
const platformReviewer = { userId: demo.platformAdmin, orgId: demo.platform }
const officeReviewer = { userId: demo.officeAnalyst, orgId: demo.office }

beforeAll(async () => {
  db = (await openTestDatabase('seeded', { poolSize: 6 })).db
})

async function create(form: Record<string, unknown> = {}, actor = admin) {
  const result = await createListing(db, { ...actor, form: listingForm(form) }, clock)
  if (!result.ok) throw new Error(`createListing failed: ${JSON.stringify(result)}`)
  return result
}

async function productRow(id: string) {
  const [row] = await db.select().from(products).where(eq(products.id, id))
  return row!
}

async function auditTrail(subjectId: string) {
  const rows = await db
    .select({ action: auditEvents.action, actor: auditEvents.actorUserId, details: auditEvents.details })
    .from(auditEvents)
    .where(and(eq(auditEvents.subjectType, 'product'), eq(auditEvents.subjectId, subjectId)))
    .orderBy(asc(auditEvents.seq))
  return rows
}

async function outboxKeys(sku: string) {
  return (await db.select({ key: outbox.key }).from(outbox).where(eq(outbox.key, sku))).length
}

/** Submits and approves a listing at its current price (the minxian coop is admitted). */
async function makeActive(id: string) {
  expect(await submitListing(db, { ...admin, productId: id }, clock)).toEqual({ ok: true })
  expect(
    await reviewListing(db, { productId: id, reviewer: platformReviewer, decision: 'approve' }, clock),
  ).toEqual({ ok: true, status: 'active' })
}

describe(`cooperative listings (${testDbKind()})`, () => {
  it('creates a draft with a unique pinyin slug, its tiers, and a search outbox entry', async () => {
    const first = await create({
      name: '岷县当归片',
      price: '30',
      tiers: [
        { minQty: '10', unitPrice: '28.5' },
        { minQty: '50', unitPrice: '27' },
      ],
    })
    const second = await create({ name: '岷县当归片' })
    expect(first.slug).toBe('minxiandangguipian')
    expect(second.slug).toBe('minxiandangguipian-2')
    const row = await productRow(first.productId)
    expect(row).toMatchObject({
      status: 'draft',
      orgId: demo.minxian,
      priceFen: 3000n,
      stock: 100,
      originCode: '621126',
      approvedPriceFen: null,
    })
    expect(
      await db
        .select({ minQty: priceTiers.minQty, fen: priceTiers.unitPriceFen })
        .from(priceTiers)
        .where(eq(priceTiers.productId, first.productId))
        .orderBy(asc(priceTiers.minQty)),
    ).toEqual([
      { minQty: 10, fen: 2850n },
      { minQty: 50, fen: 2700n },
    ])
    expect(await outboxKeys(first.sku)).toBe(1)
    // A draft is not for sale: nobody outside the cooperative sees it.
    expect(await getProductPage(db, first.slug, today)).toBeNull()
    // Staff may create listings too.
    await create({}, staff)
  })

  it('takes the origin only from inside the cooperative’s own area, at county level', async () => {
    const errorsFor = async (originCode: string, actor = admin) => {
      const result = await createListing(db, { ...actor, form: listingForm({ originCode }) }, clock)
      return result.ok ? null : result
    }
    expect(await errorsFor('621126')).toBeNull()
    expect(await errorsFor('621102')).toEqual({
      ok: false,
      error: 'invalid',
      errors: { originCode: ['listing.error.origin.outsideArea'] },
    })
    expect(await errorsFor('621100')).toMatchObject({
      errors: { originCode: ['listing.error.origin.outsideArea'] },
    })
    expect(await errorsFor('999999')).toMatchObject({
      errors: { originCode: ['listing.error.origin.unknown'] },
    })

    // A cooperative registered for a whole city (舟山市): its counties, not the city itself.
    const [zhoushanChild] = await db.select().from(regions).where(eq(regions.parentCode, '330900')).limit(1)
    expect(zhoushanChild).toBeDefined()
    const zhoushan = await makeOrganization(db, { regionCode: '330900' })
    const zhoushanActor = { orgId: zhoushan.orgId, actorUserId: zhoushan.userId }
    expect(await errorsFor(zhoushanChild!.code, zhoushanActor)).toBeNull()
    expect(await errorsFor('330900', zhoushanActor)).toMatchObject({
      errors: { originCode: ['listing.error.origin.notCounty'] },
    })
    // A city without counties (东莞市) is its own lowest level.
    expect(await db.select().from(regions).where(eq(regions.parentCode, '441900'))).toEqual([])
    const dongguan = await makeOrganization(db, { regionCode: '441900' })
    expect(await errorsFor('441900', { orgId: dongguan.orgId, actorUserId: dongguan.userId })).toBeNull()
  })

  it('refuses a SKU already in use, as an error on the SKU field, on create and on edit', async () => {
    expect(await createListing(db, { ...admin, form: listingForm({ sku: 'prd001' }) }, clock)).toEqual({
      ok: false,
      error: 'invalid',
      errors: { sku: ['listing.error.sku.taken'] },
    })
    const mine = await create()
    expect(
      await updateListing(
        db,
        { ...admin, productId: mine.productId, form: listingForm({ sku: 'PRD030' }) },
        clock,
      ),
    ).toEqual({ ok: false, error: 'invalid', errors: { sku: ['listing.error.sku.taken'] } })
    // Nothing of the failed edit was written.
    expect((await productRow(mine.productId)).sku).toBe(mine.sku)
  })

  it('a cooperative never sees or changes another’s listings', async () => {
    const theirs = productId('PRD001') // 安定区's
    const form = listingForm({ originCode: '621102' })
    const notFound = { ok: false, error: 'not_found' }
    expect(await updateListing(db, { ...admin, productId: theirs, form }, clock)).toEqual(notFound)
    expect(await submitListing(db, { ...admin, productId: theirs }, clock)).toEqual(notFound)
    expect(await archiveListing(db, { ...admin, productId: theirs }, clock)).toEqual(notFound)
    expect(await getListingForEdit(db, { ...admin, productId: theirs })).toBeNull()
    // Acting for another cooperative (naming it) without being its member finds nothing either.
    expect(await listOwnListings(db, { orgId: demo.anding, actorUserId: demo.coopAdmin }, clock)).toBeNull()
    expect(await createListing(db, { orgId: demo.anding, actorUserId: demo.coopAdmin, form }, clock)).toEqual(
      notFound,
    )
    // Nor may anyone but the cooperative's members: an office or the platform cannot edit listings.
    const mine = await create()
    for (const outsider of [demo.officeAdmin, demo.platformAdmin, demo.consumer])
      expect(
        await updateListing(
          db,
          { orgId: demo.minxian, actorUserId: outsider, productId: mine.productId, form: listingForm() },
          clock,
        ),
      ).toEqual(notFound)
    expect((await productRow(theirs)).status).toBe('active')
    // Junk ids name nothing.
    expect(await submitListing(db, { ...admin, productId: 'x' }, clock)).toEqual(notFound)

    const own = await listOwnListings(db, { ...admin, pageSize: 100 }, clock)
    expect(own!.items.map((i) => i.sku)).toContain('PRD030')
    expect(own!.items.every((i) => i.originCode === '621126')).toBe(true)
    expect(own!.items.map((i) => i.sku)).not.toContain('PRD001')
  })

  it('draft → pending → rejected (with the reason) → edited → pending → active, every step audited', async () => {
    const listing = await create({ price: '40' })
    const id = listing.productId
    expect(await submitListing(db, { ...admin, productId: id }, clock)).toEqual({ ok: true })
    expect((await productRow(id)).status).toBe('pending')
    expect(await submitListing(db, { ...admin, productId: id }, clock)).toEqual({
      ok: false,
      error: 'not_submittable',
      status: 'pending',
    })

    // The office (its jurisdiction 定西市 holds 岷县) sees it in its queue and rejects it with a reason.
    const queue = await listReviewQueue(db, officeReviewer)
    expect(queue.items.map((i) => i.productId)).toContain(id)
    expect(queue.items.find((i) => i.productId === id)).toMatchObject({
      because: 'submitted',
      priceFen: 4000,
    })
    expect(
      await reviewListing(
        db,
        { productId: id, reviewer: officeReviewer, decision: 'reject', reason: '图' },
        clock,
      ),
    ).toEqual({ ok: false, error: 'invalid', errors: { reason: ['listing.error.reason.length'] } })
    expect(
      await reviewListing(
        db,
        {
          productId: id,
          reviewer: officeReviewer,
          decision: 'reject',
          reason: '规格与图片不符，请补充净含量',
        },
        clock,
      ),
    ).toEqual({ ok: true, status: 'rejected' })
    const rejected = await getListingForEdit(db, { ...admin, productId: id })
    expect(rejected).toMatchObject({ status: 'rejected', rejectionReason: '规格与图片不符，请补充净含量' })
    expect(rejected!.form).toMatchObject({ price: '40.00', sku: listing.sku, tiers: [] })

    // Fixing it keeps it rejected (with the reason) until it is submitted again.
    expect(
      await updateListing(
        db,
        { ...admin, productId: id, form: { ...rejected!.form, description: '净含量 250 克' } },
        clock,
      ),
    ).toEqual({ ok: true, status: 'rejected', sentToReview: false })
    expect((await productRow(id)).rejectionReason).toBe('规格与图片不符，请补充净含量')
    expect(await submitListing(db, { ...staff, productId: id }, clock)).toEqual({ ok: true })
    expect(await productRow(id)).toMatchObject({ status: 'pending', rejectionReason: null })

    expect(
      await reviewListing(db, { productId: id, reviewer: platformReviewer, decision: 'approve' }, clock),
    ).toEqual({ ok: true, status: 'active' })
    const approved = await productRow(id)
    expect(approved).toMatchObject({
      status: 'active',
      approvedPriceFen: 4000n,
      reviewedBy: demo.platformAdmin,
      rejectionReason: null,
    })
    expect(approved.reviewedAt).not.toBeNull()
    expect(await getProductPage(db, listing.slug, today)).not.toBeNull()

    expect(await auditTrail(id)).toEqual([
      { action: 'listing.submitted', actor: demo.coopAdmin, details: { sku: listing.sku, from: 'draft' } },
      {
        action: 'listing.rejected',
        actor: demo.officeAnalyst,
        details: { sku: listing.sku, reason: '规格与图片不符，请补充净含量' },
      },
      { action: 'listing.submitted', actor: demo.coopStaff, details: { sku: listing.sku, from: 'rejected' } },
      {
        action: 'listing.approved',
        actor: demo.platformAdmin,
        details: { sku: listing.sku, priceFen: '4000' },
      },
    ])
    // Created, submitted, rejected, edited, submitted, approved: each in the outbox.
    expect(await outboxKeys(listing.sku)).toBe(6)
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true })
  })

  it('only an office whose jurisdiction covers the origin reviews it; the platform reviews everything', async () => {
    // A cooperative in 淳安县 (Zhejiang): outside the Fuzhou office's 福州市 ∪ 定西市.
    const chunan = await makeOrganization(db, { regionCode: '330127', admitted: true })
    const actor = { orgId: chunan.orgId, actorUserId: chunan.userId }
    const created = await createListing(db, { ...actor, form: listingForm({ originCode: '330127' }) }, clock)
    if (!created.ok) throw new Error('create failed')
    expect(await submitListing(db, { ...actor, productId: created.productId }, clock)).toEqual({ ok: true })

    expect((await listReviewQueue(db, officeReviewer)).items.map((i) => i.productId)).not.toContain(
      created.productId,
    )
    expect(
      await reviewListing(
        db,
        { productId: created.productId, reviewer: officeReviewer, decision: 'approve' },
        clock,
      ),
    ).toEqual({ ok: false, error: 'not_found' })
    // Acting for the platform is needed: the office admin is no platform admin, the finance user no reviewer.
    for (const reviewer of [
      { userId: demo.officeAdmin, orgId: demo.platform },
      { userId: demo.finance, orgId: demo.platform },
      { userId: demo.coopAdmin, orgId: demo.minxian },
    ]) {
      expect((await listReviewQueue(db, reviewer)).items).toEqual([])
      expect(
        await reviewListing(db, { productId: created.productId, reviewer, decision: 'approve' }, clock),
      ).toEqual({ ok: false, error: 'not_found' })
    }
    expect((await listReviewQueue(db, platformReviewer)).items.map((i) => i.productId)).toContain(
      created.productId,
    )
    expect(
      await reviewListing(
        db,
        { productId: created.productId, reviewer: platformReviewer, decision: 'approve' },
        clock,
      ),
    ).toEqual({ ok: true, status: 'active' })
  })

  it('only an admitted seller may submit: the message says to complete supplier admission', async () => {
    const newcomer = await makeOrganization(db, { regionCode: '621126', admitted: false })
    const actor = { orgId: newcomer.orgId, actorUserId: newcomer.userId }
    const created = await createListing(db, { ...actor, form: listingForm() }, clock)
    if (!created.ok) throw new Error('create failed')
    expect(await submitListing(db, { ...actor, productId: created.productId }, clock)).toEqual({
      ok: false,
      error: 'not_admitted',
    })
    expect((await productRow(created.productId)).status).toBe('draft')
  })

  it('a price change of more than 30% sends an active listing back to review: exactly 30% does not', async () => {
    const listing = await create({ price: '100' })
    const id = listing.productId
    await makeActive(id)
    const edit = async (price: string) =>
      updateListing(db, { ...admin, productId: id, form: listingForm({ sku: listing.sku, price }) }, clock)

    expect(await edit('130.00')).toEqual({ ok: true, status: 'active', sentToReview: false })
    expect(await edit('70.00')).toEqual({ ok: true, status: 'active', sentToReview: false })
    // Measured from the approved price, not the last one: ¥70 → ¥130.01 is +30.01% of the approved ¥100.
    expect(await edit('130.01')).toEqual({ ok: true, status: 'pending', sentToReview: true })
    expect(await productRow(id)).toMatchObject({
      status: 'pending',
      priceFen: 13001n,
      approvedPriceFen: 10000n,
    })
    const own = await listOwnListings(db, { ...admin, status: 'pending', pageSize: 100 }, clock)
    expect(own!.items.find((i) => i.productId === id)).toMatchObject({ pendingBecause: 'price_change' })
    const queued = (await listReviewQueue(db, officeReviewer)).items.find((i) => i.productId === id)
    expect(queued).toMatchObject({ because: 'price_change', approvedPriceFen: 10000, priceFen: 13001 })
    // Off sale while in review.
    expect(await getProductPage(db, listing.slug, today)).toBeNull()
    const trail = await auditTrail(id)
    expect(trail.at(-1)).toEqual({
      action: 'listing.resubmitted_for_price',
      actor: demo.coopAdmin,
      // Money in the audit log is decimal text (canonical JSON carries bigints as strings).
      details: { sku: listing.sku, approvedPriceFen: '10000', priceFen: '13001' },
    })

    // Approved at the new price, a fall of 30.01% from it goes back again; one of exactly 30% does not.
    await reviewListing(db, { productId: id, reviewer: officeReviewer, decision: 'approve' }, clock)
    expect((await productRow(id)).approvedPriceFen).toBe(13001n)
    const other = await create({ price: '100' })
    await makeActive(other.productId)
    const editOther = (price: string) =>
      updateListing(
        db,
        { ...admin, productId: other.productId, form: listingForm({ sku: other.sku, price }) },
        clock,
      )
    expect(await editOther('70')).toEqual({ ok: true, status: 'active', sentToReview: false })
    expect(await editOther('69.99')).toEqual({ ok: true, status: 'pending', sentToReview: true })
  })

  it('two reviewers deciding at once: exactly one decision, the other is told it is already decided', async () => {
    for (let round = 0; round < 5; round++) {
      const listing = await create()
      await submitListing(db, { ...admin, productId: listing.productId }, clock)
      const results = await Promise.all([
        reviewListing(
          db,
          { productId: listing.productId, reviewer: platformReviewer, decision: 'approve' },
          clock,
        ),
        reviewListing(
          db,
          {
            productId: listing.productId,
            reviewer: officeReviewer,
            decision: 'reject',
            reason: '资质材料不全',
          },
          clock,
        ),
      ])
      const decided = results.filter((r) => r.ok)
      expect(decided, `round ${round}`).toHaveLength(1)
      const winner = decided[0] as { ok: true; status: 'active' | 'rejected' }
      const loser = results.find((r) => !r.ok)
      expect(loser).toEqual({ ok: false, error: 'already_decided', status: winner.status })
      expect((await productRow(listing.productId)).status).toBe(winner.status)
      const decisions = (await auditTrail(listing.productId)).filter((e) => e.action !== 'listing.submitted')
      expect(decisions).toHaveLength(1)
    }
  })

  it('archives from any status, once; an archived listing is not edited or sold', async () => {
    const draft = await create()
    const active = await create()
    await makeActive(active.productId)
    for (const listing of [draft, active]) {
      expect(await archiveListing(db, { ...staff, productId: listing.productId }, clock)).toEqual({
        ok: true,
      })
      expect(await archiveListing(db, { ...admin, productId: listing.productId }, clock)).toEqual({
        ok: false,
        error: 'already_archived',
      })
      expect(
        await updateListing(db, { ...admin, productId: listing.productId, form: listingForm() }, clock),
      ).toEqual({ ok: false, error: 'archived' })
    }
    expect(await getProductPage(db, active.slug, today)).toBeNull()
    expect((await auditTrail(active.productId)).at(-1)).toEqual({
      action: 'listing.archived',
      actor: demo.coopStaff,
      details: { sku: active.sku, from: 'active' },
    })
  })
})

describe(`cooperative bases (${testDbKind()})`, () => {
  const baseForm = (overrides: Record<string, unknown> = {}) => ({
    name: '岷县当归种植帮扶基地',
    kind: '帮扶基地',
    regionCode: '621126',
    description: '海拔 2,300 米的当归种植基地。',
    ...overrides,
  })

  it('an admin creates, edits and archives bases in the cooperative’s area; listings name them', async () => {
    const created = await createBase(db, { ...admin, form: baseForm() }, clock)
    if (!created.ok) throw new Error(JSON.stringify(created))
    expect(await createBase(db, { ...admin, form: baseForm({ regionCode: '621102' }) }, clock)).toEqual({
      ok: false,
      error: 'invalid',
      errors: { regionCode: ['base.error.region.outsideArea'] },
    })
    expect(await createBase(db, { ...admin, form: baseForm({ kind: '仓库' }) }, clock)).toEqual({
      ok: false,
      error: 'invalid',
      errors: { kind: ['base.error.kind.required'] },
    })
    // Staff manage listings, not bases.
    expect(await createBase(db, { ...staff, form: baseForm() }, clock)).toEqual({
      ok: false,
      error: 'not_found',
    })
    expect(
      await updateBase(db, {
        ...admin,
        baseId: created.baseId,
        form: baseForm({ name: '岷县当归帮扶基地（二期）' }),
      }),
    ).toEqual({ ok: true, baseId: created.baseId })

    const listing = await create({ baseId: created.baseId })
    expect((await productRow(listing.productId)).baseId).toBe(created.baseId)

    expect(await archiveBase(db, { ...admin, baseId: created.baseId }, clock)).toEqual({ ok: true })
    expect(await archiveBase(db, { ...admin, baseId: created.baseId }, clock)).toEqual({
      ok: false,
      error: 'already_archived',
    })
    // No new listing may choose it; the listing that named it keeps it through an edit.
    expect(
      await createListing(db, { ...admin, form: listingForm({ baseId: created.baseId }) }, clock),
    ).toEqual({
      ok: false,
      error: 'invalid',
      errors: { baseId: ['listing.error.base.archived'] },
    })
    expect(
      await updateListing(
        db,
        {
          ...admin,
          productId: listing.productId,
          form: listingForm({ sku: listing.sku, baseId: created.baseId, name: '岷县当归片（大包装）' }),
        },
        clock,
      ),
    ).toMatchObject({ ok: true })
    expect(await updateBase(db, { ...admin, baseId: created.baseId, form: baseForm() })).toEqual({
      ok: false,
      error: 'archived',
    })

    const bases = await listBases(db, staff)
    expect(bases!.find((b) => b.id === created.baseId)).toMatchObject({
      name: '岷县当归帮扶基地（二期）',
      regionName: '岷县',
      archived: true,
      products: 1,
    })
  })

  it('a cooperative never sees or changes another’s bases', async () => {
    const other = await makeOrganization(db, { regionCode: '621102' })
    const theirs = await createBase(
      db,
      { orgId: other.orgId, actorUserId: other.userId, form: baseForm({ regionCode: '621102' }) },
      clock,
    )
    if (!theirs.ok) throw new Error('create failed')
    expect(await updateBase(db, { ...admin, baseId: theirs.baseId, form: baseForm() })).toEqual({
      ok: false,
      error: 'not_found',
    })
    expect(await archiveBase(db, { ...admin, baseId: theirs.baseId }, clock)).toEqual({
      ok: false,
      error: 'not_found',
    })
    expect(
      await createListing(db, { ...admin, form: listingForm({ baseId: theirs.baseId }) }, clock),
    ).toEqual({
      ok: false,
      error: 'invalid',
      errors: { baseId: ['listing.error.base.unknown'] },
    })
    expect((await listBases(db, admin))!.map((b) => b.id)).not.toContain(theirs.baseId)
    expect(await listBases(db, { orgId: other.orgId, actorUserId: demo.coopAdmin })).toBeNull()
  })
})
