import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { readPastedLines, readTableRows } from '../../app/domains/procurement/bulk-lines'
import { burnDown, reservedAmountFen } from '../../app/domains/procurement/plan-math'
import { fcParams } from '../support/fast-check'

/** ASCII → full-width (ＡＢ１２, the ideographic space), as a Chinese input method types it. */
const fullWidth = (s: string) =>
  [...s]
    .map((c) =>
      c === ' ' ? '\u3000' : c > ' ' && c <= '~' ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c,
    )
    .join('')

describe('pasted order lines', () => {
  it('reads every line back, whatever the separator and width, with its line number', () => {
    const line = fc.record({
      sku: fc.stringMatching(/^[A-Z]{2,4}[0-9]{2,4}$/),
      qty: fc.integer({ min: 1, max: 99_999 }),
      sep: fc.constantFrom('\t', ',', ' ', '  ', ', ', ';'),
      wide: fc.boolean(),
      blankAfter: fc.boolean(),
    })
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 30 }), (lines) => {
        const text: string[] = []
        const expected: Array<[number, string, number]> = []
        for (const l of lines) {
          const raw = `${l.sku}${l.sep}${l.qty}`
          text.push(l.wide ? fullWidth(raw) : raw)
          expected.push([text.length, l.sku, l.qty])
          if (l.blankAfter) text.push('')
        }
        const read = readPastedLines(text.join('\r\n'))
        expect(read.ok).toBe(true)
        if (!read.ok) return
        expect(read.problems).toEqual([])
        expect(read.rows.map((r) => [r.line, r.sku, Number(r.qty)])).toEqual(expected)
      }),
      fcParams(),
    )
  })

  it('flags a line with a third column or a quantity that is no whole number, and keeps the rest', () => {
    const read = readPastedLines('PRD001 2 extra\nPRD002 1.5\nPRD003 -1\nPRD004 3')
    expect(read).toMatchObject({
      ok: true,
      rows: [{ line: 4, sku: 'PRD004', qty: '3' }],
      problems: [
        { line: 1, problem: 'columns' },
        { line: 2, problem: 'bad_quantity' },
        { line: 3, problem: 'bad_quantity' },
      ],
    })
  })

  it('takes a header in any column order, refuses one without a quantity column, and nothing at all', () => {
    expect(
      readTableRows([
        { line: 1, cells: ['数量', '备注', '商品编码'] },
        { line: 2, cells: ['5', '早餐', 'PRD001'] },
      ]),
    ).toMatchObject({ ok: true, rows: [{ line: 2, sku: 'PRD001', qty: '5' }] })
    expect(readTableRows([{ line: 1, cells: ['商品编码', '单价'] }])).toEqual({ ok: false, error: 'header' })
    expect(readPastedLines('\n \n')).toEqual({ ok: false, error: 'empty' })
  })
})

describe('the reserved-share burn-down', () => {
  it('accumulates to the year’s total and never shows a negative remainder', () => {
    const month = fc.bigInt({ min: 0n, max: 10n ** 9n })
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 11n }),
        fc.integer({ min: 1000, max: 10_000 }),
        fc.array(fc.tuple(month, month, month), { minLength: 12, maxLength: 12 }),
        (base, bp, figures) => {
          const reserved = reservedAmountFen(base, bp)
          const rows = burnDown(
            reserved,
            figures.map(([platformFen, externalFen, staffFen], i) => ({
              month: i + 1,
              platformFen,
              externalFen,
              staffFen,
            })),
          )
          const total = figures.reduce((sum, [p, e]) => sum + p + e, 0n)
          expect(rows.at(-1)!.cumulativeFen).toBe(total)
          for (const row of rows) {
            expect(row.remainingFen >= 0n).toBe(true)
            expect(row.remainingFen).toBe(reserved > row.cumulativeFen ? reserved - row.cumulativeFen : 0n)
          }
        },
      ),
      fcParams(),
    )
  })
})
