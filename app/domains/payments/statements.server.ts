import { createHash } from 'node:crypto'
import { and, desc, eq, inArray, sql } from 'drizzle-orm'
import type { Db } from '../../../db/client.server'
import { orders, payments } from '../../../db/schema/orders'
import { bankStatementImports, bankStatementLayouts, bankStatementLines } from '../../../db/schema/statements'
import { decodeText, parseCsv, readXlsx, type SheetRow } from '../../services/spreadsheets/index.server'
import type { Clock } from '../../utils/clock'
import { isUuid } from '../../utils/ids'
import { confirmBankTransfer } from './finance.server'
import {
  classifyStatement,
  completeMapping,
  findHeaderRow,
  fingerprintSource,
  guessMapping,
  MAX_STATEMENT_LINES,
  normalizeHeader,
  type PaymentCandidate,
  readStatementLine,
  type StatementLine,
  type StatementMapping,
  type StatementPreview,
  type StatementRole,
} from './statement-rules'

/**
 * Bank statement import (issue 18 item 5, decision 023): finance uploads the platform account's statement, maps
 * its columns once per layout, sees each credit line matched to a pending bank transfer, and confirms the exact
 * matches in one action — each through confirmBankTransfer (confirmPayment + audit), each line recorded once by
 * its fingerprint in the same transaction, so that nothing is confirmed twice.
 */

export type StatementFileError =
  | 'empty'
  | 'encoding'
  | 'binary'
  | 'malformed'
  | 'too_many_rows'
  | 'not_xlsx'
  | 'too_large'
  | 'unsupported'
  | 'too_many_entries'
  | 'no_header'
  | 'no_credit'

export type StatementFile = {
  encoding: string
  header: string[]
  headerLine: number
  rows: SheetRow[]
}

/**
 * An uploaded statement: an XLSX workbook (by its bytes) or a CSV text in UTF-8 (with or without BOM), UTF-16 or
 * GB18030, through the spreadsheet reader (its zip guard and row limit). The header row is found below any
 * preamble; a file with no column that could hold a credit amount is refused.
 */
export async function readStatementFile(
  bytes: Buffer,
): Promise<{ ok: true; file: StatementFile } | { ok: false; error: StatementFileError }> {
  if (bytes.length === 0) return { ok: false, error: 'empty' }
  // The header and a few preamble lines come on top of the lines themselves.
  const maxRows = MAX_STATEMENT_LINES + 25
  let encoding: string
  let rows: SheetRow[]
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
    const table = await readXlsx(bytes, { maxRows })
    if (!table.ok) return { ok: false, error: table.error }
    encoding = 'xlsx'
    rows = table.rows
  } else {
    const text = decodeText(bytes)
    if (!text.ok) return { ok: false, error: text.error }
    const table = parseCsv(text.text, { maxRows })
    if (!table.ok) return { ok: false, error: table.error }
    encoding = text.encoding
    rows = table.rows
  }
  if (rows.length === 0) return { ok: false, error: 'empty' }
  const at = findHeaderRow(rows)
  if (at < 0) return { ok: false, error: 'no_header' }
  const header = rows[at]!.cells
  const below = rows.slice(at + 1)
  if (below.length > MAX_STATEMENT_LINES) return { ok: false, error: 'too_many_rows' }
  // A credit column is one the header names as such, or any column holding amounts with fen ("1,234.50").
  const named = guessMapping(header).credit !== undefined
  const amounts = header.some((_, i) =>
    below.some((r) => /^[-+(¥￥]?\s*\d[\d,，]*[.．]\d{1,2}\)?$/.test((r.cells[i] ?? '').trim())),
  )
  if (!named && !amounts) return { ok: false, error: 'no_credit' }
  return { ok: true, file: { encoding, header, headerLine: rows[at]!.line, rows: below } }
}

/** The signature that keys a layout's mapping: the header's cells, normalised, in order. */
export function layoutSignature(header: readonly string[]): string {
  return createHash('sha256')
    .update(JSON.stringify(header.map(normalizeHeader)), 'utf8')
    .digest('hex')
}

export type UploadStatementResult =
  | { ok: true; importId: string; needsMapping: boolean }
  | { ok: false; error: StatementFileError }

