import { decodeText, parseCsv, readXlsx } from '../../services/spreadsheets/index.server'
import { type BulkReadResult, MAX_BULK_LINES, readPastedLines, readTableRows } from './bulk-lines'

/** Why an uploaded order file could not be read at all (nothing of it is used). */
export type BulkFileError =
  | 'empty'
  | 'too_many_rows'
  | 'header'
  | 'encoding'
  | 'binary'
  | 'malformed'
  | 'not_xlsx'
  | 'too_large'
  | 'unsupported'
  | 'too_many_entries'

export type BulkFileResult = Extract<BulkReadResult, { ok: true }> | { ok: false; error: BulkFileError }

/** The largest order file taken: far more than 500 lines need. */
export const BULK_FILE_BYTES = 5 * 1024 * 1024

/**
 * An uploaded order file: an XLSX workbook (by its bytes, whatever its name says: a ZIP with a workbook part) or a
 * CSV text in UTF-8 (with or without BOM), UTF-16 or GB18030. Formulas read as their cached values; the archive's
 * inflated size and part count are limited before anything is inflated (app/services/spreadsheets).
 */
export async function readBulkFile(bytes: Buffer): Promise<BulkFileResult> {
  if (bytes.length === 0) return { ok: false, error: 'empty' }
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b
  if (isZip) {
    const table = await readXlsx(bytes, { maxRows: MAX_BULK_LINES + 1 })
    if (!table.ok) return { ok: false, error: table.error }
    return readTableRows(table.rows)
  }
  const text = decodeText(bytes)
  if (!text.ok) return { ok: false, error: text.error }
  const table = parseCsv(text.text, { maxRows: MAX_BULK_LINES + 1 })
  if (!table.ok) return { ok: false, error: table.error }
  return readTableRows(table.rows)
}

export type BulkSource =
  | (Extract<BulkReadResult, { ok: true }> & {
      /** The lines as pasteable text: what the form's box shows after a file was read. */
      text: string
    })
  | { ok: false; error: BulkFileError; fromFile: boolean }

/**
 * The lines of a new requisition from where they came: an uploaded file if there is one (it wins), else the pasted
 * text. A file that cannot be read at all is refused whole; rows it holds are checked one by one later.
 */
export async function readBulkSource(input: { text?: string; file?: Buffer | null }): Promise<BulkSource> {
  if (input.file && input.file.length > 0) {
    const read = await readBulkFile(input.file)
    if (!read.ok) return { ...read, fromFile: true }
    const lines = [
      ...read.rows.map((r) => ({ line: r.line, text: `${r.sku} ${r.qty}` })),
      ...read.problems.map((p) => ({ line: p.line, text: p.text })),
    ].sort((a, b) => a.line - b.line)
    // Lines renumbered as the box shows them, so that a flagged line is found where the preview says.
    const renumber = new Map(lines.map((l, i) => [l.line, i + 1]))
    return {
      ok: true,
      rows: read.rows.map((r) => ({ ...r, line: renumber.get(r.line)! })),
      problems: read.problems.map((p) => ({ ...p, line: renumber.get(p.line)! })),
      text: lines.map((l) => l.text).join('\n'),
    }
  }
  const read = readPastedLines(input.text ?? '')
  if (!read.ok) return { ...read, fromFile: false }
  return { ...read, text: input.text ?? '' }
}
