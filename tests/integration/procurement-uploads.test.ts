import http from 'node:http'
import { deflateRawSync } from 'node:zlib'
import { eq } from 'drizzle-orm'
import ExcelJS from 'exceljs'
import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import { createSession } from '../../app/domains/accounts/sessions.server'
import { readBulkFile } from '../../app/domains/procurement/bulk-files.server'
import { systemClock } from '../../app/utils/clock'
import { countAll } from '../../db/client.server'
import { memberships } from '../../db/schema/memberships'
import { orders } from '../../db/schema/orders'
import { requisitionLines, requisitions } from '../../db/schema/procurement'
import { seedUuid } from '../../db/seed/synthetic'
import { startTestApp } from '../support/app-server'
import { makeUser } from '../support/coop'
import { openTestDatabase, testDbKind } from '../support/db'
import { sessionCookieFor } from '../support/session-cookie'
import { makeBuyable } from '../support/shopping'

const MB = 1024 * 1024
const gulou = seedUuid('org:gulou-unit')
const buyer = seedUuid('user:buyer@gulou.demo.example')

/** A ZIP of one deflated entry (a real archive, CRC and all), e.g. a workbook part that inflates to `data`. */
function zipOf(name: string, data: Buffer): Buffer {
  const nameBytes = Buffer.from(name)
  const compressed = deflateRawSync(data)
  const crc = crc32(data)
  const local = Buffer.alloc(30)
  local.writeUInt32LE(0x04034b50, 0)
  local.writeUInt16LE(20, 4)
  local.writeUInt16LE(8, 8)
  local.writeUInt32LE(crc, 14)
  local.writeUInt32LE(compressed.length, 18)
  local.writeUInt32LE(data.length, 22)
  local.writeUInt16LE(nameBytes.length, 26)
  const central = Buffer.alloc(46)
  central.writeUInt32LE(0x02014b50, 0)
  central.writeUInt16LE(20, 4)
  central.writeUInt16LE(20, 6)
  central.writeUInt16LE(8, 10)
  central.writeUInt32LE(crc, 16)
  central.writeUInt32LE(compressed.length, 20)
  central.writeUInt32LE(data.length, 24)
  central.writeUInt16LE(nameBytes.length, 28)
  const localSize = local.length + nameBytes.length + compressed.length
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(1, 8)
  end.writeUInt16LE(1, 10)
  end.writeUInt32LE(central.length + nameBytes.length, 12)
  end.writeUInt32LE(localSize, 16)
  return Buffer.concat([local, nameBytes, compressed, central, nameBytes, end])
}

function crc32(data: Buffer): number {
  let crc = 0xffffffff
  for (const byte of data) {
    crc ^= byte
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1
  }
  return (crc ^ 0xffffffff) >>> 0
}

