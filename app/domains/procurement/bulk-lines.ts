/**
 * Bulk order lines as a unit buyer brings them: pasted from a spreadsheet or a chat ('SKU quantity' per line, tab,
 * comma or space separated), or the rows of an uploaded CSV / XLSX. Full-width characters (ＡＢ１２, '，', the
 * ideographic space) are read as their ASCII twins (NFKC), so what a Chinese input method types is understood.
 * Pure: the lines are checked against the catalogue later (requisitions.server.ts previewRequisition).
 */

export const MAX_BULK_LINES = 500
export const MAX_LINE_QTY = 99_999

/** One line as read: where it came from, the SKU and the quantity as written (checked separately). */
export type BulkRow = { line: number; sku: string; qty: string }

export type RowProblem = 'columns' | 'bad_quantity'

export type BulkReadResult =
  | { ok: true; rows: BulkRow[]; problems: Array<{ line: number; problem: RowProblem; text: string }> }
  | { ok: false; error: 'empty' | 'too_many_rows' | 'header' }

/** Full-width → half-width and the like (ＡＢ１２ → AB12, '，' → ','), trimmed. */
export function normalizeCell(value: string): string {
  return value.normalize('NFKC').trim()
}

const SKU_HEADERS = new Set(['sku', '商品编码', '编码', '货号', '商品编号', 'sku编码'])
const QTY_HEADERS = new Set(['qty', 'quantity', '数量', '采购数量', '订购数量'])

function isHeader(cells: readonly string[]): boolean {
  return cells.some((c) => SKU_HEADERS.has(c.toLowerCase()) || QTY_HEADERS.has(c.toLowerCase()))
}

/** A quantity as written: a positive whole number of at most five digits (leading zeros allowed), or null. */
export function parseQuantity(text: string): number | null {
  const raw = normalizeCell(text).replace(/[,，]/g, '')
  if (!/^\d{1,7}$/.test(raw)) return null
  const n = Number(raw)
  return n >= 1 && n <= MAX_LINE_QTY ? n : null
}

/** Pasted text: one 'SKU quantity' per line; blank lines are skipped; a header line ('SKU 数量') is allowed first. */
export function readPastedLines(text: string): BulkReadResult {
  const rows: Array<{ line: number; cells: string[] }> = []
  const lines = text.split(/\r\n|\r|\n/)
  for (let i = 0; i < lines.length; i++) {
    const normalized = normalizeCell(lines[i]!)
    if (normalized === '') continue
    rows.push({ line: i + 1, cells: normalized.split(/[\t,;\s]+/).filter((c) => c !== '') })
  }
  return readRows(rows)
}

/**
 * Rows of a table (CSV or the first worksheet): either a header row naming the SKU and quantity columns (in any
 * order, other columns ignored) or no header and exactly two columns. A header that names neither is refused as a
 * whole (wrong columns), before any row is read.
 */
export function readTableRows(
  table: ReadonlyArray<{ line: number; cells: readonly string[] }>,
): BulkReadResult {
  const rows = table
    .map((r) => ({ line: r.line, cells: r.cells.map(normalizeCell) }))
    .filter((r) => r.cells.some((c) => c !== ''))
  const first = rows[0]
  if (first && isHeader(first.cells)) {
    const lower = first.cells.map((c) => c.toLowerCase())
    const skuAt = lower.findIndex((c) => SKU_HEADERS.has(c))
    const qtyAt = lower.findIndex((c) => QTY_HEADERS.has(c))
    if (skuAt < 0 || qtyAt < 0) return { ok: false, error: 'header' }
    return readRows(
      rows.slice(1).map((r) => ({ line: r.line, cells: [r.cells[skuAt] ?? '', r.cells[qtyAt] ?? ''] })),
      { header: false },
    )
  }
  // No header we know, and a first row that is no order line either (its second cell is no quantity): the file's
  // columns are not SKU and quantity.
  if (first && first.cells[1] !== undefined && parseQuantity(first.cells[1]) === null) {
    return { ok: false, error: 'header' }
  }
  return readRows(rows.map((r) => ({ line: r.line, cells: trimTrailingEmpty(r.cells) })))
}

function trimTrailingEmpty(cells: string[]): string[] {
  let end = cells.length
  while (end > 0 && cells[end - 1] === '') end--
  return cells.slice(0, end)
}

function readRows(
  rows: ReadonlyArray<{ line: number; cells: readonly string[] }>,
  options: { header: boolean } = { header: true },
): BulkReadResult {
  let body = rows
  if (options.header && body[0] && isHeader(body[0].cells)) body = body.slice(1)
  if (body.length === 0) return { ok: false, error: 'empty' }
  if (body.length > MAX_BULK_LINES) return { ok: false, error: 'too_many_rows' }
  const out: BulkRow[] = []
  const problems: Array<{ line: number; problem: RowProblem; text: string }> = []
  for (const row of body) {
    const text = row.cells.join(' ')
    if (row.cells.length !== 2 || row.cells[0] === '' || row.cells[1] === '') {
      problems.push({ line: row.line, problem: 'columns', text })
      continue
    }
    const [sku, qty] = row.cells as [string, string]
    if (parseQuantity(qty) === null) {
      problems.push({ line: row.line, problem: 'bad_quantity', text })
      continue
    }
    out.push({ line: row.line, sku, qty })
  }
  return { ok: true, rows: out, problems }
}

/** The rows back as pasteable text ('SKU quantity' lines), for the form after a file was read. */
export function rowsAsText(rows: ReadonlyArray<{ sku: string; qty: string | number }>): string {
  return rows.map((r) => `${r.sku} ${r.qty}`).join('\n')
}
