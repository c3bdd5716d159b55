import { and, asc, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { createSession } from '../../app/domains/accounts/sessions.server'
import {
  createListing,
  reviewListing,
  submitListing,
  updateListing,
} from '../../app/domains/catalog/index.server'
import { priceChangeText } from '../../app/components/review-queue'
import { type Clock, systemClock } from '../../app/utils/clock'
import { auditEvents } from '../../db/schema/audit'
import { products } from '../../db/schema/catalog'
import { organizations } from '../../db/schema/organizations'
import { startTestApp } from '../support/app-server'
import { demo, listingForm, makeOrganization } from '../support/coop'
import { openTestDatabase, testDbKind } from '../support/db'
import { sessionCookieFor } from '../support/session-cookie'

/**
 * The listing review and supplier admission pages over HTTP, as a browser uses them (a document request; the
 * action's status is the page's): who sees which queue, what a decision writes, and what a reviewer reads when the
 * form is wrong or someone else decided first.
 */
describe(`listing review and supplier admission pages (${testDbKind()})`, async () => {
  const handle = await openTestDatabase('seeded')
  const db = handle.db
  const { origin } = await startTestApp(handle)
  const clock: Clock = systemClock

  async function cookieFor(userId: string, activeOrgId: string | null): Promise<string> {
    const { token } = await createSession(db, { userId, activeOrgId }, systemClock, {
      idleMinutes: 60,
      absoluteHours: 1,
    })
    return sessionCookieFor(token)
  }
  const analyst = await cookieFor(demo.officeAnalyst, demo.office)
  const officeAdmin = await cookieFor(demo.officeAdmin, demo.office)
  const platformAdmin = await cookieFor(demo.platformAdmin, demo.platform)
  const consumer = await cookieFor(demo.consumer, null)

  async function page(path: string, cookie: string) {
    const response = await fetch(`${origin}${path}`, {
      headers: { Cookie: cookie },
      redirect: 'manual',
    })
    return { status: response.status, html: await response.text() }
  }

  async function post(path: string, cookie: string, form: Record<string, string>) {
    const response = await fetch(`${origin}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        Cookie: cookie,
        Origin: origin,
        'Sec-Fetch-Site': 'same-origin',
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(form),
    })
    return { status: response.status, html: await response.text() }
  }

  /** A pending listing of an admitted cooperative, with a name of its own to find on the page. */
  async function pendingListing(
    actor: { orgId: string; actorUserId: string } = { orgId: demo.minxian, actorUserId: demo.coopAdmin },
    form: Record<string, unknown> = {},
  ) {
    const name = `审核页测试${Math.random().toString(36).slice(2, 8)}`
    const created = await createListing(db, { ...actor, form: listingForm({ name, ...form }) }, clock)
    if (!created.ok) throw new Error(`createListing: ${JSON.stringify(created)}`)
    expect(await submitListing(db, { ...actor, productId: created.productId }, clock)).toEqual({ ok: true })
    return { id: created.productId, name }
  }

  async function statusOf(id: string) {
    const [row] = await db
      .select({ status: products.status, reason: products.rejectionReason })
      .from(products)
      .where(eq(products.id, id))
    return row!
  }

  async function auditOf(subjectType: string, subjectId: string) {
    return db
      .select({ action: auditEvents.action, actor: auditEvents.actorUserId, details: auditEvents.details })
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectType, subjectType), eq(auditEvents.subjectId, subjectId)))
      .orderBy(asc(auditEvents.seq))
  }

  // A cooperative in 淳安县 (Zhejiang): outside the Fuzhou office's 福州市 ∪ 定西市.
  const chunan = await makeOrganization(db, { regionCode: '330127', admitted: true })
  const outside = await pendingListing(
    { orgId: chunan.orgId, actorUserId: chunan.userId },
    { originCode: '330127' },
  )

  it('an office sees only its jurisdiction’s listings and cannot decide another’s; the platform sees both', async () => {
    const inside = await pendingListing()
    const office = await page('/office/listings', analyst)
    expect(office.status).toBe(200)
    expect(office.html).toContain(inside.name)
    expect(office.html).not.toContain(outside.name)

    const refused = await post('/office/listings', analyst, { intent: 'approve', productId: outside.id })
    expect(refused.status).toBe(404)
    expect(refused.html).toContain('找不到该商品，或它不在您的审核范围内。')
    expect(await statusOf(outside.id)).toMatchObject({ status: 'pending' })
    expect(await auditOf('product', outside.id)).toHaveLength(1) // only listing.submitted

    const platform = await page('/admin/listings', platformAdmin)
    expect(platform.status).toBe(200)
    expect(platform.html).toContain(inside.name)
    expect(platform.html).toContain(outside.name)
  })

  it('refuses people who do not act for a reviewing organisation with 403', async () => {
    // The platform admin holds a reviewing role but acts for the platform, not an office.
    expect((await page('/office/listings', platformAdmin)).status).toBe(403)
    expect((await page('/office', platformAdmin)).status).toBe(403)
    // The analyst reviews for the office, never on the platform's pages.
    expect((await page('/admin/listings', analyst)).status).toBe(403)
    expect((await page('/admin/listings', consumer)).status).toBe(403)
    expect((await page('/office/listings', consumer)).status).toBe(403)
    // Recommending suppliers is the office admins' job.
    expect((await page('/office/suppliers', analyst)).status).toBe(403)
    const inside = await pendingListing()
    const byConsumer = await post('/admin/listings', consumer, { intent: 'approve', productId: inside.id })
    expect(byConsumer.status).toBe(403)
    expect(await statusOf(inside.id)).toMatchObject({ status: 'pending' })
  })

  it('a rejection without a reason is answered next to the field and writes nothing', async () => {
    const inside = await pendingListing()
    const answer = await post('/office/listings', analyst, {
      intent: 'reject',
      productId: inside.id,
      reason: '',
    })
    expect(answer.status).toBe(400)
    expect(answer.html).toContain('请填写驳回理由，便于合作社修改')
    // The message belongs to the reason field of this listing's form.
    expect(answer.html).toMatch(
      new RegExp(`<textarea[^>]*id="reject-${inside.id}-reason"[^>]*aria-invalid="true"`),
    )
    expect(await statusOf(inside.id)).toMatchObject({ status: 'pending', reason: null })
    expect((await auditOf('product', inside.id)).map((e) => e.action)).toEqual(['listing.submitted'])

    const tooShort = await post('/office/listings', analyst, {
      intent: 'reject',
      productId: inside.id,
      reason: '差',
    })
    expect(tooShort.status).toBe(400)
    expect(tooShort.html).toContain('驳回理由须为 2 至 200 字')
    expect(await statusOf(inside.id)).toMatchObject({ status: 'pending' })

    const rejected = await post('/admin/listings', platformAdmin, {
      intent: 'reject',
      productId: inside.id,
      reason: '图片不清楚，请补拍包装正面',
    })
    expect(rejected.status).toBe(200)
    expect(rejected.html).toContain('已驳回，合作社会看到驳回理由。')
    expect(await statusOf(inside.id)).toEqual({ status: 'rejected', reason: '图片不清楚，请补拍包装正面' })
    expect((await auditOf('product', inside.id)).at(-1)).toMatchObject({
      action: 'listing.rejected',
      actor: demo.platformAdmin,
      details: { reason: '图片不清楚，请补拍包装正面' },
    })
  })

  it('an approval is audited; the second reviewer of the same listing gets a clear 409, not a 500', async () => {
    const inside = await pendingListing()
    const approved = await post('/office/listings', analyst, { intent: 'approve', productId: inside.id })
    expect(approved.status).toBe(200)
    expect(approved.html).toContain('已审核通过，商品已上架。')
    expect(approved.html).not.toContain(inside.name) // gone from the queue
    expect(await statusOf(inside.id)).toMatchObject({ status: 'active' })
    expect((await auditOf('product', inside.id)).at(-1)).toMatchObject({
      action: 'listing.approved',
      actor: demo.officeAnalyst,
    })

    const second = await post('/admin/listings', platformAdmin, {
      intent: 'reject',
      productId: inside.id,
      reason: '重复审核测试',
    })
    expect(second.status).toBe(409)
    expect(second.html).toContain('该商品已由其他审核人处理，当前状态：在售。')
    expect(await statusOf(inside.id)).toMatchObject({ status: 'active', reason: null })
    expect((await auditOf('product', inside.id)).map((e) => e.action)).toEqual([
      'listing.submitted',
      'listing.approved',
    ])
  })

  it('two reviewers deciding at once: exactly one decides, the other is told so', async () => {
    const inside = await pendingListing()
    const answers = await Promise.all([
      post('/office/listings', analyst, { intent: 'approve', productId: inside.id }),
      post('/admin/listings', platformAdmin, {
        intent: 'reject',
        productId: inside.id,
        reason: '同时审核测试',
      }),
    ])
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409])
    expect((await auditOf('product', inside.id)).map((e) => e.action)).toHaveLength(2)
  })

  it('shows the photo slot, the tiers and, after a price change, the approved price and the change', async () => {
    const actor = { orgId: demo.minxian, actorUserId: demo.coopAdmin }
    const listing = await pendingListing(actor, {
      price: '40',
      tiers: [{ minQty: '10', unitPrice: '38' }],
    })
    const queue = await page('/office/listings', analyst)
    expect(queue.html).toContain('暂无图片')
    expect(queue.html).toMatch(/10袋起 ¥38\.00 \/ 袋/)
    expect(
      await reviewListing(
        db,
        {
          productId: listing.id,
          reviewer: { userId: demo.platformAdmin, orgId: demo.platform },
          decision: 'approve',
        },
        clock,
      ),
    ).toEqual({ ok: true, status: 'active' })
    const edited = await updateListing(
      db,
      { ...actor, productId: listing.id, form: listingForm({ name: listing.name, price: '60', tiers: [] }) },
      clock,
    )
    expect(edited).toMatchObject({ ok: true, sentToReview: true })
    const again = await page('/office/listings', analyst)
    expect(again.html).toContain('价格较审核通过时变动超过 30%，需重新审核')
    expect(again.html).toContain('审核通过时为 ¥40.00，变动 +50.00%')
  })

  it('says so when an office has nothing to review', async () => {
    // An office in Tibet: no cooperative of the demo lies in its jurisdiction.
    const lhasa = await makeOrganization(db, {
      kind: 'office',
      role: 'office_analyst',
      regionCode: '540102',
      jurisdiction: ['540000'],
    })
    const cookie = await cookieFor(lhasa.userId, lhasa.orgId)
    const queue = await page('/office/listings', cookie)
    expect(queue.status).toBe(200)
    expect(queue.html).toContain('没有待审核的商品')
    const home = await page('/office', cookie)
    expect(home.status).toBe(200)
    // The office's name heads its pages; the analyst does not recommend suppliers.
    const [office] = await db
      .select({ name: organizations.name })
      .from(organizations)
      .where(eq(organizations.id, lhasa.orgId))
    expect(home.html).toContain(`<h1 class="mb-4 text-2xl font-bold">${office!.name}</h1>`)
    expect(home.html).toContain('县级推荐由本机构管理员办理。')
    expect(home.html).not.toContain('href="/office/suppliers"')
  })

  it('an office admin recommends a supplier of its jurisdiction with a note, then the platform verifies it', async () => {
    const newcomer = await makeOrganization(db, { regionCode: '621126', admitted: false })
    const [row] = await db
      .select({ name: organizations.name })
      .from(organizations)
      .where(eq(organizations.id, newcomer.orgId))
    const name = row!.name

    const home = await page('/office', officeAdmin)
    expect(home.status).toBe(200)
    expect(home.html).toContain('href="/office/suppliers"')
    const list = await page('/office/suppliers', officeAdmin)
    expect(list.status).toBe(200)
    expect(list.html).toContain(name)

    const tooLong = await post('/office/suppliers', officeAdmin, {
      intent: 'recommend',
      supplierOrgId: newcomer.orgId,
      note: '好'.repeat(201),
    })
    expect(tooLong.status).toBe(400)
    expect(tooLong.html).toContain('推荐意见最多 200 字')
    expect(await auditOf('organization', newcomer.orgId)).toEqual([])

    // The platform cannot verify before the office recommends.
    const early = await post('/admin/suppliers', platformAdmin, {
      intent: 'verify',
      supplierOrgId: newcomer.orgId,
    })
    expect(early.status).toBe(409)
    expect(early.html).toContain('该组织尚未获得县级推荐，不能审核准入。')

    const recommended = await post('/office/suppliers', officeAdmin, {
      intent: 'recommend',
      supplierOrgId: newcomer.orgId,
      note: '县里核实过种植基地',
    })
    expect(recommended.status).toBe(200)
    expect(recommended.html).toContain(`已推荐「${name}」，等待平台审核。`)
    const again = await post('/office/suppliers', officeAdmin, {
      intent: 'recommend',
      supplierOrgId: newcomer.orgId,
    })
    expect(again.status).toBe(409)
    expect(again.html).toContain('该组织已被推荐。')

    const verifyList = await page('/admin/suppliers', platformAdmin)
    expect(verifyList.html).toContain(name)
    expect(verifyList.html).toContain('福州市东西部协作工作机构（演示）')
    const verified = await post('/admin/suppliers', platformAdmin, {
      intent: 'verify',
      supplierOrgId: newcomer.orgId,
    })
    expect(verified.status).toBe(200)
    expect(verified.html).toContain(`「${name}」已完成供应商准入，可以提交商品审核。`)
    expect((await page('/admin/suppliers', platformAdmin)).html).not.toContain(name)

    expect(await auditOf('organization', newcomer.orgId)).toMatchObject([
      { action: 'supplier.recommended', actor: demo.officeAdmin, details: { note: '县里核实过种植基地' } },
      { action: 'supplier.verified', actor: demo.platformAdmin },
    ])
    // Visible to the platform in the audit log.
    const audit = await page('/admin/audit', platformAdmin)
    expect(audit.html).toContain('supplier.recommended')
  })

  it('a supplier outside the office’s jurisdiction is not found', async () => {
    const far = await makeOrganization(db, { regionCode: '330127', admitted: false })
    expect((await page('/office/suppliers', officeAdmin)).html).not.toContain(far.orgId)
    const refused = await post('/office/suppliers', officeAdmin, {
      intent: 'recommend',
      supplierOrgId: far.orgId,
    })
    expect(refused.status).toBe(404)
    expect(refused.html).toContain('找不到该组织，或它不在您的辖区内。')
    expect(await auditOf('organization', far.orgId)).toEqual([])
  })

  it('links 审核 in the header for the acting office or platform admin, and not for others', async () => {
    expect((await page('/', analyst)).html).toMatch(/<a[^>]*href="\/office"[^>]*>审核<\/a>/)
    expect((await page('/', platformAdmin)).html).toMatch(/<a[^>]*href="\/admin\/listings"[^>]*>审核<\/a>/)
    expect((await page('/', consumer)).html).not.toMatch(/>审核<\/a>/)
  })

  it('speaks English with the language cookie', async () => {
    const inside = await pendingListing()
    const queue = await page('/office/listings', `${analyst}; lang=en`)
    expect(queue.status).toBe(200)
    expect(queue.html).toContain('Listing review')
    expect(queue.html).toContain(`Approve “${inside.name}”`)
    expect(queue.html).not.toContain('审核通过')
    const suppliers = await page('/admin/suppliers', `${platformAdmin}; lang=en`)
    expect(suppliers.html).toContain('Supplier admission')
  })

  it('writes the price change as a signed percentage, toward zero', () => {
    expect(priceChangeText(10000, 13001)).toBe('+30.01%')
    expect(priceChangeText(10000, 7000)).toBe('−30.00%')
    expect(priceChangeText(3, 4)).toBe('+33.33%')
    expect(priceChangeText(100, 100)).toBe('0.00%')
  })
})
