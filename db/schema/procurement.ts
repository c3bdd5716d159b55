import { sql } from 'drizzle-orm'
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  smallint,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core'
import { users } from './accounts'
import { products } from './catalog'
import { files } from './files'
import { orderLines, orders, sellerOrders } from './orders'
import { organizations } from './organizations'

/**
 * A unit's year plan for the reserved share (预留份额): the year's canteen food-procurement base, the share reserved
 * for products of formerly poor areas (at least 10%, in basis points), whether the unit has no canteen, and the unit
 * whose canteen it shares (a representative unit reports for several).
 */
export const procurementPlans = pgTable(
  'procurement_plans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id),
    year: smallint('year').notNull(),
    baseFen: bigint('base_fen', { mode: 'bigint' }).notNull(),
    reservedShareBp: integer('reserved_share_bp').notNull().default(1000),
    noCanteen: boolean('no_canteen').notNull().default(false),
    representativeOrgId: uuid('representative_org_id').references(() => organizations.id),
    updatedBy: uuid('updated_by').references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    unique('procurement_plans_org_year_unique').on(t.orgId, t.year),
    check('procurement_plans_base_check', sql`${t.baseFen} >= 0`),
    check('procurement_plans_share_check', sql`${t.reservedShareBp} between 1000 and 10000`),
    check('procurement_plans_year_check', sql`${t.year} between 2000 and 2100`),
  ],
)

export const externalPurchaseKinds = ['unit', 'staff'] as const

/**
 * Purchases of aid products a unit made elsewhere (the 832 platform, a fair), recorded with evidence so that the plan
 * page shows the whole year; `staff` rows are a trade union's 职工消费帮扶, shown apart from the unit's share.
 */
export const externalPurchases = pgTable(
  'external_purchases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id),
    kind: text('kind', { enum: externalPurchaseKinds }).notNull().default('unit'),
    purchasedOn: date('purchased_on').notNull(),
    channel: text('channel').notNull(),
    description: text('description').notNull(),
    amountFen: bigint('amount_fen', { mode: 'bigint' }).notNull(),
    evidenceFile: text('evidence_file')
      .notNull()
      .references(() => files.key),
    recordedBy: uuid('recorded_by')
      .notNull()
      .references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('external_purchases_org_idx').on(t.orgId, t.purchasedOn),
    check('external_purchases_kind_check', sql`${t.kind} in ('unit', 'staff')`),
    check('external_purchases_amount_check', sql`${t.amountFen} > 0`),
  ],
)

export const requisitionStatuses = [
  'pending_approval',
  'approved',
  'rejected',
  'ordered',
  'cancelled',
] as const
export type RequisitionStatus = (typeof requisitionStatuses)[number]

/** The running part of requisition numbers (QGyyyymmdd-NNNNNN), like order numbers. */
export const requisitionNumberSeq = pgSequence('requisition_number_seq', { startWith: 1, minValue: 1 })

/**
 * A requisition (请购单): a unit buyer's bulk order before it is an order. It reserves nothing; within the buyer's
 * spending limit it goes straight to ordering, above it an approver of the same unit (never the requester) decides.
 */
export const requisitions = pgTable(
  'requisitions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    number: text('number').notNull().unique(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id),
    requesterUserId: uuid('requester_user_id')
      .notNull()
      .references(() => users.id),
    status: text('status', { enum: requisitionStatuses }).notNull(),
    totalFen: bigint('total_fen', { mode: 'bigint' }).notNull(),
    /** The requester's spending limit when submitted: what decided whether approval was needed. */
    limitFen: bigint('limit_fen', { mode: 'bigint' }).notNull(),
    delivery: jsonb('delivery').notNull(),
    poNumber: text('po_number'),
    invoice: jsonb('invoice').notNull(),
    notes: text('notes').notNull().default(''),
    orderId: uuid('order_id').references(() => orders.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decidedBy: uuid('decided_by').references(() => users.id),
    decisionComment: text('decision_comment'),
  },
  (t) => [
    index('requisitions_org_status_idx').on(t.orgId, t.status),
    index('requisitions_requester_idx').on(t.requesterUserId),
    check(
      'requisitions_status_check',
      sql`${t.status} in ('pending_approval', 'approved', 'rejected', 'ordered', 'cancelled')`,
    ),
    check('requisitions_total_check', sql`${t.totalFen} > 0`),
    check('requisitions_number_format', sql`${t.number} ~ '^QG[0-9]{8}-[0-9]{6}$'`),
    check(
      'requisitions_no_self_decision',
      sql`${t.decidedBy} is null or ${t.decidedBy} <> ${t.requesterUserId}`,
    ),
  ],
)

export const requisitionLines = pgTable(
  'requisition_lines',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    requisitionId: uuid('requisition_id')
      .notNull()
      .references(() => requisitions.id),
    lineNo: integer('line_no').notNull(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    qty: integer('qty').notNull(),
    unitPriceFen: bigint('unit_price_fen', { mode: 'bigint' }).notNull(),
    amountFen: bigint('amount_fen', { mode: 'bigint' }).notNull(),
  },
  (t) => [
    unique('requisition_lines_product_unique').on(t.requisitionId, t.productId),
    check('requisition_lines_qty_check', sql`${t.qty} > 0`),
    check('requisition_lines_amount_check', sql`${t.amountFen} = ${t.qty} * ${t.unitPriceFen}`),
  ],
)

