/**
 * CSV for people who open it in Excel: UTF-8 with a BOM (so Chinese shows right), CRLF line ends, every cell quoted
 * when it needs to be, and any cell that Excel would read as a formula (starting with = + - @, a tab or a carriage
 * return) prefixed with an apostrophe, so a product or unit name can never run as a formula on someone's machine.
 * Numbers are written as given: integers, or `{ decimal }` for an exact decimal such as an amount in yuan.
 */
export type CsvCell = string | number | bigint | null | { decimal: string }

const DECIMAL = /^-?\d+(\.\d+)?$/

const FORMULA_START = /^[=+\-@\t\r]/

export function neutraliseCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text
}

function csvCell(cell: CsvCell): string {
  if (cell === null) return ''
  // Numbers are ours (amounts), never a formula; a negative amount keeps its sign. A decimal (an amount in yuan,
  // exact) is written as is when it is one, and as text otherwise.
  const text =
    typeof cell === 'string'
      ? neutraliseCell(cell)
      : typeof cell === 'object'
        ? DECIMAL.test(cell.decimal)
          ? cell.decimal
          : neutraliseCell(cell.decimal)
        : cell.toString()
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
  return '\uFEFF' + rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n'
}
