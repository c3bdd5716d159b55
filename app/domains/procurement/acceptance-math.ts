import { startOfShanghaiDate, shanghaiDate } from '../../utils/clock'

/**
 * Government procurement II (decision 022): what an acceptance counts, and when the unit must pay. Pure rules, so
 * that the property tests and the pages share them.
 */

/** The payment term unless the unit set one (days from acceptance). */
export const DEFAULT_PAYMENT_TERM_DAYS = 30
/** The longest term a unit may set (保障中小企业款项支付条例: at most 60 days for a large payer). */
export const MAX_PAYMENT_TERM_DAYS = 60

export type OrderedLine = { qty: number; unitPriceFen: bigint; amountFen: bigint; proceedsFen: bigint }

/**
 * The accepted part of an ordered line: the accepted quantity at the line's unit price, and the line's proceeds in
 * the same proportion, floored (the households are never promised more than the line's rule gave the whole line;
 * a full acceptance keeps the line's figures exactly).
 */
export function acceptedPart(
  line: OrderedLine,
  acceptedQty: number,
): { acceptedQty: number; rejectedQty: number; amountFen: bigint; proceedsFen: bigint } {
  if (!Number.isSafeInteger(acceptedQty) || acceptedQty < 0 || acceptedQty > line.qty)
    throw new RangeError('accepted quantity out of range')
  if (acceptedQty === line.qty)
    return { acceptedQty, rejectedQty: 0, amountFen: line.amountFen, proceedsFen: line.proceedsFen }
  return {
    acceptedQty,
    rejectedQty: line.qty - acceptedQty,
    amountFen: line.unitPriceFen * BigInt(acceptedQty),
    proceedsFen: (line.proceedsFen * BigInt(acceptedQty)) / BigInt(line.qty),
  }
}

/**
 * When an acceptance's payment falls due: the end (Asia/Shanghai) of the day `days` after the day of acceptance.
 * Accepted on 1 March with 30 days: due on 31 March, overdue from 1 April (day 31).
 */
export function paymentDueAt(acceptedAt: Date, days: number): Date {
  const day = startOfShanghaiDate(shanghaiDate(acceptedAt))
  const next = new Date(day.getTime() + (days + 1) * 86_400_000)
  return new Date(next.getTime() - 1)
}

/** An unpaid on-account order is overdue once its due time has passed. */
export function isOverdue(dueAt: Date | string | null, now: Date, paid: boolean): boolean {
  if (paid || dueAt === null) return false
  return now.getTime() > new Date(dueAt).getTime()
}
