// The procurement domain's public face (server-only): the unit's requisitions and approvals, spending limits, the
// reserved-share plan and its burn-down, purchases recorded from elsewhere, and notifications.
export {
  BULK_FILE_BYTES,
  type BulkFileError,
  type BulkSource,
  readBulkFile,
  readBulkSource,
} from './bulk-files.server'
export { listUnitMembers, setSpendingLimit, type UnitMember } from './members.server'
export {
  listNotifications,
  markNotificationsRead,
  type NotificationView,
  unreadNotificationCount,
} from './notifications.server'
export {
  getPlanView,
  type LaggingUnit,
  listLaggingUnits,
  openPurchaseEvidence,
  platformPurchasesByMonth,
  type PlanView,
  recordExternalPurchase,
  savePlan,
} from './plans.server'
export {
  type DecideResult,
  decideRequisition,
  getRequisition,
  getRequisitionContext,
  type LineProblem,
  listRequisitions,
  listUnitOrders,
  type PreviewLine,
  previewRequisition,
  type RequisitionDetail,
  type RequisitionFilter,
  type RequisitionPreview,
  type SubmitResult,
  submitRequisition,
} from './requisitions.server'
export {
  acceptSellerOrder,
  type AcceptResult,
  getUnitOrder,
  getUnitYearSummary,
  paymentTermOf,
  setPaymentTerm,
  type UnitOrderDetail,
  type UnitYearSummary,
  type UnitPurchaseRow,
  unitPurchasesForYear,
} from './acceptance.server'
