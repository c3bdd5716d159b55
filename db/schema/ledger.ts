import { sql } from 'drizzle-orm'
import {
  bigint,
  boolean,
  char,
  check,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { households } from './households'
import { payments, refunds } from './orders'
import { targets } from './targets'

/** 直接采购 (a unit's own purchase) or 帮助销售 (consumer sales through the channel), docs/architecture.md §5. */
export const aidCategories = ['direct_purchase', 'sales_assist'] as const
export type AidCategory = (typeof aidCategories)[number]
export const aidEntryKinds = ['sale', 'reversal'] as const

/**
 * The consumption-aid ledger (docs/architecture.md §5): one entry per confirmed order line, one reversing entry per refunded
 * line; append-only (triggers) and hash-chained (`seq`, `prev_hash`, `hash`, head in chain_heads 'ledger').
 * Amounts are signed: a reversal carries negative amount and proceeds. Every column the hash covers is here, so
 * the chain can be recomputed from this table alone; order ids are references, not foreign keys, because the
 * ledger must outlive whatever it counts.
 */
export const aidEntries = pgTable(
  'aid_entries',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    kind: text('kind', { enum: aidEntryKinds }).notNull(),
    /** When the payment was confirmed (sale) or the refund made (reversal); app clock, UTC. */
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    /** The Asia/Shanghai date of occurred_at: rollups and target periods count by it. */
    day: date('day').notNull(),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id),
    refundId: uuid('refund_id').references(() => refunds.id),
    orderId: uuid('order_id').notNull(),
    orderLineId: uuid('order_line_id').notNull(),
    productId: uuid('product_id').notNull(),
    sellerOrgId: uuid('seller_org_id').notNull(),
    /** The helped county the product comes from. */
    originCode: char('origin_code', { length: 6 }).notNull(),
    buyerOrgId: uuid('buyer_org_id'),
    /** The buyer's region (a unit's region or the consumer's delivery county): the helper side. */
    buyerRegionCode: char('buyer_region_code', { length: 6 }).notNull(),
    buyerChannel: text('buyer_channel').notNull(),
    /** Whether the product held a valid 帮扶产品 certificate on the day of the sale. */
    certified: boolean('certified').notNull(),
    aidCategory: text('aid_category', { enum: aidCategories }).notNull(),
    productCategory: text('product_category').notNull(),
    /** The most specific documented pairing of buyer region and origin; null when none matches (never invented). */
    pairingId: text('pairing_id'),
    quantity: integer('quantity').notNull(),
    amountFen: bigint('amount_fen', { mode: 'bigint' }).notNull(),
    proceedsFen: bigint('proceeds_fen', { mode: 'bigint' }).notNull(),
    /**
     * What the hash covers: 1 = the entry's columns (entries written before credits were hashed); 2 = the columns
     * and the entry's household credits (household, amount). Old entries keep their version: nothing published is
     * re-chained.
     */
    payloadVersion: smallint('payload_version').notNull().default(1),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull().unique(),
  },
  (t) => [
    // A line counts once; a refund reverses a line at most once.
    uniqueIndex('aid_entries_sale_line_unique')
      .on(t.orderLineId)
      .where(sql`${t.kind} = 'sale'`),
    uniqueIndex('aid_entries_reversal_unique')
      .on(t.refundId, t.orderLineId)
      .where(sql`${t.kind} = 'reversal'`),
    index('aid_entries_payment_id_idx').on(t.paymentId),
    index('aid_entries_day_idx').on(t.day),
    check('aid_entries_seq_positive', sql`${t.seq} > 0`),
    check('aid_entries_kind_check', sql`${t.kind} in ('sale', 'reversal')`),
    check('aid_entries_category_check', sql`${t.aidCategory} in ('direct_purchase', 'sales_assist')`),
    check(
      'aid_entries_sign_check',
      sql`(${t.kind} = 'sale' and ${t.amountFen} >= 0 and ${t.proceedsFen} between 0 and ${t.amountFen} and ${t.refundId} is null)
        or (${t.kind} = 'reversal' and ${t.amountFen} <= 0 and ${t.proceedsFen} between ${t.amountFen} and 0 and ${t.refundId} is not null)`,
    ),
    check('aid_entries_payload_version_check', sql`${t.payloadVersion} in (1, 2)`),
    check('aid_entries_hash_format', sql`${t.hash} ~ '^[0-9a-f]{64}$' and ${t.prevHash} ~ '^[0-9a-f]{64}$'`),
  ],
)

/** What each household was credited by an entry (largest-remainder split of its proceeds; signed like it). */
export const householdCredits = pgTable(
  'household_credits',
  {
    entrySeq: bigint('entry_seq', { mode: 'number' })
      .notNull()
      .references(() => aidEntries.seq),
    householdId: uuid('household_id')
      .notNull()
      .references(() => households.id),
    amountFen: bigint('amount_fen', { mode: 'bigint' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.entrySeq, t.householdId] }),
    index('household_credits_household_id_idx').on(t.householdId),
  ],
)

