// The coop domain's public face (server-only): other domains, routes and scripts import from here, never from the files beside it.
export { type CoopHome, getCoopHome, type LowStockItem } from './home.server'
export {
  listSellerOrders,
  type SellerOrderLine,
  type SellerOrderPage,
  type SellerOrderView,
} from './seller-orders.server'
export {
  type FulfilmentItem,
  type FulfilmentPage,
  type FulfilmentResult,
  listFulfilment,
  markDelivered,
  markShipped,
} from './fulfilment.server'
export {
  type CoopReport,
  exportCoopReport,
  getCoopReport,
  type HouseholdCreditRow,
  type ReportFormat,
  reportFormats,
  type ReportKind,
  reportKinds,
  type ReportPeriod,
  reportPeriod,
  type SalesRow,
} from './reports.server'
export { answerDispute, type DisputeAnswerResult, type DisputeView, listDisputes } from './disputes.server'
