import { z } from 'zod'
import { optionalText, text } from '../../utils/validation'

/** Shipping a seller order: the carrier (快递公司) and its tracking number. */
export const shipForm = z.object({
  carrier: text({
    min: 2,
    max: 30,
    messages: {
      required: 'fulfilment.error.carrier',
      tooShort: 'fulfilment.error.carrier',
      tooLong: 'fulfilment.error.carrier',
    },
  }),
  trackingNumber: text({
    min: 6,
    max: 40,
    messages: {
      required: 'fulfilment.error.tracking',
      tooShort: 'fulfilment.error.tracking',
      tooLong: 'fulfilment.error.tracking',
    },
  }).refine((value) => /^[A-Za-z0-9-]+$/.test(value), 'fulfilment.error.tracking'),
})

/** The cooperative's answer to a dispute (decision 022): accept the return (stock back) or contest it with a note. */
export const disputeAnswerForm = z
  .object({
    intent: z.enum(['return', 'contest'], { message: 'coop.dispute.error.intent' }),
    disputeId: z.string({ message: 'coop.dispute.error.dispute' }).uuid('coop.dispute.error.dispute'),
    note: optionalText({
      max: 500,
      multiline: true,
      messages: { tooLong: 'coop.dispute.error.noteTooLong' },
    }),
  })
  .superRefine((form, ctx) => {
    if (form.intent === 'contest' && !form.note)
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['note'],
        message: 'coop.dispute.error.noteRequired',
      })
  })
export type DisputeAnswerForm = z.output<typeof disputeAnswerForm>
