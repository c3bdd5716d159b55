import { z } from 'zod'
import { text } from '../../utils/validation'

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
