import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { neutraliseCell, toCsv, toXlsx } from '~/services/exports/index.server'

describe('exports', () => {
  it('writes CSV as UTF-8 with a BOM and neutralises formula-looking cells', () => {
    const csv = toCsv([
      ['名称', '金额'],
      ['=HYPERLINK("http://x")', { decimal: '-12.50' }],
      ['+1', 3n],
      ['-2', 4],
      ['@SUM(A1)', null],
      ['\tx', '\rY'],
      ['带,逗号', 'a "quote"'],
    ])
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    expect(csv.toString('utf8').slice(1).split('\r\n')).toEqual([
      '名称,金额',
      `"'=HYPERLINK(""http://x"")",-12.50`,
      "'+1,3",
      "'-2,4",
      "'@SUM(A1),",
      `'\tx,"'\rY"`,
      '"带,逗号","a ""quote"""',
      '',
    ])
    expect(neutraliseCell('正常')).toBe('正常')
    expect(() => toCsv([[{ decimal: '=1+1' }]])).toThrow(RangeError)
  })

  it('writes XLSX with numeric cells (money in yuan) and a total row', async () => {
    const body = await toXlsx({
      name: '农户收益',
      columns: [
        { header: '农户', kind: 'text' },
        { header: '笔数', kind: 'count' },
        { header: '收益（元）', kind: 'fen' },
      ],
      rows: [
        ['=HH-1', 2, '1234'],
        ['HH-2', 1, 5n],
      ],
      totalLabel: '合计',
    })
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(body as unknown as ArrayBuffer)
    const sheet = workbook.worksheets[0]!
    expect(sheet.name).toBe('农户收益')
    expect(sheet.getRow(2).values).toEqual([undefined, "'=HH-1", 2, 12.34])
    expect(sheet.getRow(3).values).toEqual([undefined, 'HH-2', 1, 0.05])
    expect(sheet.getRow(4).values).toEqual([undefined, '合计', 3, 12.39])
    expect(typeof sheet.getRow(4).getCell(3).value).toBe('number')
  })
})
