import { eq } from 'drizzle-orm'
import { acceptSellerOrder } from '../../app/domains/procurement/acceptance.server'
import type { UnitActor } from '../../app/domains/procurement/unit-actor'
import type { Clock } from '../../app/utils/clock'
import type { Db } from '../../db/client.server'
import { orderLines, sellerOrders } from '../../db/schema/orders'

/**
 * An on-account order made payable the way it is in life (decision 022): every seller order shipped, then accepted
 * in full by the unit. After this, finance can confirm the order's transfer of its whole amount.
 */
export async function shipAndAcceptInFull(
  db: Db,
  orderId: string,
  actor: UnitActor,
  clock: Clock,
): Promise<void> {
  await db
    .update(sellerOrders)
    .set({ fulfilment: 'shipped', shippedAt: clock.now(), carrier: '测试物流', trackingNumber: 'TEST000001' })
    .where(eq(sellerOrders.orderId, orderId))
  const lines = await db
    .select({ id: orderLines.id, sellerOrderId: orderLines.sellerOrderId, qty: orderLines.qty })
    .from(orderLines)
    .where(eq(orderLines.orderId, orderId))
  for (const sellerOrderId of new Set(lines.map((l) => l.sellerOrderId))) {
    const accepted = await acceptSellerOrder(
      db,
      {
        actor,
        orderId,
        form: {
          sellerOrderId,
          notes: undefined,
          lines: lines
            .filter((l) => l.sellerOrderId === sellerOrderId)
            .map((l) => ({ orderLineId: l.id, acceptedQty: l.qty })),
        },
      },
      clock,
    )
    if (!accepted.ok) throw new Error(`acceptance failed: ${accepted.error}`)
  }
}
