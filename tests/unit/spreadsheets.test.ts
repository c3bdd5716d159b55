import { deflateRawSync } from 'node:zlib'
import ExcelJS from 'exceljs'
import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import { checkZip, decodeText, parseCsv, readXlsx } from '~/services/spreadsheets/index.server'

/** A minimal zip writer: enough to build archives Excel never would (bombs, odd methods). */
function zip(entries: { name: string; data: Buffer; method?: 0 | 8 }[]): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const entry of entries) {
    const method = entry.method ?? 8
    const body = method === 8 ? deflateRawSync(entry.data) : entry.data
    const name = Buffer.from(entry.name)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(method, 8)
    local.writeUInt32LE(body.length, 18)
    local.writeUInt32LE(entry.data.length, 22)
    local.writeUInt16LE(name.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(method, 10)
    central.writeUInt32LE(body.length, 20)
    // Bombs lie about their size: claim a small one.
    central.writeUInt32LE(Math.min(entry.data.length, 1000), 24)
    central.writeUInt16LE(name.length, 28)
    central.writeUInt32LE(offset, 42)
    locals.push(local, name, body)
    centrals.push(central, name)
    offset += 30 + name.length + body.length
  }
  const directory = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, directory, end])
}

describe('decodeText', () => {
  const sample = 'SKU,数量\nMX-001,１２\n'

  it('reads UTF-8, UTF-8 with a BOM, UTF-16 and GB18030 as the same text', () => {
    const utf8 = Buffer.from(sample)
    expect(decodeText(utf8)).toEqual({ ok: true, text: sample, encoding: 'utf-8' })
    expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]))).toEqual({
      ok: true,
      text: sample,
      encoding: 'utf-8-bom',
    })
    expect(
      decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(sample, 'utf16le')])),
    ).toMatchObject({
      ok: true,
      text: sample,
    })
    const gb = iconv.encode(sample, 'gb18030')
    expect(gb.equals(utf8)).toBe(false)
    expect(decodeText(gb)).toEqual({ ok: true, text: sample, encoding: 'gb18030' })
  })

  it('refuses bytes that are no text in any of those encodings, and binary files', () => {
    expect(decodeText(Buffer.from([0x81, 0x20, 0xff, 0xff]))).toEqual({ ok: false, error: 'encoding' })
    expect(decodeText(Buffer.from('a,b\u0000c'))).toEqual({ ok: false, error: 'binary' })
  })
})

describe('parseCsv', () => {
  it('numbers rows by the line they start on, across blank lines and quoted line breaks', () => {
    const text = 'sku,qty\r\n\r\nA,1\r\n"B\nsecond line",2\r\nC,3\r\n'
    const result = parseCsv(text, { maxRows: 10 })
    expect(result).toEqual({
      ok: true,
      rows: [
        { line: 1, cells: ['sku', 'qty'] },
        { line: 3, cells: ['A', '1'] },
        { line: 4, cells: ['B\nsecond line', '2'] },
        { line: 6, cells: ['C', '3'] },
      ],
    })
  })

  it('guesses tabs and semicolons and trims cells', () => {
    expect(parseCsv('a\t b \nc\td', { maxRows: 5 })).toMatchObject({
      rows: [{ cells: ['a', 'b'] }, { line: 2 }],
    })
    expect(parseCsv('a;b\nc;d', { maxRows: 5 })).toMatchObject({
      rows: [{ cells: ['a', 'b'] }, { cells: ['c', 'd'] }],
    })
  })

  it('stops at the row limit', () => {
    const text = Array.from({ length: 50 }, (_, i) => `S${i},1`).join('\n')
    expect(parseCsv(text, { maxRows: 49 })).toEqual({ ok: false, error: 'too_many_rows' })
    expect(parseCsv(text, { maxRows: 50 })).toMatchObject({ ok: true })
  })

  it('refuses an unclosed quote', () => {
    expect(parseCsv('a,"b\nc,d', { maxRows: 5 })).toEqual({ ok: false, error: 'malformed' })
  })
})

describe('checkZip and readXlsx', () => {
  async function workbook(fill: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
    const book = new ExcelJS.Workbook()
    fill(book.addWorksheet('订单'))
    return Buffer.from(await book.xlsx.writeBuffer())
  }

  it('reads the first sheet, formulas as their cached values, never evaluated', async () => {
    const bytes = await workbook((sheet) => {
      sheet.addRow(['SKU', '数量'])
      sheet.addRow(['MX-001', 12])
      sheet.addRow(['MX-002', { formula: '1+1', result: 7 }])
      sheet.addRow(['MX-003', { formula: 'WEBSERVICE("http://example.com")' }])
      sheet.addRow([])
      sheet.addRow([{ richText: [{ text: 'MX-' }, { text: '004' }] }, new Date(Date.UTC(2026, 11, 6))])
    })
    const result = await readXlsx(bytes, { maxRows: 100 })
    expect(result).toEqual({
      ok: true,
      rows: [
        { line: 1, cells: ['SKU', '数量'] },
        { line: 2, cells: ['MX-001', '12'] },
        { line: 3, cells: ['MX-002', '7'] },
        { line: 4, cells: ['MX-003', ''] },
        { line: 6, cells: ['MX-004', '2026-12-06'] },
      ],
    })
  })

  it('limits rows', async () => {
    const bytes = await workbook((sheet) => {
      for (let i = 0; i < 30; i++) sheet.addRow([`S${i}`, 1])
    })
    expect(await readXlsx(bytes, { maxRows: 29 })).toEqual({ ok: false, error: 'too_many_rows' })
  })

  it('refuses a zip bomb dressed as a workbook before anything inflates it fully', async () => {
    const bomb = zip([
      { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
      { name: 'xl/workbook.xml', data: Buffer.alloc(200 * 1024 * 1024) },
    ])
    expect(bomb.length).toBeLessThan(400 * 1024)
    expect(checkZip(bomb, { maxInflatedBytes: 20 * 1024 * 1024, maxEntries: 10 })).toEqual({
      ok: false,
      error: 'too_large',
    })
    expect(await readXlsx(bomb, { maxRows: 10 })).toEqual({ ok: false, error: 'too_large' })
  })

  it('refuses what is not a workbook: text, a zip without a workbook, stored entries over budget, many parts', async () => {
    expect(await readXlsx(Buffer.from('SKU,数量\n'), { maxRows: 5 })).toEqual({
      ok: false,
      error: 'not_xlsx',
    })
    expect(await readXlsx(zip([{ name: 'a.txt', data: Buffer.from('hi') }]), { maxRows: 5 })).toEqual({
      ok: false,
      error: 'not_xlsx',
    })
    const stored = zip([{ name: 'xl/workbook.xml', data: Buffer.alloc(2048), method: 0 }])
    expect(checkZip(stored, { maxInflatedBytes: 1024, maxEntries: 5 })).toEqual({
      ok: false,
      error: 'too_large',
    })
    const many = zip(Array.from({ length: 6 }, (_, i) => ({ name: `p${i}`, data: Buffer.from('x') })))
    expect(checkZip(many, { maxInflatedBytes: 1024, maxEntries: 5 })).toEqual({
      ok: false,
      error: 'too_many_entries',
    })
    expect(checkZip(many, { maxInflatedBytes: 1024, maxEntries: 6 })).toMatchObject({
      ok: true,
      inflatedBytes: 6,
    })
  })
})
