/**
 * Low stock, as the console home flags it (decision 015): fewer units than three minimum orders, and never fewer
 * than 10 — a product sold by the box with a minimum of 1 is low at 9 boxes, one with a minimum of 20 at 59.
 */
export const LOW_STOCK_FLOOR = 10
export const LOW_STOCK_MIN_ORDERS = 3

export function lowStockThreshold(minOrderQty: number): number {
  return Math.max(LOW_STOCK_FLOOR, LOW_STOCK_MIN_ORDERS * minOrderQty)
}

export function isLowStock(stock: number, minOrderQty: number): boolean {
  return stock < lowStockThreshold(minOrderQty)
}

/** How the console's order list filters a cooperative's seller orders. */
export const sellerOrderStatusFilters = ['all', 'paid', 'pending_payment', 'cancelled', 'expired'] as const
export type SellerOrderStatusFilter = (typeof sellerOrderStatusFilters)[number]

/** How far ahead the home looks for certificates about to lapse. */
export const EXPIRING_WITHIN_DAYS = 30
