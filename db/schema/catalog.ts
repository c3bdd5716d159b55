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
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core'
import { productCategories } from '../../app/domains/catalog/index'
import { users } from './accounts'
import { files } from './files'
import { organizations } from './organizations'
import { regions } from './regions'

export const baseKinds = ['帮扶基地', '帮扶车间'] as const

/** Where goods are grown or made (帮扶基地 / 帮扶车间). */
export const bases = pgTable(
  'bases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id),
    name: text('name').notNull(),
    kind: text('kind', { enum: baseKinds }).notNull(),
    regionCode: char('region_code', { length: 6 })
      .notNull()
      .references(() => regions.code),
    description: text('description').notNull().default(''),
    isDemo: boolean('is_demo').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** An archived base stays on the products that named it; it is offered for no new product. */
    archivedAt: timestamp('archived_at', { withTimezone: true }),
  },
  (t) => [index('bases_org_id_idx').on(t.orgId)],
)

export { productCategories, type ProductCategory } from '../../app/domains/catalog/index'

export const productStatuses = ['draft', 'pending', 'active', 'rejected', 'archived'] as const
export type ProductStatus = (typeof productStatuses)[number]

/** GI status as documented: only `confirmed` may show a GI badge. */
export const giStatuses = ['confirmed', 'reported', 'in_process', 'none_found', 'not_applicable'] as const
export type GiStatus = (typeof giStatuses)[number]

export const products = pgTable(
  'products',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id),
    baseId: uuid('base_id').references(() => bases.id),
    sku: text('sku').notNull().unique(),
    slug: text('slug').notNull().unique(),
    name: text('name').notNull(),
    alias: text('alias'),
    description: text('description').notNull().default(''),
    category: text('category', { enum: productCategories }).notNull(),
    /** A county, or a city that has no counties (e.g. 舟山市 for 舟山带鱼). */
    originCode: char('origin_code', { length: 6 })
      .notNull()
      .references(() => regions.code),
    unit: text('unit').notNull(),
    priceFen: bigint('price_fen', { mode: 'bigint' }).notNull(),
    stock: integer('stock').notNull().default(0),
    minOrderQty: integer('min_order_qty').notNull().default(1),
    status: text('status', { enum: productStatuses }).notNull().default('draft'),
    giStatus: text('gi_status', { enum: giStatuses }).notNull().default('none_found'),
    giDetail: text('gi_detail'),
    otherRecognition: text('other_recognition'),
    /** Ids in the seed's SOURCES.md backing the facts shown for this product. */
    sourceIds: text('source_ids')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    isDemo: boolean('is_demo').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** The price the last approval saw: a later change of more than 30% from it sends the listing back to review. */
    approvedPriceFen: bigint('approved_price_fen', { mode: 'bigint' }),
    /** When the cooperative last submitted it for review (pending since). */
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    reviewedBy: uuid('reviewed_by').references(() => users.id),
    /** Why the last review rejected it, shown to the cooperative until it is submitted again. */
    rejectionReason: text('rejection_reason'),
  },
  (t) => [
    index('products_org_id_idx').on(t.orgId),
    index('products_status_idx').on(t.status),
    index('products_origin_code_idx').on(t.originCode),
    index('products_category_idx').on(t.category),
    check('products_price_positive', sql`${t.priceFen} > 0`),
    check('products_stock_non_negative', sql`${t.stock} >= 0`),
    check('products_min_order_qty_positive', sql`${t.minOrderQty} >= 1`),
    check(
      'products_status_check',
      sql`${t.status} in ('draft', 'pending', 'active', 'rejected', 'archived')`,
    ),
    check(
      'products_gi_status_check',
      sql`${t.giStatus} in ('confirmed', 'reported', 'in_process', 'none_found', 'not_applicable')`,
    ),
  ],
)

/** Quantity breaks: from min_qty units on, every unit costs unit_price_fen. */
export const priceTiers = pgTable(
  'price_tiers',
  {
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    minQty: integer('min_qty').notNull(),
    unitPriceFen: bigint('unit_price_fen', { mode: 'bigint' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.productId, t.minQty] }),
    check('price_tiers_min_qty_check', sql`${t.minQty} >= 2`),
    check('price_tiers_price_positive', sql`${t.unitPriceFen} > 0`),
  ],
)

/** 带贫方式 printed on 帮扶产品 certificates; not the same list as a household's 利益联结. */
export const povertyReliefModes = ['工资性', '资产性', '经营性'] as const

/** 帮扶产品认定 history: the certificate valid on a date is the product's status on that date. */
export const certifications = pgTable(
  'certifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    number: text('number').notNull(),
    /** Certifying body as free text: certification followed provincial rules (county, city or province). */
    body: text('body').notNull(),
    validFrom: date('valid_from').notNull(),
    validUntil: date('valid_until').notNull(),
    reliefMode: text('relief_mode', { enum: povertyReliefModes }).notNull(),
    /** The certificate's scan or PDF, in the files store (content hash key). */
    evidenceFile: text('evidence_file').references(() => files.key),
    createdBy: uuid('created_by').references(() => users.id),
    isDemo: boolean('is_demo').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('certifications_product_id_idx').on(t.productId),
    check('certifications_period_check', sql`${t.validUntil} >= ${t.validFrom}`),
    check('certifications_relief_mode_check', sql`${t.reliefMode} in ('工资性', '资产性', '经营性')`),
  ],
)

export const stockMovementKinds = ['restock', 'stocktake', 'loss'] as const
export type StockMovementKind = (typeof stockMovementKinds)[number]

/**
 * Stock changed by hand, with its reason (入库 restock, 盘点 stocktake, 损耗 loss) and the available stock after it.
 * Orders move stock themselves (reserve, release); this is the history of everything else.
 */
export const stockMovements = pgTable(
  'stock_movements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    kind: text('kind', { enum: stockMovementKinds }).notNull(),
    /** Signed: what the movement added to (or took from) the available stock. */
    change: integer('change').notNull(),
    stockAfter: integer('stock_after').notNull(),
    note: text('note').notNull().default(''),
    actorUserId: uuid('actor_user_id')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('stock_movements_product_idx').on(t.productId, t.createdAt),
    check('stock_movements_kind_check', sql`${t.kind} in ('restock', 'stocktake', 'loss')`),
    check('stock_movements_stock_after_check', sql`${t.stockAfter} >= 0`),
  ],
)

/**
 * A product's photos, in order (position 1 is the cover): each upload re-encoded to WebP in two sizes, stored in the
 * files store by content hash.
 */
export const productPhotos = pgTable(
  'product_photos',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    cardFile: text('card_file')
      .notNull()
      .references(() => files.key),
    pageFile: text('page_file')
      .notNull()
      .references(() => files.key),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('product_photos_product_idx').on(t.productId, t.position),
    check('product_photos_position_check', sql`${t.position} between 1 and 8`),
  ],
)
