import { shipAndAcceptInFull } from '../support/acceptance'
import { eq, inArray, sql } from 'drizzle-orm'
import ExcelJS from 'exceljs'
import iconv from 'iconv-lite'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  confirmStatementImport,
  getStatementImport,
  saveStatementMapping,
  uploadStatement,
} from '../../app/domains/payments/index.server'
import { bankTransferReference } from '../../app/domains/payments/methods.server'
import { type Clock, fixedClock } from '../../app/utils/clock'
import { fenToYuanPlain } from '../../app/utils/money'
import { type Db, type DbHandle, queryRows } from '../../db/client.server'
import { orders, payments } from '../../db/schema/orders'
import { bankStatementLines } from '../../db/schema/statements'
import { openTestDatabase, testDbKind } from '../support/db'
import { buy, demoFinance, makeBuyable } from '../support/shopping'
import { SEED_NOW } from '../support/test-clock'
import { createSession } from '../../app/domains/accounts/sessions.server'
import { systemClock } from '../../app/utils/clock'
import { seedUuid } from '../../db/seed/synthetic'
import { startTestApp } from '../support/app-server'
import { and } from 'drizzle-orm'
import { memberships } from '../../db/schema/memberships'
import { readPastedLines, requisitionForm } from '../../app/domains/procurement'
import { submitRequisition } from '../../app/domains/procurement/index.server'
import { testBankTransfer } from '../support/shopping'
import { sessionCookieFor } from '../support/session-cookie'

let handle: DbHandle | undefined
let db: Db
const clock: Clock = fixedClock(new Date(SEED_NOW.getTime() + 3_600_000))

beforeAll(async () => {
  // The HTTP suite below opens it while its tests are collected; then it is the same database.
  handle ??= await openTestDatabase('seeded')
  db = handle.db
  await makeBuyable(db, ['PRD001', 'PRD002'])
})

type Unpaid = { paymentId: string; reference: string; amountFen: bigint; orderId: string }

/** `n` consumer orders waiting for their bank transfer (the real cart and checkout). */
async function unpaidOrders(n: number): Promise<Unpaid[]> {
  const out: Unpaid[] = []
  for (let i = 0; i < n; i++) {
    const bought = await buy(db, { lines: [[i % 2 ? 'PRD001' : 'PRD002', 1 + (i % 3)]], confirmAt: null })
    const [row] = await db
      .select({ reference: payments.reference, number: orders.number })
      .from(payments)
      .innerJoin(orders, eq(orders.id, payments.orderId))
      .where(eq(payments.id, bought.paymentId))
    expect(row!.reference).toBe(bankTransferReference(row!.number))
    out.push({
      paymentId: bought.paymentId,
      reference: row!.reference,
      amountFen: bought.paidFen,
      orderId: bought.orderId,
    })
  }
  return out
}

const yuan = (fen: bigint) => fenToYuanPlain(fen)

/** A statement in the layout of a common Chinese bank export: a preamble, the header, lines, a totals row. */
function statementCsv(lines: string[][]): string {
  return [
    '账号,6222000000000000',
    '户名,消费帮扶集市平台（演示）',
    '交易日期,交易时间,借方发生额,贷方发生额,余额,对方户名,摘要,流水号',
    ...lines.map((l) => l.map((c) => (c.includes(',') ? `"${c}"` : c)).join(',')),
    '合计,,,,,,,',
  ].join('\r\n')
}

/** One credit line: [date, time, debit, credit, balance, payer, memo, txn id]. */
const credit = (day: string, fen: bigint, payer: string, memo: string, txn: string) => [
  day,
  '10:00:00',
  '',
  yuan(fen),
  '100000.00',
  payer,
  memo,
  txn,
]
const debit = (day: string, fen: bigint, txn: string) => [
  day,
  '11:00:00',
  yuan(fen),
  '',
  '90000.00',
  '演示供应商',
  '货款',
  txn,
]

