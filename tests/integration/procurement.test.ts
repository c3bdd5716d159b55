import { and, eq, sql } from 'drizzle-orm'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { changeCart } from '../../app/domains/orders/cart.server'
import { checkoutCart } from '../../app/domains/orders/checkout.server'
import { placeOrder } from '../../app/domains/orders/orders.server'
import { confirmBankTransfer } from '../../app/domains/payments/finance.server'
import { refundPayment } from '../../app/domains/payments/refunds.server'
import { readPastedLines, readTableRows } from '../../app/domains/procurement/bulk-lines'
import { readBulkFile } from '../../app/domains/procurement/bulk-files.server'
import { decisionForm, requisitionForm, spendingLimitForm } from '../../app/domains/procurement/forms'
import { setSpendingLimit } from '../../app/domains/procurement/members.server'
import { listNotifications } from '../../app/domains/procurement/notifications.server'
import {
  getPlanView,
  openPurchaseEvidence,
  recordExternalPurchase,
  savePlan,
} from '../../app/domains/procurement/plans.server'
import { externalPurchaseForm } from '../../app/domains/procurement/forms'
import { storeEvidenceFile } from '../../app/domains/catalog/index.server'
import { localFileStore } from '../../app/services/files/store.server'
import { pngImage } from '../support/images'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { reservedAmountFen } from '../../app/domains/procurement/plan-math'
import { planForm } from '../../app/domains/procurement/forms'
import {
  decideRequisition,
  getRequisition,
  listRequisitions,
  previewRequisition,
  submitRequisition,
} from '../../app/domains/procurement/requisitions.server'
import type { UnitActor } from '../../app/domains/procurement/unit-actor'
import { fixedClock } from '../../app/utils/clock'
import { countAll, type Db, type DbHandle, queryRows } from '../../db/client.server'
import { auditEvents } from '../../db/schema/audit'
import { memberships } from '../../db/schema/memberships'
import { aidEntries } from '../../db/schema/ledger'
import { orderLines, orders, payments } from '../../db/schema/orders'
import { requisitionEvents, requisitions } from '../../db/schema/procurement'
import { seedUuid } from '../../db/seed/synthetic'
import { makeOrganization, makeUser } from '../support/coop'
import { openTestDatabase, testDbKind } from '../support/db'
import { fcParams } from '../support/fast-check'
import { demoConsumer, demoFinance, seededProductId, setProduct, testBankTransfer } from '../support/shopping'
import { SEED_NOW } from '../support/test-clock'
import { shipAndAcceptInFull } from '../support/acceptance'

const clock = fixedClock(SEED_NOW)
const gulou = seedUuid('org:gulou-unit')
const buyer = seedUuid('user:buyer@gulou.demo.example')
const approver = seedUuid('user:approver@gulou.demo.example')
const unitAdmin = seedUuid('user:unit-admin@gulou.demo.example')
const buyerActor: UnitActor = { orgId: gulou, userId: buyer, role: 'unit_buyer' }
const approverActor: UnitActor = { orgId: gulou, userId: approver, role: 'unit_approver' }
const adminActor: UnitActor = { orgId: gulou, userId: unitAdmin, role: 'unit_admin' }

let handle: DbHandle
let db: Db

beforeAll(async () => {
  handle = await openTestDatabase('seeded', { poolSize: 10 })
  db = handle.db
  for (const sku of ['PRD001', 'PRD002', 'PRD003', 'PRD004', 'PRD005', 'PRD006'])
    await setProduct(db, seededProductId(sku), { stock: 1000, priceFen: 1000n })
  // Fixed prices: no volume tiers unless a test adds one.
  await db.execute(
    sql`delete from price_tiers where product_id in (select id from products where sku in ('PRD001', 'PRD002', 'PRD003', 'PRD004', 'PRD005', 'PRD006'))`,
  )
})

const delivery = { recipient: '王五', phone: '13800138000', address: '鼓楼区演示路 8 号' }

function submitForm(extra: Record<string, string> = {}) {
  return requisitionForm.parse({ intent: 'submit', ...delivery, poNumber: 'PO-2026-001', ...extra })
}

