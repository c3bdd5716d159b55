// The payments domain's public face: other domains, routes and scripts import from here, never from the files beside it.
export { paymentForm } from './payment-forms'
export { type PaymentQueueFilter, paymentQueueFilters } from './payment-queue'
// Bank statement import (issue 18 item 5).
export { statementForm } from './statement-forms'
export {
  extractReferences,
  MAX_STATEMENT_LINES,
  requiredRoles,
  STATEMENT_FILE_BYTES,
  statementGroups,
  type StatementGroup,
  type StatementRole,
  statementRoles,
} from './statement-rules'
