import { randomUUID } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { countAll, useSharedDb } from '../../db/client.server'
import { sessions, users } from '../../db/schema/accounts'
import { memberships } from '../../db/schema/memberships'
import { organizations } from '../../db/schema/organizations'
import { seedUuid } from '../../db/seed/synthetic'
import {
  createOffice,
  listMyOrganizations,
  listOrganizationsForReview,
  normalizeJurisdiction,
  registerOrganization,
  type RegisterOrganizationInput,
  reviewOrganization,
} from '../../app/domains/organizations/organizations.server'
import { createSession, type RequestAuth } from '../../app/domains/accounts/sessions.server'
import { action as registerAction } from '../../app/routes/account.organizations.new'
import { loader as myOrganizationsLoader } from '../../app/routes/account.organizations._index'
import { action as newOfficeAction } from '../../app/routes/admin.offices.new'
import { action as reviewAction, loader as reviewLoader } from '../../app/routes/admin.organizations'
import { fixedClock, systemClock } from '../../app/utils/clock'
import { makeUscc } from '../../app/utils/uscc'
import { testContext } from '../support/context'
import { openTestDatabase, testDbKind } from '../support/db'
import { SEED_NOW } from '../support/test-clock'

const clock = fixedClock(SEED_NOW)

/** A valid credit code of our own: a distinct 8-digit body per call, so tests never collide with the seed. */
let usccSerial = 0
function freshUscc(regionCode = '350102'): string {
  usccSerial += 1
  const body = String(70_000_000 + usccSerial * 7919).slice(-8)
  return makeUscc({ authority: '9', kind: '1', regionCode, orgBody8: body })
}

/** The same code with one body digit changed: the GB 32100 check character no longer matches. */
function withOneDigitChanged(uscc: string): string {
  const position = 10
  const digit = Number(uscc[position])
  return `${uscc.slice(0, position)}${(digit + 1) % 10}${uscc.slice(position + 1)}`
}

async function thrownResponse(promise: Promise<unknown>): Promise<Response> {
  try {
    await promise
  } catch (thrown) {
    if (thrown instanceof Response) return thrown
    throw thrown
  }
  throw new Error('expected a thrown Response')
}

