import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { queryRows } from '../../db/client.server'
import { organizations } from '../../db/schema/organizations'
import { seedUuid } from '../../db/seed/synthetic'
import { auditHead } from '../../app/domains/audit/audit.server'
import { changeCart } from '../../app/domains/orders/cart.server'
import { createSession, listMemberships, type RequestAuth } from '../../app/domains/accounts/sessions.server'
import { type Access, accessMap, type RouteRule } from '../../app/utils/access-map'
import { systemClock } from '../../app/utils/clock'
import { hasPermission } from '../../app/utils/permissions.server'
import { makeUscc } from '../../app/utils/uscc'
import { FORM_BODY_LIMIT } from '../../server/body-limit'
import { routePath, startTestApp } from '../support/app-server'
import { openTestDatabase, testDbKind } from '../support/db'
import { sessionCookieFor } from '../support/session-cookie'
import { buy, demoConsumer, makeBuyable, seededProductId } from '../support/shopping'
// Listing review and supplier admission.
import { eq } from 'drizzle-orm'
import { createListing, submitListing } from '../../app/domains/catalog/index.server'
import { demo as reviewDemo, listingForm, makeOrganization } from '../support/coop'
// Government procurement (issue 16).
import { readPastedLines, requisitionForm } from '../../app/domains/procurement'
import { submitRequisition } from '../../app/domains/procurement/index.server'
import { memberships } from '../../db/schema/memberships'
import { testBankTransfer } from '../support/shopping'
// Cooperative console II (households, proceeds rules, fulfilment, reports).
import { createHousehold, getProductBeneficiaries } from '../../app/domains/households/index.server'
import { householdForm, syntheticIdNumber } from '../support/households'
import { orderLines, payments, sellerOrders } from '../../db/schema/orders'
import { disputes } from '../../db/schema/procurement'
import { placeOrder } from '../../app/domains/orders/orders.server'
import { acceptSellerOrder } from '../../app/domains/procurement/acceptance.server'
// Bank statement import (issue 18 item 5).
import { saveStatementMapping, uploadStatement } from '../../app/domains/payments/index.server'
import { createOfficeTarget } from '../../app/domains/targets/index.server'

/**
 * Every action and every resource route of the build, called by a signed-in user who may call it, with what an
 * attacker or a broken client sends: NUL and other control characters in each field and route parameter, JSON,
 * a body over the form limit, broken multipart, no Content-Type, and the same form from another site. Each must be
 * a 4xx — never a 5xx, never a success, never a redirect to the login page — and nothing may be written.
 *
 * A new route joins by itself: the suite fails until `actionForms` (or `resourceQueries`) holds a valid submission
 * for it, and then sends it all of the above.
 */

/** The seeded demo accounts (README "Demo accounts"), in the order they are tried for a rule. */
const demoAccounts = [
  'consumer@demo.example',
  'buyer@gulou.demo.example',
  'approver@gulou.demo.example',
  'unit-admin@gulou.demo.example',
  'coop@minxian.demo.example',
  'coop-staff@minxian.demo.example',
  'office@fuzhou.demo.example',
  'office-admin@fuzhou.demo.example',
  'finance@demo.example',
  'admin@demo.example',
] as const

const evil = 'https://evil.example'

type Form = Record<string, string>

/** The console's listing form as a browser posts it: every value text, no tiers. */
function flatListing(): Form {
  const { tiers: _tiers, ...form } = listingForm({ sku: 'HOSTILE-001' })
  return Object.fromEntries(Object.entries(form).map(([k, v]) => [k, String(v)]))
}

function withoutStock({ stock: _stock, ...form }: Form): Form {
  return form
}
type Sample = { params?: Record<string, string>; forms: Form[] }

