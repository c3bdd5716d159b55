import { z } from 'zod'
import { parseYuan } from '../../utils/money'
import { optionalText, text } from '../../utils/validation'

/**
 * Platform finance's forms on a bank transfer: confirm it with the amount on the bank statement, or refund what is
 * left of a confirmed one. `reference` only comes back in the answer (the page names the transfer it acted on).
 */
const paymentId = z.string().uuid()
const reference = optionalText({ max: 40 }).transform((v) => v ?? '')

/** Yuan as written on a statement (¥1,234.50), to fen: never rounded, so a wrong amount is refused, not guessed. */
const received = text({
  max: 40,
  messages: { required: 'payments.amountInvalid', tooLong: 'payments.amountInvalid' },
}).transform((value, ctx) => {
  const fen = parseYuan(value)
  if (fen === null) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'payments.amountInvalid' })
    return z.NEVER
  }
  return fen
})

export const paymentForm = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('confirm'), paymentId, reference, received }),
  z.object({ intent: z.literal('refund'), paymentId, reference }),
])
