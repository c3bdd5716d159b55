import { sql } from 'drizzle-orm'
import { bigint, check, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'

/** A JSON value as stored in jsonb: what canonicalJson (app/services/hash-chain/canonical-json.ts) hashes. */
export type StoredJson = null | boolean | number | string | StoredJson[] | { [key: string]: StoredJson }

/**
 * The audit log: append-only and hash-chained (docs/architecture.md §5 "Hash chain", §8). Each row's hash covers the previous
 * row's hash and the canonical JSON of its own columns, so changing, removing, reordering or inserting a row breaks
 * the chain at that seq. Triggers (migration 0002) refuse UPDATE, DELETE and TRUNCATE.
 *
 * actor_user_id has no foreign key on purpose: the log must outlive the accounts it names, and an ON DELETE action
 * would have to update or delete rows here.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    /** 1, 2, 3, … without gaps: assigned under the chain head's row lock. */
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    actorUserId: uuid('actor_user_id'),
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id'),
    /** JSON-safe, no personal data beyond masked identifiers. */
    details: jsonb('details')
      .$type<{ [key: string]: StoredJson }>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull().unique(),
  },
  (t) => [
    check('audit_events_seq_positive', sql`${t.seq} > 0`),
    check('audit_events_hash_format', sql`${t.hash} ~ '^[0-9a-f]{64}$' and ${t.prevHash} ~ '^[0-9a-f]{64}$'`),
  ],
)

/**
 * The head of each hash chain ('audit', later the ledger): its last seq and hash. Appending locks this row (taken
 * last in the transaction), which makes seq gap-free under concurrency; published, it lets a verifier notice a
 * rewritten tail. Rows may be updated, never deleted (trigger).
 */
export const chainHeads = pgTable('chain_heads', {
  chain: text('chain').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull().default(0),
  hash: text('hash').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
})
