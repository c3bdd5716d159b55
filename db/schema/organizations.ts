import { sql } from 'drizzle-orm'
import { boolean, char, check, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { users } from './accounts'
import { regions } from './regions'

export const organizationKinds = [
  'cooperative',
  'enterprise',
  'gov_unit',
  'trade_union',
  'office',
  'platform',
] as const
export type OrganizationKind = (typeof organizationKinds)[number]

export const organizations = pgTable(
  'organizations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind', { enum: organizationKinds }).notNull(),
    name: text('name').notNull(),
    /** 统一社会信用代码, GB 32100 check digit validated at the boundary. */
    uscc: char('uscc', { length: 18 }).unique(),
    regionCode: char('region_code', { length: 6 })
      .notNull()
      .references(() => regions.code),
    contactName: text('contact_name'),
    contactPhone: text('contact_phone'),
    /** Who registered it (null for seeded and admin-created organisations). */
    submittedBy: uuid('submitted_by').references(() => users.id),
    verifiedAt: timestamp('verified_at', { withTimezone: true }),
    rejectedAt: timestamp('rejected_at', { withTimezone: true }),
    rejectedReason: text('rejected_reason'),
    reviewedBy: uuid('reviewed_by').references(() => users.id),
    /** Offices only: the region subtrees (codes) whose figures they may see, e.g. {350100, 621100}. */
    jurisdiction: text('jurisdiction')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /**
     * Supplier admission (cooperatives and enterprises), as on the 832 platform: an office whose jurisdiction covers
     * the organisation's county recommends it (县级推荐), then a platform admin verifies it; only then may it list
     * products for sale.
     */
    sellerRecommendedAt: timestamp('seller_recommended_at', { withTimezone: true }),
    sellerRecommendedBy: uuid('seller_recommended_by').references(() => users.id),
    /** The recommending office. */
    sellerRecommendingOrg: uuid('seller_recommending_org'),
    sellerVerifiedAt: timestamp('seller_verified_at', { withTimezone: true }),
    sellerVerifiedBy: uuid('seller_verified_by').references(() => users.id),
    /** Synthetic demo record: shown with a 演示 badge, refused in production mode. */
    isDemo: boolean('is_demo').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('organizations_region_code_idx').on(t.regionCode),
    check(
      'organizations_kind_check',
      sql`${t.kind} in ('cooperative', 'enterprise', 'gov_unit', 'trade_union', 'office', 'platform')`,
    ),
  ],
)
