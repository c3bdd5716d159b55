import { parseYuan } from '../../utils/money'

/**
 * Bank statement import (issue 18 item 5, decision 023): the pure rules — reading a statement's header and lines,
 * finding the bank-transfer reference in a line's 附言, and sorting lines into what finance may confirm. No
 * database here; statements.server.ts feeds these the payments as they stand.
 */

/** The columns finance maps. `credit` is required; a single signed amount column is mapped as `credit`. */
export const statementRoles = ['date', 'credit', 'debit', 'reference', 'payer', 'txnId'] as const
export type StatementRole = (typeof statementRoles)[number]
export const requiredRoles: readonly StatementRole[] = ['date', 'credit', 'reference']

/** Column indexes (0-based) by role; optional roles may be missing. */
export type StatementMapping = { date: number; credit: number; reference: number } & Partial<
  Record<'debit' | 'payer' | 'txnId', number>
>

/** The most lines a statement may hold (the spreadsheet reader stops reading past it). */
export const MAX_STATEMENT_LINES = 5000
/** The largest statement file taken. */
export const STATEMENT_FILE_BYTES = 5 * 1024 * 1024

/** Chinese (and a few English) headers that banks' exports use, per role; the first that matches a column wins. */
const headerHints: Record<StatementRole, RegExp[]> = {
  date: [/^交易日期$/, /^记账日期$/, /^入账日期$/, /^交易时间$/, /^记账日$/, /日期/, /时间/, /^date$/i],
  credit: [
    /^贷方发生额/,
    /^收入金额/,
    /^贷方金额/,
    /^存入金额/,
    /^收入/,
    /^贷方/,
    /^交易金额/,
    /^发生额/,
    /^金额/,
    /^credit/i,
    /^amount/i,
  ],
  debit: [/^借方发生额/, /^支出金额/, /^借方金额/, /^支取金额/, /^支出/, /^借方/, /^debit/i],
  reference: [/^附言$/, /^摘要$/, /^用途$/, /^备注$/, /附言/, /摘要/, /用途/, /备注/, /^memo/i, /^remark/i],
  payer: [
    /^对方户名$/,
    /^对方账户名称$/,
    /^付款人名称$/,
    /^付款人$/,
    /户名/,
    /对方名称/,
    /付款方/,
    /^payer/i,
  ],
  txnId: [/^流水号$/, /^交易流水号$/, /流水号/, /^交易序号$/, /^凭证号$/, /^交易参考号$/, /^transaction id/i],
}

/** A header cell as compared: full-width folded, spaces and the unit suffix (（元）) dropped. */
export function normalizeHeader(cell: string): string {
  return cell
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/\((元|人民币|RMB|CNY)\)$/i, '')
    .toLowerCase()
}

/**
 * Where the header row is: bank exports often start with a few lines about the account and period. The first of
 * the first 20 rows in which at least two cells read as known headers; else the first row with three cells.
 */
export function findHeaderRow(rows: ReadonlyArray<{ cells: string[] }>): number {
  const limit = Math.min(rows.length, 20)
  for (let i = 0; i < limit; i++) {
    const known = rows[i]!.cells.filter((c) =>
      statementRoles.some((role) => headerHints[role].some((re) => re.test(normalizeHeader(c)))),
    ).length
    if (known >= 2) return i
  }
  for (let i = 0; i < limit; i++) if (rows[i]!.cells.filter((c) => c !== '').length >= 3) return i
  return -1
}

/** The auto-guessed mapping of a header: each role takes the first unused column its hints match, in hint order. */
export function guessMapping(header: readonly string[]): Partial<Record<StatementRole, number>> {
  const cells = header.map(normalizeHeader)
  const used = new Set<number>()
  const guess: Partial<Record<StatementRole, number>> = {}
  // Debit before credit: "借方发生额" must not be taken by credit's looser hints (发生额).
  for (const role of ['date', 'debit', 'credit', 'txnId', 'payer', 'reference'] as const) {
    for (const re of headerHints[role]) {
      const index = cells.findIndex((c, i) => !used.has(i) && c !== '' && re.test(c))
      if (index >= 0) {
        guess[role] = index
        used.add(index)
        break
      }
    }
  }
  return guess
}

