import type { Db } from '../../db/client.server'
import type { Clock } from '../utils/clock'
import { recordAuditEvent } from './audit.server'
import { confirmPayment, type ConfirmPaymentResult } from './orders.server'

/**
 * Platform finance matches a bank transfer on the statement to its reference and enters what arrived. The
 * confirmation itself is the one `confirmPayment` every provider uses; here it is also audited — who confirmed
 * (or found a short or over payment), for how much — in the same transaction.
 */
export async function confirmBankTransfer(
  db: Db,
  input: { paymentId: string; receivedFen: bigint; financeUserId: string },
  clock: Clock,
): Promise<ConfirmPaymentResult> {
  if (input.receivedFen < 0n) throw new RangeError('received amount must not be negative')
  return db.transaction(async (tx) => {
    const result = await confirmPayment(
      tx,
      { paymentId: input.paymentId, receivedFen: input.receivedFen, confirmedBy: input.financeUserId },
      clock,
    )
    if (result.ok || result.reason === 'amount_mismatch') {
      await recordAuditEvent(tx, {
        actorUserId: input.financeUserId,
        action: result.ok ? 'payment.confirmed' : 'payment.flagged',
        subjectType: 'payment',
        subjectId: input.paymentId,
        details: { receivedFen: input.receivedFen.toString() },
        occurredAt: clock.now(),
      })
    }
    return result
  })
}
