import { sql } from 'drizzle-orm'
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  pgTable,
  text,
  uuid,
  timestamp,
} from 'drizzle-orm/pg-core'
import { users } from './accounts'
import { organizations } from './organizations'

/**
 * demo: seeded, labelled 演示; reference: documented historical targets (quoted, never computed); office: made and
 * kept by an office on its dashboard (decision 024). demo and office targets are counted.
 */
export const targetKinds = ['demo', 'reference', 'office'] as const
export type TargetKind = (typeof targetKinds)[number]
export const targetMetrics = ['amount_fen', 'people'] as const
export type TargetMetric = (typeof targetMetrics)[number]
export const buyerChannels = ['consumer', 'gov_unit', 'trade_union', 'enterprise'] as const
export type BuyerChannel = (typeof buyerChannels)[number]

/**
 * 目标任务. A target computes progress over its own scope; a parent is not the sum of its children.
 * Empty scope arrays mean "any". Periods are Asia/Shanghai calendar dates, both ends inclusive.
 */
export const targets = pgTable(
  'targets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Stable natural key, e.g. demo-2026-fz-dx. */
    key: text('key').notNull().unique(),
    parentId: uuid('parent_id').references((): AnyPgColumn => targets.id),
    name: text('name').notNull(),
    kind: text('kind', { enum: targetKinds }).notNull(),
    metric: text('metric', { enum: targetMetrics }).notNull(),
    /** Fen for amount_fen, persons for people. */
    goal: bigint('goal', { mode: 'bigint' }).notNull(),
    periodStart: date('period_start').notNull(),
    periodEnd: date('period_end').notNull(),
    helpedCodes: text('helped_codes')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    helperCodes: text('helper_codes')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    buyerChannels: text('buyer_channels')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    certifiedOnly: boolean('certified_only').notNull().default(false),
    sourceText: text('source_text'),
    sourceIds: text('source_ids')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Reference targets: documented outcomes, quoted with their source; never computed progress. */
    documentedOutcomes: text('documented_outcomes')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    sortOrder: integer('sort_order').notNull().default(0),
    /** The office that made and keeps an office target (null for demo and reference targets). */
    ownerOrgId: uuid('owner_org_id').references(() => organizations.id),
    createdBy: uuid('created_by').references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }),
  },
  (t) => [
    index('targets_parent_id_idx').on(t.parentId),
    check('targets_kind_check', sql`${t.kind} in ('demo', 'reference', 'office')`),
    check('targets_office_owner_check', sql`(${t.kind} = 'office') = (${t.ownerOrgId} is not null)`),
    index('targets_owner_org_id_idx').on(t.ownerOrgId),
    check('targets_metric_check', sql`${t.metric} in ('amount_fen', 'people')`),
    check('targets_goal_positive', sql`${t.goal} > 0`),
    check('targets_period_check', sql`${t.periodEnd} >= ${t.periodStart}`),
  ],
)

/** The columns that decide which ledger entries count toward a target (its scope), as one select list. */
export const targetScopeColumns = {
  id: targets.id,
  periodStart: targets.periodStart,
  periodEnd: targets.periodEnd,
  helpedCodes: targets.helpedCodes,
  helperCodes: targets.helperCodes,
  buyerChannels: targets.buyerChannels,
  certifiedOnly: targets.certifiedOnly,
}