async function setLimit(userId: string, fen: bigint) {
  await db
    .update(memberships)
    .set({ spendingLimitFen: fen })
    .where(and(eq(memberships.userId, userId), eq(memberships.orgId, gulou)))
}

async function submit(text: string, actor = buyerActor) {
  const read = readPastedLines(text)
  if (!read.ok) throw new Error(read.error)
  return submitRequisition(db, { actor, rows: read.rows, form: submitForm() }, clock, testBankTransfer)
}

describe(`order channel comes from the order's kind (${testDbKind()})`, () => {
  it('gives every kind of buyer its own channel, region and terms; a consumer order stays a consumer order', async () => {
    const lines = [{ productId: seededProductId('PRD001'), qty: 1 }]
    const consumer = await placeOrder(
      db,
      { buyerUserId: demoConsumer, buyerRegionCode: '350102', lines, delivery },
      clock,
      testBankTransfer,
    )
    expect(consumer.ok).toBe(true)
    const kinds = ['gov_unit', 'trade_union', 'enterprise'] as const
    const placed: Record<string, string> = {}
    const actors: Record<string, UnitActor> = {}
    for (const kind of kinds) {
      const org = await makeOrganization(db, { regionCode: '350103', kind, role: 'unit_buyer' })
      const result = await placeOrder(
        db,
        { buyerUserId: org.userId, buyerOrgId: org.orgId, lines, delivery },
        clock,
        testBankTransfer,
      )
      if (!result.ok) throw new Error('placeOrder failed')
      placed[kind] = result.orderId
      actors[kind] = { orgId: org.orgId, userId: org.userId, role: 'unit_buyer' }
    }
    const rows = await db
      .select({
        id: orders.id,
        channel: orders.buyerChannel,
        terms: orders.terms,
        region: orders.buyerRegionCode,
        due: orders.paymentDueAt,
      })
      .from(orders)
    const byId = new Map(rows.map((r) => [r.id, r]))
    if (!consumer.ok) throw new Error('unreachable')
    expect(byId.get(consumer.orderId)).toMatchObject({
      channel: 'consumer',
      terms: 'prepaid',
      region: '350102',
    })
    expect(byId.get(placed.gov_unit!)).toMatchObject({
      channel: 'gov_unit',
      terms: 'on_account',
      region: '350103',
      due: null,
    })
    expect(byId.get(placed.trade_union!)).toMatchObject({ channel: 'trade_union', terms: 'on_account' })
    expect(byId.get(placed.enterprise!)).toMatchObject({ channel: 'enterprise', terms: 'prepaid' })
    // Accepted (decision 022) and confirmed, the unit's order is counted under its own channel, as a direct
    // purchase, for the unit.
    await shipAndAcceptInFull(db, placed.gov_unit!, actors.gov_unit!, clock)
    const [payment] = await db.select().from(payments).where(eq(payments.orderId, placed.gov_unit!))
    const confirmed = await confirmBankTransfer(
      db,
      { paymentId: payment!.id, receivedFen: payment!.amountFen, financeUserId: demoFinance },
      clock,
    )
    expect(confirmed.ok).toBe(true)
    const entries = await db.select().from(aidEntries).where(eq(aidEntries.orderId, placed.gov_unit!))
    expect(entries.length).toBe(1)
    expect(entries[0]).toMatchObject({ buyerChannel: 'gov_unit', aidCategory: 'direct_purchase' })
  })

  it('refuses an order for an organisation that does not buy (a cooperative)', async () => {
    const coop = await makeOrganization(db, { regionCode: '621126' })
    await expect(
      placeOrder(
        db,
        {
          buyerUserId: coop.userId,
          buyerOrgId: coop.orgId,
          lines: [{ productId: seededProductId('PRD001'), qty: 1 }],
          delivery,
        },
        clock,
        testBankTransfer,
      ),
    ).rejects.toThrow(RangeError)
  })

  it('the consumer checkout refuses while the session acts for a unit, and leaves the cart as it was', async () => {
    const added = await changeCart(
      db,
      { userId: buyer },
      { kind: 'add', productId: seededProductId('PRD002'), qty: 2 },
    )
    expect(added.ok).toBe(true)
    const before = await db.select({ n: countAll }).from(orders)
    const result = await checkoutCart(
      db,
      {
        userId: buyer,
        actingOrgId: gulou,
        form: { ...delivery, regionCode: '350102', invoiceKind: 'none' },
      },
      clock,
      testBankTransfer,
    )
    expect(result).toEqual({ ok: false, reason: 'acting_for_organization' })
    expect(await db.select({ n: countAll }).from(orders)).toEqual(before)
  })
})

