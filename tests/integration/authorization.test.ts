import { type AppLoadContext, data, redirect, type ServerBuild } from '@remix-run/node'
import { describe, expect, it } from 'vitest'
import { organizations } from '../../db/schema/organizations'
import { seedUuid } from '../../db/seed/synthetic'
import { listMemberships, type RequestAuth } from '../../app/domains/accounts/sessions.server'
import { changeCart } from '../../app/domains/orders/cart.server'
import { formatFen } from '../../app/utils/money'
import { routePath, startTestApp } from '../support/app-server'
import { testContext } from '../support/context'
import { openTestDatabase, testDbKind } from '../support/db'
import { buy, makeBuyable, seededProductId } from '../support/shopping'
// Listing review and supplier admission.
import { eq } from 'drizzle-orm'
import { targets } from '../../db/schema/targets'
import { createListing, submitListing } from '../../app/domains/catalog/index.server'
import { systemClock } from '../../app/utils/clock'
import {
  demo as reviewDemo,
  listingForm,
  makeOrganization,
  productId as coopProductId,
} from '../support/coop'
// Government procurement (issue 16).
import { and } from 'drizzle-orm'
import { memberships } from '../../db/schema/memberships'
import { readPastedLines, requisitionForm } from '../../app/domains/procurement'
import { submitRequisition } from '../../app/domains/procurement/index.server'
import { testBankTransfer } from '../support/shopping'
// Cooperative console II (households, proceeds rules, fulfilment, reports).
import { createHousehold, getProductBeneficiaries } from '../../app/domains/households/index.server'
import { householdForm, syntheticIdNumber } from '../support/households'
import { markShipped } from '../../app/domains/coop/index.server'
import { orderLines, sellerOrders } from '../../db/schema/orders'
import { disputes } from '../../db/schema/procurement'
import { placeOrder } from '../../app/domains/orders/orders.server'
import { acceptSellerOrder } from '../../app/domains/procurement/acceptance.server'
import type { UnitActor } from '../../app/domains/procurement/unit-actor'

type Outcome = 'allowed' | 'login' | 'denied'

/** A form as a browser posts it: every value text. */
function flat(form: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(form)
      .filter(([, v]) => !Array.isArray(v))
      .map(([k, v]) => [k, String(v)]),
  )
}

/** Who may do what, written out by hand: the access map must produce exactly this. */
const people = {
  anonymous: null,
  consumer: 'consumer@demo.example',
  buyer: 'buyer@gulou.demo.example',
  unitAdmin: 'unit-admin@gulou.demo.example',
  // Government procurement (issue 16).
  approver: 'approver@gulou.demo.example',
  coopAdmin: 'coop@minxian.demo.example',
  coopStaff: 'coop-staff@minxian.demo.example',
  analyst: 'office@fuzhou.demo.example',
  officeAdmin: 'office-admin@fuzhou.demo.example',
  finance: 'finance@demo.example',
  admin: 'admin@demo.example',
} as const
type Person = keyof typeof people
const everyone = Object.keys(people) as Person[]
const signedIn = everyone.filter((p) => p !== 'anonymous')

/** Each person's own organisation (members pages), and one that is not theirs. */
const ownOrg: Partial<Record<Person, string>> = {
  buyer: 'org:gulou-unit',
  unitAdmin: 'org:gulou-unit',
  approver: 'org:gulou-unit',
  coopAdmin: 'coop:621126:1',
  coopStaff: 'coop:621126:1',
  analyst: 'org:fuzhou-office',
  officeAdmin: 'org:fuzhou-office',
  finance: 'org:platform',
  admin: 'org:platform',
}
const admins: Person[] = ['unitAdmin', 'coopAdmin', 'officeAdmin', 'admin']

/**
 * What a loader or action answered, with its HTTP status. Only a real success counts as allowed: a 2xx answer
 * (a plain value, a Response, or `data()` with a status). A redirect to the login page is `login`, 403 or 404 is
 * `denied`; anything else — a thrown error (a 500 to the user), a redirect elsewhere, a 400 or 409 — is
 * `unexpected`, and the matrix fails on it with the route and the person: the call must be fixed until the allowed
 * people really succeed.
 */
type Observed = { outcome: Outcome | 'unexpected'; status: number; detail: string }

/** A status-bearing answer: a Response, or Remix's `data()` (a DataWithResponseInit, not a Response). */
function answerOf(value: unknown): { status: number; location: string | null } | null {
  if (value instanceof Response) return { status: value.status, location: value.headers.get('location') }
  if (
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === 'DataWithResponseInit'
  ) {
    const init = (value as { init: ResponseInit | null }).init
    return { status: init?.status ?? 200, location: new Headers(init?.headers).get('location') }
  }
  return null
}

function classify(answer: { status: number; location: string | null }, how: string): Observed {
  const { status, location } = answer
  const detail = `${how} HTTP ${status}${location ? ` → ${location}` : ''}`
  if (status >= 300 && status < 400 && location?.startsWith('/login'))
    return { outcome: 'login', status, detail }
  if (status === 403 || status === 404) return { outcome: 'denied', status, detail }
  if (status >= 200 && status < 300) return { outcome: 'allowed', status, detail }
  return { outcome: 'unexpected', status, detail }
}

async function outcomeOf(call: () => Promise<unknown>): Promise<Observed> {
  let result: unknown
  try {
    result = await call()
  } catch (thrown) {
    const answer = answerOf(thrown)
    if (!answer) {
      const message = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown)
      return { outcome: 'unexpected', status: 500, detail: `threw ${message}` }
    }
    return classify(answer, 'threw')
  }
  // A plain value is a 200 with that value as its data.
  return classify(answerOf(result) ?? { status: 200, location: null }, 'returned')
}

