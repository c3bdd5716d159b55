import { sql } from 'drizzle-orm'
import {
  bigint,
  boolean,
  char,
  check,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { users } from './accounts'
import { products } from './catalog'
import { organizations } from './organizations'
import { regions } from './regions'

/** One open cart per user; checkout turns its items into an order. */
export const carts = pgTable('carts', {
  id: uuid('id').primaryKey().defaultRandom(),
  userId: uuid('user_id')
    .notNull()
    .unique()
    .references(() => users.id, { onDelete: 'cascade' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
})

export const cartItems = pgTable(
  'cart_items',
  {
    cartId: uuid('cart_id')
      .notNull()
      .references(() => carts.id, { onDelete: 'cascade' }),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    qty: integer('qty').notNull(),
    /** Lines are shown in the order they were first added. */
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.cartId, t.productId] }),
    check('cart_items_qty_positive', sql`${t.qty} > 0`),
  ],
)

export const buyerChannels = ['consumer', 'gov_unit', 'trade_union', 'enterprise'] as const
export type BuyerChannel = (typeof buyerChannels)[number]
export const orderTerms = ['prepaid', 'on_account'] as const
export const fulfilmentStates = ['none', 'shipped', 'delivered', 'received'] as const
export type FulfilmentState = (typeof fulfilmentStates)[number]
export const orderStatuses = ['pending_payment', 'paid', 'cancelled', 'expired'] as const
export type OrderStatus = (typeof orderStatuses)[number]

/**
 * The running part of human order numbers (XFyyyymmdd-NNNNNN). A sequence, not a random draw: a unique
 * violation inside placeOrder would abort its whole transaction.
 */
export const orderNumberSeq = pgSequence('order_number_seq', { startWith: 1, minValue: 1 })

export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    number: text('number').notNull().unique(),
    buyerUserId: uuid('buyer_user_id')
      .notNull()
      .references(() => users.id),
    buyerOrgId: uuid('buyer_org_id').references(() => organizations.id),
    buyerChannel: text('buyer_channel', { enum: buyerChannels }).notNull(),
    /** The unit's region, or the consumer's delivery county (docs/architecture.md §4). */
    buyerRegionCode: char('buyer_region_code', { length: 6 })
      .notNull()
      .references(() => regions.code),
    terms: text('terms', { enum: orderTerms }).notNull(),
    status: text('status', { enum: orderStatuses }).notNull(),
    subtotalFen: bigint('subtotal_fen', { mode: 'bigint' }).notNull(),
    proceedsFen: bigint('proceeds_fen', { mode: 'bigint' }).notNull(),
    delivery: jsonb('delivery').notNull(),
    invoice: jsonb('invoice'),
    poNumber: text('po_number'),
    /** Prepaid: the end of the payment window. On account: set when the unit accepts the goods (null before). */
    paymentDueAt: timestamp('payment_due_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    paidAt: timestamp('paid_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
  },
  (t) => [
    index('orders_buyer_user_id_idx').on(t.buyerUserId),
    index('orders_status_due_idx').on(t.status, t.paymentDueAt),
    check('orders_number_format', sql`${t.number} ~ '^XF[0-9]{8}-[0-9]{6}$'`),
    check(
      'orders_buyer_channel_check',
      sql`${t.buyerChannel} in ('consumer', 'gov_unit', 'trade_union', 'enterprise')`,
    ),
    check('orders_terms_check', sql`${t.terms} in ('prepaid', 'on_account')`),
    check('orders_status_check', sql`${t.status} in ('pending_payment', 'paid', 'cancelled', 'expired')`),
    check('orders_subtotal_non_negative', sql`${t.subtotalFen} >= 0`),
    check('orders_proceeds_range', sql`${t.proceedsFen} between 0 and ${t.subtotalFen}`),
  ],
)

/** One per seller (cooperative) in an order: what that seller fulfils. */
export const sellerOrders = pgTable(
  'seller_orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    sellerOrgId: uuid('seller_org_id')
      .notNull()
      .references(() => organizations.id),
    subtotalFen: bigint('subtotal_fen', { mode: 'bigint' }).notNull(),
    status: text('status', { enum: orderStatuses }).notNull(),
    /** Where the goods are: none yet (awaiting shipment once paid), shipped, delivered, received by the buyer. */
    fulfilment: text('fulfilment', { enum: fulfilmentStates }).notNull().default('none'),
    shippedAt: timestamp('shipped_at', { withTimezone: true }),
    carrier: text('carrier'),
    trackingNumber: text('tracking_number'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    receivedAt: timestamp('received_at', { withTimezone: true }),
    /** Received by the buyer's confirmation, or automatically after the confirmation period. */
    receivedAutomatically: boolean('received_automatically').notNull().default(false),
  },
  (t) => [
    check(
      'seller_orders_fulfilment_check',
      sql`${t.fulfilment} in ('none', 'shipped', 'delivered', 'received')`,
    ),
    unique('seller_orders_order_seller_unique').on(t.orderId, t.sellerOrgId),
    index('seller_orders_seller_org_id_idx').on(t.sellerOrgId),
    check('seller_orders_subtotal_non_negative', sql`${t.subtotalFen} >= 0`),
    check(
      'seller_orders_status_check',
      sql`${t.status} in ('pending_payment', 'paid', 'cancelled', 'expired')`,
    ),
  ],
)

