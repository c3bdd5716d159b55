import ExcelJS from 'exceljs'
import { neutraliseCell } from './csv'

/**
 * An XLSX workbook of one sheet: a bold header row, text cells as text (neutralised like CSV: a cell that looks like
 * a formula is written with a leading '), numbers as numeric cells — money as yuan with two decimals — and a total
 * row under the money and count columns.
 */
export type XlsxColumn = { header: string; kind: 'text' | 'count' | 'fen'; width?: number }
export type XlsxCell = string | number | bigint | null

export async function toXlsx(sheet: {
  name: string
  /** A bold line above the header row (what the table is, for whom, for when). */
  title?: string
  columns: readonly XlsxColumn[]
  rows: readonly (readonly XlsxCell[])[]
  /** The total row's label (first column); the count and money columns are summed. */
  totalLabel?: string
}): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  const worksheet = workbook.addWorksheet(sheet.name.slice(0, 31))
  worksheet.columns = sheet.columns.map((c) => ({ width: c.width ?? 16 }))
  if (sheet.title !== undefined) worksheet.addRow([neutraliseCell(sheet.title)]).font = { bold: true }
  worksheet.addRow(sheet.columns.map((c) => c.header)).font = { bold: true }
  const value = (column: XlsxColumn, cell: XlsxCell): ExcelJS.CellValue => {
    if (cell === null) return null
    if (column.kind === 'text') return neutraliseCell(String(cell))
    if (column.kind === 'fen') return Number(BigInt(cell)) / 100
    return Number(cell)
  }
  for (const row of sheet.rows) worksheet.addRow(sheet.columns.map((c, i) => value(c, row[i] ?? null)))
  if (sheet.totalLabel !== undefined) {
    const totals = sheet.columns.map((c, i) => {
      if (i === 0) return sheet.totalLabel!
      if (c.kind === 'text') return null
      const sum = sheet.rows.reduce((acc, row) => acc + BigInt(row[i] ?? 0), 0n)
      return c.kind === 'fen' ? Number(sum) / 100 : Number(sum)
    })
    worksheet.addRow(totals).font = { bold: true }
  }
  sheet.columns.forEach((c, i) => {
    if (c.kind === 'fen') worksheet.getColumn(i + 1).numFmt = '#,##0.00'
  })
  return Buffer.from(await workbook.xlsx.writeBuffer())
}