describe(`authorization matrix (${testDbKind()})`, async () => {
  const handle = await openTestDatabase('seeded')
  const db = handle.db
  const { build } = await startTestApp(handle)
  const auths = new Map<Person, RequestAuth | null>()
  for (const person of everyone) {
    const email = people[person]
    if (!email) {
      auths.set(person, null)
      continue
    }
    const userId = seedUuid(`user:${email}`)
    const memberships = await listMemberships(db, userId)
    auths.set(person, {
      userId,
      displayName: email,
      email,
      mobile: null,
      memberships,
      active: memberships[0] ?? null,
    })
  }
  const contextFor = (person: Person): AppLoadContext =>
    testContext({
      auth: auths.get(person) ?? null,
      sessionToken: person === 'anonymous' ? null : 'test-token',
    })

  function route(id: string): ServerBuild['routes'][string]['module'] {
    const entry = build.routes[id]
    if (!entry) throw new Error(`no route ${id}`)
    return entry.module
  }

  async function callLoader(id: string, person: Person, params: Record<string, string> = {}) {
    const loader = route(id).loader
    if (!loader) throw new Error(`${id} has no loader`)
    const url = `http://localhost${routePath(build, id, params)}`
    return outcomeOf(() =>
      Promise.resolve(loader({ request: new Request(url), params, context: contextFor(person) })),
    )
  }

  async function callAction(
    id: string,
    person: Person,
    form: Record<string, string>,
    params: Record<string, string> = {},
  ) {
    const action = route(id).action
    if (!action) throw new Error(`${id} has no action`)
    const url = `http://localhost${routePath(build, id, params)}`
    const request = new Request(url, { method: 'POST', body: new URLSearchParams(form) })
    return outcomeOf(() => Promise.resolve(action({ request, params, context: contextFor(person) })))
  }

  const expectMatrix = async (
    label: string,
    allowed: readonly Person[],
    call: (person: Person) => Promise<Observed>,
  ) => {
    for (const person of everyone) {
      const { outcome, detail } = await call(person)
      const expected: Outcome = allowed.includes(person)
        ? 'allowed'
        : person === 'anonymous'
          ? 'login'
          : 'denied'
      expect(outcome, `${label} as ${person}: ${detail}`).toBe(expected)
    }
  }

  it('counts only a real success as allowed: errors, other statuses and other redirects fail the matrix', async () => {
    const observed = async (call: () => unknown) => (await outcomeOf(async () => call())).outcome
    expect(await observed(() => ({ some: 'data' }))).toBe('allowed')
    expect(await observed(() => data({ ok: true }, { status: 201 }))).toBe('allowed')
    expect(await observed(() => redirect('/login?redirectTo=/account'))).toBe('login')
    expect(await observed(() => data({ error: 'forbidden' }, { status: 403 }))).toBe('denied')
    for (const call of [
      () => {
        throw new Error('database down') // a 500 to the user
      },
      () => {
        throw new Response('Server error', { status: 500 })
      },
      () => {
        throw 'not an error'
      },
      () => data({ errors: { name: 'required' } }, { status: 400 }),
      () => Response.json({ error: 'not_pending' }, { status: 409 }),
      () => redirect('/'),
    ]) {
      expect(await observed(call)).toBe('unexpected')
    }
  })

  it('lets any signed-in user into the account pages, and sends visitors to log in', async () => {
    // With an empty cart the checkout page sends to the cart: give everyone something to check out.
    await makeBuyable(db, ['PRD001'])
    for (const person of signedIn) {
      const added = await changeCart(
        db,
        { userId: seedUuid(`user:${people[person]}`) },
        { kind: 'add', productId: seededProductId('PRD001'), qty: 1 },
      )
      expect(added.ok, `${person}'s cart`).toBe(true)
    }
    for (const id of [
      'routes/account',
      'routes/account._index',
      'routes/account.security',
      'routes/account.organizations._index',
      'routes/account.organizations.new',
      'routes/account.orders._index',
      'routes/_storefront.checkout',
    ]) {
      await expectMatrix(id, signedIn, (person) => callLoader(id, person))
    }
  })

  it('keeps platform administration to platform roles', async () => {
    await expectMatrix('admin layout', ['finance', 'admin'], (p) => callLoader('routes/admin', p))
    await expectMatrix('organisation review', ['admin'], (p) => callLoader('routes/admin.organizations', p))
    await expectMatrix('new office', ['admin'], (p) => callLoader('routes/admin.offices.new', p))
    await expectMatrix('audit log', ['finance', 'admin'], (p) => callLoader('routes/admin.audit', p))
    // The outbox holds reset links and codes: finance (who may read the audit log) may not read it.
    await expectMatrix('outbox', ['admin'], (p) => callLoader('routes/admin.outbox', p))
    // Confirming money received is finance's job alone (separation of duties from the admins who verify sellers).
    await expectMatrix('payment confirmation', ['finance'], (p) => callLoader('routes/admin.payments', p))
    // A real transfer waiting for finance: the one allowed confirmation must succeed, so the denied ones before
    // it cannot have confirmed it; then the same payment is refunded.
    await makeBuyable(db, ['PRD002'])
    const unpaid = await buy(db, { lines: [['PRD002', 1]], confirmAt: null })
    await expectMatrix('confirm a payment', ['finance'], (p) =>
      callAction('routes/admin.payments', p, {
        intent: 'confirm',
        paymentId: unpaid.paymentId,
        received: formatFen(unpaid.paidFen),
      }),
    )
    await expectMatrix('refund a payment', ['finance'], (p) =>
      callAction('routes/admin.payments', p, { intent: 'refund', paymentId: unpaid.paymentId }),
    )
  })

  it('lists in the administration navigation only the pages each platform role may open', async () => {
    const linksFor = async (person: 'finance' | 'admin') => {
      const loader = route('routes/admin').loader!
      const answer = (await loader({
        request: new Request('http://localhost/admin'),
        params: {},
        context: contextFor(person),
      })) as { links: Array<{ to: string }> }
      return answer.links.map((l) => l.to)
    }
    expect(await linksFor('finance')).toEqual(['/admin/payments', '/admin/audit'])
    const adminLinks = await linksFor('admin')
    expect(adminLinks).toContain('/admin/organizations')
    expect(adminLinks).toContain('/admin/outbox')
    expect(adminLinks).not.toContain('/admin/payments')
  })

  it('lets only platform admins review organisations and create offices', async () => {
    const pending = seedUuid('test:pending-org')
    await db
      .insert(organizations)
      .values({ id: pending, kind: 'gov_unit', name: '待审核测试单位', regionCode: '350102' })
      .onConflictDoNothing()
    await expectMatrix('reject', ['admin'], (p) =>
      callAction('routes/admin.organizations', p, {
        intent: 'reject',
        orgId: pending,
        reason: '统一社会信用代码与名称不符',
      }),
    )
    await expectMatrix('create office', ['admin'], (p) =>
      callAction('routes/admin.offices.new', p, {
        name: '测试市东西部协作工作机构',
        regionCode: '350100',
        jurisdiction: '350100 621100',
      }),
    )
  })

  it('shows an organisation’s members only to its members, and another organisation’s never', async () => {
    for (const person of everyone) {
      const mine = ownOrg[person]
      const other = mine === 'org:gulou-unit' ? 'org:fuzhou-office' : 'org:gulou-unit'
      const theirs = await callLoader('routes/account.organizations.$orgId.members', person, {
        orgId: seedUuid(other),
      })
      expect(theirs.outcome, `${person} reading ${other}: ${theirs.detail}`).toBe(
        person === 'anonymous' ? 'login' : 'denied',
      )
      if (mine) {
        const own = await callLoader('routes/account.organizations.$orgId.members', person, {
          orgId: seedUuid(mine),
        })
        expect(own.outcome, `${person} reading own ${mine}: ${own.detail}`).toBe('allowed')
      }
    }
  })

  it('lets only an organisation’s admins invite and change roles, and never in another organisation', async () => {
    for (const person of everyone) {
      const mine = ownOrg[person]
      const other = mine === 'org:gulou-unit' ? 'org:fuzhou-office' : 'org:gulou-unit'
      const foreign = await callAction(
        'routes/account.organizations.$orgId.members',
        person,
        { intent: 'invite', role: 'unit_buyer' },
        { orgId: seedUuid(other) },
      )
      expect(foreign.outcome, `${person} inviting into ${other}: ${foreign.detail}`).toBe(
        person === 'anonymous' ? 'login' : 'denied',
      )
      if (!mine) continue
      const role = mine.startsWith('coop')
        ? 'coop_staff'
        : mine === 'org:fuzhou-office'
          ? 'office_analyst'
          : mine === 'org:platform'
            ? 'platform_finance'
            : 'unit_buyer'
      const invite = await callAction(
        'routes/account.organizations.$orgId.members',
        person,
        // A platform role's invitation must name its invitee.
        {
          intent: 'invite',
          role,
          ...(mine === 'org:platform' ? { invitee: 'new-finance@platform.test' } : {}),
        },
        { orgId: seedUuid(mine) },
      )
      expect(invite.outcome, `${person} inviting into own ${mine}: ${invite.detail}`).toBe(
        admins.includes(person) ? 'allowed' : 'denied',
      )
      const colleague = Object.entries(ownOrg).find(([p, org]) => org === mine && p !== person)?.[0] as Person
      const changeRole = await callAction(
        'routes/account.organizations.$orgId.members',
        person,
        {
          intent: 'change-role',
          userId: seedUuid(`user:${people[colleague]}`),
          role: admins.includes(colleague) ? '' : role,
        },
        { orgId: seedUuid(mine) },
      )
      expect(changeRole.outcome, `${person} changing a role in own ${mine}: ${changeRole.detail}`).toBe(
        admins.includes(person) ? 'allowed' : 'denied',
      )
    }
  })

  // --- Listing review and supplier admission (issue 15): the platform's and an office's pages. ----------------------

  /** A pending listing of the Minxian cooperative (inside the demo office's jurisdiction): one per decision. */
  async function pendingListing(): Promise<string> {
    const actor = { orgId: reviewDemo.minxian, actorUserId: reviewDemo.coopAdmin }
    const created = await createListing(db, { ...actor, form: listingForm() }, systemClock)
    if (!created.ok) throw new Error(`createListing: ${JSON.stringify(created)}`)
    expect(await submitListing(db, { ...actor, productId: created.productId }, systemClock)).toEqual({
      ok: true,
    })
    return created.productId
  }

  it('keeps listing review to the acting platform admin and the acting office’s members', async () => {
    await expectMatrix('platform review queue', ['admin'], (p) => callLoader('routes/admin.listings', p))
    await expectMatrix('supplier verification', ['admin'], (p) => callLoader('routes/admin.suppliers', p))
    for (const id of ['routes/office', 'routes/office._index', 'routes/office.listings']) {
      await expectMatrix(id, ['analyst', 'officeAdmin'], (p) => callLoader(id, p))
    }
    await expectMatrix('office suppliers', ['officeAdmin'], (p) => callLoader('routes/office.suppliers', p))

    for (const intent of ['approve', 'reject']) {
      const form = async () => ({
        intent,
        productId: await pendingListing(),
        ...(intent === 'reject' ? { reason: '图片不清楚，请补拍' } : {}),
      })
      await expectMatrix(`platform ${intent}`, ['admin'], async (p) =>
        callAction('routes/admin.listings', p, await form()),
      )
      await expectMatrix(`office ${intent}`, ['analyst', 'officeAdmin'], async (p) =>
        callAction('routes/office.listings', p, await form()),
      )
    }
  })

  it('lets only the office admin recommend suppliers and only the platform admin verify them', async () => {
    await expectMatrix('recommend a supplier', ['officeAdmin'], async (p) => {
      const candidate = await makeOrganization(db, { regionCode: '621126' })
      return callAction('routes/office.suppliers', p, {
        intent: 'recommend',
        supplierOrgId: candidate.orgId,
        note: '',
      })
    })
    await expectMatrix('verify a supplier', ['admin'], async (p) => {
      const candidate = await makeOrganization(db, { regionCode: '621126' })
      await db
        .update(organizations)
        .set({ sellerRecommendedAt: new Date(), sellerRecommendingOrg: reviewDemo.office })
        .where(eq(organizations.id, candidate.orgId))
      return callAction('routes/admin.suppliers', p, { intent: 'verify', supplierOrgId: candidate.orgId })
    })
  })
  // --- Government procurement (issue 16): the unit pages, by role in the unit the session acts for. -------------

  const gulouUnitBuyer: UnitActor = {
    orgId: seedUuid('org:gulou-unit'),
    userId: seedUuid('user:buyer@gulou.demo.example'),
    role: 'unit_buyer',
  }

  /** An on-account order of the demo unit, shipped by the Minxian cooperative (decision 022). */
  async function shippedUnitOrderFor() {
    await makeBuyable(db, ['PRD031'])
    const placed = await placeOrder(
      db,
      {
        buyerUserId: gulouUnitBuyer.userId,
        buyerOrgId: gulouUnitBuyer.orgId,
        lines: [{ productId: seededProductId('PRD031'), qty: 3 }],
        delivery: { recipient: '王五', phone: '13800138000', address: '演示路 8 号' },
      },
      systemClock,
      testBankTransfer,
    )
    if (!placed.ok) throw new Error('placeOrder failed')
    await db
      .update(sellerOrders)
      .set({
        fulfilment: 'shipped',
        shippedAt: new Date(),
        carrier: '演示物流',
        trackingNumber: 'TEST123456',
      })
      .where(eq(sellerOrders.orderId, placed.orderId))
    const [line] = await db
      .select({ id: orderLines.id, sellerOrderId: orderLines.sellerOrderId })
      .from(orderLines)
      .where(eq(orderLines.orderId, placed.orderId))
    return { orderId: placed.orderId, sellerOrderId: line!.sellerOrderId, orderLineId: line!.id }
  }

  async function multipartAction(id: string, person: Person, fields: Record<string, string>, params = {}) {
    const action = route(id).action
    if (!action) throw new Error(`${id} has no action`)
    const body = new FormData()
    for (const [k, v] of Object.entries(fields)) body.set(k, v)
    const request = new Request(`http://localhost${routePath(build, id, params)}`, { method: 'POST', body })
    return outcomeOf(() => Promise.resolve(action({ request, params, context: contextFor(person) })))
  }

  async function pendingRequisition(): Promise<string> {
    const buyer = seedUuid('user:buyer@gulou.demo.example')
    await db
      .update(memberships)
      .set({ spendingLimitFen: 0n })
      .where(and(eq(memberships.userId, buyer), eq(memberships.orgId, seedUuid('org:gulou-unit'))))
    await makeBuyable(db, ['PRD003'])
    const read = readPastedLines('PRD003 1')
    if (!read.ok) throw new Error(read.error)
    const submitted = await submitRequisition(
      db,
      {
        actor: { orgId: seedUuid('org:gulou-unit'), userId: buyer, role: 'unit_buyer' },
        rows: read.rows,
        form: requisitionForm.parse({
          intent: 'submit',
          recipient: '王五',
          phone: '13800138000',
          address: '演示路 8 号',
        }),
      },
      systemClock,
      testBankTransfer,
    )
    if (!submitted.ok) throw new Error(`submitRequisition: ${JSON.stringify(submitted.reason)}`)
    return submitted.requisitionId
  }

  it('opens the unit pages to the members of the unit the session acts for, by role', async () => {
    const unitMembers: Person[] = ['buyer', 'unitAdmin', 'approver']
    for (const id of ['routes/unit', 'routes/unit._index', 'routes/unit.orders', 'routes/unit.plan']) {
      await expectMatrix(id, unitMembers, (p) => callLoader(id, p))
    }
    await expectMatrix('new requisition', ['buyer', 'unitAdmin'], (p) =>
      callLoader('routes/unit.requisitions.new', p),
    )
    await expectMatrix('preview a requisition', ['buyer', 'unitAdmin'], (p) =>
      multipartAction('routes/unit.requisitions.new', p, { intent: 'preview', lines: 'PRD003 1' }),
    )
    await expectMatrix('spending limits', ['unitAdmin'], (p) => callLoader('routes/unit.members', p))
    await expectMatrix('set a spending limit', ['unitAdmin'], (p) =>
      callAction('routes/unit.members', p, { userId: seedUuid('user:buyer@gulou.demo.example'), limit: '0' }),
    )
    await expectMatrix('save the plan', ['unitAdmin'], (p) =>
      multipartAction('routes/unit.plan', p, { intent: 'plan', year: '2026', base: '100000', share: '10' }),
    )
    const requisitionId = await pendingRequisition()
    await expectMatrix('a requisition', unitMembers, (p) =>
      callLoader('routes/unit.requisitions.$requisitionId', p, { requisitionId }),
    )
    await expectMatrix('approve', ['approver'], (p) =>
      callAction(
        'routes/unit.requisitions.$requisitionId',
        p,
        { intent: 'approve', comment: '' },
        { requisitionId },
      ),
    )
    const another = await pendingRequisition()
    await expectMatrix('reject', ['approver'], (p) =>
      callAction(
        'routes/unit.requisitions.$requisitionId',
        p,
        { intent: 'reject', comment: '预算不足' },
        { requisitionId: another },
      ),
    )
    // Another unit's evidence, or none: not found for everyone.
    for (const person of everyone) {
      const seen = await callLoader('routes/unit.evidence.$key', person, { key: `${'0'.repeat(64)}.pdf` })
      expect(seen.outcome, `evidence as ${person}: ${seen.detail}`).toBe(
        person === 'anonymous' ? 'login' : 'denied',
      )
    }
    // Government procurement II (decision 022): an order's page and its 验收, the year's exports, the payment term.
    const unitOrder = await shippedUnitOrderFor()
    await expectMatrix('a unit order', unitMembers, (p) =>
      callLoader('routes/unit.orders_.$orderId', p, { orderId: unitOrder.orderId }),
    )
    await expectMatrix('accept a delivery', ['buyer', 'unitAdmin'], async (p) => {
      const order = await shippedUnitOrderFor()
      return multipartAction(
        'routes/unit.orders_.$orderId',
        p,
        {
          sellerOrderId: order.sellerOrderId,
          'lines[0].orderLineId': order.orderLineId,
          'lines[0].acceptedQty': '2',
          notes: '一箱破损',
        },
        { orderId: order.orderId },
      )
    })
    for (const id of [
      'routes/unit.plan_.export[.]csv',
      'routes/unit.plan_.export[.]xlsx',
      'routes/unit.plan_.print',
    ]) {
      await expectMatrix(id, unitMembers, (p) => callLoader(id, p))
    }
    await expectMatrix('set the payment term', ['unitAdmin'], (p) =>
      multipartAction('routes/unit.plan', p, { intent: 'term', days: '45' }),
    )
    await expectMatrix('notifications', signedIn, (p) => callLoader('routes/account.notifications', p))
    await expectMatrix('mark notifications read', signedIn, (p) =>
      callAction('routes/account.notifications', p, { intent: 'read-all' }),
    )
  })

  // --- Cooperative console (issue 15): the acting cooperative's members, and never another cooperative's rows. ----

  const consoleMembers: Person[] = ['coopAdmin', 'coopStaff']

  /** A draft of the Minxian cooperative's own: what its members may edit, submit and archive. */
  async function minxianDraft(): Promise<string> {
    const actor = { orgId: reviewDemo.minxian, actorUserId: reviewDemo.coopAdmin }
    const created = await createListing(db, { ...actor, form: listingForm() }, systemClock)
    if (!created.ok) throw new Error(`createListing: ${JSON.stringify(created)}`)
    return created.productId
  }

  it('opens the console to the acting cooperative’s members only', async () => {
    for (const id of [
      'routes/coop',
      'routes/coop._index',
      'routes/coop.products._index',
      'routes/coop.products.new',
      'routes/coop.bases',
      'routes/coop.orders',
    ]) {
      await expectMatrix(id, consoleMembers, (p) => callLoader(id, p))
    }
    const own = { productId: coopProductId('PRD030') }
    for (const id of [
      'routes/coop.products.$productId',
      'routes/coop.products.$productId_.stock',
      'routes/coop.products.$productId_.photos',
      'routes/coop.products.$productId_.certifications',
    ]) {
      await expectMatrix(`${id} (own product)`, consoleMembers, (p) => callLoader(id, p, own))
      // Anding's product: to Minxian's members (and everyone else) it does not exist.
      await expectMatrix(`${id} (another cooperative’s product)`, [], (p) =>
        callLoader(id, p, { productId: coopProductId('PRD001') }),
      )
    }
  })

  it('lets the cooperative’s members change their own listings and stock, never another’s', async () => {
    // A created listing answers with a redirect to its own page: that, and only that, is its success.
    await expectMatrix('create a listing', consoleMembers, async (p) => {
      const observed = await callAction('routes/coop.products.new', p, flat(listingForm()))
      return /→ \/coop\/products\/[0-9a-f-]{36}\?done=created$/.test(observed.detail)
        ? { ...observed, outcome: 'allowed' }
        : observed
    })
    for (const intent of ['save', 'submit', 'archive']) {
      await expectMatrix(`${intent} a listing`, consoleMembers, async (p) => {
        const productId = await minxianDraft()
        const { stock: _stock, ...edit } = flat(listingForm())
        return callAction(
          'routes/coop.products.$productId',
          p,
          intent === 'save' ? { intent, ...edit } : { intent },
          { productId },
        )
      })
    }
    await expectMatrix('adjust stock', consoleMembers, (p) =>
      callAction(
        'routes/coop.products.$productId_.stock',
        p,
        { kind: 'restock', quantity: '5', note: '' },
        { productId: coopProductId('PRD030') },
      ),
    )
    await expectMatrix('adjust another cooperative’s stock', [], (p) =>
      callAction(
        'routes/coop.products.$productId_.stock',
        p,
        { kind: 'restock', quantity: '5', note: '' },
        { productId: coopProductId('PRD001') },
      ),
    )
  })

  it('lets only the cooperative’s admins change its bases', async () => {
    await expectMatrix('create a base', ['coopAdmin'], (p) =>
      callAction('routes/coop.bases', p, {
        intent: 'create',
        name: `矩阵测试基地 ${p}`,
        kind: '帮扶基地',
        regionCode: '621126',
        description: '',
      }),
    )
    await expectMatrix('update the base', ['coopAdmin'], (p) =>
      callAction('routes/coop.bases', p, {
        intent: 'update',
        baseId: seedUuid('base:coop:621126:1'),
        name: '岷县中药材帮扶基地（演示）',
        kind: '帮扶基地',
        regionCode: '621126',
        description: '',
      }),
    )
    await expectMatrix('update another cooperative’s base', [], (p) =>
      callAction('routes/coop.bases', p, {
        intent: 'update',
        baseId: seedUuid('base:coop:621102:1'),
        name: '别人的基地',
        kind: '帮扶基地',
        regionCode: '621102',
        description: '',
      }),
    )
  })

  // Cooperative console II: the household roster.
  describe('cooperative console II', () => {
    const minxian = { orgId: reviewDemo.minxian, actorUserId: reviewDemo.coopAdmin }
    let serial = 600
    const household = async (actor = minxian) => {
      const created = await createHousehold(
        db,
        { ...actor, form: householdForm({ idNumber: syntheticIdNumber(serial++) }) },
        systemClock,
      )
      if (!created.ok) throw new Error('createHousehold failed')
      return created.householdId
    }

    it('lets a cooperative’s admins and staff keep its roster, and only its admins reveal an ID number', async () => {
      await expectMatrix('households', ['coopAdmin', 'coopStaff'], (p) =>
        callLoader('routes/coop.households._index', p),
      )
      await expectMatrix('add a household', ['coopAdmin', 'coopStaff'], (p) =>
        callAction('routes/coop.households._index', p, { intent: 'create', ...householdForm() }),
      )
      const edited = await household()
      await expectMatrix('edit a household', ['coopAdmin', 'coopStaff'], (p) =>
        callAction('routes/coop.households._index', p, {
          intent: 'update',
          householdId: edited,
          ...householdForm(),
        }),
      )
      await expectMatrix('deactivate a household', ['coopAdmin', 'coopStaff'], async (p) =>
        callAction('routes/coop.households._index', p, {
          intent: 'deactivate',
          householdId: await household(),
        }),
      )
      const revealed = await household()
      await expectMatrix('reveal an ID number', ['coopAdmin'], (p) =>
        callAction('routes/coop.households._index', p, {
          intent: 'reveal',
          householdId: revealed,
          reason: '核对帮扶台账',
        }),
      )
    })

    it('lets a cooperative’s admins and staff import households and download the template', async () => {
      await expectMatrix('household import page', ['coopAdmin', 'coopStaff'], (p) =>
        callLoader('routes/coop.households.import', p),
      )
      await expectMatrix('household import template', ['coopAdmin', 'coopStaff'], (p) =>
        callLoader('routes/coop.households.template', p),
      )
      const file =
        '户主姓名,所在区县,乡镇村,家庭人口,农户类别,利益联结方式,身份证号\r\n马*花,岷县,梅川镇演示村,4,脱贫户,订单收购,\r\n'
      await expectMatrix('check a household file', ['coopAdmin', 'coopStaff'], (p) => {
        const body = new FormData()
        body.set('intent', 'preview')
        body.set('file', new File([file], 'households.csv', { type: 'text/csv' }))
        const request = new Request('http://localhost/coop/households/import', { method: 'POST', body })
        const action = route('routes/coop.households.import').action!
        return outcomeOf(() => Promise.resolve(action({ request, params: {}, context: contextFor(p) })))
      })
    })

    it('lets members read a product’s beneficiaries and only admins change its rule and households', async () => {
      const product = coopProductId('PRD033')
      const params = { productId: product }
      const id = 'routes/coop.products.$productId_.beneficiaries'
      await expectMatrix('product beneficiaries', ['coopAdmin', 'coopStaff'], (p) =>
        callLoader(id, p, params),
      )
      let percent = 3
      await expectMatrix('set a proceeds rule', ['coopAdmin'], (p) =>
        callAction(id, p, { intent: 'rule', kind: 'basis_points', percent: String(percent++) }, params),
      )
      const fresh = await createHousehold(db, { ...minxian, form: householdForm() }, systemClock)
      if (!fresh.ok) throw new Error('createHousehold failed')
      await expectMatrix('link a household', ['coopAdmin'], (p) =>
        callAction(id, p, { intent: 'link', householdCode: fresh.code, weight: '2' }, params),
      )
      let weight = 10
      await expectMatrix('re-weigh a household', ['coopAdmin'], (p) =>
        callAction(
          id,
          p,
          { intent: 'weight', householdId: fresh.householdId, weight: String(weight++) },
          params,
        ),
      )
      const linked = (await getProductBeneficiaries(db, { ...minxian, productId: product }))!.links[0]!
      await expectMatrix('unlink a household', ['coopAdmin'], (p) =>
        callAction(id, p, { intent: 'unlink', householdId: linked.householdId }, params),
      )
      // Another cooperative's product: not found for everyone.
      await expectMatrix('another cooperative’s product beneficiaries', [], (p) =>
        callLoader(id, p, { productId: coopProductId('PRD001') }),
      )
    })

    it('lets a cooperative’s members ship its paid orders, and only the buyer confirm receipt or ask for a refund', async () => {
      await makeBuyable(db, ['PRD030'])
      const paidPart = async () => {
        const bought = await buy(db, { lines: [['PRD030', 1]] })
        const [row] = await db
          .select({ id: sellerOrders.id })
          .from(sellerOrders)
          .where(eq(sellerOrders.orderId, bought.orderId))
        return { orderId: bought.orderId, sellerOrderId: row!.id }
      }
      const ship = (sellerOrderId: string) =>
        markShipped(
          db,
          { ...minxian, sellerOrderId, form: { carrier: '中国邮政', trackingNumber: 'EMS1234567' } },
          systemClock,
        )
      await expectMatrix('fulfilment', ['coopAdmin', 'coopStaff'], (p) =>
        callLoader('routes/coop.fulfilment', p),
      )
      await expectMatrix('ship an order', ['coopAdmin', 'coopStaff'], async (p) =>
        callAction('routes/coop.fulfilment', p, {
          intent: 'ship',
          sellerOrderId: (await paidPart()).sellerOrderId,
          carrier: '顺丰速运',
          trackingNumber: 'SF1234567890',
        }),
      )
      await expectMatrix('mark an order delivered', ['coopAdmin', 'coopStaff'], async (p) => {
        const part = await paidPart()
        await ship(part.sellerOrderId)
        return callAction('routes/coop.fulfilment', p, {
          intent: 'deliver',
          sellerOrderId: part.sellerOrderId,
        })
      })
      // A unit's rejection at 验收 (decision 022): answered by the cooperative's members only.
      const openDispute = async () => {
        const order = await shippedUnitOrderFor()
        const accepted = await acceptSellerOrder(
          db,
          {
            actor: gulouUnitBuyer,
            orderId: order.orderId,
            form: {
              sellerOrderId: order.sellerOrderId,
              notes: undefined,
              lines: [{ orderLineId: order.orderLineId, acceptedQty: 1 }],
            },
          },
          systemClock,
        )
        if (!accepted.ok) throw new Error(`acceptSellerOrder: ${accepted.error}`)
        const [row] = await db
          .select({ id: disputes.id })
          .from(disputes)
          .where(eq(disputes.sellerOrderId, order.sellerOrderId))
        return row!.id
      }
      await expectMatrix('accept a return', ['coopAdmin', 'coopStaff'], async (p) =>
        callAction('routes/coop.fulfilment', p, { intent: 'return', disputeId: await openDispute() }),
      )
      await expectMatrix('contest a rejection', ['coopAdmin', 'coopStaff'], async (p) =>
        callAction('routes/coop.fulfilment', p, {
          intent: 'contest',
          disputeId: await openDispute(),
          note: '发货时完好',
        }),
      )
      await expectMatrix('confirm receipt', ['consumer'], async (p) => {
        const part = await paidPart()
        await ship(part.sellerOrderId)
        return callAction(
          'routes/account.orders.$orderId',
          p,
          { intent: 'confirm-receipt', sellerOrderId: part.sellerOrderId },
          { orderId: part.orderId },
        )
      })
      await expectMatrix('ask for a refund', ['consumer'], async (p) => {
        const part = await paidPart()
        return callAction(
          'routes/account.orders.$orderId',
          p,
          { intent: 'request-refund', sellerOrderId: part.sellerOrderId, reason: '买错了规格' },
          { orderId: part.orderId },
        )
      })
    })

    it('shows a cooperative’s reports and their exports to its admins and staff only', async () => {
      await expectMatrix('reports', ['coopAdmin', 'coopStaff'], (p) => callLoader('routes/coop.reports', p))
      for (const format of ['csv', 'xlsx']) {
        await expectMatrix(`report export (${format})`, ['coopAdmin', 'coopStaff'], (p) => {
          const loader = route('routes/coop.reports_.export').loader!
          const url = `http://localhost/coop/reports/export?kind=households&format=${format}`
          return outcomeOf(() =>
            Promise.resolve(loader({ request: new Request(url), params: {}, context: contextFor(p) })),
          )
        })
      }
    })

    it('never lets a cooperative see or change another cooperative’s households', async () => {
      const other = await makeOrganization(db, { regionCode: '621102' })
      const created = await createHousehold(
        db,
        {
          orgId: other.orgId,
          actorUserId: other.userId,
          form: householdForm({
            regionCode: '621102',
            idNumber: syntheticIdNumber(650, '19800101', '621102'),
          }),
        },
        systemClock,
      )
      if (!created.ok) throw new Error('createHousehold failed')
      const theirs = created.householdId
      for (const [intent, extra] of [
        ['update', householdForm()],
        ['deactivate', {}],
        ['reveal', { reason: '核对帮扶台账' }],
      ] as const) {
        await expectMatrix(`${intent} another cooperative’s household`, [], (p) =>
          callAction('routes/coop.households._index', p, { intent, householdId: theirs, ...extra }),
        )
      }
      const loader = route('routes/coop.households._index').loader!
      for (const person of ['coopAdmin', 'coopStaff'] as const) {
        for (let page = 1; page <= 20; page++) {
          const roster = (await loader({
            request: new Request(`http://localhost/coop/households?page=${page}`),
            params: {},
            context: contextFor(person),
          })) as { items: Array<{ id: string }> }
          expect(roster.items.map((h) => h.id)).not.toContain(theirs)
          if (roster.items.length === 0) break
        }
      }
    })
  })

  // --- Office dashboard and 公示 (issue 19): the office's members read its targets; anyone reads the notice. ------
  it('opens the office dashboard to the acting office’s members and the 公示 to everyone', async () => {
    const id = seedUuid('target:demo-2026-fz-dx')
    const officeMembers: Person[] = ['analyst', 'officeAdmin']
    await expectMatrix('office targets', officeMembers, (p) => callLoader('routes/office.targets._index', p))
    for (const routeId of [
      'routes/office.targets.$id',
      'routes/office.targets.$id_.print',
      'routes/office.targets.$id_.export[.]csv',
      'routes/office.targets.$id_.export[.]xlsx',
    ]) {
      await expectMatrix(routeId, officeMembers, (p) => callLoader(routeId, p, { id }))
    }
    await expectMatrix('公示', everyone, (p) =>
      callLoader('routes/_storefront.targets.$id.gongshi', p, { id }),
    )
  })

  // --- Bank statement import (issue 18 item 5): finance alone, like confirming a transfer by hand. ----------------
  it('lets only finance import bank statements, map their columns and confirm the matched transfers', async () => {
    const finance: Person[] = ['finance']
    await expectMatrix('statement upload page', finance, (p) =>
      callLoader('routes/admin.payments_.statements._index', p),
    )
    const statement = '交易日期,贷方发生额,借方发生额,对方户名,摘要\r\n2026-12-05,10.00,,演示,往来款\r\n'
    await expectMatrix('upload a statement', finance, async (p) => {
      const body = new FormData()
      body.set('file', new File([statement], 'statement.csv', { type: 'text/csv' }))
      const request = new Request('http://localhost/admin/payments/statements?index', {
        method: 'POST',
        body,
      })
      const action = route('routes/admin.payments_.statements._index').action!
      const observed = await outcomeOf(() =>
        Promise.resolve(action({ request, params: {}, context: contextFor(p) })),
      )
      // A stored statement opens its preview: that redirect is the success.
      return observed.status === 302 && observed.detail.includes('→ /admin/payments/statements/')
        ? { ...observed, outcome: 'allowed' }
        : observed
    })
    const { uploadStatement } = await import('../../app/domains/payments/index.server')
    const uploaded = await uploadStatement(
      db,
      {
        fileName: 'matrix.csv',
        bytes: Buffer.from('记账日期,金额,附言,户名,其他\r\n2026-12-05,10.00,往来款,演示,x\r\n'),
        userId: seedUuid('user:finance@demo.example'),
      },
      systemClock,
    )
    if (!uploaded.ok) throw new Error(uploaded.error)
    const params = { importId: uploaded.importId }
    const id = 'routes/admin.payments_.statements.$importId'
    await expectMatrix('a statement preview', finance, (p) => callLoader(id, p, params))
    await expectMatrix('map a statement', finance, (p) =>
      callAction(id, p, { intent: 'map', date: '0', credit: '1', reference: '2', payer: '3' }, params),
    )
    await expectMatrix('confirm a statement', finance, (p) =>
      callAction(id, p, { intent: 'confirm' }, params),
    )
  })

  // --- Office dashboard II (decision 024): only the office's admins create and edit its own targets. ------------
  it('lets only the acting office’s admins create and edit the office’s own targets', async () => {
    const year = new Date().getFullYear()
    const form = (name: string) => ({
      name,
      metric: 'amount_fen',
      goal: '1000',
      helped: '621102',
      helper: '350102',
      channelDirect: 'on',
      channelAssist: 'on',
      periodStart: `${year}-01-01`,
      periodEnd: `${year}-12-31`,
    })
    const admins: Person[] = ['officeAdmin']
    await expectMatrix('new target form', admins, (p) => callLoader('routes/office.targets.new', p))
    // A saved target answers with a redirect to the office's targets: that, and only that, is its success.
    const savedOr = (observed: Observed) =>
      /→ \/office\/targets$/.test(observed.detail) ? { ...observed, outcome: 'allowed' as const } : observed
    await expectMatrix('create a target', admins, async (p) =>
      savedOr(await callAction('routes/office.targets.new', p, form(`矩阵目标 ${p}`))),
    )
    const [own] = await db
      .select({ id: targets.id })
      .from(targets)
      .where(eq(targets.name, '矩阵目标 officeAdmin'))
    await expectMatrix('edit target form', admins, (p) =>
      callLoader('routes/office.targets.$id_.edit', p, { id: own!.id }),
    )
    await expectMatrix('edit a target', admins, async (p) =>
      savedOr(
        await callAction('routes/office.targets.$id_.edit', p, form('矩阵目标 officeAdmin'), { id: own!.id }),
      ),
    )
    // A demo target is nobody's to edit here: 404 for everyone.
    const demoTarget = seedUuid('target:demo-2026-fz-dx')
    await expectMatrix('edit a demo target', [], (p) =>
      callLoader('routes/office.targets.$id_.edit', p, { id: demoTarget }),
    )
  })
})
