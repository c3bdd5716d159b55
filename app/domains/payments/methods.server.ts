import type { PaymentProvider } from '../../../db/schema/orders'

/**
 * Payments behind one interface (docs/architecture.md §6). A method says how long a buyer has to pay, how the payment is
 * referenced, and what the order page tells the payer. Confirmation is not here: every method ends in the one
 * domain function `confirmPayment` (app/domains/payments/confirm.server.ts) — finance for bank transfers, the webhook for
 * Stripe. Nothing in this interface may do network I/O inside a database transaction: `reference` is called
 * inside placeOrder's transaction and is pure; a provider that needs a remote session (Stripe) creates it after
 * the order has committed.
 */
export type PaymentMethod = {
  provider: PaymentProvider
  /** How long the reservation holds before the expiry job releases the stock. */
  windowHours: number
  /** The reference the payer quotes (附言) or the provider session is keyed by, derived from the order number. */
  reference(orderNumber: string): string
  /** What the order page shows a buyer who has not paid yet. */
  instructions(payment: { reference: string; amountFen: bigint }): PaymentInstructions
}

export type BankAccount = { accountName: string; bankName: string; accountNumber: string; demo: boolean }

export type PaymentInstructions = {
  kind: 'bank_transfer'
  account: BankAccount
  reference: string
  amountFen: bigint
}

/** The bank transfer reference: BT + the order number's digits (letters and digits only survive every bank's 附言 field). */
export function bankTransferReference(orderNumber: string): string {
  return `BT${orderNumber.replace(/[^0-9A-Z]/gi, '').replace(/^XF/i, '')}`
}

/**
 * 对公转账 into the platform's account, confirmed by platform finance against the bank statement. The embedded
 * default: it needs no third party.
 */
export function bankTransfer(config: { account: BankAccount; windowHours: number }): PaymentMethod {
  if (!(config.windowHours > 0)) throw new RangeError('the payment window must be positive')
  return {
    provider: 'bank_transfer',
    windowHours: config.windowHours,
    reference: bankTransferReference,
    instructions: ({ reference, amountFen }) => ({
      kind: 'bank_transfer',
      account: config.account,
      reference,
      amountFen,
    }),
  }
}