async function paymentStatuses(ids: string[]): Promise<Map<string, string>> {
  const rows = await db
    .select({ id: payments.id, status: payments.status })
    .from(payments)
    .where(inArray(payments.id, ids))
  return new Map(rows.map((r) => [r.id, r.status]))
}

async function auditCount(action: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from audit_events where action = ${action}`,
  )
  return row!.n
}

async function importAndMap(bytes: Buffer, fileName: string) {
  const uploaded = await uploadStatement(db, { fileName, bytes, userId: demoFinance }, clock)
  if (!uploaded.ok) throw new Error(`upload: ${uploaded.error}`)
  if (uploaded.needsMapping) {
    const view = await getStatementImport(db, uploaded.importId)
    expect(view!.guess).toBeTruthy()
    const saved = await saveStatementMapping(
      db,
      { importId: uploaded.importId, mapping: view!.guess!, userId: demoFinance },
      clock,
    )
    expect(saved).toEqual({ ok: true })
  }
  return uploaded
}

describe(`bank statement import (${testDbKind()})`, () => {
  it(
    'sorts a 500-line statement and confirms exactly the matched lines once, also when imported twice',
    { timeout: 120_000 },
    async () => {
      const unpaid = await unpaidOrders(24)
      const matched = unpaid.slice(0, 12)
      const short = unpaid.slice(12, 15)
      const over = unpaid.slice(15, 18)
      const paidBefore = unpaid.slice(18, 20)
      const untouched = unpaid.slice(20)
      // Two were confirmed by hand on /admin/payments before the statement came.
      for (const p of paidBefore) {
        const { confirmBankTransfer } = await import('../../app/domains/payments/index.server')
        expect(
          (
            await confirmBankTransfer(
              db,
              { paymentId: p.paymentId, receivedFen: p.amountFen, financeUserId: demoFinance },
              clock,
            )
          ).ok,
        ).toBe(true)
      }
      const lines: string[][] = []
      let txn = 1
      const id = () => `T${String(txn++).padStart(8, '0')}`
      // Exact amounts, the reference written every way a payer writes it.
      const styles = [
        (r: string) => r,
        (r: string) => `货款 ${r.toLowerCase()}`,
        (r: string) => `订单${r.slice(0, 6)} ${r.slice(6)}号`,
        (r: string) => r.replace(/[A-Z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)),
      ]
      matched.forEach((p, i) =>
        lines.push(credit('2026-12-05', p.amountFen, `演示买家${i}`, styles[i % 4]!(p.reference), id())),
      )
      short.forEach((p) =>
        lines.push(credit('2026-12-05', p.amountFen - 100n, '演示买家S', p.reference, id())),
      )
      over.forEach((p) => lines.push(credit('2026-12-05', p.amountFen + 1n, '演示买家O', p.reference, id())))
      paidBefore.forEach((p) => lines.push(credit('2026-12-05', p.amountFen, '演示买家D', p.reference, id())))
      // A second transfer for an order this statement already pays.
      lines.push(credit('2026-12-05', matched[0]!.amountFen, '演示买家0', matched[0]!.reference, id()))
      // Unknown: no reference, a reference no payment has, a digit run too long to be one.
      let unknown = 0
      while (lines.length < 300) {
        const kind = unknown % 3
        const memo = kind === 0 ? '往来款' : kind === 1 ? 'BT20990101999999' : `${untouched[0]!.reference}7`
        lines.push(credit('2026-12-06', 12_345n + BigInt(unknown), '演示公司', memo, id()))
        unknown++
      }
      let debits = 0
      while (lines.length < 500) {
        lines.push(debit('2026-12-06', 50_000n + BigInt(debits), id()))
        debits++
      }
      const file = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(statementCsv(lines))])
      const first = await importAndMap(file, '202612流水.csv')
      expect(first.needsMapping).toBe(true)
      const view = (await getStatementImport(db, first.importId))!
      expect(view.rowCount).toBe(501) // 500 lines and the totals row
      const groups = view.preview!.groups
      const sum = (ps: Unpaid[], delta = 0n) => ps.reduce((s, p) => s + p.amountFen + delta, 0n)
      expect(groups.matched).toEqual({ count: 12, totalFen: sum(matched) })
      expect(groups.short).toEqual({ count: 3, totalFen: sum(short, -100n) })
      expect(groups.over).toEqual({ count: 3, totalFen: sum(over, 1n) })
      expect(groups.duplicate.count).toBe(3)
      expect(groups.unknown.count).toBe(unknown)
      expect(view.preview!.debits.count).toBe(debits)
      expect(view.preview!.ignored).toBe(1)

      const confirmedBefore = await auditCount('payment.confirmed')
      const result = await confirmStatementImport(
        db,
        { importId: first.importId, userId: demoFinance },
        clock,
      )
      expect(result).toEqual({ ok: true, confirmed: 12, skipped: 0, refused: 0 })
      expect(await auditCount('payment.confirmed')).toBe(confirmedBefore + 12)
      const statuses = await paymentStatuses(unpaid.map((p) => p.paymentId))
      for (const p of matched) expect(statuses.get(p.paymentId)).toBe('confirmed')
      for (const p of [...short, ...over, ...untouched]) expect(statuses.get(p.paymentId)).toBe('pending')
      const [paidOrder] = await db
        .select({ status: orders.status })
        .from(orders)
        .where(eq(orders.id, matched[3]!.orderId))
      expect(paidOrder!.status).toBe('paid')

      // The same action posted again, and the same file imported again (its layout now known): nothing twice.
      expect(
        await confirmStatementImport(db, { importId: first.importId, userId: demoFinance }, clock),
      ).toMatchObject({ confirmed: 0 })
      const again = await importAndMap(file, '202612流水（重新导出）.csv')
      expect(again.needsMapping).toBe(false)
      const second = (await getStatementImport(db, again.importId))!
      expect(second.preview!.groups.matched.count).toBe(0)
      expect(second.preview!.groups.duplicate.count).toBe(15)
      expect(second.preview!.lines.filter((l) => l.reason === 'already_imported')).toHaveLength(12)
      expect(
        await confirmStatementImport(db, { importId: again.importId, userId: demoFinance }, clock),
      ).toEqual({ ok: true, confirmed: 0, skipped: 0, refused: 0 })
      expect(await auditCount('payment.confirmed')).toBe(confirmedBefore + 12)
      const recorded = await db.select({ n: sql<number>`count(*)::int` }).from(bankStatementLines)
      expect(recorded[0]!.n).toBe(12)
    },
  )

  it(
    'confirms each line once when the confirm action is posted twice at the same time, and across overlapping statements',
    { timeout: 60_000 },
    async () => {
      const unpaid = await unpaidOrders(6)
      // No transaction id column: lines are keyed by date, amount, remark and payer.
      const header = '记账日期,收入金额,支出金额,对方户名,附言'
      const row = (p: Unpaid) => `2026-12-07,${yuan(p.amountFen)},,演示单位,${p.reference}`
      const firstHalf = [header, ...unpaid.slice(0, 4).map(row)].join('\n')
      const overlapping = [header, ...unpaid.slice(2).map(row)].join('\n')
      const a = await importAndMap(Buffer.from(firstHalf), 'a.csv')
      const b = await importAndMap(Buffer.from(overlapping), 'b.csv')
      const before = await auditCount('payment.confirmed')
      const results = await Promise.all([
        confirmStatementImport(db, { importId: a.importId, userId: demoFinance }, clock),
        confirmStatementImport(db, { importId: a.importId, userId: demoFinance }, clock),
        confirmStatementImport(db, { importId: b.importId, userId: demoFinance }, clock),
      ])
      const confirmed = results.reduce((s, r) => s + (r.ok ? r.confirmed : 0), 0)
      expect(confirmed).toBe(6)
      expect(await auditCount('payment.confirmed')).toBe(before + 6)
      const statuses = await paymentStatuses(unpaid.map((p) => p.paymentId))
      expect([...statuses.values()]).toEqual(Array(6).fill('confirmed'))
      const lines = await db
        .select()
        .from(bankStatementLines)
        .where(
          inArray(
            bankStatementLines.paymentId,
            unpaid.map((p) => p.paymentId),
          ),
        )
      expect(lines).toHaveLength(6)
    },
  )

  it(
    'reads a GB18030 CSV and an XLSX statement, and remembers each layout',
    { timeout: 60_000 },
    async () => {
      const unpaid = await unpaidOrders(2)
      const csv = [
        '交易日期,贷方金额,借方金额,对方账户名称,用途',
        `2026年12月8日,${yuan(unpaid[0]!.amountFen)},,演示买家,转账 ${unpaid[0]!.reference}`,
      ].join('\r\n')
      const gb = iconv.encode(csv, 'gb18030')
      const fromGb = await importAndMap(gb, 'gb.csv')
      const gbView = (await getStatementImport(db, fromGb.importId))!
      expect(gbView.encoding).toBe('gb18030')
      expect(gbView.preview!.groups.matched.count).toBe(1)

      const book = new ExcelJS.Workbook()
      const sheet = book.addWorksheet('明细')
      sheet.addRow(['流水号', '交易日期', '对方户名', '摘要', '借方发生额', '贷方发生额'])
      sheet.addRow([
        'X1',
        new Date(Date.UTC(2026, 11, 8)),
        '演示单位',
        `付款 ${unpaid[1]!.reference}`,
        null,
        Number(unpaid[1]!.amountFen) / 100,
      ])
      sheet.addRow(['X2', new Date(Date.UTC(2026, 11, 8)), '演示供应商', '货款', 300, null])
      const xlsx = Buffer.from(await book.xlsx.writeBuffer())
      const fromXlsx = await uploadStatement(
        db,
        { fileName: 'b.xlsx', bytes: xlsx, userId: demoFinance },
        clock,
      )
      expect(fromXlsx).toMatchObject({ ok: true, needsMapping: true })
      if (!fromXlsx.ok) return
      const mapView = (await getStatementImport(db, fromXlsx.importId))!
      expect(mapView.guess).toEqual({ txnId: 0, date: 1, payer: 2, reference: 3, debit: 4, credit: 5 })
      await saveStatementMapping(
        db,
        { importId: fromXlsx.importId, mapping: mapView.guess!, userId: demoFinance },
        clock,
      )
      const xView = (await getStatementImport(db, fromXlsx.importId))!
      expect(xView.preview!.groups.matched.count).toBe(1)
      expect(xView.preview!.debits.count).toBe(1)
      // The same layout again: no mapping step.
      expect(
        await uploadStatement(db, { fileName: 'c.xlsx', bytes: xlsx, userId: demoFinance }, clock),
      ).toMatchObject({ ok: true, needsMapping: false })
      expect(
        await confirmStatementImport(db, { importId: fromXlsx.importId, userId: demoFinance }, clock),
      ).toMatchObject({ confirmed: 1 })
    },
  )

  it('matches a unit order’s pending transfer the same way as a consumer’s', async () => {
    // A unit buyer within the spending limit orders at once: the order waits for its transfer (对公转账).
    const gulou = seedUuid('org:gulou-unit')
    const unitBuyer = seedUuid('user:buyer@gulou.demo.example')
    await db
      .update(memberships)
      .set({ spendingLimitFen: 100_000_000n })
      .where(and(eq(memberships.userId, unitBuyer), eq(memberships.orgId, gulou)))
    const read = readPastedLines('PRD001 2')
    if (!read.ok) throw new Error(read.error)
    const submitted = await submitRequisition(
      db,
      {
        actor: { orgId: gulou, userId: unitBuyer, role: 'unit_buyer' },
        rows: read.rows,
        form: requisitionForm.parse({
          intent: 'submit',
          recipient: '王五',
          phone: '13800138000',
          address: '鼓楼区演示路 8 号',
        }),
      },
      clock,
      testBankTransfer,
    )
    if (!submitted.ok || !submitted.orderId) throw new Error('the unit order was not placed')
    const [payment] = await db
      .select({ id: payments.id, reference: payments.reference, amountFen: payments.amountFen })
      .from(payments)
      .where(eq(payments.orderId, submitted.orderId))
    const csv = [
      '交易日期,贷方发生额,借方发生额,对方户名,摘要',
      `2026-12-10,${yuan(payment!.amountFen)},,鼓楼区演示预算单位（演示）,货款${payment!.reference}`,
    ].join('\r\n')
    // Before the unit has accepted the goods nothing is payable: the line waits, unmatched.
    const early = await importAndMap(Buffer.from(csv), 'unit.csv')
    const waiting = (await getStatementImport(db, early.importId))!
    expect(waiting.preview!.groups.matched.count).toBe(0)
    expect(waiting.preview!.lines.map((l) => l.reason)).toEqual(['awaiting_acceptance'])
    // Accepted in full: the same transfer, in the next statement, matches.
    await shipAndAcceptInFull(
      db,
      submitted.orderId,
      { orgId: gulou, userId: unitBuyer, role: 'unit_buyer' },
      clock,
    )
    const uploaded = await importAndMap(Buffer.from(`${csv}\r\n`), 'unit-2.csv')
    const view = (await getStatementImport(db, uploaded.importId))!
    expect(view.preview!.groups.matched.count).toBe(1)
    expect(
      await confirmStatementImport(db, { importId: uploaded.importId, userId: demoFinance }, clock),
    ).toMatchObject({ confirmed: 1 })
    expect((await paymentStatuses([payment!.id])).get(payment!.id)).toBe('confirmed')
  })

  it('refuses a mapping without the required columns or with a column used twice', async () => {
    const uploaded = await uploadStatement(
      db,
      {
        fileName: 'd.csv',
        bytes: Buffer.from('日期X,金额Y,备注Z,其他\n2026-12-01,1.00,x,y'),
        userId: demoFinance,
      },
      clock,
    )
    if (!uploaded.ok) throw new Error(uploaded.error)
    expect(
      await saveStatementMapping(
        db,
        { importId: uploaded.importId, mapping: { date: 0, credit: 1 }, userId: demoFinance },
        clock,
      ),
    ).toEqual({ ok: false, error: 'incomplete' })
    expect(
      await saveStatementMapping(
        db,
        { importId: uploaded.importId, mapping: { date: 0, credit: 1, reference: 1 }, userId: demoFinance },
        clock,
      ),
    ).toEqual({ ok: false, error: 'incomplete' })
  })
})

describe(`bank statement import over HTTP (${testDbKind()})`, async () => {
  const { origin } = await startTestApp(handle ?? (handle = await openTestDatabase('seeded')))
  db = handle.db
  await makeBuyable(db, ['PRD001', 'PRD002'])
  const { token } = await createSession(
    db,
    { userId: demoFinance, activeOrgId: seedUuid('org:platform') },
    systemClock,
    { idleMinutes: 60, absoluteHours: 1 },
  )
  const cookie = await sessionCookieFor(token)
  const own = { Cookie: cookie, Origin: origin, 'Sec-Fetch-Site': 'same-origin' }

  async function upload(bytes: Buffer, name = 'statement.csv') {
    const body = new FormData()
    body.set('file', new Blob([new Uint8Array(bytes)]), name)
    const response = await fetch(`${origin}/admin/payments/statements?index`, {
      method: 'POST',
      redirect: 'manual',
      headers: own,
      body,
    })
    return {
      status: response.status,
      text: await response.text(),
      location: response.headers.get('location'),
    }
  }

  async function post(path: string, form: Record<string, string>) {
    const response = await fetch(`${origin}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { ...own, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
    })
    return { status: response.status, text: await response.text() }
  }

  async function imports(): Promise<number> {
    const [row] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from bank_statement_imports`,
    )
    return row!.n
  }

  it(
    'answers bad files with 4xx and a clear message next to the file field, and writes nothing',
    { timeout: 60_000 },
    async () => {
      const before = await imports()
      const cases: Array<[string, Buffer, number, string]> = [
        ['empty', Buffer.alloc(0), 422, '文件是空的'],
        [
          'wrong encoding',
          Buffer.from([0x81, 0x30, 0xff, 0xfe, 0x00, 0x41, 0x81, 0x0a, 0xc0]),
          422,
          '无法识别文件编码',
        ],
        [
          'no credit column',
          Buffer.from('姓名,电话,地址\n王五,13800138000,演示路 1 号\n'),
          422,
          '没有贷方（收入）金额列',
        ],
        ['a zip that is no workbook', Buffer.from('PK\u0003\u0004garbage'), 422, '无法读取这个 XLSX 文件'],
        ['too big', Buffer.alloc(5 * 1024 * 1024 + 10, 0x41), 413, '文件过大'],
      ]
      for (const [label, bytes, status, message] of cases) {
        const answer = await upload(bytes)
        expect(answer.status, label).toBe(status)
        expect(answer.text, label).toContain(message)
        if (status !== 413) expect(answer.text, label).toContain('id="statement-file-error"')
      }
      // A file name with a NUL byte in it is refused before it is read.
      const named = await upload(
        Buffer.from('交易日期,贷方发生额,摘要\n2026-12-05,1.00,往来款\n'),
        'a\u0000b.csv',
      )
      expect(named.status).toBe(400)
      // Not multipart at all.
      expect((await post('/admin/payments/statements?index', { file: 'x' })).status).toBe(415)
      expect(await imports()).toBe(before)
    },
  )

  it(
    'uploads, maps, previews and confirms over HTTP; two confirm posts at once confirm each transfer once',
    { timeout: 60_000 },
    async () => {
      const unpaid = await unpaidOrders(3)
      const csv = [
        '入账日期,存入金额,支取金额,付款人,备注,交易参考号',
        ...unpaid.map((p, i) => `2026-12-09,${yuan(p.amountFen)},,演示买家,${p.reference},R${i}`),
        '2026-12-09,10.00,,某人,往来款,R9',
      ].join('\n')
      const uploaded = await upload(Buffer.from(csv))
      expect(uploaded.status).toBe(302)
      const path = uploaded.location!
      expect(path).toMatch(/^\/admin\/payments\/statements\/[0-9a-f-]{36}$/)
      const page = await fetch(`${origin}${path}`, { headers: own })
      const html = await page.text()
      expect(html).toContain('指定各列')
      // Choosing one column twice is answered next to the field.
      const twice = await post(path, { intent: 'map', date: '0', credit: '1', reference: '1' })
      expect(twice.status).toBe(400)
      expect(twice.text).toContain('同一列不能用于两项')
      expect(
        (
          await post(path, {
            intent: 'map',
            date: '0',
            credit: '1',
            debit: '2',
            payer: '3',
            reference: '4',
            txnId: '5',
          })
        ).status,
      ).toBe(200)
      const preview = await (await fetch(`${origin}${path}`, { headers: own })).text()
      expect(preview).toContain('确认全部 3 笔相符到账')
      const before = await auditCount('payment.confirmed')
      const [a, b] = await Promise.all([post(path, { intent: 'confirm' }), post(path, { intent: 'confirm' })])
      expect([a.status, b.status]).toEqual([200, 200])
      expect(await auditCount('payment.confirmed')).toBe(before + 3)
      const statuses = await paymentStatuses(unpaid.map((p) => p.paymentId))
      expect([...statuses.values()]).toEqual(['confirmed', 'confirmed', 'confirmed'])
      // The same statement again: remembered layout, straight to a preview with nothing to confirm.
      const again = await upload(Buffer.from(csv))
      const second = await (await fetch(`${origin}${again.location!}`, { headers: own })).text()
      expect(second).toContain('没有金额相符、待确认的到账')
      expect(second).toContain('这笔流水已导入并确认过')
    },
  )
})