/** What happened to a requisition, in order: submitted, approved or rejected (with the comment), ordered, cancelled. */
export const requisitionEvents = pgTable(
  'requisition_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    requisitionId: uuid('requisition_id')
      .notNull()
      .references(() => requisitions.id),
    action: text('action').notNull(),
    actorUserId: uuid('actor_user_id').references(() => users.id),
    comment: text('comment').notNull().default(''),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('requisition_events_requisition_idx').on(t.requisitionId, t.occurredAt)],
)

/**
 * What a user is told on the page and in the account's notification list: a message key with its values (translated
 * when shown), the subject it links to, and whether it was read.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    messageKey: text('message_key').notNull(),
    values: jsonb('values')
      .notNull()
      .default(sql`'{}'::jsonb`),
    /** Where the notification leads (a path inside the app). */
    link: text('link').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [index('notifications_user_idx').on(t.userId, t.createdAt)],
)

// ---------------------------------------------------------------------------------------------------------------
// Government procurement II (decision 022): 验收, disputes over rejected quantities, the unit's payment term.

/**
 * A unit's 验收 of one delivered seller order of its on-account order: recorded once and final (the unique seller
 * order). What it accepted is in acceptance_lines; photos are files of the files service.
 */
export const acceptances = pgTable(
  'acceptances',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sellerOrderId: uuid('seller_order_id')
      .notNull()
      .unique()
      .references(() => sellerOrders.id),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    acceptedBy: uuid('accepted_by')
      .notNull()
      .references(() => users.id),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }).notNull(),
    notes: text('notes'),
    acceptedFen: bigint('accepted_fen', { mode: 'bigint' }).notNull(),
    rejectedFen: bigint('rejected_fen', { mode: 'bigint' }).notNull(),
    /** Files (files.key) the unit attached: photos of what arrived. */
    photoKeys: text('photo_keys')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
  },
  (t) => [
    index('acceptances_order_id_idx').on(t.orderId),
    check('acceptances_amounts_check', sql`${t.acceptedFen} >= 0 and ${t.rejectedFen} >= 0`),
  ],
)

/**
 * One order line's accepted quantity; the ledger counts these (amount and proceeds of the accepted part) in place of
 * the ordered line for an on-account order.
 */
export const acceptanceLines = pgTable(
  'acceptance_lines',
  {
    orderLineId: uuid('order_line_id')
      .primaryKey()
      .references(() => orderLines.id),
    acceptanceId: uuid('acceptance_id')
      .notNull()
      .references(() => acceptances.id),
    acceptedQty: integer('accepted_qty').notNull(),
    rejectedQty: integer('rejected_qty').notNull(),
    acceptedAmountFen: bigint('accepted_amount_fen', { mode: 'bigint' }).notNull(),
    acceptedProceedsFen: bigint('accepted_proceeds_fen', { mode: 'bigint' }).notNull(),
  },
  (t) => [
    index('acceptance_lines_acceptance_id_idx').on(t.acceptanceId),
    check('acceptance_lines_qty_check', sql`${t.acceptedQty} >= 0 and ${t.rejectedQty} >= 0`),
    check(
      'acceptance_lines_amount_check',
      sql`${t.acceptedAmountFen} >= 0 and ${t.acceptedProceedsFen} between 0 and ${t.acceptedAmountFen}`,
    ),
  ],
)

export const disputeStatuses = ['open', 'returned', 'contested'] as const
export type DisputeStatus = (typeof disputeStatuses)[number]

/**
 * Rejected quantities of an acceptance: open until the cooperative answers — it accepts the return (the rejected
 * quantities go back to stock, once) or contests it with a note (closed as contested).
 */
export const disputes = pgTable(
  'disputes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    acceptanceId: uuid('acceptance_id')
      .notNull()
      .unique()
      .references(() => acceptances.id),
    sellerOrderId: uuid('seller_order_id')
      .notNull()
      .references(() => sellerOrders.id),
    sellerOrgId: uuid('seller_org_id')
      .notNull()
      .references(() => organizations.id),
    status: text('status', { enum: disputeStatuses }).notNull(),
    rejectedFen: bigint('rejected_fen', { mode: 'bigint' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    answeredBy: uuid('answered_by').references(() => users.id),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    answerNote: text('answer_note'),
  },
  (t) => [
    index('disputes_seller_org_status_idx').on(t.sellerOrgId, t.status),
    check('disputes_status_check', sql`${t.status} in ('open', 'returned', 'contested')`),
  ],
)

/** A unit's payment term (days from acceptance), 30 unless set; at most 60 (保障中小企业款项支付条例). */
export const unitPaymentTerms = pgTable(
  'unit_payment_terms',
  {
    orgId: uuid('org_id')
      .primaryKey()
      .references(() => organizations.id),
    days: smallint('days').notNull(),
    updatedBy: uuid('updated_by')
      .notNull()
      .references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [check('unit_payment_terms_days_check', sql`${t.days} between 1 and 60`)],
)
