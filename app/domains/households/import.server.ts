import { randomUUID } from 'node:crypto'
import { and, eq, inArray } from 'drizzle-orm'
import type { Db } from '../../../db/client.server'
import { households, importJobs } from '../../../db/schema/households'
import { decodeText, parseCsv } from '../../services/spreadsheets/index.server'
import { householdIdProtector } from '../../services/secrets/index.server'
import type { Clock } from '../../utils/clock'
import type { MessageKey } from '../../utils/i18n'
import { idCardNumberIssue } from '../../utils/id-card'
import { isUuid } from '../../utils/ids'
import { parseForm } from '../catalog'
import { householdSchema, type HouseholdValues } from './forms'
import { IMPORT_COLUMNS, type ImportColumn, type ImportProblem, MAX_IMPORT_ROWS } from './import'
import { reserveCodes, type RosterActor, rosterCoop, type RosterPlace, rosterPlaces } from './roster.server'

/**
 * Importing a roster from a CSV file: UTF-8 (with or without the BOM Excel writes) or GB18030 (Excel's plain "CSV"
 * on Chinese Windows). Every row is checked before anything is written — check character, duplicates in the file
 * and on the platform (by HMAC), unknown category, members out of range — and every bad row is listed with its line.
 * Only a file without a bad row is imported, and then all of it or nothing: one transaction.
 */

type ReadyRow = { line: number; values: HouseholdValues }

export type ImportCheck =
  | { ok: true; rows: ReadyRow[]; encoding: string }
  | { ok: false; problems: ImportProblem[]; totalRows: number }

const fileProblem = (reason: MessageKey): { ok: false; problems: ImportProblem[]; totalRows: number } => ({
  ok: false,
  problems: [{ line: 1, field: 'file', reason }],
  totalRows: 0,
})

function placeCode(raw: string, places: RosterPlace[]): string | null {
  const value = raw.trim()
  if (value === '') return places.length === 1 ? places[0]!.code : null
  const found = places.find((p) => p.code === value || p.name === value || p.shortName === value)
  return found ? found.code : null
}

/** Reads and checks a file against the cooperative's roster and the platform's; writes nothing. */
export async function checkHouseholdFile(
  db: Db,
  coop: { id: string; regionCode: string },
  bytes: Uint8Array,
  clock: Clock,
): Promise<ImportCheck> {
  if (bytes.length === 0) return fileProblem('household.import.error.empty')
  const decoded = decodeText(bytes)
  if (!decoded.ok) return fileProblem('household.import.error.encoding')
  const table = parseCsv(decoded.text, { maxRows: MAX_IMPORT_ROWS + 1 })
  if (!table.ok)
    return fileProblem(
      table.error === 'too_many_rows'
        ? 'household.import.error.tooManyRows'
        : 'household.import.error.malformed',
    )
  const [header, ...data] = table.rows
  if (!header) return fileProblem('household.import.error.empty')
  const columnOf = new Map<ImportColumn, number>()
  header.cells.forEach((cell, index) => {
    const column = IMPORT_COLUMNS.find((c) => c.header === cell.replace(/^\uFEFF/, '').trim())
    if (column && !columnOf.has(column.key)) columnOf.set(column.key, index)
  })
  const missing = IMPORT_COLUMNS.filter((c) => c.required && !columnOf.has(c.key))
  if (missing.length > 0) return fileProblem('household.import.error.header')
  if (data.length === 0) return fileProblem('household.import.error.empty')

  const places = await rosterPlaces(db, coop.regionCode)
  const protector = householdIdProtector()
  const problems: ImportProblem[] = []
  const ready: Array<ReadyRow & { hmac: string | null }> = []
  const firstLineOf = new Map<string, number>()
  for (const row of data) {
    const cell = (key: ImportColumn) => {
      const index = columnOf.get(key)
      return index === undefined ? '' : (row.cells[index] ?? '')
    }
    const regionCode = placeCode(cell('region'), places)
    const rowProblems: ImportProblem[] = []
    if (!regionCode)
      rowProblems.push({ line: row.line, field: 'region', reason: 'household.error.region.outside' })
    const parsed = parseForm(householdSchema, {
      headName: cell('headName'),
      regionCode: regionCode ?? places[0]?.code ?? '',
      village: cell('village'),
      members: cell('members'),
      status: cell('status'),
      linkage: cell('linkage'),
      idNumber: cell('idNumber'),
    })
    if (!parsed.ok) {
      for (const [field, messages] of Object.entries(parsed.errors)) {
        const column: ImportColumn =
          field === 'regionCode' ? 'region' : (IMPORT_COLUMNS.find((c) => c.key === field)?.key ?? 'headName')
        rowProblems.push({ line: row.line, field: column, reason: messages[0]! })
      }
    }
    let hmac: string | null = null
    if (parsed.ok && parsed.data.idNumber) {
      if (idCardNumberIssue(parsed.data.idNumber, clock.now()) === 'date') {
        rowProblems.push({ line: row.line, field: 'idNumber', reason: 'household.error.idNumber.date' })
      } else {
        hmac = protector.hmac(parsed.data.idNumber)
        const earlier = firstLineOf.get(hmac)
        if (earlier !== undefined)
          rowProblems.push({
            line: row.line,
            field: 'idNumber',
            reason: 'household.import.error.duplicateInFile',
          })
        else firstLineOf.set(hmac, row.line)
      }
    }
    problems.push(...rowProblems)
    if (rowProblems.length === 0 && parsed.ok) ready.push({ line: row.line, values: parsed.data, hmac })
  }

  // Duplicates on the platform: any roster, found by the HMAC alone.
  const hmacs = ready.flatMap((r) => (r.hmac ? [r.hmac] : []))
  const taken = new Set<string>()
  for (let i = 0; i < hmacs.length; i += 1000) {
    const rows = await db
      .select({ hmac: households.idHmac })
      .from(households)
      .where(inArray(households.idHmac, hmacs.slice(i, i + 1000)))
    for (const r of rows) if (r.hmac) taken.add(r.hmac)
  }
  for (const r of ready)
    if (r.hmac && taken.has(r.hmac))
      problems.push({ line: r.line, field: 'idNumber', reason: 'household.error.idNumber.duplicate' })

  if (problems.length > 0) {
    problems.sort((a, b) => a.line - b.line)
    return { ok: false, problems, totalRows: data.length }
  }
  return { ok: true, rows: ready, encoding: decoded.encoding }
}

