import { and, eq, inArray } from 'drizzle-orm'
import type { Db } from '../../../db/client.server'
import { cartItems, carts } from '../../../db/schema/orders'
import type { PaymentMethod } from '../payments/index.server'
import type { Clock } from '../../utils/clock'
import { type CheckoutForm, invoiceRequest } from './checkout-forms'
import { placeOrder, type PlaceOrderError } from './orders.server'
import { referenceData, regionChain } from '../regions/index.server'

export type CheckoutResult =
  | { ok: true; orderId: string; number: string }
  | { ok: false; reason: 'empty_cart' }
  /** The delivery region is unknown or not the lowest level (a county, or a city without counties). */
  | { ok: false; reason: 'region' }
  | { ok: false; reason: 'lines'; errors: PlaceOrderError[] }

/**
 * A consumer's checkout: the whole cart becomes one order (one seller order per cooperative, placed by
 * placeOrder), the ordered lines leave the cart, all in one transaction — a failure leaves the cart as it was and
 * reserves nothing. The buyer region is the delivery county (docs/architecture.md §4).
 */
export async function checkoutCart(
  db: Db,
  input: { userId: string; form: CheckoutForm },
  clock: Clock,
  method: PaymentMethod,
): Promise<CheckoutResult> {
  const data = await referenceData(db)
  const region = data.regions.get(input.form.regionCode)
  const hasChildren = [...data.regions.values()].some((r) => r.parentCode === input.form.regionCode)
  if (!region || region.level === 'province' || hasChildren) return { ok: false, reason: 'region' }
  const delivery = {
    recipient: input.form.recipient,
    phone: input.form.phone,
    regionCode: region.code,
    regionPath: regionChain(data, region.code)
      .map((r) => r.name)
      .join(' '),
    address: input.form.address,
  }

  return db.transaction(async (tx) => {
    // The cart row lock keeps a second checkout of the same cart (a double click) from ordering it twice.
    const [cart] = await tx
      .select({ id: carts.id })
      .from(carts)
      .where(eq(carts.userId, input.userId))
      .for('update')
    const lines = cart
      ? await tx
          .select({ productId: cartItems.productId, qty: cartItems.qty })
          .from(cartItems)
          .where(eq(cartItems.cartId, cart.id))
      : []
    if (!cart || lines.length === 0) return { ok: false as const, reason: 'empty_cart' as const }
    const placed = await placeOrder(
      tx,
      {
        buyerUserId: input.userId,
        buyerChannel: 'consumer',
        buyerRegionCode: region.code,
        lines,
        delivery,
        invoice: invoiceRequest(input.form),
      },
      clock,
      method,
    )
    if (!placed.ok) return { ok: false as const, reason: 'lines' as const, errors: placed.errors }
    await tx.delete(cartItems).where(
      and(
        eq(cartItems.cartId, cart.id),
        inArray(
          cartItems.productId,
          lines.map((l) => l.productId),
        ),
      ),
    )
    return { ok: true as const, orderId: placed.orderId, number: placed.number }
  })
}
