import { type SQL, sql, type SQLWrapper } from 'drizzle-orm'

/**
 * Whether a product promises households a share: only while it has beneficiaries. A rule with no household behind
 * it would be recorded as proceeds and credited to no one; the cart and placeOrder read the rule under this
 * condition, and the product page shows no promise when it counts no household.
 */
export function hasBeneficiaries(productId: SQLWrapper): SQL {
  return sql`exists (select 1 from product_beneficiaries b where b.product_id = ${productId} and b.unlinked_at is null)`
}
