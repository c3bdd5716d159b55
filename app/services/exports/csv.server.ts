/**
 * CSV for people who open it in Excel: UTF-8 with a BOM (so Chinese shows right), CRLF line ends, every cell quoted
 * when it needs to be, and any cell that Excel would read as a formula (starting with = + - @, a tab or a carriage
 * return) prefixed with an apostrophe, so a product or unit name can never run as a formula on someone's machine.
 * Numbers are written as given (callers pass plain integers or decimal strings they formatted themselves).
 */
export type CsvCell = string | number | bigint | null

const FORMULA_START = /^[=+\-@\t\r]/

export function neutraliseCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text
}

function csvCell(cell: CsvCell): string {
  if (cell === null) return ''
  // Numbers are ours (amounts), never a formula; a negative amount keeps its sign.
  const text = typeof cell === 'string' ? neutraliseCell(cell) : cell.toString()
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
  return '\uFEFF' + rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n'
}