/**
 * Sums of entries by Asia/Shanghai day × helped county × helper (buyer) region × channel × category × product
 * category × certified, kept in the confirming transaction. Dashboards and public pages read only these.
 */
export const aidRollups = pgTable(
  'aid_rollups',
  {
    day: date('day').notNull(),
    helpedCode: char('helped_code', { length: 6 }).notNull(),
    helperCode: char('helper_code', { length: 6 }).notNull(),
    buyerChannel: text('buyer_channel').notNull(),
    aidCategory: text('aid_category', { enum: aidCategories }).notNull(),
    productCategory: text('product_category').notNull(),
    certified: boolean('certified').notNull(),
    amountFen: bigint('amount_fen', { mode: 'bigint' }).notNull(),
    proceedsFen: bigint('proceeds_fen', { mode: 'bigint' }).notNull(),
    entries: integer('entries').notNull(),
  },
  (t) => [
    primaryKey({
      name: 'aid_rollups_pk',
      columns: [
        t.day,
        t.helpedCode,
        t.helperCode,
        t.buyerChannel,
        t.aidCategory,
        t.productCategory,
        t.certified,
      ],
    }),
  ],
)

/** Households a target has reached: the first entry that credited them within the target's scope and period. */
export const targetReach = pgTable(
  'target_reach',
  {
    targetId: uuid('target_id')
      .notNull()
      .references(() => targets.id),
    householdId: uuid('household_id')
      .notNull()
      .references(() => households.id),
    firstSeq: bigint('first_seq', { mode: 'number' }).notNull(),
    /** The household's members when first reached (people reached = the sum). */
    members: smallint('members').notNull(),
  },
  (t) => [primaryKey({ columns: [t.targetId, t.householdId] })],
)

/**
 * Sums of entries by Asia/Shanghai day × product (× channel × certified), kept in the confirming transaction like
 * aid_rollups: a cooperative's sales and household credits, and sales by product, are read from here.
 */
export const aidProductRollups = pgTable(
  'aid_product_rollups',
  {
    day: date('day').notNull(),
    productId: uuid('product_id').notNull(),
    sellerOrgId: uuid('seller_org_id').notNull(),
    buyerChannel: text('buyer_channel').notNull(),
    certified: boolean('certified').notNull(),
    quantity: bigint('quantity', { mode: 'bigint' }).notNull(),
    amountFen: bigint('amount_fen', { mode: 'bigint' }).notNull(),
    proceedsFen: bigint('proceeds_fen', { mode: 'bigint' }).notNull(),
    entries: integer('entries').notNull(),
  },
  (t) => [
    primaryKey({
      name: 'aid_product_rollups_pk',
      columns: [t.day, t.productId, t.buyerChannel, t.certified],
    }),
    index('aid_product_rollups_seller_idx').on(t.sellerOrgId, t.day),
  ],
)

/**
 * Sums of entries by Asia/Shanghai day × buyer organisation × helped county (× channel × certified), for entries
 * with a buyer organisation: a unit's counted purchases (its reserved-share progress) and the offices' breakdown by
 * buyer unit are read from here, never from a raw sum over the entries.
 */
export const aidBuyerRollups = pgTable(
  'aid_buyer_rollups',
  {
    day: date('day').notNull(),
    buyerOrgId: uuid('buyer_org_id').notNull(),
    helpedCode: char('helped_code', { length: 6 }).notNull(),
    buyerChannel: text('buyer_channel').notNull(),
    certified: boolean('certified').notNull(),
    amountFen: bigint('amount_fen', { mode: 'bigint' }).notNull(),
    proceedsFen: bigint('proceeds_fen', { mode: 'bigint' }).notNull(),
    entries: integer('entries').notNull(),
  },
  (t) => [
    primaryKey({
      name: 'aid_buyer_rollups_pk',
      columns: [t.buyerOrgId, t.day, t.helpedCode, t.buyerChannel, t.certified],
    }),
  ],
)

/**
 * The ledger head as published once per Asia/Shanghai day (the job loop; decision 024): a history anyone can hold
 * the chain to with `npm run ledger:verify -- --expect SEQ:HASH`. One row per day, written once, never changed.
 */
export const ledgerPublishedHeads = pgTable('ledger_published_heads', {
  day: date('day').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  hash: text('hash').notNull(),
  /** When the head was last moved (the chain head's time), and when it was published. */
  headAt: timestamp('head_at', { withTimezone: true }),
  publishedAt: timestamp('published_at', { withTimezone: true }).notNull(),
})
