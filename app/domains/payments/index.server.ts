// The payments domain's public face (server-only): other domains, routes and scripts import from here, never from the files beside it.
export { configuredBankTransfer } from './configured.server'
export { confirmBankTransfer } from './finance.server'
export { bankTransfer, type PaymentInstructions, type PaymentMethod } from './methods.server'
export { refundPayment, refundRemaining } from './refunds.server'
// Bank statement import (issue 18 item 5).
export {
  confirmStatementImport,
  getStatementImport,
  listStatementImports,
  readStatementFile,
  saveStatementMapping,
  type StatementFileError,
  type StatementImportView,
  uploadStatement,
} from './statements.server'
