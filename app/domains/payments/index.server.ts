// The payments domain's public face (server-only): other domains, routes and scripts import from here, never from the files beside it.
export { configuredBankTransfer } from './configured.server'
export { confirmBankTransfer } from './finance.server'
export { bankTransfer, type PaymentInstructions, type PaymentMethod } from './methods.server'
export { refundPayment, refundRemaining } from './refunds.server'
