// The procurement domain's public face (browser-safe): forms, constants and pure rules of the unit pages.
export {
  type BulkReadResult,
  type BulkRow,
  MAX_BULK_LINES,
  normalizeCell,
  parseQuantity,
  readPastedLines,
  readTableRows,
  rowsAsText,
} from './bulk-lines'
export {
  decisionForm,
  externalPurchaseForm,
  externalPurchaseKinds,
  MAX_SPENDING_LIMIT_FEN,
  notificationsForm,
  planForm,
  requisitionForm,
  type RequisitionForm,
  spendingLimitForm,
} from './forms'
export { burnDown, type BurnDownRow, MIN_RESERVED_SHARE_BP, progressBp, reservedAmountFen } from './plan-math'
export {
  isUnitRole,
  mayApprove,
  mayRequisition,
  REQUISITIONS_PAGE_SIZE,
  seesAllOfUnit,
  type UnitActor,
  type UnitRole,
  unitRoles,
} from './unit-actor'
export {
  acceptedPart,
  DEFAULT_PAYMENT_TERM_DAYS,
  isOverdue,
  MAX_PAYMENT_TERM_DAYS,
  paymentDueAt,
} from './acceptance-math'
export { acceptanceForm, type AcceptanceForm, paymentTermForm, type PaymentTermForm } from './forms'