/** Reads and stores an uploaded statement (nothing is written for a file that cannot be read). */
export async function uploadStatement(
  db: Db,
  input: { fileName: string; bytes: Buffer; userId: string },
  clock: Clock,
): Promise<UploadStatementResult> {
  const read = await readStatementFile(input.bytes)
  if (!read.ok) return read
  const { file } = read
  const signature = layoutSignature(file.header)
  const [layout] = await db
    .select({ id: bankStatementLayouts.id })
    .from(bankStatementLayouts)
    .where(eq(bankStatementLayouts.signature, signature))
  const [created] = await db
    .insert(bankStatementImports)
    .values({
      // A name is the browser's claim: control characters (NUL, which PostgreSQL refuses) are dropped.
      // eslint-disable-next-line no-control-regex
      fileName: input.fileName.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').slice(0, 200) || 'statement',
      encoding: file.encoding,
      signature,
      status: layout ? 'ready' : 'mapping',
      header: file.header,
      headerLine: file.headerLine,
      rows: file.rows,
      rowCount: file.rows.length,
      uploadedBy: input.userId,
      uploadedAt: clock.now(),
    })
    .returning({ id: bankStatementImports.id })
  return { ok: true, importId: created!.id, needsMapping: !layout }
}

export type StatementImportView = {
  id: string
  fileName: string
  encoding: string
  status: 'mapping' | 'ready' | 'confirmed'
  uploadedAt: string
  confirmedAt: string | null
  confirmedCount: number
  rowCount: number
  header: string[]
  /** While the layout is not mapped: the guessed mapping and the first rows, to map by. */
  guess: Partial<Record<StatementRole, number>> | null
  sample: string[][]
  mapping: StatementMapping | null
  preview: StatementPreview | null
}

/** One import as the preview page shows it: the lines sorted against the payments as they stand now. */
export async function getStatementImport(db: Db, importId: string): Promise<StatementImportView | null> {
  if (!isUuid(importId)) return null
  const [row] = await db
    .select({
      imp: bankStatementImports,
      mapping: bankStatementLayouts.mapping,
    })
    .from(bankStatementImports)
    .leftJoin(bankStatementLayouts, eq(bankStatementLayouts.signature, bankStatementImports.signature))
    .where(eq(bankStatementImports.id, importId))
  if (!row) return null
  const { imp } = row
  const header = imp.header as string[]
  const rows = imp.rows as SheetRow[]
  const mapping = row.mapping ? completeMapping(row.mapping as StatementMapping, header.length) : null
  const preview = mapping ? await previewLines(db, rows, mapping) : null
  return {
    id: imp.id,
    fileName: imp.fileName,
    encoding: imp.encoding,
    status: mapping && imp.status === 'mapping' ? 'ready' : imp.status,
    uploadedAt: imp.uploadedAt.toISOString(),
    confirmedAt: imp.confirmedAt?.toISOString() ?? null,
    confirmedCount: imp.confirmedCount,
    rowCount: imp.rowCount,
    header,
    guess: mapping ? null : guessMapping(header),
    sample: mapping ? [] : rows.slice(0, 5).map((r) => r.cells),
    mapping,
    preview,
  }
}

function fingerprintsOf(lines: readonly StatementLine[]): string[] {
  const seen = new Map<string, number>()
  const out: string[] = []
  for (const line of lines) {
    if (line.kind !== 'credit') continue
    const base = fingerprintSource(line, 0)
    const occurrence = seen.get(base) ?? 0
    seen.set(base, occurrence + 1)
    const source = line.txnId ? base : fingerprintSource(line, occurrence)
    out.push(createHash('sha256').update(source, 'utf8').digest('hex'))
  }
  return out
}

/** Reads the rows with the mapping and sorts them against the bank-transfer payments and the recorded lines. */
async function previewLines(db: Db, rows: readonly SheetRow[], mapping: StatementMapping) {
  const read = rows.map((r) => readStatementLine(r, mapping))
  const fingerprints = fingerprintsOf(read)
  const references = [
    ...new Set(read.flatMap((l) => (l.kind === 'credit' && l.references.length === 1 ? l.references : []))),
  ]
  const found = references.length
    ? await db
        .select({
          paymentId: payments.id,
          reference: payments.reference,
          amountFen: payments.amountFen,
          status: payments.status,
          orderStatus: orders.status,
          orderNumber: orders.number,
          awaitingAcceptance: sql<boolean>`(${orders.terms} = 'on_account' and ${orders.paymentDueAt} is null)`,
        })
        .from(payments)
        .innerJoin(orders, eq(orders.id, payments.orderId))
        .where(and(eq(payments.provider, 'bank_transfer'), inArray(payments.reference, references)))
    : []
  const recorded = fingerprints.length
    ? await db
        .select({ fingerprint: bankStatementLines.fingerprint })
        .from(bankStatementLines)
        .where(inArray(bankStatementLines.fingerprint, fingerprints))
    : []
  return classifyStatement(read, {
    fingerprints,
    payments: new Map(found.map((p) => [p.reference, p satisfies PaymentCandidate])),
    recorded: new Set(recorded.map((r) => r.fingerprint)),
  })
}

/**
 * Remembers the mapping of an import's layout (by its header's signature: every import of the layout, earlier
 * and later, uses it). Refused when a required column is missing or a column is used twice.
 */