describe(`bulk lines (${testDbKind()})`, () => {
  it('reads tab, comma, space and full-width separated lines and flags every bad row with its line', async () => {
    const read = readPastedLines(
      'SKU\t数量\nPRD001\t10\nprd002,５\nＰＲＤ００３　３\nNOPE 1\nPRD004 0\nPRD005\n',
    )
    if (!read.ok) throw new Error(read.error)
    expect(read.rows.map((r) => [r.line, r.sku, r.qty])).toEqual([
      [2, 'PRD001', '10'],
      [3, 'prd002', '5'],
      [4, 'PRD003', '3'],
      [5, 'NOPE', '1'],
    ])
    expect(read.problems).toEqual([
      { line: 6, problem: 'bad_quantity', text: 'PRD004 0' },
      { line: 7, problem: 'columns', text: 'PRD005' },
    ])
    await setProduct(db, seededProductId('PRD003'), { stock: 1000, priceFen: 1000n, minOrderQty: 5 })
    const preview = await previewRequisition(db, read)
    expect(preview.lines.map((l) => [l.line, l.problem, l.limit])).toEqual([
      [2, null, null],
      [3, null, null],
      [4, 'below_minimum', 5],
      [5, 'unknown_sku', null],
      [6, 'bad_quantity', null],
      [7, 'columns', null],
    ])
    expect(preview.totalFen).toBe(15_000n)
    await setProduct(db, seededProductId('PRD003'), { stock: 1000, priceFen: 1000n })
  })

  it('flags archived and out-of-stock products, and applies volume tiers per line', async () => {
    await setProduct(db, seededProductId('PRD006'), { stock: 2, priceFen: 1000n })
    await setProduct(db, seededProductId('PRD005'), { stock: 1000, priceFen: 1000n, status: 'archived' })
    await db.execute(
      sql`insert into price_tiers (product_id, min_qty, unit_price_fen) values (${seededProductId('PRD004')}, 10, 900)
          on conflict do nothing`,
    )
    const read = readPastedLines('PRD006 3\nPRD005 1\nPRD004 10\nPRD004 1')
    if (!read.ok) throw new Error(read.error)
    const preview = await previewRequisition(db, read)
    expect(preview.lines.map((l) => [l.problem, l.unitPriceFen, l.tierApplied])).toEqual([
      ['out_of_stock', null, false],
      ['archived', null, false],
      [null, 900n, true],
      ['duplicate', null, false],
    ])
    await setProduct(db, seededProductId('PRD006'), { stock: 1000, priceFen: 1000n })
    await setProduct(db, seededProductId('PRD005'), { stock: 1000, priceFen: 1000n })
    await db.execute(sql`delete from price_tiers where product_id = ${seededProductId('PRD004')}`)
  })

  it('reads CSV in UTF-8 with BOM and GB18030, refuses wrong columns, wrong encodings and zip bombs', async () => {
    const utf8 = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('商品编码,数量\r\nPRD001,2\r\n'),
    ])
    expect(await readBulkFile(utf8)).toMatchObject({ ok: true, rows: [{ line: 2, sku: 'PRD001', qty: '2' }] })
    const iconv = (await import('iconv-lite')).default
    const gb = iconv.encode('商品编码,数量\nPRD002,3\n', 'gb18030')
    expect(await readBulkFile(gb)).toMatchObject({ ok: true, rows: [{ sku: 'PRD002', qty: '3' }] })
    expect(await readBulkFile(Buffer.from('名称,单价\n苹果,3\n'))).toEqual({ ok: false, error: 'header' })
    expect(await readBulkFile(Buffer.from([0xff, 0xfe, 0x00, 0xd8]))).toMatchObject({ ok: false })
    expect(await readBulkFile(Buffer.from([0x81, 0x30, 0xff, 0xff, 0x00]))).toMatchObject({ ok: false })
    // A ZIP that claims far more inflated bytes than the budget: refused before inflating.
    const bomb = zipWithDeclaredSize('xl/workbook.xml', 500 * 1024 * 1024)
    expect((await readBulkFile(bomb)).ok).toBe(false)
    expect(readTableRows([{ line: 1, cells: ['PRD001', '2', 'extra'] }])).toMatchObject({
      ok: true,
      problems: [{ line: 1, problem: 'columns' }],
    })
  })
})

