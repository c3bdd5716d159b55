import { sql } from 'drizzle-orm'
import {
  bigint,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core'
import { users } from './accounts'
import { payments } from './orders'

/**
 * Bank statement import (issue 18 item 5, decision 023). Finance uploads the platform account's statement export;
 * each credit line is matched to a pending bank-transfer payment by the reference in its 附言 and its amount.
 */

/** A statement layout's column mapping, remembered by the signature of its header row. */
export const bankStatementLayouts = pgTable('bank_statement_layouts', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** sha256 of the normalised header cells: the same export layout has the same signature. */
  signature: text('signature').notNull().unique(),
  /** The header cells as they were read. */
  header: jsonb('header').notNull(),
  /** { date, credit, debit?, reference, payer?, txnId? }: column indexes (0-based). */
  mapping: jsonb('mapping').notNull(),
  createdBy: uuid('created_by')
    .notNull()
    .references(() => users.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
})

export const statementImportStatuses = ['mapping', 'ready', 'confirmed'] as const

/** One uploaded statement: its rows as read (the preview is computed from them against the payments as they are). */
export const bankStatementImports = pgTable(
  'bank_statement_imports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    fileName: text('file_name').notNull(),
    encoding: text('encoding').notNull(),
    signature: text('signature').notNull(),
    status: text('status', { enum: statementImportStatuses }).notNull(),
    /** The header row's cells and its line in the file. */
    header: jsonb('header').notNull(),
    headerLine: integer('header_line').notNull(),
    /** The rows below the header: [{ line, cells }]. */
    rows: jsonb('rows').notNull(),
    rowCount: integer('row_count').notNull(),
    uploadedBy: uuid('uploaded_by')
      .notNull()
      .references(() => users.id),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull(),
    /** The last time its matched lines were confirmed, and how many were confirmed then. */
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    confirmedCount: integer('confirmed_count').notNull().default(0),
  },
  (t) => [
    index('bank_statement_imports_uploaded_idx').on(t.uploadedAt),
    check('bank_statement_imports_status_check', sql`${t.status} in ('mapping', 'ready', 'confirmed')`),
  ],
)

/**
 * A statement line that confirmed a payment, stored once by its fingerprint (the bank's transaction id if the
 * layout has one, else date + amount + 附言 + payer + occurrence): importing the same line again confirms nothing.
 */
export const bankStatementLines = pgTable(
  'bank_statement_lines',
  {
    fingerprint: text('fingerprint').primaryKey(),
    importId: uuid('import_id')
      .notNull()
      .references(() => bankStatementImports.id),
    line: integer('line').notNull(),
    bookedOn: date('booked_on').notNull(),
    amountFen: bigint('amount_fen', { mode: 'bigint' }).notNull(),
    memo: text('memo').notNull(),
    payer: text('payer').notNull(),
    paymentId: uuid('payment_id')
      .notNull()
      .unique()
      .references(() => payments.id),
    recordedBy: uuid('recorded_by')
      .notNull()
      .references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [check('bank_statement_lines_amount_positive', sql`${t.amountFen} > 0`)],
)