async function workbook(rows: ExcelJS.CellValue[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook()
  const sheet = book.addWorksheet('请购')
  for (const row of rows) sheet.addRow(row)
  return Buffer.from(await book.xlsx.writeBuffer())
}

describe(`requisition uploads over HTTP (${testDbKind()})`, async () => {
  const handle = await openTestDatabase('seeded')
  const db = handle.db
  const { origin } = await startTestApp(handle)
  await makeBuyable(db, ['PRD001', 'PRD002'])
  await db.update(memberships).set({ spendingLimitFen: 0n }).where(eq(memberships.userId, buyer))
  const { token } = await createSession(db, { userId: buyer, activeOrgId: gulou }, systemClock, {
    idleMinutes: 60,
    absoluteHours: 1,
  })
  const cookie = await sessionCookieFor(token)
  const url = `${origin}/unit/requisitions/new`

  async function post(fields: Record<string, string>, file?: { name: string; bytes: Buffer }) {
    const body = new FormData()
    for (const [k, v] of Object.entries(fields)) body.set(k, v)
    if (file) body.set('file', new Blob([new Uint8Array(file.bytes)]), file.name)
    const response = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      headers: { Cookie: cookie, Origin: origin, 'Sec-Fetch-Site': 'same-origin' },
      body,
    })
    return {
      status: response.status,
      text: await response.text(),
      location: response.headers.get('location'),
    }
  }

  async function written() {
    const [r] = await db.select({ n: countAll }).from(requisitions)
    const [l] = await db.select({ n: countAll }).from(requisitionLines)
    const [o] = await db.select({ n: countAll }).from(orders)
    return [r!.n, l!.n, o!.n]
  }

  const submit = {
    intent: 'submit',
    recipient: '王五',
    phone: '13800138000',
    address: '鼓楼区演示路 8 号',
  }

  it('previews a CSV in UTF-8 with BOM and in GB18030, its lines put back in the box', async () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('商品编码,数量\r\nPRD001,3\r\n')])
    const utf8 = await post({ intent: 'preview' }, { name: 'order.csv', bytes: bom })
    expect(utf8.status).toBe(200)
    expect(utf8.text).toContain('全部可以下单')
    const gb = await post(
      { intent: 'preview' },
      { name: '请购.csv', bytes: iconv.encode('商品编码,数量\nPRD002,4\n', 'gb18030') },
    )
    expect(gb.status).toBe(200)
    expect(gb.text).toContain('PRD002 4')
  })

  it('refuses bad files with a clear message and writes nothing', async () => {
    const before = await written()
    const cases: Array<{ label: string; bytes: Buffer; name: string; message: string }> = [
      {
        label: 'wrong columns',
        name: 'wrong.csv',
        bytes: Buffer.from('名称,单价\n苹果,3\n'),
        message: '表头不对',
      },
      {
        label: 'wrong encoding',
        name: 'big5.csv',
        bytes: Buffer.from([0x50, 0x52, 0x44, 0x2c, 0xff, 0xfe, 0xfd, 0x0a, 0x81]),
        message: '文件编码无法识别',
      },
      {
        label: 'a zip bomb disguised as XLSX',
        name: 'order.xlsx',
        bytes: zipOf('xl/workbook.xml', Buffer.alloc(40 * MB, 0x20)),
        message: '解压后过大',
      },
      {
        label: 'not a workbook at all',
        name: 'order.xlsx',
        bytes: zipOf('hello.txt', Buffer.from('hi')),
        message: '不是有效的 XLSX',
      },
    ]
    for (const c of cases) {
      const answer = await post({ ...submit }, { name: c.name, bytes: c.bytes })
      expect(answer.status, c.label).toBe(400)
      expect(answer.text, c.label).toContain(c.message)
    }
    expect(await written()).toEqual(before)
  })

  it('reads formulas as their cached values, never evaluating them', async () => {
    const bytes = await workbook([
      ['商品编码', '数量'],
      ['PRD001', { formula: '2*3', result: 6 }],
      ['PRD002', { formula: 'SUM(1,1)', result: 2 }],
    ])
    const read = await readBulkFile(bytes)
    expect(read).toMatchObject({
      ok: true,
      rows: [
        { sku: 'PRD001', qty: '6' },
        { sku: 'PRD002', qty: '2' },
      ],
    })
    const answer = await post({ intent: 'preview' }, { name: '请购.xlsx', bytes })
    expect(answer.status).toBe(200)
    expect(answer.text).toContain('PRD001 6')
  })

  it('answers a 50 MB file streamed without a Content-Length with 413, reading little of it, writing nothing', async () => {
    const before = await written()
    const answer = await postHuge(url, cookie, origin, 50 * MB)
    expect(answer.status).toBe(413)
    expect(answer.sent).toBeLessThan(30 * MB)
    expect(await written()).toEqual(before)
  })

  it('tells the second of two approvers who decided first (409), and a rejection without a reason is refused at the field', async () => {
    const good = await post({ ...submit, lines: 'PRD002 1' })
    expect(good.status).toBe(302)
    const path = new URL(good.location!, origin).pathname
    const second = await makeUser(db, '第二审批人')
    await db.insert(memberships).values({ userId: second, orgId: gulou, role: 'unit_approver' })
    const decide = async (userId: string, form: Record<string, string>) => {
      const session = await createSession(db, { userId, activeOrgId: gulou }, systemClock, {
        idleMinutes: 60,
        absoluteHours: 1,
      })
      const response = await fetch(`${origin}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          Cookie: await sessionCookieFor(session.token),
          Origin: origin,
          'Sec-Fetch-Site': 'same-origin',
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams(form),
      })
      return { status: response.status, text: await response.text() }
    }
    // A rejection needs its reason, said next to the field.
    const noReason = await decide(second, { intent: 'reject', comment: '' })
    expect(noReason.status).toBe(400)
    expect(noReason.text).toContain('驳回时请填写理由')
    const first = await decide(seedUuid('user:approver@gulou.demo.example'), {
      intent: 'reject',
      comment: '预算不足',
    })
    expect(first.status).toBe(200)
    expect(first.text).toContain('已驳回')
    const late = await decide(second, { intent: 'approve', comment: '' })
    expect(late.status).toBe(409)
    expect(late.text).toContain('该请购单已由演示审批人处理（已驳回），您的审批未生效。')
  })

  it('submits no requisition while a line is flagged; a clean one is saved and waits for approval', async () => {
    const before = await written()
    const bad = await post({ ...submit, lines: 'PRD001 2\nNOPE 1' })
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('没有这个商品编码')
    expect(await written()).toEqual(before)
    const good = await post({ ...submit, lines: 'PRD001 2' })
    expect(good.status).toBe(302)
    expect(good.location).toMatch(/\/unit\/requisitions\/[0-9a-f-]{36}\?submitted=pending_approval/)
  })
})

/** POSTs one file of `size` bytes as multipart, produced on the fly, without a Content-Length. */
function postHuge(
  url: string,
  cookie: string,
  origin: string,
  size: number,
): Promise<{ status: number; sent: number }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url)
    const boundary = '----bulk'
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="intent"\r\n\r\npreview\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.csv"\r\n` +
        'Content-Type: text/csv\r\n\r\n',
    )
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`)
    const request = http.request(target, {
      method: 'POST',
      headers: {
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
        Origin: origin,
        'Sec-Fetch-Site': 'same-origin',
        Cookie: cookie,
      },
    })
    const chunk = Buffer.alloc(64 * 1024, 0x41)
    let sent = 0
    let answered = false
    request.on('response', (response) => {
      answered = true
      response.resume()
      response.on('end', () => {
        request.destroy()
        resolve({ status: response.statusCode ?? 0, sent })
      })
      response.on('error', reject)
    })
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