export async function saveStatementMapping(
  db: Db,
  input: { importId: string; mapping: Partial<Record<StatementRole, number>>; userId: string },
  clock: Clock,
): Promise<{ ok: true } | { ok: false; error: 'not_found' | 'incomplete' }> {
  if (!isUuid(input.importId)) return { ok: false, error: 'not_found' }
  const [imp] = await db
    .select({ signature: bankStatementImports.signature, header: bankStatementImports.header })
    .from(bankStatementImports)
    .where(eq(bankStatementImports.id, input.importId))
  if (!imp) return { ok: false, error: 'not_found' }
  const mapping = completeMapping(input.mapping, (imp.header as string[]).length)
  if (!mapping) return { ok: false, error: 'incomplete' }
  await db.transaction(async (tx) => {
    await tx
      .insert(bankStatementLayouts)
      .values({
        signature: imp.signature,
        header: imp.header,
        mapping,
        createdBy: input.userId,
        createdAt: clock.now(),
      })
      .onConflictDoUpdate({ target: bankStatementLayouts.signature, set: { mapping } })
    await tx
      .update(bankStatementImports)
      .set({ status: 'ready' })
      .where(
        and(eq(bankStatementImports.signature, imp.signature), eq(bankStatementImports.status, 'mapping')),
      )
  })
  return { ok: true }
}

export type ConfirmStatementResult =
  | { ok: true; confirmed: number; skipped: number; refused: number }
  | { ok: false; error: 'not_found' | 'needs_mapping' }

class LineRefused extends Error {}

/**
 * Confirms every matched line of an import: each in its own transaction, which records the line by its
 * fingerprint (unique; and one line per payment) and confirms its payment through confirmBankTransfer (audited).
 * A line recorded already — by an earlier import of the same statement, or by a concurrent confirmation of this
 * one — is skipped; a payment that can no longer be confirmed (the order closed meanwhile) rolls its line back.
 * Short, over, duplicate and unknown lines are left to finance on /admin/payments.
 */
export async function confirmStatementImport(
  db: Db,
  input: { importId: string; userId: string },
  clock: Clock,
): Promise<ConfirmStatementResult> {
  const view = await getStatementImport(db, input.importId)
  if (!view) return { ok: false, error: 'not_found' }
  if (!view.preview) return { ok: false, error: 'needs_mapping' }
  let confirmed = 0
  let skipped = 0
  let refused = 0
  for (const line of view.preview.lines) {
    if (line.group !== 'matched' || !line.payment) continue
    const payment = line.payment
    try {
      const outcome = await db.transaction(async (tx) => {
        const recorded = await tx
          .insert(bankStatementLines)
          .values({
            fingerprint: line.fingerprint,
            importId: view.id,
            line: line.line,
            bookedOn: line.bookedOn,
            amountFen: line.amountFen,
            memo: line.memo.slice(0, 500),
            payer: line.payer.slice(0, 200),
            paymentId: payment.paymentId,
            recordedBy: input.userId,
            recordedAt: clock.now(),
          })
          .onConflictDoNothing()
          .returning({ fingerprint: bankStatementLines.fingerprint })
        if (recorded.length === 0) return 'skipped' as const
        const result = await confirmBankTransfer(
          tx,
          { paymentId: payment.paymentId, receivedFen: line.amountFen, financeUserId: input.userId },
          clock,
        )
        if (!result.ok) throw new LineRefused(result.reason)
        return 'confirmed' as const
      })
      if (outcome === 'confirmed') confirmed++
      else skipped++
    } catch (error) {
      if (!(error instanceof LineRefused)) throw error
      refused++
    }
  }
  await db
    .update(bankStatementImports)
    .set({
      status: 'confirmed',
      confirmedAt: clock.now(),
      confirmedCount: sql`${bankStatementImports.confirmedCount} + ${confirmed}`,
    })
    .where(eq(bankStatementImports.id, view.id))
  return { ok: true, confirmed, skipped, refused }
}

export type StatementImportSummary = {
  id: string
  fileName: string
  status: 'mapping' | 'ready' | 'confirmed'
  uploadedAt: string
  rowCount: number
  confirmedCount: number
}

/** The latest imports, newest first. */
export async function listStatementImports(db: Db, limit = 20): Promise<StatementImportSummary[]> {
  const rows = await db
    .select({
      id: bankStatementImports.id,
      fileName: bankStatementImports.fileName,
      status: bankStatementImports.status,
      uploadedAt: bankStatementImports.uploadedAt,
      rowCount: bankStatementImports.rowCount,
      confirmedCount: bankStatementImports.confirmedCount,
    })
    .from(bankStatementImports)
    .orderBy(desc(bankStatementImports.uploadedAt), desc(bankStatementImports.id))
    .limit(limit)
  return rows.map((r) => ({ ...r, uploadedAt: r.uploadedAt.toISOString() }))
}
