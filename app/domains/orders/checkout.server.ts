import { and, eq, inArray } from 'drizzle-orm'
import type { Db } from '../../../db/client.server'
import { products } from '../../../db/schema/catalog'
import { cartItems, carts } from '../../../db/schema/orders'
import type { PaymentMethod } from '../payments/index.server'
import type { Clock } from '../../utils/clock'
import { type CheckoutForm, invoiceRequest } from './checkout-forms'
import { placeOrder, type PlaceOrderError } from './orders.server'
import { placeableRegion, referenceData, regionChain } from '../regions/index.server'

export type CheckoutResult =
  | { ok: true; orderId: string; number: string }
  | { ok: false; reason: 'empty_cart' }
  /** The session acts for an organisation: its orders go through the unit's ordering pages, never the consumer's. */
  | { ok: false; reason: 'acting_for_organization' }
  /** The delivery region is unknown or not the lowest level (a county, or a city without counties). */
  | { ok: false; reason: 'region' }
  /** Lines that cannot be ordered as they are, with the products' names (the page says which). */
  | { ok: false; reason: 'lines'; errors: Array<PlaceOrderError & { name: string }> }

/**
 * A consumer's checkout: the whole cart becomes one order (one seller order per cooperative, placed by
 * placeOrder), the ordered lines leave the cart, all in one transaction — a failure leaves the cart as it was and
 * reserves nothing. The buyer region is the delivery county (docs/architecture.md §4).
 */
export async function checkoutCart(
  db: Db,
  input: {
    userId: string
    form: CheckoutForm
    /** The organisation the session acts for, if any (the checkout then refuses). */
    actingOrgId?: string | null
  },
  clock: Clock,
  method: PaymentMethod,
): Promise<CheckoutResult> {
  // An order placed while acting for a unit is the unit's, not a consumer's (issue: the consumer channel was
  // credited with units' purchases). The consumer checkout refuses instead of guessing.
  if (input.actingOrgId != null) return { ok: false, reason: 'acting_for_organization' }
  const data = await referenceData(db)
  const region = data.regions.get(input.form.regionCode)
  if (!region || placeableRegion(data, region.code) !== 'ok') return { ok: false, reason: 'region' }
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
    // Read once, with the names: a refused line is named from here, not from a second read of the cart.
    const rows = cart
      ? await tx
          .select({ productId: cartItems.productId, qty: cartItems.qty, name: products.name })
          .from(cartItems)
          .innerJoin(products, eq(products.id, cartItems.productId))
          .where(eq(cartItems.cartId, cart.id))
      : []
    if (!cart || rows.length === 0) return { ok: false as const, reason: 'empty_cart' as const }
    const lines = rows.map(({ productId, qty }) => ({ productId, qty }))
    const names = new Map(rows.map((row) => [row.productId, row.name]))
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
    if (!placed.ok) {
      const errors = placed.errors.map((e) => ({ ...e, name: names.get(e.productId) ?? e.productId }))
      return { ok: false as const, reason: 'lines' as const, errors }
    }
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
