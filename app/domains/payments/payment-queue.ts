/** The finance page's tabs over bank transfers (shared by the page and order-views.server.ts). */
export const paymentQueueFilters = ['open', 'flagged', 'confirmed', 'all'] as const
export type PaymentQueueFilter = (typeof paymentQueueFilters)[number]
