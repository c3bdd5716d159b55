import { check, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { sql } from 'drizzle-orm'

/**
 * Files kept by the files service (product photos, certificate evidence, 验收 photos): the bytes live in the store
 * (DATA_DIR/uploads by default), named by the SHA-256 of their content; this row says what they are. The same
 * content uploaded twice is one file.
 */
export const files = pgTable(
  'files',
  {
    /** sha256 hex of the stored bytes, plus the extension: `<64 hex>.webp`. */
    key: text('key').primaryKey(),
    contentType: text('content_type').notNull(),
    bytes: integer('bytes').notNull(),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    check('files_key_format', sql`${t.key} ~ '^[0-9a-f]{64}\\.(webp|jpg|png|pdf)$'`),
    check('files_bytes_positive', sql`${t.bytes} > 0`),
  ],
)
