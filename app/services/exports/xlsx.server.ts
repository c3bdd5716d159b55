import ExcelJS from 'exceljs'
import { fenToYuanPlain } from '../../utils/money'

/**
 * One-sheet workbooks for exports: a header row, the rows, and a total row whose figures are numbers (never text,
 * never a formula: a reader that does not calculate still sees the total). Text cells starting like a formula are
 * stored as text anyway (exceljs writes strings as strings); amounts go in as numbers of yuan with two decimals'
 * format, so Excel can sum them.
 */
export type XlsxColumn = { header: string; width?: number; kind: 'text' | 'yuan' }

export async function toXlsx(input: {
  sheetName: string
  title?: string
  columns: readonly XlsxColumn[]
  rows: ReadonlyArray<ReadonlyArray<string | bigint>>
  totalLabel: string
}): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet(input.sheetName.slice(0, 31))
  sheet.columns = input.columns.map((c) => ({ width: c.width ?? (c.kind === 'yuan' ? 16 : 24) }))
  if (input.title) sheet.addRow([input.title]).font = { bold: true }
  sheet.addRow(input.columns.map((c) => c.header)).font = { bold: true }
  const totals = input.columns.map(() => 0n)
  const cellOf = (value: string | bigint, index: number) => {
    const column = input.columns[index]
    if (column?.kind === 'yuan') {
      const fen = typeof value === 'bigint' ? value : BigInt(value)
      totals[index] = (totals[index] ?? 0n) + fen
      return yuanNumber(fen)
    }
    return String(value)
  }
  for (const row of input.rows) sheet.addRow(row.map(cellOf))
  const totalRow = sheet.addRow(
    input.columns.map((c, i) =>
      i === 0 ? input.totalLabel : c.kind === 'yuan' ? yuanNumber(totals[i] ?? 0n) : '',
    ),
  )
  totalRow.font = { bold: true }
  input.columns.forEach((c, i) => {
    if (c.kind === 'yuan') sheet.getColumn(i + 1).numFmt = '#,##0.00'
  })
  const buffer = await workbook.xlsx.writeBuffer()
  return Buffer.from(buffer as ArrayBuffer)
}

/** Fen as a number of yuan (the nearest double to the exact decimal; exact to the fen below 2⁵³ fen). */
function yuanNumber(fen: bigint): number {
  return Number(fenToYuanPlain(fen))
}
