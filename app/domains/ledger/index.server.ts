// The ledger domain's public face (server-only): other domains, routes and scripts import from here, never from the files beside it.
export {
  appendEntries,
  appendSaleEntries,
  type Credit,
  creditedByPayment,
  ledgerChainSource,
  ledgerConfirmationHook,
  type LedgerEntryContent,
  ledgerHead,
  type TargetScope,
} from './ledger.server'
export { ledgerBreakDescriptions, rollupMismatches, verifyLedger } from './verify.server'
export { refundedProceeds, reversedCredits } from './reversals'
// Office dashboard II (decision 024): the daily published head, a payment's receipt, a target's reach rebuilt.
export {
  type PaymentReceipt,
  paymentReceipt,
  publishDailyHead,
  type PublishedHead,
  publishedHeads,
  type ReceiptEntry,
  rebuildTargetReach,
} from './published.server'
