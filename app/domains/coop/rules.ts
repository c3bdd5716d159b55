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

/** How the shipping page filters by where a seller order is on its way; 'all' lists to-ship first. */
export const fulfilmentStateFilters = ['all', 'none', 'shipped', 'delivered', 'received'] as const
export type FulfilmentStateFilter = (typeof fulfilmentStateFilters)[number]

/** The longest order-or-tracking number the shipping page searches for (an order number is 17 characters). */
export const FULFILMENT_SEARCH_MAX = 40

/** How far ahead the home looks for certificates about to lapse. */
export const EXPIRING_WITHIN_DAYS = 30
