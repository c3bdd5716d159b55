import ExcelJS from 'exceljs'
import type { SheetRow, TableResult } from './csv'
import { checkZip } from './zip-guard'

export type XlsxResult =
  | TableResult
  | { ok: false; error: 'not_xlsx' | 'too_large' | 'unsupported' | 'too_many_entries' }

/** What an uploaded workbook may cost: 20 MB inflated and 200 parts is far beyond any order or roster we take. */
export const XLSX_LIMITS = { maxInflatedBytes: 20 * 1024 * 1024, maxEntries: 200 }

/**
 * Rows of the first worksheet. The archive is checked first (zip-guard.ts); exceljs then reads it. Formulas are
 * never evaluated — a formula cell reads as the value Excel cached when it saved the file (empty if none), which
 * is what the person saw on screen. Dates read as YYYY-MM-DD, rich text as its plain text.
 */
export async function readXlsx(bytes: Buffer, options: { maxRows: number }): Promise<XlsxResult> {
  const zip = checkZip(bytes, XLSX_LIMITS)
  if (!zip.ok) return { ok: false, error: zip.error === 'not_zip' ? 'not_xlsx' : zip.error }
  if (!zip.entries.includes('xl/workbook.xml')) return { ok: false, error: 'not_xlsx' }
  const workbook = new ExcelJS.Workbook()
  try {
    // exceljs's types predate Node's generic Buffer; the bytes are the same.
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer)
  } catch {
    return { ok: false, error: 'not_xlsx' }
  }
  const sheet = workbook.worksheets[0]
  if (!sheet) return { ok: true, rows: [] }
  const rows: SheetRow[] = []
  let tooMany = false
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (tooMany) return
    const cells: string[] = []
    for (let c = 1; c <= row.cellCount; c++) cells.push(cellText(row.getCell(c).value))
    if (cells.every((c) => c === '')) return
    if (rows.length >= options.maxRows) {
      tooMany = true
      return
    }
    rows.push({ line: rowNumber, cells })
  })
  return tooMany ? { ok: false, error: 'too_many_rows' } : { ok: true, rows }
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value.trim()
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  if (typeof value === 'object') {
    if ('formula' in value || 'sharedFormula' in value) {
      const result = (value as { result?: ExcelJS.CellValue }).result
      return result === undefined || (typeof result === 'object' && result !== null && 'error' in result)
        ? ''
        : cellText(result)
    }
    if ('richText' in value)
      return value.richText
        .map((r) => r.text)
        .join('')
        .trim()
    if ('text' in value) return cellText((value as { text: ExcelJS.CellValue }).text)
    if ('error' in value) return ''
  }
  return ''
}