/** A mapping is complete when its required roles are set, each column is used once, and all lie in the header. */
export function completeMapping(
  partial: Partial<Record<StatementRole, number>>,
  width: number,
): StatementMapping | null {
  const seen = new Set<number>()
  for (const role of statementRoles) {
    const index = partial[role]
    if (index === undefined) {
      if (requiredRoles.includes(role)) return null
      continue
    }
    if (!Number.isInteger(index) || index < 0 || index >= width || seen.has(index)) return null
    seen.add(index)
  }
  return partial as StatementMapping
}

// --- Reading a line ---------------------------------------------------------------------------------------------

/**
 * An amount cell → signed fen: "1,234.50", "¥88", "-200.00", "+10", "(200.00)", "" (no amount). Null when it is
 * not an amount at all.
 */
export function parseStatementAmount(cell: string): bigint | null | 'empty' {
  let text = cell.normalize('NFKC').replace(/\s+/g, '').replace(/元$/, '')
  if (text === '' || text === '-' || text === '--') return 'empty'
  let negative = false
  if (/^\(.*\)$/.test(text)) {
    negative = true
    text = text.slice(1, -1)
  }
  if (text.startsWith('-')) {
    negative = !negative
    text = text.slice(1)
  } else if (text.startsWith('+')) text = text.slice(1)
  text = text.replace(/^[¥$]|^RMB|^CNY/i, '')
  const fen = parseYuan(text)
  if (fen === null) return null
  return negative ? -fen : fen
}

/** A date cell → YYYY-MM-DD: 2026-12-05, 2026/12/5, 20261205, 2026年12月5日, with a time after it or not, or an Excel serial. */
export function parseStatementDate(cell: string): string | null {
  const text = cell.normalize('NFKC').trim()
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T].*)?$/.exec(text)
  if (!m) m = /^(\d{4})(\d{2})(\d{2})(?:[ T]?\d{2}:?\d{2}(?::?\d{2})?)?$/.exec(text)
  if (m) return validDate(Number(m[1]), Number(m[2]), Number(m[3]))
  // An Excel date serial (1900 system) that reached us as a number.
  if (/^\d{5}(\.\d+)?$/.test(text)) {
    const serial = Math.floor(Number(text))
    if (serial < 36526 || serial > 73051) return null // 2000 … 2099
    const day = new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000)
    return day.toISOString().slice(0, 10)
  }
  return null
}

