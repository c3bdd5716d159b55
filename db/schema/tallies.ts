import { sql } from 'drizzle-orm'
import { bigint, check, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { targets } from './targets'

export const tallyDimensions = ['helped', 'helper', 'channel', 'category', 'buyer', 'product', 'day'] as const
export type TallyDimension = (typeof tallyDimensions)[number]

/**
 * Per counted target, its ledger entries summed once per breakdown (helped county, helping region, channel, product
 * category, buyer organisation, product, day) up to `target_tally_heads.through_seq`: the dashboard and progress read
 * these plus the few entries after that seq, so their cost does not grow with the ledger (docs/architecture.md §5,
 * decision 026). Written only by the background job that folds new entries in; never by the confirming
 * transaction (no hot rows there).
 */
export const targetTallies = pgTable(
  'target_tallies',
  {
    targetId: uuid('target_id')
      .notNull()
      .references(() => targets.id, { onDelete: 'cascade' }),
    dimension: text('dimension', { enum: tallyDimensions }).notNull(),
    /** A region code, channel, category, organisation or product id, or an Asia/Shanghai date; '' for none. */
    key: text('key').notNull(),
    amountFen: bigint('amount_fen', { mode: 'bigint' }).notNull(),
    entries: integer('entries').notNull(),
  },
  (t) => [
    primaryKey({ name: 'target_tallies_pk', columns: [t.targetId, t.dimension, t.key] }),
    check(
      'target_tallies_dimension_check',
      sql`${t.dimension} in ('helped', 'helper', 'channel', 'category', 'buyer', 'product', 'day')`,
    ),
  ],
)

/** How far a target's tallies go (ledger seq) and for which scope: a changed scope starts them again from zero. */
export const targetTallyHeads = pgTable('target_tally_heads', {
  targetId: uuid('target_id')
    .primaryKey()
    .references(() => targets.id, { onDelete: 'cascade' }),
  throughSeq: bigint('through_seq', { mode: 'number' }).notNull().default(0),
  /** The scope the tallies were summed for (period, regions, channels, certified only), as JSON. */
  scope: text('scope').notNull(),
  refreshedAt: timestamp('refreshed_at', { withTimezone: true }).notNull(),
})
