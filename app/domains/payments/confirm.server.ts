import { sql } from 'drizzle-orm'
import { type Db, preparedRows } from '../../../db/client.server'
import { ledgerConfirmationHook } from '../ledger/index.server'
import type { Clock } from '../../utils/clock'
import { isUuid } from '../../utils/ids'

// Confirming a payment: the one function every provider (bank transfer by finance, Stripe webhooks) calls.

export type ConfirmationHooks = {
  /** Runs inside the confirming transaction; throwing rolls the confirmation back. */
  onConfirmed(tx: Db, event: { orderId: string; paymentId: string }): Promise<void>
}

export type ConfirmPaymentResult =
  | { ok: true; orderId: string }
  | { ok: false; reason: 'not_found' | 'amount_mismatch' | 'not_pending' }

/** What confirmPayment reads of a payment and its order, both locked. */
type PaymentLocked = {
  order_id: string
  amount_fen: string
  status: string
  order_status: string
  /** An on-account order whose payable amount is not known yet (not every seller order accepted). */
  awaiting_acceptance: boolean
}

/**
 * Confirms a payment: the payment confirmed, its order and seller orders paid and `hooks.onConfirmed` (the ledger)
 * run, all in one transaction; or nothing changes but a wrong amount, recorded on the payment as flagged. Opens its
 * own transaction; confirmPaymentInTransaction does the same inside a caller's.
 */
export async function confirmPayment(
  db: Db,
  input: ConfirmPaymentInput,
  clock: Clock,
  /** The ledger by default: a confirmed payment always counts (docs/architecture.md §5); tests pass their own to observe. */
  hooks: ConfirmationHooks = ledgerConfirmationHook,
): Promise<ConfirmPaymentResult> {
  if (!isUuid(input.paymentId)) return { ok: false, reason: 'not_found' }
  return db.transaction((tx) => confirmPaymentInTransaction(tx, input, clock, hooks))
}

export type ConfirmPaymentInput = { paymentId: string; receivedFen: bigint; confirmedBy: string }

/**
 * confirmPayment's body, run in `tx` as it is (no savepoint): for a caller that does more in the same transaction
 * (finance's audit event). A throw leaves `tx` to be rolled back by the caller. Two statements of its own, both
 * prepared: lock the payment and its order; write all three tables — sent without waiting, so that the hook's first
 * statement follows it down the connection in the same round trip.
 */
export async function confirmPaymentInTransaction(
  tx: Db,
  input: ConfirmPaymentInput,
  clock: Clock,
  hooks: ConfirmationHooks = ledgerConfirmationHook,
): Promise<ConfirmPaymentResult> {
  if (!isUuid(input.paymentId)) return { ok: false, reason: 'not_found' }
  // Payment first, then its order (the order of the join's row marks): the same order everywhere a payment is
  // involved. A row changed while we waited is returned as it is now.
  const [locked] = await preparedRows<PaymentLocked>(
    tx,
    sql`select pay.order_id::text as order_id, pay.amount_fen::text as amount_fen, pay.status,
               o.status as order_status,
               (o.terms = 'on_account' and o.payment_due_at is null) as awaiting_acceptance
        from payments pay join orders o on o.id = pay.order_id
        where pay.id = ${input.paymentId}::uuid
        for update of pay, o`,
  )
  if (!locked) return { ok: false, reason: 'not_found' }
  // A confirmed payment stays confirmed: a later, different amount must not flag it.
  if (locked.status === 'confirmed') return { ok: false, reason: 'not_pending' }
  // On account (decision 022): nothing is payable before the unit has accepted the goods; the amount is then the
  // accepted total, set on this payment at the last acceptance.
  if (locked.awaiting_acceptance) return { ok: false, reason: 'not_pending' }
  const receivedFen = input.receivedFen.toString()
  if (input.receivedFen !== BigInt(locked.amount_fen)) {
    await preparedRows(
      tx,
      sql`update payments set status = 'flagged', received_fen = ${receivedFen}::bigint
          where id = ${input.paymentId}::uuid`,
    )
    return { ok: false, reason: 'amount_mismatch' }
  }
  if (locked.order_status !== 'pending_payment') return { ok: false, reason: 'not_pending' }
  const orderId = locked.order_id
  const now = clock.now().toISOString()
  const paid = preparedRows(
    tx,
    sql`with confirmed as (
          update payments set status = 'confirmed', received_fen = ${receivedFen}::bigint,
                              confirmed_at = ${now}::timestamptz, confirmed_by = ${input.confirmedBy}::uuid
          where id = ${input.paymentId}::uuid),
        paid as (
          update orders set status = 'paid', paid_at = ${now}::timestamptz where id = ${orderId}::uuid)
        update seller_orders set status = 'paid' where order_id = ${orderId}::uuid`,
  )
  paid.catch(() => {}) // awaited below, after the hook: its failure aborts the transaction and the hook's statements
  try {
    await hooks.onConfirmed(tx, { orderId, paymentId: input.paymentId })
  } catch (error) {
    await paid // a failed update explains the hook's "transaction is aborted" better than that does
    throw error
  }
  await paid
  return { ok: true, orderId }
}
