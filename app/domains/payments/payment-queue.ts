/**
 * The finance page's tabs over bank transfers (shared by the page and order-views.server.ts). `overdue`: units'
 * on-account orders past their payment term and still unpaid — the ones finance chases (decision 022).
 */
export const paymentQueueFilters = ['open', 'overdue', 'flagged', 'confirmed', 'all'] as const
export type PaymentQueueFilter = (typeof paymentQueueFilters)[number]
