import { z } from 'zod'
import { optionalText, text } from '../../utils/validation'

/**
 * The cart's forms, one per intent: add (the product page), set a quantity and remove (the cart page). Quantities
 * are checked again by the operation (minimum, stock); here only that one was typed.
 */
const productId = text({ max: 100 })
const qty = text({
  max: 12,
  messages: { required: 'cart.error.bad_quantity', tooLong: 'cart.error.bad_quantity' },
}).pipe(z.coerce.number({ invalid_type_error: 'cart.error.bad_quantity' }))
/** Where to go after the change: checked again by safeRedirectPath. */
const redirectTo = optionalText({ max: 2000 })

export const cartChangeForm = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('add'), productId, qty, redirectTo }),
  z.object({ intent: z.literal('set'), productId, qty, redirectTo }),
  z.object({ intent: z.literal('remove'), productId, redirectTo }),
])

/** Cancelling an unpaid order: the order is in the URL. */
export const cancelOrderForm = z.object({ intent: z.literal('cancel') })

/**
 * What a buyer does on an order's page (the order is in the URL): cancel it before payment; and for one seller's
 * part, confirm receipt once it shipped, or ask for a refund before it ships (with a reason).
 */
export const orderPageForm = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('cancel') }),
  z.object({ intent: z.literal('confirm-receipt'), sellerOrderId: text({ max: 64 }) }),
  z.object({
    intent: z.literal('request-refund'),
    sellerOrderId: text({ max: 64 }),
    reason: text({
      min: 2,
      max: 200,
      messages: {
        required: 'order.refund.error.reason',
        tooShort: 'order.refund.error.reason',
        tooLong: 'order.refund.error.reason',
      },
    }),
  }),
])