export type ImportPreview =
  | { ok: true; totalRows: number; encoding: string }
  | { ok: false; error: 'not_found' }
  | { ok: false; error: 'problems'; problems: ImportProblem[]; totalRows: number }

/** The preview: every bad row with its line and reason, or how many rows would be imported. Writes nothing. */
export async function previewHouseholdImport(
  db: Db,
  input: RosterActor & { bytes: Uint8Array },
  clock: Clock,
): Promise<ImportPreview> {
  const coop = await rosterCoop(db, input)
  if (!coop) return { ok: false, error: 'not_found' }
  const check = await checkHouseholdFile(db, coop, input.bytes, clock)
  if (!check.ok) return { ok: false, error: 'problems', problems: check.problems, totalRows: check.totalRows }
  return { ok: true, totalRows: check.rows.length, encoding: check.encoding }
}

/**
 * How far the imports running in this process are. A running import holds one transaction, so its progress is not
 * visible in the database until it ends: the job row says it is running, this map says how far (see decision 018).
 */
const liveProgress = new Map<string, { orgId: string; doneRows: number }>()

const CHUNK = 500
const STALE_MS = 10 * 60_000

export type StartImportResult =
  | { ok: true; jobId: string; totalRows: number; finished: Promise<void> }
  | { ok: false; error: 'not_found' }
  | { ok: false; error: 'problems'; problems: ImportProblem[]; totalRows: number }

/**
 * Checks the file again and, when every row is good, records the job (running) and imports all rows in one
 * transaction, chunk by chunk; `finished` settles when the job is done or failed (the page polls the job).
 */
export async function startHouseholdImport(
  db: Db,
  input: RosterActor & { fileName: string; bytes: Uint8Array },
  clock: Clock,
): Promise<StartImportResult> {
  const coop = await rosterCoop(db, input)
  if (!coop) return { ok: false, error: 'not_found' }
  const check = await checkHouseholdFile(db, coop, input.bytes, clock)
  if (!check.ok) return { ok: false, error: 'problems', problems: check.problems, totalRows: check.totalRows }
  const jobId = randomUUID()
  await db.insert(importJobs).values({
    id: jobId,
    orgId: coop.id,
    kind: 'households',
    status: 'running',
    fileName: input.fileName.slice(0, 200) || 'households.csv',
    totalRows: check.rows.length,
    doneRows: 0,
    createdBy: input.actorUserId,
    createdAt: clock.now(),
  })
  liveProgress.set(jobId, { orgId: coop.id, doneRows: 0 })
  const finished = runImport(db, coop.id, jobId, check.rows, clock).finally(() => liveProgress.delete(jobId))
  return { ok: true, jobId, totalRows: check.rows.length, finished }
}

