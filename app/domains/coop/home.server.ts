import { and, asc, eq, gte, lte, ne, sql } from 'drizzle-orm'
import { countAll, type Db, toBigInt } from '../../../db/client.server'
import { products } from '../../../db/schema/catalog'
import { aidProductRollups } from '../../../db/schema/ledger'
import { sellerOrders } from '../../../db/schema/orders'
import { type Clock, shanghaiDate } from '../../utils/clock'
import {
  actsForCooperative,
  type ExpiringCertification,
  listExpiringCertifications,
  listingRoles,
  listListingsNeedingAttention,
  type OwnListing,
  sellerFor,
} from '../catalog/index.server'
import { EXPIRING_WITHIN_DAYS, LOW_STOCK_FLOOR, LOW_STOCK_MIN_ORDERS, lowStockThreshold } from './rules'
import { oldestFirst, sellerOrderRows, type SellerOrderView, toSellerOrderView } from './seller-orders.server'

export type LowStockItem = {
  productId: string
  sku: string
  name: string
  unit: string
  stock: number
  minOrderQty: number
  /** Below this it is low: max(10, 3 × minimum order). */
  threshold: number
}

export type CoopHome = {
  /** Today, Asia/Shanghai (YYYY-MM-DD). */
  today: string
  /** Paid seller orders: all of them are to ship until fulfilment (Cooperative console II) records shipping. */
  toShip: { count: number; oldest: SellerOrderView[] }
  lowStock: LowStockItem[]
  expiringCertifications: ExpiringCertification[]
  /**
   * This calendar month (Asia/Shanghai) so far, from the ledger's product rollups: units sold, and sales and household
   * credits net of refunds — decimal strings, as every sum the app sends (they may outgrow a JSON number).
   */
  month: { from: string; to: string; quantity: string; salesFen: string; householdCreditsFen: string }
  /** Listings waiting for review, or rejected with the reviewer's reason. */
  listings: OwnListing[]
}

/**
 * The cooperative console's home: what needs doing today and how the month goes. Null when the actor does not act
 * for the cooperative. The month's figures come from aid_product_rollups, which the ledger keeps in the confirming
 * (and refunding) transaction — never from a sum over the entries (docs/architecture.md §5).
 */
export async function getCoopHome(
  db: Db,
  input: { orgId: string; actorUserId: string },
  clock: Clock,
): Promise<CoopHome | null> {
  const seller = await sellerFor(db, input.orgId, input.actorUserId, listingRoles)
  if (!seller) return null
  const today = shanghaiDate(clock.now())
  const monthStart = `${today.slice(0, 7)}-01`
  const member = actsForCooperative(input.orgId, input.actorUserId, listingRoles)
  const paid = eq(sellerOrders.status, 'paid')

  const [oldest, [shipCount], low, expiring, [month], listings] = await Promise.all([
    sellerOrderRows(db, input, paid)
      .orderBy(...oldestFirst())
      .limit(5),
    db
      .select({ n: countAll })
      .from(sellerOrders)
      .where(and(eq(sellerOrders.sellerOrgId, seller.id), member, paid)),
    db
      .select({
        productId: products.id,
        sku: products.sku,
        name: products.name,
        unit: products.unit,
        stock: products.stock,
        minOrderQty: products.minOrderQty,
      })
      .from(products)
      .where(
        and(
          eq(products.orgId, seller.id),
          member,
          ne(products.status, 'archived'),
          // The same rule as lowStockThreshold, in SQL.
          sql`${products.stock} < greatest(${LOW_STOCK_FLOOR}::int, ${LOW_STOCK_MIN_ORDERS}::int * ${products.minOrderQty})`,
        ),
      )
      .orderBy(asc(products.stock), asc(products.sku)),
    listExpiringCertifications(db, input, today, EXPIRING_WITHIN_DAYS),
    db
      .select({
        quantity: sql<string>`coalesce(sum(${aidProductRollups.quantity}), 0)::text`,
        amountFen: sql<string>`coalesce(sum(${aidProductRollups.amountFen}), 0)::text`,
        proceedsFen: sql<string>`coalesce(sum(${aidProductRollups.proceedsFen}), 0)::text`,
      })
      .from(aidProductRollups)
      .where(
        and(
          eq(aidProductRollups.sellerOrgId, seller.id),
          member,
          gte(aidProductRollups.day, monthStart),
          lte(aidProductRollups.day, today),
        ),
      ),
    listListingsNeedingAttention(db, input, today),
  ])
  return {
    today,
    toShip: { count: shipCount?.n ?? 0, oldest: oldest.map(toSellerOrderView) },
    lowStock: low.map((row) => ({ ...row, threshold: lowStockThreshold(row.minOrderQty) })),
    expiringCertifications: expiring,
    month: {
      from: monthStart,
      to: today,
      quantity: toBigInt(month?.quantity).toString(),
      salesFen: toBigInt(month?.amountFen).toString(),
      householdCreditsFen: toBigInt(month?.proceedsFen).toString(),
    },
    listings,
  }
}
