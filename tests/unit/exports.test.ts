import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { fenToYuanPlain } from '../../app/utils/money'
import { fcParams } from '../support/fast-check'
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

describe('export writers (office dashboard, issue 19)', () => {
  it('writes CSV as UTF-8 with a BOM, CRLF rows, quoted cells and formulas neutralised', () => {
    const csv = toCsv([
      ['名称', '金额'],
      ['=HYPERLINK("http://evil.example")', '12.50'],
      ['+1', '-0.05', { decimal: '-0.05' }],
      ['a,b', 3n],
    ]).toString('utf8')
    expect(csv.startsWith('\uFEFF名称,金额\r\n')).toBe(true)
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"")",12.50\r\n`)
    // Text that looks like a number with a sign is neutralised; an amount (a decimal) keeps its sign.
    expect(csv).toContain("'+1,'-0.05,-0.05\r\n")
    expect(csv).toContain('"a,b",3\r\n')
  })

  it('writes yuan exactly from fen', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), (fen) => {
        const text = fenToYuanPlain(fen)
        expect(text).toMatch(/^-?\d+\.\d{2}$/)
        const [whole, cents] = text.replace('-', '').split('.')
        const back = BigInt(whole!) * 100n + BigInt(cents!)
        expect(text.startsWith('-') ? -back : back).toBe(fen)
      }),
      fcParams(),
    )
  })

  it('writes XLSX with numeric amounts and a total row equal to the rows’ sum', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { maxLength: 20 }),
        async (amounts) => {
          const bytes = await toXlsx({
            name: 't',
            columns: [
              { header: '名称', kind: 'text' },
              { header: '金额', kind: 'fen' },
            ],
            rows: amounts.map((a, i) => [`=row${i}`, a]),
            totalLabel: '合计',
          })
          const workbook = new ExcelJS.Workbook()
          await workbook.xlsx.load(bytes as unknown as ArrayBuffer)
          const sheet = workbook.worksheets[0]!
          const total = sheet.getRow(sheet.rowCount)
          expect(total.getCell(1).value).toBe('合计')
          const value = total.getCell(2).value as number
          expect(typeof value).toBe('number')
          expect(BigInt(Math.round(value * 100))).toBe(amounts.reduce((s, a) => s + a, 0n))
          // A name that looks like a formula stays text, neutralised as in CSV.
          if (amounts.length > 0) expect(sheet.getRow(2).getCell(1).value).toBe("'=row0")
        },
      ),
      { ...fcParams(), numRuns: Math.min(fcParams().numRuns, 25) },
    )
  })
})
