import { sql } from 'drizzle-orm'
import { bigserial, check, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core'

/**
 * Work to do after a commit, written in the same transaction as the change that causes it (the transactional
 * outbox): a product change records `search.product` with its sku, and the job loop applies it to the search index.
 * Nothing is lost if the process dies between the commit and the index update.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    topic: text('topic', { enum: ['search.product'] }).notNull(),
    key: text('key').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp('processed_at', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (t) => [
    index('outbox_pending_idx')
      .on(t.id)
      .where(sql`${t.processedAt} is null`),
    check('outbox_topic_check', sql`${t.topic} in ('search.product')`),
  ],
)
