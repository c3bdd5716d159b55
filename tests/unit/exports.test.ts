import ExcelJS from 'exceljs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { toCsv, toXlsx } from '../../app/services/exports/index.server'
import { fenToYuanPlain } from '../../app/utils/money'
import { fcParams } from '../support/fast-check'

describe('export writers (office dashboard, issue 19)', () => {
  it('writes CSV as UTF-8 with a BOM, CRLF rows, quoted cells and formulas neutralised', () => {
    const csv = toCsv([
      ['名称', '金额'],
      ['=HYPERLINK("http://evil.example")', '12.50'],
      ['+1', '-0.05', { decimal: '-0.05' }],
      ['a,b', 3n],
    ])
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
            sheetName: 't',
            columns: [
              { header: '名称', kind: 'text' },
              { header: '金额', kind: 'yuan' },
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
          // A name that looks like a formula stays text.
          if (amounts.length > 0) expect(sheet.getRow(2).getCell(1).value).toBe('=row0')
        },
      ),
      { ...fcParams(), numRuns: Math.min(fcParams().numRuns, 25) },
    )
  })
})