/** A minimal ZIP with one stored entry whose headers claim `size` uncompressed bytes. */
function zipWithDeclaredSize(name: string, size: number): Buffer {
  const nameBytes = Buffer.from(name)
  const local = Buffer.alloc(30)
  local.writeUInt32LE(0x04034b50, 0)
  local.writeUInt16LE(20, 4)
  local.writeUInt16LE(8, 8)
  local.writeUInt32LE(4, 18)
  local.writeUInt32LE(size, 22)
  local.writeUInt16LE(nameBytes.length, 26)
  const data = Buffer.from([0x03, 0x00, 0x00, 0x00])
  const central = Buffer.alloc(46)
  central.writeUInt32LE(0x02014b50, 0)
  central.writeUInt16LE(20, 4)
  central.writeUInt16LE(20, 6)
  central.writeUInt16LE(8, 10)
  central.writeUInt32LE(4, 20)
  central.writeUInt32LE(size, 24)
  central.writeUInt16LE(nameBytes.length, 28)
  const localSize = local.length + nameBytes.length + data.length
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(1, 8)
  end.writeUInt16LE(1, 10)
  end.writeUInt32LE(central.length + nameBytes.length, 12)
  end.writeUInt32LE(localSize, 16)
  return Buffer.concat([local, nameBytes, data, central, nameBytes, end])
}