describe(`organisations (${testDbKind()})`, async () => {
  const handle = await openTestDatabase('seeded')
  const db = handle.db
  useSharedDb(handle)

  async function createUser(label: string): Promise<string> {
    const [row] = await db
      .insert(users)
      .values({
        email: `${label}-${randomUUID().slice(0, 8)}@test.example`,
        displayName: `测试用户 ${label}`,
        passwordHash: 'x',
      })
      .returning({ id: users.id })
    return row!.id
  }

  async function rowCounts() {
    const [orgs] = await db.select({ n: countAll }).from(organizations)
    const [members] = await db.select({ n: countAll }).from(memberships)
    return { organizations: orgs!.n, memberships: members!.n }
  }

  function registration(userId: string, overrides: Partial<RegisterOrganizationInput> = {}) {
    return {
      userId,
      kind: 'cooperative',
      name: '岷县测试中药材种植农民专业合作社',
      uscc: freshUscc('621126'),
      regionCode: '621126',
      contactName: '李四',
      contactPhone: '13800000000',
      ...overrides,
    } satisfies RegisterOrganizationInput
  }

  function authOf(userId: string, platformAdmin = false): RequestAuth {
    return {
      userId,
      displayName: '测试用户',
      email: null,
      mobile: null,
      memberships: platformAdmin
        ? [
            {
              orgId: seedUuid('org:platform'),
              orgName: '消费帮扶平台运营方（演示）',
              orgKind: 'platform',
              role: 'platform_admin',
              verified: true,
            },
          ]
        : [],
      active: null,
    }
  }

  function post(url: string, fields: Record<string, string>): Request {
    return new Request(`http://localhost${url}`, { method: 'POST', body: new URLSearchParams(fields) })
  }

  describe('registerOrganization', () => {
    it('refuses a credit code with one digit changed, and writes nothing', async () => {
      const userId = await createUser('bad-uscc')
      const before = await rowCounts()
      const valid = freshUscc()
      const result = await registerOrganization(
        db,
        registration(userId, { uscc: withOneDigitChanged(valid) }),
      )
      expect(result).toEqual({ ok: false, errors: { uscc: ['orgForm.error.uscc.checksum'] } })
      expect(await rowCounts()).toEqual(before)
      expect(await listMyOrganizations(db, userId)).toEqual([])
    })

    it('reports every invalid field at once', async () => {
      const userId = await createUser('bad-fields')
      const result = await registerOrganization(db, {
        userId,
        kind: 'office' as never,
        name: ' 社 ',
        uscc: '',
        regionCode: '62112',
        contactName: '',
        contactPhone: '12345',
      })
      expect(result).toEqual({
        ok: false,
        errors: {
          kind: ['orgForm.error.kind.required'],
          name: ['orgForm.error.name.length'],
          uscc: ['orgForm.error.uscc.required'],
          regionCode: ['orgForm.error.regionCode.unknown'],
          contactName: ['orgForm.error.contactName.required'],
          contactPhone: ['orgForm.error.contactPhone.invalid'],
        },
      })
    })

    it('refuses a region that has counties below it, and one that does not exist', async () => {
      const userId = await createUser('bad-region')
      const before = await rowCounts()
      expect(await registerOrganization(db, registration(userId, { regionCode: '621100' }))).toEqual({
        ok: false,
        errors: { regionCode: ['orgForm.error.regionCode.notLeaf'] },
      })
      expect(await registerOrganization(db, registration(userId, { regionCode: '620000' }))).toEqual({
        ok: false,
        errors: { regionCode: ['orgForm.error.regionCode.notLeaf'] },
      })
      expect(await registerOrganization(db, registration(userId, { regionCode: '990101' }))).toEqual({
        ok: false,
        errors: { regionCode: ['orgForm.error.regionCode.unknown'] },
      })
      expect(await rowCounts()).toEqual(before)
    })

    it('registers a pending organisation, makes the user its admin and flags their sessions for rotation', async () => {
      const userId = await createUser('registrant')
      await createSession(db, { userId }, systemClock, { idleMinutes: 60, absoluteHours: 24 })
      const uscc = freshUscc('621126')
      const result = await registerOrganization(
        db,
        registration(userId, { uscc: uscc.toLowerCase(), name: '  岷县当归种植农民专业合作社  ' }),
      )
      expect(result.ok).toBe(true)
      if (!result.ok) return
      const [org] = await db.select().from(organizations).where(eq(organizations.id, result.orgId))
      expect(org).toMatchObject({
        kind: 'cooperative',
        name: '岷县当归种植农民专业合作社',
        uscc,
        regionCode: '621126',
        submittedBy: userId,
        verifiedAt: null,
        rejectedAt: null,
        isDemo: false,
      })
      const member = await db.select().from(memberships).where(eq(memberships.userId, userId))
      expect(member.map((m) => ({ orgId: m.orgId, role: m.role }))).toEqual([
        { orgId: result.orgId, role: 'coop_admin' },
      ])
      const userSessions = await db.select().from(sessions).where(eq(sessions.userId, userId))
      expect(userSessions.map((s) => s.needsRotation)).toEqual([true])

      const mine = await listMyOrganizations(db, userId)
      expect(mine).toEqual([
        {
          orgId: result.orgId,
          name: '岷县当归种植农民专业合作社',
          kind: 'cooperative',
          role: 'coop_admin',
          status: 'pending',
          rejectedReason: null,
          regionCode: '621126',
          regionName: '甘肃省 定西市 岷县',
          isDemo: false,
        },
      ])
    })

    it('gives unit admin to budget units, trade unions and enterprises, and accepts a city without counties', async () => {
      const userId = await createUser('unit')
      for (const kind of ['gov_unit', 'trade_union', 'enterprise'] as const) {
        const result = await registerOrganization(
          db,
          registration(userId, {
            kind,
            name: `东莞测试${kind}`,
            uscc: freshUscc('441900'),
            regionCode: '441900',
            contactPhone: '0769-12345678',
          }),
        )
        expect(result.ok).toBe(true)
      }
      const mine = await listMyOrganizations(db, userId)
      expect(mine.map((o) => [o.kind, o.role, o.regionName]).sort()).toEqual([
        ['enterprise', 'unit_admin', '广东省 东莞市'],
        ['gov_unit', 'unit_admin', '广东省 东莞市'],
        ['trade_union', 'unit_admin', '广东省 东莞市'],
      ])
    })

    it('refuses a credit code that is already registered, and writes nothing', async () => {
      const first = await createUser('first')
      const second = await createUser('second')
      await createSession(db, { userId: second }, systemClock, { idleMinutes: 60, absoluteHours: 24 })
      const uscc = freshUscc()
      expect((await registerOrganization(db, registration(first, { uscc }))).ok).toBe(true)
      const before = await rowCounts()
      const again = await registerOrganization(db, registration(second, { uscc: uscc.toLowerCase() }))
      expect(again).toEqual({ ok: false, errors: { uscc: ['orgForm.error.uscc.taken'] } })
      expect(await rowCounts()).toEqual(before)
      expect(await listMyOrganizations(db, second)).toEqual([])
      const secondSessions = await db.select().from(sessions).where(eq(sessions.userId, second))
      expect(secondSessions.map((s) => s.needsRotation)).toEqual([false])
    })
  })

  describe('reviewOrganization', () => {
    async function pendingOrg(label: string) {
      const userId = await createUser(label)
      const result = await registerOrganization(db, registration(userId, { name: `${label}合作社` }))
      if (!result.ok) throw new Error(`registration failed: ${JSON.stringify(result.errors)}`)
      return { userId, orgId: result.orgId }
    }

    it('verifies a pending organisation once', async () => {
      const reviewerId = await createUser('reviewer')
      const { userId, orgId } = await pendingOrg('verify-me')
      const review = () => reviewOrganization(db, { orgId, reviewerId, decision: 'verify' }, clock)
      expect(await review()).toEqual({ ok: true, status: 'verified', name: 'verify-me合作社' })
      const [org] = await db.select().from(organizations).where(eq(organizations.id, orgId))
      expect(org?.verifiedAt?.toISOString()).toBe(SEED_NOW.toISOString())
      expect(org?.reviewedBy).toBe(reviewerId)
      expect((await listMyOrganizations(db, userId))[0]?.status).toBe('verified')
      expect(await review()).toEqual({ ok: false, error: 'not_pending' })
      expect(
        await reviewOrganization(db, { orgId, reviewerId, decision: 'reject', reason: '资料不全' }, clock),
      ).toEqual({ ok: false, error: 'not_pending' })
    })

    it('rejects only with a reason, and only once', async () => {
      const reviewerId = await createUser('rejecter')
      const { userId, orgId } = await pendingOrg('reject-me')
      for (const reason of [undefined, '', '  ', '缺']) {
        const refused = await reviewOrganization(db, { orgId, reviewerId, decision: 'reject', reason }, clock)
        expect(refused).toMatchObject({ ok: false, error: 'invalid' })
      }
      expect(await reviewOrganization(db, { orgId, reviewerId, decision: 'reject' }, clock)).toEqual({
        ok: false,
        error: 'invalid',
        errors: { reason: ['orgReview.error.reason.required'] },
      })
      expect(
        await reviewOrganization(
          db,
          { orgId, reviewerId, decision: 'reject', reason: 'x'.repeat(201) },
          clock,
        ),
      ).toEqual({ ok: false, error: 'invalid', errors: { reason: ['orgReview.error.reason.length'] } })
      expect((await listMyOrganizations(db, userId))[0]?.status).toBe('pending')

      const reason = '统一社会信用代码与营业执照不符'
      expect(
        await reviewOrganization(db, { orgId, reviewerId, decision: 'reject', reason }, clock),
      ).toMatchObject({
        ok: true,
        status: 'rejected',
      })
      const [mine] = await listMyOrganizations(db, userId)
      expect(mine).toMatchObject({ status: 'rejected', rejectedReason: reason })
      const [org] = await db.select().from(organizations).where(eq(organizations.id, orgId))
      expect(org).toMatchObject({ verifiedAt: null, rejectedReason: reason, reviewedBy: reviewerId })
      expect(await reviewOrganization(db, { orgId, reviewerId, decision: 'verify' }, clock)).toEqual({
        ok: false,
        error: 'not_pending',
      })
    })

    it('says when the organisation does not exist, and never reviews a seeded (verified) one', async () => {
      const reviewerId = await createUser('nobody')
      expect(
        await reviewOrganization(db, { orgId: randomUUID(), reviewerId, decision: 'verify' }, clock),
      ).toEqual({ ok: false, error: 'not_found' })
      expect(
        await reviewOrganization(
          db,
          { orgId: seedUuid('org:gulou-unit'), reviewerId, decision: 'reject', reason: '重复' },
          clock,
        ),
      ).toEqual({ ok: false, error: 'not_pending' })
    })
  })

  describe('listOrganizationsForReview', () => {
    it('lists pending organisations oldest first with region and submitter, and pages', async () => {
      const userId = await createUser('queue')
      const names = ['队列一合作社', '队列二合作社', '队列三合作社']
      for (const name of names)
        expect((await registerOrganization(db, registration(userId, { name }))).ok).toBe(true)

      const all = await listOrganizationsForReview(db, { status: 'pending', page: 1, pageSize: 100 })
      expect(all.total).toBe(all.items.length)
      expect(all.pendingCount).toBe(all.total)
      expect(all.items.every((o) => o.status === 'pending')).toBe(true)
      const mine = all.items.filter((o) => names.includes(o.name))
      expect(mine.map((o) => o.name)).toEqual(names)
      expect(mine[0]).toMatchObject({
        kind: 'cooperative',
        regionName: '甘肃省 定西市 岷县',
        submitterName: '测试用户 queue',
        contactPhone: '13800000000',
      })
      expect(Number.isNaN(Date.parse(mine[0]!.createdAt))).toBe(false)

      const page1 = await listOrganizationsForReview(db, { status: 'pending', page: 1, pageSize: 2 })
      const page2 = await listOrganizationsForReview(db, { status: 'pending', page: 2, pageSize: 2 })
      expect(page1.items).toHaveLength(2)
      expect(page1.total).toBe(all.total)
      expect(page2.items.map((o) => o.id)).toEqual(all.items.slice(2, 4).map((o) => o.id))

      const verified = await listOrganizationsForReview(db, { status: 'verified', page: 1, pageSize: 100 })
      expect(verified.items.some((o) => o.id === seedUuid('org:platform'))).toBe(true)
      expect(verified.items.every((o) => o.status === 'verified')).toBe(true)
      const everything = await listOrganizationsForReview(db, { status: 'all', page: 1, pageSize: 1 })
      expect(everything.total).toBe((await rowCounts()).organizations)
    })
  })

  describe('createOffice', () => {
    it('creates a verified office with the smallest equivalent jurisdiction', async () => {
      const adminId = await createUser('office-creator')
      expect(normalizeJurisdiction(['621126', '350100', '621100', '350100'])).toEqual(['350100', '621100'])
      const result = await createOffice(
        db,
        {
          name: '福州市测试东西部协作工作机构',
          regionCode: '350100',
          jurisdiction: ['350100', '621100', '621126'],
          createdBy: adminId,
        },
        clock,
      )
      expect(result).toMatchObject({
        ok: true,
        jurisdiction: [
          { code: '350100', name: '福州市' },
          { code: '621100', name: '定西市' },
        ],
      })
      if (!result.ok) return
      const [office] = await db.select().from(organizations).where(eq(organizations.id, result.orgId))
      expect(office).toMatchObject({
        kind: 'office',
        jurisdiction: ['350100', '621100'],
        reviewedBy: adminId,
        submittedBy: null,
        uscc: null,
        isDemo: false,
      })
      expect(office?.verifiedAt?.toISOString()).toBe(SEED_NOW.toISOString())
    })

    it('refuses unknown or malformed jurisdiction codes, an empty jurisdiction and a taken credit code', async () => {
      const adminId = await createUser('office-refused')
      const before = await rowCounts()
      const base = { name: '测试工作机构', regionCode: '350100', createdBy: adminId }
      expect(await createOffice(db, { ...base, jurisdiction: ['350100', '990100'] }, clock)).toEqual({
        ok: false,
        errors: { jurisdiction: ['officeForm.error.jurisdiction.unknown'] },
        unknownCodes: ['990100'],
      })
      expect(await createOffice(db, { ...base, jurisdiction: ['35010'] }, clock)).toEqual({
        ok: false,
        errors: { jurisdiction: ['officeForm.error.jurisdiction.invalid'] },
      })
      expect(await createOffice(db, { ...base, jurisdiction: [] }, clock)).toEqual({
        ok: false,
        errors: { jurisdiction: ['officeForm.error.jurisdiction.required'] },
      })
      const [seeded] = await db
        .select({ uscc: organizations.uscc })
        .from(organizations)
        .where(eq(organizations.id, seedUuid('org:fuzhou-office')))
      expect(
        await createOffice(db, { ...base, uscc: seeded!.uscc, jurisdiction: ['350100'] }, clock),
      ).toEqual({
        ok: false,
        errors: { uscc: ['orgForm.error.uscc.taken'] },
      })
      expect(await rowCounts()).toEqual(before)
    })
  })

  describe('routes', () => {
    it('refuses /admin/organizations to anyone without platform_admin (403)', async () => {
      const userId = await createUser('not-admin')
      const context = testContext({ auth: authOf(userId) })
      const request = new Request('http://localhost/admin/organizations')
      expect((await thrownResponse(reviewLoader({ request, params: {}, context }))).status).toBe(403)
      const finance = authOf(userId)
      finance.memberships = [{ ...authOf(userId, true).memberships[0]!, role: 'platform_finance' }]
      expect(
        (await thrownResponse(reviewLoader({ request, params: {}, context: testContext({ auth: finance }) })))
          .status,
      ).toBe(403)
      const posted = reviewAction({
        request: post('/admin/organizations', { intent: 'verify', orgId: randomUUID() }),
        params: {},
        context,
      })
      expect((await thrownResponse(posted)).status).toBe(403)
      const anonymous = await thrownResponse(reviewLoader({ request, params: {}, context: testContext() }))
      expect(anonymous.status).toBe(302)
      expect(anonymous.headers.get('Location')).toBe('/login?redirectTo=%2Fadmin%2Forganizations')
    })

    it('lets a platform admin list, verify and reject; unknown intents are a 400', async () => {
      const adminId = await createUser('route-admin')
      const context = testContext({ auth: authOf(adminId, true) })
      const applicant = await createUser('route-applicant')
      const registered = await registerOrganization(db, registration(applicant, { name: '路由审核合作社' }))
      if (!registered.ok) throw new Error('registration failed')
      const orgId = registered.orgId

      const listed = await reviewLoader({
        request: new Request('http://localhost/admin/organizations'),
        params: {},
        context,
      })
      expect(listed.status).toBe('pending')
      expect(listed.items.some((o) => o.id === orgId)).toBe(true)
      const badFilter = reviewLoader({
        request: new Request('http://localhost/admin/organizations?status=deleted'),
        params: {},
        context,
      })
      expect((await thrownResponse(badFilter)).status).toBe(400)

      const unknown = reviewAction({
        request: post('/admin/organizations', { intent: 'delete', orgId }),
        params: {},
        context,
      })
      expect((await thrownResponse(unknown)).status).toBe(400)

      const noReason = await reviewAction({
        request: post('/admin/organizations', { intent: 'reject', orgId, reason: '' }),
        params: {},
        context,
      })
      expect(noReason.init?.status).toBe(400)
      expect(noReason.data).toMatchObject({
        orgId,
        result: { error: { reason: ['orgReview.error.reason.required'] } },
      })

      const verified = await reviewAction({
        request: post('/admin/organizations', { intent: 'verify', orgId }),
        params: {},
        context,
      })
      expect(verified.init?.status ?? 200).toBe(200)
      expect(verified.data).toEqual({
        orgId,
        result: null,
        done: { status: 'verified', name: '路由审核合作社' },
        error: null,
      })

      const twice = await reviewAction({
        request: post('/admin/organizations', { intent: 'reject', orgId, reason: '重复提交' }),
        params: {},
        context,
      })
      expect(twice.init?.status).toBe(409)
      expect(twice.data).toEqual({ orgId, result: null, done: null, error: 'not_pending' })
    })

    it('returns field errors for bad registration input and writes nothing', async () => {
      const userId = await createUser('route-bad')
      const context = testContext({ auth: authOf(userId) })
      const before = await rowCounts()
      const response = await registerAction({
        request: post('/account/organizations/new', {
          kind: 'cooperative',
          name: '岷县测试合作社',
          uscc: withOneDigitChanged(freshUscc('621126')),
          regionCode: '621100',
          contactName: '王五',
          contactPhone: '0591-123',
        }),
        params: {},
        context,
      })
      if (!('data' in response)) throw new Error(`unexpected ${response.status}`)
      expect(response.init?.status).toBe(400)
      expect(response.data.result.error).toEqual({
        uscc: ['orgForm.error.uscc.checksum'],
        contactPhone: ['orgForm.error.contactPhone.invalid'],
      })
      // The form is shown again with what was typed.
      expect(response.data.result.initialValue?.name).toBe('岷县测试合作社')
      expect(await rowCounts()).toEqual(before)

      // Valid form fields, but a region with counties: the model's check comes back as a field error too.
      const coarse = await registerAction({
        request: post('/account/organizations/new', {
          kind: 'cooperative',
          name: '岷县测试合作社',
          uscc: freshUscc('621126'),
          regionCode: '621100',
          contactName: '王五',
          contactPhone: '0591-12345678',
        }),
        params: {},
        context,
      })
      if (!('data' in coarse)) throw new Error(`unexpected ${coarse.status}`)
      expect(coarse.init?.status).toBe(400)
      expect(coarse.data.result.error).toEqual({ regionCode: ['orgForm.error.regionCode.notLeaf'] })
      expect(await rowCounts()).toEqual(before)
    })

    it('registers through the form and shows the organisation on /account/organizations', async () => {
      const userId = await createUser('route-good')
      const context = testContext({ auth: authOf(userId) })
      const response = (await registerAction({
        request: post('/account/organizations/new', {
          kind: 'gov_unit',
          name: '鼓楼区测试预算单位',
          uscc: freshUscc('350102'),
          regionCode: '350102',
          contactName: '赵六',
          contactPhone: '059112345678',
        }),
        params: {},
        context,
      })) as Response
      expect(response.status).toBe(302)
      expect(response.headers.get('Location')).toBe('/account/organizations?registered=1')
      const page = await myOrganizationsLoader({
        request: new Request('http://localhost/account/organizations?registered=1'),
        params: {},
        context,
      })
      expect(page.registered).toBe(true)
      expect(page.organizations).toMatchObject([
        { name: '鼓楼区测试预算单位', kind: 'gov_unit', role: 'unit_admin', status: 'pending' },
      ])
    })

    it('creates an office through the admin form', async () => {
      const adminId = await createUser('route-office')
      const context = testContext({ auth: authOf(adminId, true) })
      const refused = await newOfficeAction({
        request: post('/admin/offices/new', {
          name: '测试机构',
          regionCode: '350100',
          jurisdiction: '350100, 990100',
        }),
        params: {},
        context,
      })
      expect(refused.init?.status).toBe(400)
      expect(refused.data).toMatchObject({
        result: { error: { jurisdiction: ['officeForm.error.jurisdiction.unknown'] } },
        unknownCodes: ['990100'],
      })

      const created = await newOfficeAction({
        request: post('/admin/offices/new', {
          name: '定西市测试帮扶工作机构',
          regionCode: '621100',
          uscc: '',
          jurisdiction: '621100\n621126，350100',
        }),
        params: {},
        context,
      })
      expect(created.init?.status ?? 200).toBe(200)
      expect(created.data.created?.jurisdiction.map((r) => r.code)).toEqual(['350100', '621100'])

      const notAdmin = newOfficeAction({
        request: post('/admin/offices/new', { name: 'x', regionCode: '350100', jurisdiction: '350100' }),
        params: {},
        context: testContext({ auth: authOf(adminId) }),
      })
      expect((await thrownResponse(notAdmin)).status).toBe(403)
    })
  })
})
