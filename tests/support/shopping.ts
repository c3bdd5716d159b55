import { eq } from 'drizzle-orm'
import { expect } from 'vitest'
import { changeCart } from '../../app/domains/orders/cart.server'
import { checkoutCart } from '../../app/domains/orders/checkout.server'
import { confirmBankTransfer } from '../../app/domains/payments/finance.server'
import { bankTransfer } from '../../app/domains/payments/methods.server'
import { type Clock, fixedClock } from '../../app/utils/clock'
import type { Db } from '../../db/client.server'
import { products } from '../../db/schema/catalog'
import { payments } from '../../db/schema/orders'
import { seedUuid } from '../../db/seed/synthetic'
import { SEED_NOW } from './test-clock'

/** The seeded demo consumer and platform finance user. */
export const demoConsumer = seedUuid('user:consumer@demo.example')
export const demoFinance = seedUuid('user:finance@demo.example')

/** Bank transfer with an obviously fake account, as in demo mode. */
export const testBankTransfer = bankTransfer({
  account: { accountName: '测试', bankName: '测试银行', accountNumber: '0000 0000', demo: true },
  windowHours: 72,
})

/** A seeded product's id from its SKU (db/seed: `product:<SKU>`). */
export const seededProductId = (sku: string) => seedUuid(`product:${sku}`)

/** Sets a product's stock, minimum quantity (1 unless given), status (active unless given) and, if given, price. */
export async function setProduct(
  db: Db,
  id: string,
  state: { stock: number; minOrderQty?: number; status?: 'active' | 'archived'; priceFen?: bigint },
): Promise<void> {
  await db
    .update(products)
    .set({
      stock: state.stock,
      minOrderQty: state.minOrderQty ?? 1,
      status: state.status ?? 'active',
      ...(state.priceFen ? { priceFen: state.priceFen } : {}),
    })
    .where(eq(products.id, id))
}

/** Makes seeded products buyable from one unit: active, with plenty of stock. */
export async function makeBuyable(db: Db, skus: readonly string[]): Promise<void> {
  for (const sku of skus) await setProduct(db, seededProductId(sku), { stock: 1000 })
}

export type Purchase = {
  /** [SKU, quantity] of seeded products, put in the cart in this order. */
  lines: ReadonlyArray<readonly [sku: string, qty: number]>
  /** The delivery county, which becomes the order's buyer region; 鼓楼区 (Fuzhou) unless given. */
  regionCode?: string
  /** When the order is placed; SEED_NOW unless given. */
  at?: Clock
  /** When finance confirms the transfer (`at` unless given); null leaves the order unpaid. */
  confirmAt?: Clock | null
}

export type Bought = { orderId: string; paymentId: string; paidFen: bigint; confirmedAt: Date | null }

/**
 * The demo consumer fills the cart, checks out and — unless told not to — finance confirms the exact amount: the
 * real cart, checkout and confirmation functions, the ledger hook included. Each step must succeed.
 */
export async function buy(db: Db, purchase: Purchase): Promise<Bought> {
  const at = purchase.at ?? fixedClock(SEED_NOW)
  for (const [sku, qty] of purchase.lines) {
    const added = await changeCart(
      db,
      { userId: demoConsumer },
      { kind: 'add', productId: seededProductId(sku), qty },
    )
    expect(added.ok, `add ${sku} × ${qty}`).toBe(true)
  }
  const placed = await checkoutCart(
    db,
    {
      userId: demoConsumer,
      form: {
        recipient: '演示',
        phone: '13800000000',
        regionCode: purchase.regionCode ?? '350102',
        address: '演示路 1 号',
        invoiceKind: 'none',
      },
    },
    at,
    testBankTransfer,
  )
  if (!placed.ok) throw new Error(`checkout failed: ${JSON.stringify(placed)}`)
  const [payment] = await db.select().from(payments).where(eq(payments.orderId, placed.orderId))
  const bought = { orderId: placed.orderId, paymentId: payment!.id, paidFen: payment!.amountFen }
  const confirmAt = purchase.confirmAt === undefined ? at : purchase.confirmAt
  if (confirmAt === null) return { ...bought, confirmedAt: null }
  const confirmed = await confirmBankTransfer(
    db,
    { paymentId: payment!.id, receivedFen: payment!.amountFen, financeUserId: demoFinance },
    confirmAt,
  )
  expect(confirmed.ok).toBe(true)
  return { ...bought, confirmedAt: confirmAt.now() }
}
