/**
 * CSV for people who open it in Excel: UTF-8 with a BOM (so the Chinese shows), CRLF lines, every field quoted when
 * it needs to be, and formula-looking text neutralised — a cell starting with = + - @, a tab or a carriage return
 * is prefixed with ' so a spreadsheet shows it instead of running it (CSV injection). Numbers are written as numbers.
 */
/** Text, a number, or a decimal written exactly (money in yuan: `{ decimal: '-12.50' }`, never neutralised). */
export type CsvCell = string | number | bigint | { decimal: string } | null

const FORMULA_START = /^[=+\-@\t\r]/

export function neutraliseCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text
}

function field(cell: CsvCell): string {
  if (cell === null) return ''
  if (typeof cell === 'number' || typeof cell === 'bigint') return String(cell)
  if (typeof cell === 'object') {
    if (!/^-?\d+(\.\d+)?$/.test(cell.decimal)) throw new RangeError(`not a decimal: ${cell.decimal}`)
    return cell.decimal
  }
  const text = neutraliseCell(cell)
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function toCsv(rows: readonly (readonly CsvCell[])[]): Buffer {
  return Buffer.from('\uFEFF' + rows.map((row) => row.map(field).join(',')).join('\r\n') + '\r\n', 'utf8')
}