describe(`hostile input (${testDbKind()})`, async () => {
  const handle = await openTestDatabase('seeded')
  const db = handle.db
  const { origin, build } = await startTestApp(handle)

  // Real things to act on, so that each submission below would succeed but for what the suite spoils in it.
  await makeBuyable(db, ['PRD005', 'PRD006'])
  const pending = await buy(db, { lines: [['PRD005', 1]], confirmAt: null })
  expect(
    (
      await changeCart(
        db,
        { userId: demoConsumer },
        { kind: 'add', productId: seededProductId('PRD006'), qty: 1 },
      )
    ).ok,
  ).toBe(true)
  const pendingOrg = seedUuid('test:hostile-pending-org')
  await db
    .insert(organizations)
    .values({ id: pendingOrg, kind: 'gov_unit', name: '待审核测试单位', regionCode: '350102' })
    .onConflictDoNothing()
  const uscc = makeUscc({ authority: '1', kind: '1', regionCode: '350102', orgBody8: 'MA3Y4K8D' })

  // Listing review and supplier admission: a pending listing inside the demo office's jurisdiction, a verified
  // cooperative awaiting a recommendation, and a recommended one awaiting verification.
  const reviewActor = { orgId: reviewDemo.minxian, actorUserId: reviewDemo.coopAdmin }
  const reviewDraft = await createListing(db, { ...reviewActor, form: listingForm() }, systemClock)
  if (!reviewDraft.ok) throw new Error('createListing failed')
  expect(await submitListing(db, { ...reviewActor, productId: reviewDraft.productId }, systemClock)).toEqual({
    ok: true,
  })
  const toRecommend = await makeOrganization(db, { regionCode: '621126' })
  const toVerify = await makeOrganization(db, { regionCode: '621126' })
  await db
    .update(organizations)
    .set({ sellerRecommendedAt: new Date(), sellerRecommendingOrg: reviewDemo.office })
    .where(eq(organizations.id, toVerify.orgId))

  // Office dashboard II (decision 024): an office target of the demo office, to edit.
  const hostileYear = new Date().getFullYear()
  const officeTarget = await createOfficeTarget(
    db,
    { userId: seedUuid('user:office-admin@fuzhou.demo.example'), orgId: reviewDemo.office },
    {
      name: '恶意输入测试目标',
      goal: 100_000n,
      periodEnd: `${hostileYear}-12-31`,
      parentId: undefined,
      scope: {
        metric: 'amount_fen',
        helped: ['621102'],
        helper: ['350102'],
        channels: ['sales_assist'],
        certifiedOnly: false,
        periodStart: `${hostileYear}-01-01`,
      },
    },
    systemClock,
  )
  if (!officeTarget.ok) throw new Error('office target not created')
  const targetForm = {
    name: '恶意输入测试目标',
    metric: 'amount_fen',
    goal: '1000',
    helped: '621102',
    helper: '350102',
    channelAssist: 'on',
    periodStart: `${hostileYear}-01-01`,
    periodEnd: `${hostileYear}-12-31`,
  }

  // Government procurement (issue 16): a requisition awaiting approval (the buyer's limit is 0).
  const gulouBuyer = seedUuid('user:buyer@gulou.demo.example')
  await db.update(memberships).set({ spendingLimitFen: 0n }).where(eq(memberships.userId, gulouBuyer))
  const bulk = readPastedLines('PRD005 1')
  if (!bulk.ok) throw new Error(bulk.error)
  const requisition = await submitRequisition(
    db,
    {
      actor: { orgId: seedUuid('org:gulou-unit'), userId: gulouBuyer, role: 'unit_buyer' },
      rows: bulk.rows,
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
  if (!requisition.ok) throw new Error('submitRequisition failed')
  // Cooperative console: a draft of the Minxian cooperative's own (so that save, submit and archive would succeed)
  // and its seeded base.
  const consoleDraft = await createListing(db, { ...reviewActor, form: listingForm() }, systemClock)
  if (!consoleDraft.ok) throw new Error('createListing failed')
  const consoleProduct = consoleDraft.productId
  const minxianBase = seedUuid('base:coop:621126:1')

  // Cooperative console II: a household of the Minxian cooperative, with an ID number to reveal.
  const hostileHousehold = await createHousehold(
    db,
    { ...reviewActor, form: householdForm({ idNumber: syntheticIdNumber(901) }) },
    systemClock,
  )
  if (!hostileHousehold.ok) throw new Error('createHousehold failed')
  // A paid order of the Minxian cooperative's product: shipped by the console, received or refunded by its buyer.
  await makeBuyable(db, ['PRD030'])
  const hostilePaid = await buy(db, { lines: [['PRD030', 1]] })
  const [hostileSellerOrder] = await db
    .select({ id: sellerOrders.id })
    .from(sellerOrders)
    .where(eq(sellerOrders.orderId, hostilePaid.orderId))
  // Buying emptied the consumer's cart, which the checkout sample needs.
  await changeCart(
    db,
    { userId: demoConsumer },
    { kind: 'add', productId: seededProductId('PRD006'), qty: 1 },
  )
  // Government procurement II (decision 022): the demo unit's shipped on-account order, accepted in part (a
  // dispute open for the Minxian cooperative), and another shipped one awaiting its 验收.
  const hostileUnit = { orgId: seedUuid('org:gulou-unit'), userId: gulouBuyer, role: 'unit_buyer' as const }
  const shippedUnitOrder = async () => {
    await makeBuyable(db, ['PRD031'])
    const placed = await placeOrder(
      db,
      {
        buyerUserId: gulouBuyer,
        buyerOrgId: hostileUnit.orgId,
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
  const disputed = await shippedUnitOrder()
  const disputedAccepted = await acceptSellerOrder(
    db,
    {
      actor: hostileUnit,
      orderId: disputed.orderId,
      form: {
        sellerOrderId: disputed.sellerOrderId,
        notes: undefined,
        lines: [{ orderLineId: disputed.orderLineId, acceptedQty: 1 }],
      },
    },
    systemClock,
  )
  if (!disputedAccepted.ok) throw new Error('acceptSellerOrder failed')
  const [hostileDispute] = await db
    .select({ id: disputes.id })
    .from(disputes)
    .where(eq(disputes.sellerOrderId, disputed.sellerOrderId))
  const awaitingAcceptance = await shippedUnitOrder()
  const hostileProduct = seedUuid('product:PRD033')
  const hostileLinked = (await getProductBeneficiaries(db, { ...reviewActor, productId: hostileProduct }))!
    .links[0]!

  // Bank statement import (issue 18 item 5): a mapped statement whose one line pays the pending transfer.
  const [pendingPayment] = await db
    .select({ reference: payments.reference, amountFen: payments.amountFen })
    .from(payments)
    .where(eq(payments.id, pending.paymentId))
  const statement = await uploadStatement(
    db,
    {
      fileName: 'hostile.csv',
      bytes: Buffer.from(
        `交易日期,贷方发生额,借方发生额,对方户名,摘要\r\n2026-12-05,${(Number(pendingPayment!.amountFen) / 100).toFixed(2)},,演示,${pendingPayment!.reference}\r\n`,
      ),
      userId: seedUuid('user:finance@demo.example'),
    },
    systemClock,
  )
  if (!statement.ok) throw new Error(`uploadStatement: ${statement.error}`)
  await saveStatementMapping(
    db,
    {
      importId: statement.importId,
      mapping: { date: 0, credit: 1, debit: 2, payer: 3, reference: 4 },
      userId: seedUuid('user:finance@demo.example'),
    },
    systemClock,
  )

  /** A valid submission per action route (one per intent), with the route parameters it is posted to. */
  const actionForms: Record<string, Sample> = {
    'routes/_storefront.login': {
      forms: [{ identifier: 'consumer@demo.example', password: 'demo-password', redirectTo: '/account' }],
    },
    'routes/_storefront.signup': {
      forms: [
        {
          displayName: '恶意输入测试',
          email: 'hostile@example.com',
          mobile: '13912340000',
          password: 'long enough',
          passwordConfirm: 'long enough',
          redirectTo: '/account',
        },
      ],
    },
    // Password reset (Storefront II): a known account, a link's token that exists, a code form.
    'routes/_storefront.forgot-password': { forms: [{ identifier: 'consumer@demo.example' }] },
    'routes/_storefront.reset-password._index': {
      forms: [
        {
          mobile: '13900000001',
          code: '123456',
          newPassword: 'a new password',
          newPasswordConfirm: 'a new password',
        },
      ],
    },
    'routes/_storefront.reset-password.$token': {
      params: { token: 'A'.repeat(43) },
      forms: [{ newPassword: 'a new password', newPasswordConfirm: 'a new password' }],
    },
    'routes/_storefront.cart': {
      forms: [
        { intent: 'add', productId: seededProductId('PRD005'), qty: '1' },
        { intent: 'set', productId: seededProductId('PRD006'), qty: '2', redirectTo: '/cart' },
        { intent: 'remove', productId: seededProductId('PRD006'), redirectTo: '/cart' },
      ],
    },
    'routes/_storefront.checkout': {
      forms: [
        {
          recipient: '张三',
          phone: '13800138000',
          regionCode: '350102',
          address: '福州市鼓楼区演示路1号',
          invoiceKind: 'company',
          invoiceTitle: '演示公司',
          taxId: uscc,
          invoiceEmail: 'invoice@example.com',
        },
      ],
    },
    'routes/account.security': {
      forms: [
        {
          currentPassword: 'demo-password',
          newPassword: 'a new password',
          newPasswordConfirm: 'a new password',
        },
      ],
    },
    // Empty: act as a consumer, which anyone may.
    'routes/account.switch': { forms: [{ orgId: '', redirectTo: '/account' }] },
    'routes/account.organizations.new': {
      forms: [
        {
          kind: 'gov_unit',
          name: '恶意输入测试单位',
          uscc,
          regionCode: '350102',
          contactName: '李四',
          contactPhone: '0591-12345678',
        },
      ],
    },
    'routes/account.organizations.$orgId.members': {
      params: { orgId: seedUuid('org:gulou-unit') },
      forms: [
        { intent: 'invite', role: 'unit_buyer' },
        { intent: 'change-role', userId: seedUuid('user:buyer@gulou.demo.example'), role: 'unit_approver' },
        { intent: 'remove', userId: seedUuid('user:buyer@gulou.demo.example') },
        { intent: 'revoke', invitationId: seedUuid('test:hostile-invitation') },
      ],
    },
    'routes/account.orders.$orderId': {
      params: { orderId: pending.orderId },
      forms: [
        { intent: 'cancel' },
        // Cooperative console II: one seller's part of the buyer's paid order.
        { intent: 'confirm-receipt', sellerOrderId: hostileSellerOrder!.id },
        { intent: 'request-refund', sellerOrderId: hostileSellerOrder!.id, reason: '买错了规格' },
      ],
    },
    'routes/invitations.$token': {
      params: { token: 'A1b2C3d4'.repeat(5) + 'xyz' },
      forms: [{ intent: 'accept' }],
    },
    'routes/admin.organizations': {
      forms: [
        { intent: 'verify', orgId: pendingOrg },
        { intent: 'reject', orgId: pendingOrg, reason: '材料不全，请补充盖章页' },
      ],
    },
    'routes/admin.offices.new': {
      forms: [{ name: '恶意输入测试机构', regionCode: '350100', uscc: '', jurisdiction: '350100\r\n621100' }],
    },
    'routes/admin.payments': {
      forms: [
        {
          intent: 'confirm',
          paymentId: pending.paymentId,
          reference: 'BT0001',
          received: (Number(pending.paidFen) / 100).toFixed(2),
        },
        { intent: 'refund', paymentId: pending.paymentId, reference: 'BT0001' },
      ],
    },
    // Bank statement import (issue 18 item 5). The upload is multipart only: any urlencoded form is refused (415).
    'routes/admin.payments_.statements._index': { forms: [{ file: 'statement.csv' }] },
    'routes/admin.payments_.statements.$importId': {
      params: { importId: statement.importId },
      forms: [
        { intent: 'map', date: '0', credit: '1', debit: '2', payer: '3', reference: '4' },
        { intent: 'confirm' },
      ],
    },
    // Listing review and supplier admission.
    'routes/admin.listings': {
      forms: [
        { intent: 'approve', productId: reviewDraft.productId },
        { intent: 'reject', productId: reviewDraft.productId, reason: '图片不清楚，请补拍包装正面' },
      ],
    },
    'routes/office.listings': {
      forms: [
        { intent: 'approve', productId: reviewDraft.productId },
        { intent: 'reject', productId: reviewDraft.productId, reason: '图片不清楚，请补拍包装正面' },
      ],
    },
    'routes/office.suppliers': {
      forms: [{ intent: 'recommend', supplierOrgId: toRecommend.orgId, note: '县里核实过种植基地' }],
    },
    'routes/admin.suppliers': { forms: [{ intent: 'verify', supplierOrgId: toVerify.orgId }] },
    // Office dashboard II (decision 024): an office admin's target forms.
    'routes/office.targets.new': { forms: [targetForm] },
    'routes/office.targets.$id_.edit': { params: { id: officeTarget.id }, forms: [targetForm] },
    // Government procurement (issue 16). The requisition and plan forms are multipart (a file beside the fields):
    // every urlencoded attempt below is refused as such.
    'routes/unit.requisitions.new': {
      forms: [
        {
          intent: 'submit',
          lines: 'PRD005 1',
          recipient: '王五',
          phone: '13800138000',
          address: '鼓楼区演示路 8 号',
          poNumber: 'PO-1',
          notes: '请工作日送达',
        },
      ],
    },
    'routes/unit.requisitions.$requisitionId': {
      params: { requisitionId: requisition.requisitionId },
      forms: [
        { intent: 'approve', comment: '同意采购' },
        { intent: 'reject', comment: '预算不足' },
      ],
    },
    'routes/unit.plan': {
      forms: [
        { intent: 'plan', year: '2026', base: '100000', share: '10' },
        // Government procurement II: the unit's payment term.
        { intent: 'term', days: '45' },
      ],
    },
    'routes/unit.members': { forms: [{ userId: gulouBuyer, limit: '100' }] },
    'routes/account.notifications': { forms: [{ intent: 'read-all' }] },
    // Cooperative console: listings, stock, photos and certificates (multipart: any form here is refused with 415
    // before it is read), bases.
    'routes/coop.products.new': { forms: [flatListing()] },
    'routes/coop.products.$productId': {
      params: { productId: consoleProduct },
      forms: [
        // Editing reads every field but the stock, which changes only through an adjustment.
        { intent: 'save', ...withoutStock(flatListing()) },
        { intent: 'submit' },
        { intent: 'archive' },
      ],
    },
    'routes/coop.products.$productId_.stock': {
      params: { productId: consoleProduct },
      forms: [{ kind: 'restock', quantity: '20', note: '新收一批' }],
    },
    'routes/coop.products.$productId_.photos': {
      params: { productId: consoleProduct },
      forms: [{ intent: 'cover', photoId: seedUuid('test:no-such-photo') }],
    },
    'routes/coop.products.$productId_.certifications': {
      params: { productId: consoleProduct },
      forms: [
        {
          body: '岷县农业农村局',
          number: 'MX-2026-001',
          validFrom: '2026-01-01',
          validUntil: '2027-12-31',
          reliefMode: '经营性',
        },
      ],
    },
    'routes/coop.bases': {
      forms: [
        {
          intent: 'create',
          name: '恶意输入测试基地',
          kind: '帮扶基地',
          regionCode: '621126',
          description: '',
        },
        {
          intent: 'update',
          baseId: minxianBase,
          name: '恶意输入测试基地',
          kind: '帮扶车间',
          regionCode: '621126',
          description: '',
        },
        { intent: 'archive', baseId: minxianBase },
      ],
    },
    // Cooperative console II: the household roster.
    'routes/coop.households._index': {
      forms: [
        { intent: 'create', ...householdForm({ idNumber: syntheticIdNumber(902) }) },
        { intent: 'update', householdId: hostileHousehold.householdId, ...householdForm() },
        { intent: 'deactivate', householdId: hostileHousehold.householdId },
        { intent: 'reveal', householdId: hostileHousehold.householdId, reason: '核对帮扶台账' },
      ],
    },
    'routes/coop.products.$productId_.beneficiaries': {
      params: { productId: hostileProduct },
      forms: [
        { intent: 'rule', kind: 'basis_points', percent: '7.5', yuanPerUnit: '' },
        { intent: 'link', householdCode: hostileHousehold.code, weight: '2' },
        {
          intent: 'weight',
          householdId: hostileLinked.householdId,
          weight: String(hostileLinked.weight + 1),
        },
        { intent: 'unlink', householdId: hostileLinked.householdId },
      ],
    },
    'routes/coop.fulfilment': {
      forms: [
        {
          intent: 'ship',
          sellerOrderId: hostileSellerOrder!.id,
          carrier: '中国邮政',
          trackingNumber: 'EMS1234567',
        },
        { intent: 'deliver', sellerOrderId: hostileSellerOrder!.id },
        // Government procurement II: a unit's rejection at 验收, answered.
        { intent: 'return', disputeId: hostileDispute!.id },
        { intent: 'contest', disputeId: hostileDispute!.id, note: '发货时货物完好' },
      ],
    },
    // Government procurement II (decision 022): 验收 of a shipped seller order. Multipart only (photos beside the
    // fields): every urlencoded attempt is refused as such.
    'routes/unit.orders_.$orderId': {
      params: { orderId: awaitingAcceptance.orderId },
      forms: [
        {
          sellerOrderId: awaitingAcceptance.sellerOrderId,
          'lines[0].orderLineId': awaitingAcceptance.orderLineId,
          'lines[0].acceptedQty': '2',
          notes: '一箱破损',
        },
      ],
    },
    // Multipart only: any urlencoded form is refused (415) before it is read.
    'routes/coop.households.import': { forms: [{ intent: 'preview' }] },
    'routes/language': { forms: [{ lang: 'en', redirectTo: '/products' }] },
    'routes/logout': { forms: [{}] },
    // Read-only routes: any form is refused; they are here so that a write added to one is tested at once.
    'routes/api.v1.products._index': { forms: [{ q: '当归' }] },
    'routes/api.v1.products.$slug': { params: { slug: 'dingximalingshu' }, forms: [{ q: '当归' }] },
    'routes/api.v1.regions': { forms: [{ parent: '620000' }] },
    'routes/api.v1.targets._index': { forms: [{ q: '当归' }] },
    'routes/api.v1.targets.$id': { params: { id: seedUuid('test:no-such-target') }, forms: [{ q: '当归' }] },
    'routes/api.v1.ledger.head': { forms: [{ q: '当归' }] },
    'routes/healthz': { forms: [{ q: '当归' }] },
    'routes/search.suggest': { forms: [{ q: '当归' }] },
  }

  /** Query parameters (and route parameters) each resource route reads. */
  const resourceQueries: Record<string, { params?: Record<string, string>; query: Record<string, string> }> =
    {
      'routes/api.v1.products._index': {
        query: {
          q: '当归',
          region: '621100',
          category: '中药材',
          certified: '1',
          sort: 'price_asc',
          page: '1',
          pageSize: '10',
        },
      },
      'routes/api.v1.products.$slug': { params: { slug: 'dingximalingshu' }, query: {} },
      'routes/api.v1.regions': { query: { parent: '620000' } },
      'routes/api.v1.targets._index': { query: {} },
      'routes/api.v1.targets.$id': { params: { id: seedUuid('test:no-such-target') }, query: {} },
      'routes/api.v1.ledger.head': { query: {} },
      'routes/healthz': { query: {} },
      // GET only: a stored photo by its content key.
      'routes/files.$key': { params: { key: `${'0'.repeat(64)}.webp` }, query: {} },
      'routes/search.suggest': { query: { q: '当归' } },
      // Government procurement (issue 16): a purchase's evidence file.
      'routes/unit.evidence.$key': { params: { key: `${'0'.repeat(64)}.pdf` }, query: {} },
      'routes/language': { query: {} },
      'routes/logout': { query: {} },
      'routes/account.switch': { query: {} },
      // Certificate evidence by its content key: the owning cooperative, admins and offices covering the origin.
      'routes/coop.evidence.$key': { params: { key: `${'0'.repeat(64)}.pdf` }, query: {} },
      // Government procurement II (decision 022): the year's purchases for 考核.
      'routes/unit.plan_.export[.]csv': { query: { year: '2026' } },
      'routes/unit.plan_.export[.]xlsx': { query: { year: '2026' } },
      // Cooperative console II: the household import's template.
      'routes/coop.households.template': { query: {} },
      'routes/coop.reports_.export': {
        query: { kind: 'households', format: 'csv', from: '2026-01-01', to: '2026-12-31' },
      },
      // Office dashboard and 公示 (issue 19): a dashboard table's exports, with the dashboard's filters.
      'routes/office.targets.$id_.export[.]csv': {
        params: { id: seedUuid('target:demo-2026-fz-dx') },
        query: {
          table: 'byChannel',
          from: '2026-01-01',
          to: '2026-12-31',
          helped: '621102',
          helper: '350102',
        },
      },
      'routes/office.targets.$id_.export[.]xlsx': {
        params: { id: seedUuid('target:demo-2026-fz-dx') },
        query: {
          table: 'byHelpedRegion',
          from: '2026-01-01',
          to: '2026-12-31',
          helped: '621102',
          helper: '350102',
        },
      },
    }

  /** Route parameters for the pages (not resource routes) whose dynamic segments are spoiled in GETs. */
  const pageParams: Record<string, string> = {
    slug: 'dingximalingshu',
    code: '621126',
    id: 'EW-FZ-DX',
    orderId: pending.orderId,
    orgId: seedUuid('org:gulou-unit'),
    token: 'A1b2C3d4'.repeat(5) + 'xyz',
    // Government procurement (issue 16).
    requisitionId: requisition.requisitionId,
    productId: consoleProduct,
    // Bank statement import (issue 18 item 5).
    importId: statement.importId,
  }

  const actionRoutes = Object.entries(build.routes)
    .filter(([, route]) => typeof route.module.action === 'function')
    .map(([id]) => id)
    .sort()
  const resourceRoutes = Object.entries(build.routes)
    .filter(
      ([, route]) => typeof route.module.default !== 'function' && typeof route.module.loader === 'function',
    )
    .map(([id]) => id)
    .sort()

  // Who calls what: for each rule, the first demo account the access map lets through.
  const auths = new Map<string, RequestAuth>()
  for (const email of demoAccounts) {
    const userId = seedUuid(`user:${email}`)
    const memberships = await listMemberships(db, userId)
    auths.set(email, {
      userId,
      displayName: email,
      email,
      mobile: null,
      memberships,
      active: memberships[0] ?? null,
    })
  }
  const cookies = new Map<string, string>()
  for (const [email, auth] of auths) {
    const { token } = await createSession(
      db,
      { userId: auth.userId, activeOrgId: auth.active?.orgId ?? null },
      systemClock,
      { idleMinutes: 60, absoluteHours: 1 },
    )
    cookies.set(email, await sessionCookieFor(token))
  }

  function ruleOf(routeId: string, kind: 'loader' | 'action', intent: string | undefined): Access {
    const rule = (accessMap as Record<string, RouteRule>)[routeId]?.[kind]
    if (rule === undefined) throw new Error(`${routeId} has no ${kind} rule`)
    if (typeof rule === 'string') return rule
    const access = intent === undefined ? undefined : rule.intents[intent]
    if (!access) throw new Error(`${routeId} has no rule for intent ${String(intent)}`)
    return access
  }

  /**

   * Pages for visitors who are signed out: their loader sends a signed-in user on to /account, also after a

   * refused post. They are attacked without a session.

   */

  const signedOutPages = new Set([
    'routes/_storefront.login',
    'routes/_storefront.signup',
    'routes/_storefront.forgot-password',
    'routes/_storefront.reset-password._index',
    'routes/_storefront.reset-password.$token',
  ])

  /**
   * The first demo account the rule lets through. An own-org rule is checked for the organisation the route names
   * (`:orgId`), or else for the one the account acts for (the cooperative console's routes).
   */
  function caller(access: Access, params: Record<string, string> = {}, routeId = ''): string {
    if (access === 'public' || access === 'signed-in') return cookies.get(demoAccounts[0])!
    const namesOrg = (build.routes[routeId]?.path ?? '').includes(':orgId')
    const email = demoAccounts.find((e) => {
      const auth = auths.get(e)!
      return hasPermission(auth, access, { orgId: namesOrg ? params.orgId : auth.active?.orgId })
    })
    if (!email) throw new Error(`no demo account holds ${access}`)
    return cookies.get(email)!
  }

  async function tableCounts(): Promise<Record<string, number>> {
    const tables = await queryRows<{ table_name: string }>(
      db,
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    )
    const counts: Record<string, number> = {}
    for (const { table_name } of tables) {
      const [row] = await queryRows<{ n: unknown }>(
        db,
        sql`select count(*) as n from ${sql.identifier(table_name)}`,
      )
      counts[table_name] = Number(row?.n)
    }
    return counts
  }

  /** A value with a character slipped inside (not at an end, where trimming would take it away). */
  const spoil = (value: string, c: string) =>
    value.length > 1 ? `${value.slice(0, 1)}${c}${value.slice(1)}` : `${value}${c}x`
  const spoilers = ['\u0000', '\u001b', '\u0007', '\u0085']

  type Attempt = {
    label: string
    url: string
    headers: Record<string, string>
    body?: BodyInit
    method?: string
  }

  function attemptsFor(routeId: string, sample: Sample, form: Form): Attempt[] {
    const params = sample.params ?? {}
    const url = (p: Record<string, string>) =>
      `${routePath(build, routeId, p)}${build.routes[routeId]!.index ? '?index' : ''}`
    const cookie = signedOutPages.has(routeId)
      ? ''
      : caller(ruleOf(routeId, 'action', form.intent), params, routeId)
    const own = { Origin: origin, 'Sec-Fetch-Site': 'same-origin', Cookie: cookie }
    const formType = { 'Content-Type': 'application/x-www-form-urlencoded' }
    const attempts: Attempt[] = []
    for (const field of Object.keys(form)) {
      for (const c of spoilers) {
        attempts.push({
          label: `${field} with U+${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
          url: url(params),
          headers: { ...own, ...formType },
          body: new URLSearchParams({ ...form, [field]: spoil(form[field]!, c) }),
        })
      }
    }
    for (const name of Object.keys(params)) {
      for (const c of spoilers) {
        attempts.push({
          label: `route parameter ${name} with U+${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
          url: url({ ...params, [name]: spoil(params[name]!, c) }),
          headers: { ...own, ...formType },
          body: new URLSearchParams(form),
        })
      }
    }
    const boundary = '----hostile'
    attempts.push(
      {
        label: 'a JSON body',
        url: url(params),
        headers: { ...own, 'Content-Type': 'application/json' },
        body: JSON.stringify(form),
      },
      {
        label: 'no Content-Type',
        url: url(params),
        headers: own,
        body: new Blob([new URLSearchParams(form).toString()]),
      },
      {
        label: `a body over ${FORM_BODY_LIMIT} bytes`,
        url: url(params),
        headers: { ...own, ...formType },
        body: new URLSearchParams({ ...form, padding: 'x'.repeat(FORM_BODY_LIMIT) }),
      },
      {
        label: 'broken multipart',
        url: url(params),
        headers: { ...own, 'Content-Type': `multipart/form-data; boundary=${boundary}` },
        body: `--${boundary}\r\nContent-Disposition: form-data; name="${Object.keys(form)[0] ?? 'x'}"\r\n\r\nno closing boundary`,
      },
      {
        // Conform would read it as a path into nested values: an array of four billion slots in the answer.
        label: 'a field name with a path in it',
        url: url(params),
        headers: { ...own, ...formType },
        body: new URLSearchParams({ ...form, 'x[4294967294]': '1' }),
      },
      {
        // Conform's own field: a "validate" intent would skip the action's work and answer with the form.
        label: 'a form-library intent',
        url: url(params),
        headers: { ...own, ...formType },
        body: new URLSearchParams({ ...form, __intent__: '{"type":"validate","payload":{}}' }),
      },
      {
        label: 'a cross-site post',
        url: url(params),
        headers: { ...formType, Origin: evil, 'Sec-Fetch-Site': 'cross-site', Cookie: cookie },
        body: new URLSearchParams(form),
      },
    )
    return attempts
  }

  async function expectRefused(routeId: string, attempt: Attempt) {
    const response = await fetch(`${origin}${attempt.url}`, {
      method: attempt.method ?? 'POST',
      redirect: 'manual',
      headers: attempt.headers,
      body: attempt.body,
    })
    await response.arrayBuffer()
    const label = `${routeId}: ${attempt.label} (${attempt.url}) → ${response.status} ${response.headers.get('location') ?? ''}`
    expect(response.status, label).toBeGreaterThanOrEqual(400)
    expect(response.status, label).toBeLessThan(500)
    expect(response.headers.get('set-cookie') ?? '', label).not.toMatch(/xfbf_session=[^;]/)
  }

  it('has a valid submission for every action route of the build, and for every intent the access map lists', () => {
    expect(
      Object.keys(actionForms).sort(),
      'actionForms must list exactly the action routes of the build',
    ).toEqual(actionRoutes)
    for (const [routeId, sample] of Object.entries(actionForms)) {
      const rule = (accessMap as Record<string, RouteRule>)[routeId]?.action
      if (rule && typeof rule !== 'string') {
        expect(sample.forms.map((f) => f.intent).sort(), `${routeId} intents`).toEqual(
          Object.keys(rule.intents).sort(),
        )
      }
    }
    expect(
      Object.keys(resourceQueries).sort(),
      'resourceQueries must list exactly the resource routes',
    ).toEqual(resourceRoutes)
  })

  it(
    'refuses every hostile post to every action with a 4xx, and writes nothing',
    { timeout: 120_000 },
    async () => {
      const before = await tableCounts()
      const auditBefore = await auditHead(db)
      let attempts = 0
      for (const routeId of actionRoutes) {
        const sample = actionForms[routeId]
        if (!sample) continue // the coverage test above names it
        for (const form of sample.forms) {
          for (const attempt of attemptsFor(routeId, sample, form)) {
            await expectRefused(routeId, attempt)
            attempts++
          }
        }
        expect(await tableCounts(), `rows written by ${routeId}`).toEqual(before)
      }
      expect(await auditHead(db)).toEqual(auditBefore)
      expect(attempts).toBeGreaterThan(300)
    },
  )

  it('refuses control characters in the parameters and query strings of resource routes and pages', async () => {
    const before = await tableCounts()
    const gets: Array<{ routeId: string; url: string }> = []
    for (const routeId of resourceRoutes) {
      const sample = resourceQueries[routeId]
      if (!sample) continue
      const params = sample.params ?? {}
      const query = (q: Record<string, string>) => (Object.keys(q).length ? `?${new URLSearchParams(q)}` : '')
      for (const c of spoilers) {
        for (const name of Object.keys(params)) {
          gets.push({
            routeId,
            url: `${routePath(build, routeId, { ...params, [name]: spoil(params[name]!, c) })}${query(sample.query)}`,
          })
        }
        for (const name of Object.keys(sample.query)) {
          gets.push({
            routeId,
            url: `${routePath(build, routeId, params)}${query({ ...sample.query, [name]: spoil(sample.query[name]!, c) })}`,
          })
        }
      }
    }
    // Every page with a dynamic segment, as someone allowed to see it.
    for (const [routeId, route] of Object.entries(build.routes)) {
      if (typeof route.module.loader !== 'function' || resourceQueries[routeId]) continue
      const path = routePath(
        build,
        routeId,
        Object.fromEntries(Object.keys(pageParams).map((k) => [k, `{${k}}`])),
      )
      const names = [...path.matchAll(/%7B(\w+)%7D/g)].map((m) => m[1]!)
      for (const name of names) {
        for (const c of spoilers) {
          gets.push({
            routeId,
            url: routePath(build, routeId, { ...pageParams, [name]: spoil(pageParams[name]!, c) }),
          })
        }
      }
    }
    // Pages whose search box is free text (a closed choice such as a tab falls back to its default instead).
    const pageSearches: Record<string, Record<string, string>> = {
      'routes/admin.payments': { filter: 'open', q: 'BT2026' },
      'routes/coop.fulfilment': { state: 'shipped', q: 'XF2026' },
    }
    for (const [routeId, query] of Object.entries(pageSearches)) {
      for (const c of spoilers) {
        gets.push({
          routeId,
          url: `${routePath(build, routeId, {})}?${new URLSearchParams({ ...query, q: spoil(query.q!, c) })}`,
        })
      }
    }
    expect(gets.length).toBeGreaterThan(40)
    for (const { routeId, url } of gets) {
      const cookie = caller(ruleOf(routeId, 'loader', undefined), pageParams, routeId)
      await expectRefused(routeId, { label: 'GET', url, headers: { Cookie: cookie }, method: 'GET' })
    }
    expect(await tableCounts()).toEqual(before)
  })
})