export const orderLines = pgTable(
  'order_lines',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    sellerOrderId: uuid('seller_order_id')
      .notNull()
      .references(() => sellerOrders.id),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    qty: integer('qty').notNull(),
    unitPriceFen: bigint('unit_price_fen', { mode: 'bigint' }).notNull(),
    amountFen: bigint('amount_fen', { mode: 'bigint' }).notNull(),
    proceedsFen: bigint('proceeds_fen', { mode: 'bigint' }).notNull(),
  },
  (t) => [
    unique('order_lines_order_product_unique').on(t.orderId, t.productId),
    index('order_lines_seller_order_id_idx').on(t.sellerOrderId),
    index('order_lines_product_id_idx').on(t.productId),
    check('order_lines_qty_positive', sql`${t.qty} > 0`),
    check('order_lines_unit_price_positive', sql`${t.unitPriceFen} > 0`),
    check('order_lines_amount_check', sql`${t.amountFen} = ${t.qty} * ${t.unitPriceFen}`),
    check('order_lines_proceeds_range', sql`${t.proceedsFen} between 0 and ${t.amountFen}`),
  ],
)

export const paymentProviders = ['bank_transfer', 'stripe'] as const
export type PaymentProvider = (typeof paymentProviders)[number]
export const paymentStatuses = ['pending', 'confirmed', 'flagged'] as const
export type PaymentStatus = (typeof paymentStatuses)[number]

export const payments = pgTable(
  'payments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    provider: text('provider', { enum: paymentProviders }).notNull(),
    /** What the payer quotes (bank transfer 附言) or the provider's session id. */
    reference: text('reference').notNull().unique(),
    amountFen: bigint('amount_fen', { mode: 'bigint' }).notNull(),
    status: text('status', { enum: paymentStatuses }).notNull().default('pending'),
    /** What actually arrived; differs from amount_fen on a flagged (short or over) payment. */
    receivedFen: bigint('received_fen', { mode: 'bigint' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    confirmedBy: uuid('confirmed_by').references(() => users.id),
  },
  (t) => [
    index('payments_order_id_idx').on(t.orderId),
    check('payments_provider_check', sql`${t.provider} in ('bank_transfer', 'stripe')`),
    check('payments_status_check', sql`${t.status} in ('pending', 'confirmed', 'flagged')`),
    check('payments_amount_positive', sql`${t.amountFen} > 0`),
    check('payments_received_non_negative', sql`${t.receivedFen} >= 0`),
  ],
)

/** The webhook inbox: a provider event is stored once, however often it is delivered. */
export const paymentEvents = pgTable(
  'payment_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    provider: text('provider', { enum: paymentProviders }).notNull(),
    providerEventId: text('provider_event_id').notNull(),
    payload: jsonb('payload').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    processedAt: timestamp('processed_at', { withTimezone: true }),
  },
  (t) => [
    unique('payment_events_provider_event_unique').on(t.provider, t.providerEventId),
    check('payment_events_provider_check', sql`${t.provider} in ('bank_transfer', 'stripe')`),
  ],
)

export const refunds = pgTable(
  'refunds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id),
    providerRefundId: text('provider_refund_id').notNull().unique(),
    amountFen: bigint('amount_fen', { mode: 'bigint' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('refunds_payment_id_idx').on(t.paymentId),
    check('refunds_amount_positive', sql`${t.amountFen} > 0`),
  ],
)

export const refundRequestStatuses = ['requested', 'refunded', 'declined', 'withdrawn'] as const

/**
 * A buyer's request to refund a seller order that has not shipped: it holds the seller order (it cannot ship while
 * the request is open) until finance refunds it or declines with a reason.
 */
export const refundRequests = pgTable(
  'refund_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sellerOrderId: uuid('seller_order_id')
      .notNull()
      .references(() => sellerOrders.id),
    requestedBy: uuid('requested_by')
      .notNull()
      .references(() => users.id),
    reason: text('reason').notNull(),
    status: text('status', { enum: refundRequestStatuses }).notNull(),
    refundId: uuid('refund_id').references(() => refunds.id),
    decidedBy: uuid('decided_by').references(() => users.id),
    decisionNote: text('decision_note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (t) => [
    index('refund_requests_seller_order_idx').on(t.sellerOrderId),
    uniqueIndex('refund_requests_open_unique')
      .on(t.sellerOrderId)
      .where(sql`${t.status} = 'requested'`),
    check(
      'refund_requests_status_check',
      sql`${t.status} in ('requested', 'refunded', 'declined', 'withdrawn')`,
    ),
  ],
)