describe(`requisitions and approvals (${testDbKind()})`, () => {
  it('orders at once exactly at the limit; one fen over waits for an approver and reserves nothing', async () => {
    await setLimit(buyer, 2000n)
    const stockBefore = await stockOf('PRD001')
    const atLimit = await submit('PRD001 2')
    expect(atLimit).toMatchObject({ ok: true, status: 'ordered' })
    if (!atLimit.ok) throw new Error('unreachable')
    const [order] = await db.select().from(orders).where(eq(orders.id, atLimit.orderId!))
    expect(order).toMatchObject({
      buyerOrgId: gulou,
      buyerChannel: 'gov_unit',
      terms: 'on_account',
      poNumber: 'PO-2026-001',
      subtotalFen: 2000n,
    })
    expect(order!.invoice).toMatchObject({ kind: 'company', title: '鼓楼区演示预算单位（演示）' })
    expect(await stockOf('PRD001')).toBe(stockBefore - 2)

    await setLimit(buyer, 1999n)
    const over = await submit('PRD001 2')
    expect(over).toMatchObject({ ok: true, status: 'pending_approval', orderId: null })
    expect(await stockOf('PRD001')).toBe(stockBefore - 2)
    // The approver is told.
    const told = await listNotifications(db, { userId: approver, page: 1 })
    expect(told.items[0]).toMatchObject({ messageKey: 'notification.requisition.awaiting', read: false })
  })

  it('a limit of 0 sends every requisition to approval; bad lines write nothing', async () => {
    await setLimit(buyer, 0n)
    expect(await submit('PRD002 1')).toMatchObject({ ok: true, status: 'pending_approval' })
    const before = await db.select({ n: countAll }).from(requisitions)
    const bad = await submit('PRD002 1\nNOPE 3')
    expect(bad).toMatchObject({ ok: false, reason: 'lines' })
    expect(await db.select({ n: countAll }).from(requisitions)).toEqual(before)
  })

  it('an approver approves (the order is placed, the buyer notified, the decision audited); no self-approval', async () => {
    await setLimit(buyer, 0n)
    const submitted = await submit('PRD003 4')
    if (!submitted.ok)
      throw new Error(
        `submit failed ${JSON.stringify(submitted, (k, v) => (typeof v === 'bigint' ? v.toString() : v))}`,
      )
    const approve = decisionForm.parse({ intent: 'approve', comment: '同意' })
    // The requester cannot decide their own (an approver who submitted).
    const own = await decideRequisition(
      db,
      { actor: { ...approverActor, userId: buyer }, requisitionId: submitted.requisitionId, form: approve },
      clock,
      testBankTransfer,
    )
    expect(own.ok).toBe(false)
    const decided = await decideRequisition(
      db,
      { actor: approverActor, requisitionId: submitted.requisitionId, form: approve },
      clock,
      testBankTransfer,
    )
    expect(decided).toMatchObject({ ok: true, status: 'ordered' })
    const detail = await getRequisition(db, { actor: buyerActor, requisitionId: submitted.requisitionId })
    expect(detail?.status).toBe('ordered')
    expect(detail?.order).not.toBeNull()
    expect(detail?.events.map((e) => e.action)).toEqual(['submitted', 'approved', 'ordered'])
    const told = await listNotifications(db, { userId: buyer, page: 1 })
    expect(told.items[0]).toMatchObject({ messageKey: 'notification.requisition.approved' })
    const audited = await db
      .select({ n: countAll })
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.action, 'requisition.approved'),
          eq(auditEvents.subjectId, submitted.requisitionId),
        ),
      )
    expect(audited[0]!.n).toBe(1)
    // Decided once: a second decision is a conflict naming who decided.
    const again = await decideRequisition(
      db,
      {
        actor: approverActor,
        requisitionId: submitted.requisitionId,
        form: decisionForm.parse({ intent: 'reject', comment: '不要' }),
      },
      clock,
      testBankTransfer,
    )
    expect(again).toMatchObject({ ok: false, reason: 'conflict', status: 'ordered' })
  })

  it('a requester who is also an approver cannot approve their own; reject needs a reason', async () => {
    const self = await makeUser(db, '自审者')
    await db.insert(memberships).values({ userId: self, orgId: gulou, role: 'unit_approver' })
    const other = await makeUser(db, '另一位采购员')
    await db
      .insert(memberships)
      .values({ userId: other, orgId: gulou, role: 'unit_buyer', spendingLimitFen: 0n })
    const submitted = await submit('PRD004 1', { orgId: gulou, userId: other, role: 'unit_buyer' })
    if (!submitted.ok) throw new Error('submit failed')
    expect(decisionForm.safeParse({ intent: 'reject' }).success).toBe(false)
    // The database refuses a decision by the requester even if a caller tried.
    await expect(
      db
        .update(requisitions)
        .set({ decidedBy: other, status: 'approved' })
        .where(eq(requisitions.id, submitted.requisitionId)),
    ).rejects.toThrow()
    const rejected = await decideRequisition(
      db,
      {
        actor: { orgId: gulou, userId: self, role: 'unit_approver' },
        requisitionId: submitted.requisitionId,
        form: decisionForm.parse({ intent: 'reject', comment: '预算不足' }),
      },
      clock,
      testBankTransfer,
    )
    expect(rejected).toMatchObject({ ok: true, status: 'rejected' })
    const events = await db
      .select({ action: requisitionEvents.action, comment: requisitionEvents.comment })
      .from(requisitionEvents)
      .where(eq(requisitionEvents.requisitionId, submitted.requisitionId))
    expect(events).toContainEqual({ action: 'rejected', comment: '预算不足' })
  })

  // On PostgreSQL the two decisions really race on two connections; PGlite has one connection and runs them one
  // after the other — the second must still find the first decided.
  it('two approvers deciding at once: exactly one decision, a conflict for the other', async () => {
    const second = await makeUser(db, '第二审批人')
    await db.insert(memberships).values({ userId: second, orgId: gulou, role: 'unit_approver' })
    await setLimit(buyer, 0n)
    for (let round = 0; round < 5; round++) {
      const submitted = await submit('PRD005 1')
      if (!submitted.ok) throw new Error('submit failed')
      const results = await Promise.all([
        decideRequisition(
          db,
          {
            actor: approverActor,
            requisitionId: submitted.requisitionId,
            form: decisionForm.parse({ intent: 'approve' }),
          },
          clock,
          testBankTransfer,
        ),
        decideRequisition(
          db,
          {
            actor: { orgId: gulou, userId: second, role: 'unit_approver' },
            requisitionId: submitted.requisitionId,
            form: decisionForm.parse({ intent: 'reject', comment: '重复采购' }),
          },
          clock,
          testBankTransfer,
        ),
      ])
      expect(results.filter((r) => r.ok).length).toBe(1)
      expect(results.filter((r) => !r.ok && r.reason === 'conflict').length).toBe(1)
      const decisions = await db
        .select({ n: countAll })
        .from(requisitionEvents)
        .where(
          and(
            eq(requisitionEvents.requisitionId, submitted.requisitionId),
            sql`${requisitionEvents.action} in ('approved', 'rejected')`,
          ),
        )
      expect(decisions[0]!.n).toBe(1)
      const placed = await db
        .select({ n: countAll })
        .from(requisitions)
        .where(and(eq(requisitions.id, submitted.requisitionId), sql`${requisitions.orderId} is not null`))
      expect(placed[0]!.n).toBe(results[0]!.ok ? 1 : 0)
    }
  })

  it('a buyer sees only their own requisitions; an approver and the unit admin see all of the unit', async () => {
    const own = await listRequisitions(db, { actor: buyerActor, status: 'all', page: 1 })
    const all = await listRequisitions(db, { actor: adminActor, status: 'all', page: 1 })
    expect(own.total).toBeGreaterThan(0)
    expect(all.total).toBeGreaterThan(own.total)
    const pending = await listRequisitions(db, { actor: approverActor, status: 'pending_approval', page: 1 })
    expect(pending.items.every((r) => r.status === 'pending_approval')).toBe(true)
  })

  it('the unit admin sets spending limits (audited); others cannot', async () => {
    const form = spendingLimitForm.parse({ userId: buyer, limit: '5,000.50' })
    expect(await setSpendingLimit(db, { actor: buyerActor, form }, clock)).toEqual({
      ok: false,
      reason: 'forbidden',
    })
    expect(await setSpendingLimit(db, { actor: adminActor, form }, clock)).toMatchObject({ ok: true })
    const [m] = await db
      .select({ limit: memberships.spendingLimitFen })
      .from(memberships)
      .where(and(eq(memberships.userId, buyer), eq(memberships.orgId, gulou)))
    expect(m!.limit).toBe(500_050n)
    const audited = await db
      .select({ n: countAll })
      .from(auditEvents)
      .where(eq(auditEvents.action, 'membership.spending_limit_set'))
    expect(audited[0]!.n).toBe(1)
  })
})