async function runImport(
  db: Db,
  orgId: string,
  jobId: string,
  rows: ReadyRow[],
  clock: Clock,
): Promise<void> {
  const protector = householdIdProtector()
  try {
    await db.transaction(async (tx) => {
      // Codes per county, reserved under the county's lock.
      const byRegion = new Map<string, number>()
      for (const r of rows) byRegion.set(r.values.regionCode, (byRegion.get(r.values.regionCode) ?? 0) + 1)
      const codes = new Map<string, string[]>()
      for (const [region, count] of [...byRegion].sort())
        codes.set(region, await reserveCodes(tx, region, count))
      const now = clock.now()
      for (let i = 0; i < rows.length; i += CHUNK) {
        const chunk = rows.slice(i, i + CHUNK)
        await tx.insert(households).values(
          chunk.map(({ values }) => ({
            orgId,
            code: codes.get(values.regionCode)!.shift()!,
            regionCode: values.regionCode,
            maskedName: values.headName,
            village: values.village,
            members: values.members,
            status: values.status,
            linkage: values.linkage,
            idHmac: values.idNumber ? protector.hmac(values.idNumber) : null,
            idCipher: values.idNumber ? protector.encrypt(values.idNumber) : null,
            isDemo: false,
            createdAt: now,
            updatedAt: now,
          })),
        )
        const live = liveProgress.get(jobId)
        if (live) live.doneRows = Math.min(rows.length, i + chunk.length)
      }
    })
    await db
      .update(importJobs)
      .set({ status: 'done', doneRows: rows.length, finishedAt: clock.now() })
      .where(eq(importJobs.id, jobId))
  } catch {
    // Someone entered one of these ID numbers meanwhile (the unique index), or the database failed: nothing of the
    // file was written.
    await db
      .update(importJobs)
      .set({
        status: 'failed',
        doneRows: 0,
        finishedAt: clock.now(),
        problems: [{ line: 1, field: 'file', reason: 'household.import.error.failed' }],
      })
      .where(eq(importJobs.id, jobId))
  }
}

export type ImportJobView = {
  id: string
  fileName: string
  status: 'previewed' | 'running' | 'done' | 'failed'
  totalRows: number
  doneRows: number
  problems: ImportProblem[]
}

/** A job of the actor's cooperative, with its live progress while it runs here; null when it is not theirs. */
export async function getImportJob(
  db: Db,
  input: RosterActor & { jobId: string },
  clock: Clock,
): Promise<ImportJobView | null> {
  if (!isUuid(input.jobId)) return null
  const coop = await rosterCoop(db, input)
  if (!coop) return null
  const [row] = await db
    .select()
    .from(importJobs)
    .where(and(eq(importJobs.id, input.jobId), eq(importJobs.orgId, coop.id)))
  if (!row) return null
  const live = liveProgress.get(row.id)
  return {
    id: row.id,
    fileName: row.fileName,
    // A running job no process is running any more (the process ended mid-import: its transaction rolled back).
    status:
      row.status === 'running' && !live && clock.now().getTime() - row.createdAt.getTime() > STALE_MS
        ? 'failed'
        : row.status,
    totalRows: row.totalRows,
    doneRows: live && row.status === 'running' ? live.doneRows : row.doneRows,
    problems: (row.problems as ImportProblem[]) ?? [],
  }
}

/** The template for the actor's cooperative; null when the actor does not act for it. */
export async function householdTemplate(db: Db, input: RosterActor): Promise<Buffer | null> {
  const coop = await rosterCoop(db, input)
  return coop ? householdTemplateCsv(await rosterPlaces(db, coop.regionCode)) : null
}

/** The template: the header and one example row (UTF-8 with a BOM, so Excel opens it in Chinese). */
export function householdTemplateCsv(places: RosterPlace[]): Buffer {
  const header = IMPORT_COLUMNS.map((c) => c.header).join(',')
  const example = ['张*华', places[0]?.shortName ?? '', '某某镇某某村', '4', '脱贫户', '订单收购', ''].join(
    ',',
  )
  return Buffer.from('\uFEFF' + header + '\r\n' + example + '\r\n', 'utf8')
}