function validDate(y: number, mo: number, d: number): string | null {
  if (y < 2000 || y > 2099 || mo < 1 || mo > 12 || d < 1) return null
  const day = new Date(Date.UTC(y, mo - 1, d))
  if (day.getUTCMonth() !== mo - 1) return null
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

export type StatementLine =
  | {
      kind: 'credit'
      line: number
      bookedOn: string
      amountFen: bigint
      memo: string
      payer: string
      txnId: string | null
      /** The references found in the 附言 (normally one). */
      references: string[]
    }
  | { kind: 'debit'; line: number; amountFen: bigint }
  | { kind: 'ignored'; line: number }
  | { kind: 'unreadable'; line: number; problem: 'date' | 'amount' }

const summaryRow = /合计|小计|总计|本页|累计|余额汇总/

/** One row below the header, read with a mapping. */
export function readStatementLine(
  row: { line: number; cells: string[] },
  mapping: StatementMapping,
): StatementLine {
  const cell = (index: number | undefined) => (index === undefined ? '' : (row.cells[index] ?? '').trim())
  const credit = parseStatementAmount(cell(mapping.credit))
  const debit = mapping.debit === undefined ? 'empty' : parseStatementAmount(cell(mapping.debit))
  const dateText = cell(mapping.date)
  const bookedOn = parseStatementDate(dateText)
  if (!bookedOn) {
    // A totals row, or a line with nothing in it that matters, is not a transaction.
    if (row.cells.some((c) => summaryRow.test(c)) || (credit === 'empty' && debit === 'empty'))
      return { kind: 'ignored', line: row.line }
    return { kind: 'unreadable', line: row.line, problem: 'date' }
  }
  if (credit === null || debit === null) return { kind: 'unreadable', line: row.line, problem: 'amount' }
  if (typeof debit === 'bigint' && debit !== 0n && (credit === 'empty' || credit === 0n))
    return { kind: 'debit', line: row.line, amountFen: debit < 0n ? -debit : debit }
  if (credit === 'empty' || credit === 0n) return { kind: 'ignored', line: row.line }
  if (credit < 0n) return { kind: 'debit', line: row.line, amountFen: -credit }
  const memo = cell(mapping.reference)
  const txnId = cell(mapping.txnId)
  return {
    kind: 'credit',
    line: row.line,
    bookedOn,
    amountFen: credit,
    memo,
    payer: cell(mapping.payer),
    txnId: txnId === '' ? null : txnId,
    references: extractReferences(memo),
  }
}

// --- References ---------------------------------------------------------------------------------------------------

/** Separators a payer may type inside a reference ("BT 2026 1206-000042"). */
const SEP = '[\\s\\-_.·/:#]*'
const REFERENCE = new RegExp(`B${SEP}T${SEP}((?:\\d${SEP}){13}\\d)(?!\\d)`, 'g')
/** The order number itself (XF20261206-000042) quoted instead of the reference. */
const ORDER_NUMBER = new RegExp(`X${SEP}F${SEP}((?:\\d${SEP}){13}\\d)(?!\\d)`, 'g')

/**
 * The bank-transfer references (BT + 14 digits, app/domains/payments/methods.server.ts) in a 附言, as the payment
 * rows hold them: full-width characters folded, lowercase raised, spaces and dashes inside it tolerated, text
 * around it ignored; an order number (XF…) quoted instead counts as its reference. A digit run longer than a
 * reference is not one. Distinct, in order of appearance.
 */
export function extractReferences(memo: string): string[] {
  const text = memo.normalize('NFKC').toUpperCase()
  const found: Array<{ at: number; reference: string }> = []
  for (const re of [REFERENCE, ORDER_NUMBER]) {
    for (const m of text.matchAll(re)) {
      // Not the tail of a longer run of digits or letters ("ABT…" is fine; "1BT…" is too).
      const before = m.index > 0 ? text[m.index - 1]! : ''
      if (/\d/.test(before)) continue
      found.push({ at: m.index, reference: `BT${m[1]!.replace(/\D/g, '')}` })
    }
  }
  found.sort((a, b) => a.at - b.at)
  return [...new Set(found.map((f) => f.reference))]
}

// --- Matching -----------------------------------------------------------------------------------------------------

/** A bank-transfer payment as matching sees it. */
export type PaymentCandidate = {
  paymentId: string
  reference: string
  amountFen: bigint
  status: 'pending' | 'flagged' | 'confirmed'
  orderStatus: string
  orderNumber: string
  /** An on-account order not yet accepted in full (decision 022): nothing is payable yet. */
  awaitingAcceptance: boolean
}

/**
 * The order statuses in which confirmPayment confirms a payment (app/domains/payments/confirm.server.ts): a payment
 * whose order is in any other is `closed` here. Keep the two in step.
 */
export const CONFIRMABLE_ORDER_STATUSES: readonly string[] = ['pending_payment']

export const statementGroups = ['matched', 'short', 'over', 'duplicate', 'closed', 'unknown'] as const
export type StatementGroup = (typeof statementGroups)[number]

export type ClassifiedLine = {
  line: number
  bookedOn: string
  amountFen: bigint
  memo: string
  payer: string
  fingerprint: string
  group: StatementGroup
  /** Why a line is in its group, where the group has several reasons. */
  reason:
    | 'exact'
    | 'short'
    | 'over'
    | 'already_imported'
    | 'already_paid'
    | 'twice_in_file'
    | 'order_closed'
    | 'awaiting_acceptance'
    | 'no_reference'
    | 'unknown_reference'
    | 'several_references'
  reference: string | null
  payment: PaymentCandidate | null
}

export type StatementPreview = {
  lines: ClassifiedLine[]
  groups: Record<StatementGroup, { count: number; totalFen: bigint }>
  debits: { count: number; totalFen: bigint }
  ignored: number
  unreadable: Array<{ line: number; problem: 'date' | 'amount' }>
}

/**
 * The fingerprint that keys a line for good: the bank's transaction id when the layout has one, else its date,
 * amount, 附言 and payer as read (full-width folded, spaces dropped, upper case) and which occurrence of such a
 * line it is within the file — two identical transfers on one day are two lines. The caller hashes it.
 */
export function fingerprintSource(
  line: Extract<StatementLine, { kind: 'credit' }>,
  occurrence: number,
): string {
  if (line.txnId) return `txn|${line.txnId.normalize('NFKC').replace(/\s+/g, '').toUpperCase()}`
  const fold = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').toUpperCase()
  return `line|${line.bookedOn}|${line.amountFen}|${fold(line.memo)}|${fold(line.payer)}|${occurrence}`
}

/**
 * Sorts the credit lines: by the one reference in the 附言 to its payment, then by amount. A line already recorded
 * (its fingerprint known) or for a payment already confirmed — or matched by an earlier line of this file — is a
 * duplicate; a payment whose order is no longer waiting (cancelled, closed) is `closed`; no reference, several, or
 * one no payment has is unknown. Exact amounts are matched: only those are confirmed.
 */
export function classifyStatement(
  read: readonly StatementLine[],
  input: {
    fingerprints: readonly string[]
    payments: ReadonlyMap<string, PaymentCandidate>
    recorded: ReadonlySet<string>
  },
): StatementPreview {
  const groups = Object.fromEntries(statementGroups.map((g) => [g, { count: 0, totalFen: 0n }])) as Record<
    StatementGroup,
    { count: number; totalFen: bigint }
  >
  const preview: StatementPreview = {
    lines: [],
    groups,
    debits: { count: 0, totalFen: 0n },
    ignored: 0,
    unreadable: [],
  }
  const taken = new Set<string>()
  let credit = 0
  for (const line of read) {
    if (line.kind === 'debit') {
      preview.debits.count++
      preview.debits.totalFen += line.amountFen
      continue
    }
    if (line.kind === 'ignored') {
      preview.ignored++
      continue
    }
    if (line.kind === 'unreadable') {
      preview.unreadable.push({ line: line.line, problem: line.problem })
      continue
    }
    const fingerprint = input.fingerprints[credit++]!
    const [reference] = line.references
    const payment = line.references.length === 1 ? (input.payments.get(reference!) ?? null) : null
    const put = (group: StatementGroup, reason: ClassifiedLine['reason']) => {
      groups[group].count++
      groups[group].totalFen += line.amountFen
      preview.lines.push({
        line: line.line,
        bookedOn: line.bookedOn,
        amountFen: line.amountFen,
        memo: line.memo,
        payer: line.payer,
        fingerprint,
        group,
        reason,
        reference: reference ?? null,
        payment,
      })
    }
    if (input.recorded.has(fingerprint)) put('duplicate', 'already_imported')
    else if (line.references.length === 0) put('unknown', 'no_reference')
    else if (line.references.length > 1) put('unknown', 'several_references')
    else if (!payment) put('unknown', 'unknown_reference')
    else if (payment.status === 'confirmed') put('duplicate', 'already_paid')
    else if (!CONFIRMABLE_ORDER_STATUSES.includes(payment.orderStatus)) put('closed', 'order_closed')
    else if (payment.awaitingAcceptance) put('unknown', 'awaiting_acceptance')
    else if (line.amountFen < payment.amountFen) put('short', 'short')
    else if (line.amountFen > payment.amountFen) put('over', 'over')
    else if (taken.has(payment.paymentId)) put('duplicate', 'twice_in_file')
    else {
      taken.add(payment.paymentId)
      put('matched', 'exact')
    }
  }
  return preview
}
