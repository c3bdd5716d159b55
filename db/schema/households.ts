import { sql } from 'drizzle-orm'
import {
  bigint,
  boolean,
  char,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { users } from './accounts'
import { products } from './catalog'
import { organizations } from './organizations'
import { regions } from './regions'

export const householdStatuses = ['脱贫户', '防止返贫监测对象', '低收入农户'] as const
export const householdLinkages = ['订单收购', '务工就业', '入股分红', '土地流转', '其他'] as const

/**
 * 受益农户 on a cooperative's roster. The ID number is never stored in clear: id_cipher (AES-256-GCM, random IV)
 * and id_hmac (for duplicate detection) use separate sub-keys. Seeded households carry no ID number at all.
 */
export const households = pgTable(
  'households',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id),
    /** The roster's own reference, unique across the platform (e.g. HH-621126-0001). */
    code: text('code').notNull().unique(),
    regionCode: char('region_code', { length: 6 })
      .notNull()
      .references(() => regions.code),
    maskedName: text('masked_name').notNull(),
    idHmac: text('id_hmac'),
    idCipher: text('id_cipher'),
    members: smallint('members').notNull(),
    status: text('status', { enum: householdStatuses }).notNull(),
    linkage: text('linkage', { enum: householdLinkages }).notNull(),
    /** Village-level place inside the cooperative's county, as the roster writes it (e.g. 梅川镇马家沟村). */
    village: text('village').notNull().default(''),
    /** A household is deactivated, never deleted once credited: its credits stay in the ledger. */
    deactivatedAt: timestamp('deactivated_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }),
    isDemo: boolean('is_demo').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('households_org_id_idx').on(t.orgId),
    uniqueIndex('households_id_hmac_unique')
      .on(t.idHmac)
      .where(sql`${t.idHmac} is not null`),
    check('households_members_check', sql`${t.members} between 1 and 20`),
    check('households_status_check', sql`${t.status} in ('脱贫户', '防止返贫监测对象', '低收入农户')`),
    check(
      'households_linkage_check',
      sql`${t.linkage} in ('订单收购', '务工就业', '入股分红', '土地流转', '其他')`,
    ),
  ],
)

/**
 * Which households a product's proceeds are credited to, and in what proportion, with history: a link holds from
 * linked_at until unlinked_at (null while current). A changed weight ends the old link and starts a new one, so the
 * ledger's verifier can tell which households a product had on the day of any sale. Times come from the app's
 * clock (tests and the demo history run on injected clocks).
 */
export const productBeneficiaries = pgTable(
  'product_beneficiaries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    householdId: uuid('household_id')
      .notNull()
      .references(() => households.id),
    weight: integer('weight').notNull(),
    linkedAt: timestamp('linked_at', { withTimezone: true }).notNull(),
    unlinkedAt: timestamp('unlinked_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('product_beneficiaries_current_unique')
      .on(t.productId, t.householdId)
      .where(sql`${t.unlinkedAt} is null`),
    index('product_beneficiaries_product_id_idx').on(t.productId),
    index('product_beneficiaries_household_id_idx').on(t.householdId),
    check('product_beneficiaries_weight_positive', sql`${t.weight} > 0`),
    check(
      'product_beneficiaries_period_check',
      sql`${t.unlinkedAt} is null or ${t.unlinkedAt} > ${t.linkedAt}`,
    ),
  ],
)

export const proceedsRuleKinds = ['basis_points', 'fen_per_unit'] as const
export type ProceedsRuleKind = (typeof proceedsRuleKinds)[number]

/**
 * The share of every sale credited to the product's households: basis points of the line amount (floored),
 * or a fixed number of fen per unit (capped at the line amount).
 */
export const proceedsRules = pgTable(
  'proceeds_rules',
  {
    productId: uuid('product_id')
      .primaryKey()
      .references(() => products.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: proceedsRuleKinds }).notNull(),
    basisPoints: integer('basis_points'),
    fenPerUnit: bigint('fen_per_unit', { mode: 'bigint' }),
  },
  (t) => [
    check(
      'proceeds_rules_shape_check',
      sql`(${t.kind} = 'basis_points' and ${t.basisPoints} between 0 and 10000 and ${t.fenPerUnit} is null)
       or (${t.kind} = 'fen_per_unit' and ${t.fenPerUnit} >= 0 and ${t.basisPoints} is null)`,
    ),
  ],
)

/**
 * Every change of a product's proceeds rule, in order: the rule in force from `changed_at` (a null kind: no rule).
 * An order placed before a change keeps its promise — its lines carry their proceeds — so this is the record of
 * what was promised when, for the cooperative and for the verifier.
 */
export const proceedsRuleChanges = pgTable(
  'proceeds_rule_changes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: proceedsRuleKinds }),
    basisPoints: integer('basis_points'),
    fenPerUnit: bigint('fen_per_unit', { mode: 'bigint' }),
    changedBy: uuid('changed_by').references(() => users.id),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('proceeds_rule_changes_product_idx').on(t.productId, t.changedAt)],
)

export const importStatuses = ['previewed', 'running', 'done', 'failed'] as const

/**
 * A file import (households today): previewed first (every bad row listed, nothing written), then run all or
 * nothing, with progress the page polls.
 */
export const importJobs = pgTable(
  'import_jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id),
    kind: text('kind').notNull(),
    status: text('status', { enum: importStatuses }).notNull(),
    fileName: text('file_name').notNull(),
    totalRows: integer('total_rows').notNull(),
    doneRows: integer('done_rows').notNull().default(0),
    /** Bad rows: [{ line, field, reason }] (no personal data: reasons are message keys). */
    problems: jsonb('problems')
      .notNull()
      .default(sql`'[]'::jsonb`),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    index('import_jobs_org_idx').on(t.orgId, t.createdAt),
    check('import_jobs_status_check', sql`${t.status} in ('previewed', 'running', 'done', 'failed')`),
  ],
)