async function stockOf(sku: string): Promise<number> {
  const [row] = await queryRows<{ stock: number }>(
    db,
    sql`select stock from products where id = ${seededProductId(sku)}`,
  )
  return Number(row!.stock)
}

describe(`the reserved-share plan (${testDbKind()})`, () => {
  it('counts purchases recorded elsewhere by month, staff purchases apart, evidence readable only by the unit', async () => {
    const unit = await makeOrganization(db, { regionCode: '350102', kind: 'trade_union', role: 'unit_admin' })
    const actor: UnitActor = { orgId: unit.orgId, userId: unit.userId, role: 'unit_admin' }
    const store = localFileStore(fs.mkdtempSync(path.join(os.tmpdir(), 'proc-evidence-')))
    const stored = await storeEvidenceFile(
      db,
      { upload: { filename: '发票.png', bytes: await pngImage() }, actorUserId: unit.userId, store },
      clock,
    )
    if (!stored.ok) throw new Error('evidence refused')
    const purchase = (kind: string, purchasedOn: string, amount: string) =>
      externalPurchaseForm.parse({ kind, purchasedOn, channel: '832平台', description: '食堂大米', amount })
    await recordExternalPurchase(
      db,
      { actor, form: purchase('unit', '2026-03-15', '1,234.56'), evidenceFile: stored.key },
      clock,
    )
    await recordExternalPurchase(
      db,
      { actor, form: purchase('staff', '2026-03-20', '500'), evidenceFile: stored.key },
      clock,
    )
    const view = await getPlanView(db, { orgId: unit.orgId, year: 2026 })
    expect(view.months[2]).toMatchObject({ month: 3, externalFen: 123_456n, staffFen: 50_000n })
    expect(view.externalFen).toBe(123_456n)
    expect(view.staffFen).toBe(50_000n)
    expect(view.doneFen).toBe(view.platformFen + 123_456n)
    expect(view.purchases.map((p) => p.recordedBy)).toEqual(['测试用户', '测试用户'])
    const opened = await openPurchaseEvidence(db, { actor, key: stored.key, store })
    expect(opened?.contentType).toBe('image/png')
    opened?.stream.destroy()
    expect(await openPurchaseEvidence(db, { actor: adminActor, key: stored.key, store })).toBeNull()
  })

  it('reserved amount is exact to the fen (rounded up) for any base and share', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 13n }),
        fc.integer({ min: 1000, max: 10_000 }),
        (base, bp) => {
          const reserved = reservedAmountFen(base, bp)
          // Independent: the exact rational base × bp / 10000, rounded up.
          const exact = base * BigInt(bp)
          expect(reserved * 10_000n >= exact).toBe(true)
          expect((reserved - 1n) * 10_000n < exact).toBe(true)
        },
      ),
      fcParams(),
    )
  })

  it('the share may only go up; the burn-down equals an independent SQL sum over the unit’s entries minus reversals', async () => {
    const unit = await makeOrganization(db, { regionCode: '350102', kind: 'gov_unit', role: 'unit_admin' })
    const actor: UnitActor = { orgId: unit.orgId, userId: unit.userId, role: 'unit_admin' }
    const form = (share: string) => planForm.parse({ year: '2026', base: '1,000,000', share, noCanteen: '' })
    expect(await savePlan(db, { actor, form: form('12.5') }, clock)).toEqual({ ok: true })
    expect(await savePlan(db, { actor, form: form('10') }, clock)).toEqual({
      ok: false,
      errors: { share: ['unit.plan.error.shareDown'] },
    })
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ qty: fc.integer({ min: 1, max: 5 }), refund: fc.boolean() }), {
          minLength: 1,
          maxLength: 3,
        }),
        async (buys) => {
          for (const b of buys) {
            const placed = await placeOrder(
              db,
              {
                buyerUserId: unit.userId,
                buyerOrgId: unit.orgId,
                lines: [{ productId: seededProductId('PRD006'), qty: b.qty }],
                delivery,
              },
              clock,
              testBankTransfer,
            )
            if (!placed.ok) throw new Error('placeOrder failed')
            await shipAndAcceptInFull(db, placed.orderId, actor, clock)
            const [payment] = await db.select().from(payments).where(eq(payments.orderId, placed.orderId))
            const confirmed = await confirmBankTransfer(
              db,
              { paymentId: payment!.id, receivedFen: payment!.amountFen, financeUserId: demoFinance },
              clock,
            )
            expect(confirmed.ok).toBe(true)
            if (b.refund) {
              const lines = await db.select().from(orderLines).where(eq(orderLines.orderId, placed.orderId))
              const refunded = await refundPayment(
                db,
                {
                  paymentId: payment!.id,
                  financeUserId: demoFinance,
                  // Half of the line back: a partial reversal.
                  lines: lines.map((l) => ({ orderLineId: l.id, amountFen: l.amountFen / 2n })),
                },
                clock,
              )
              expect(refunded.ok).toBe(true)
            }
          }
          const view = await getPlanView(db, { orgId: unit.orgId, year: 2026 })
          const [independent] = await queryRows<{ total: string | null }>(
            db,
            sql`select sum(amount_fen)::text as total from aid_entries
                where buyer_org_id = ${unit.orgId} and day >= '2026-01-01' and day < '2027-01-01'`,
          )
          expect(view.platformFen).toBe(BigInt(independent!.total ?? '0'))
          expect(view.plan?.reservedFen).toBe(12_500_000n)
          expect(view.months.at(-1)!.cumulativeFen).toBe(view.doneFen)
        },
      ),
      { ...fcParams(), numRuns: Math.min(fcParams().numRuns, 8) },
    )
  })
})
