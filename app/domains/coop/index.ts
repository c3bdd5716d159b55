// The coop domain's public face: other domains, routes and scripts import from here, never from the files beside it.
export {
  EXPIRING_WITHIN_DAYS,
  FULFILMENT_SEARCH_MAX,
  type FulfilmentStateFilter,
  fulfilmentStateFilters,
  isLowStock,
  LOW_STOCK_FLOOR,
  LOW_STOCK_MIN_ORDERS,
  lowStockThreshold,
  type SellerOrderStatusFilter,
  sellerOrderStatusFilters,
} from './rules'
export { disputeAnswerForm, type DisputeAnswerForm, shipForm } from './fulfilment-forms'
