import { and, desc, eq, sql } from 'drizzle-orm'
import { countAll, type Db } from '../../../db/client.server'
import { users } from '../../../db/schema/accounts'
import { products, type StockMovementKind, stockMovements } from '../../../db/schema/catalog'
import type { Clock } from '../../utils/clock'
import { actsForCooperative, allIds, listingRoles } from './console-access.server'
import type { StockAdjustmentKind } from './constants'
import { type FormErrors, parseForm } from './form-fields'
import { stockAdjustmentSchema } from './stock-forms'

// The form's kinds are the table's kinds (the form cannot import the schema: it runs in the browser too).
const sameKinds: [StockAdjustmentKind, StockMovementKind] extends [StockMovementKind, StockAdjustmentKind]
  ? true
  : never = true
void sameKinds

/** Far above any cooperative's shelf; keeps a slip (an extra 000) out of a 32-bit column. */
export const MAX_STOCK_LEVEL = 10_000_000

export type AdjustStockResult =
  | { ok: true; stock: number; change: number; movementId: string }
  | { ok: false; error: 'not_found' }
  | { ok: false; error: 'invalid'; errors: FormErrors }
  /** A loss larger than what is on hand: refused, with what is on hand. */
  | { ok: false; error: 'insufficient'; available: number; errors: FormErrors }

/**
 * A stock change by hand, with its reason (decision 015): 入库 restock adds, 损耗 loss takes away (never below
 * zero), 盘点 stocktake sets the available stock to the count, the difference computed under the lock. The product
 * row is locked FOR NO KEY UPDATE — the lock checkouts take (placeOrder), so an adjustment and an order queue
 * behind each other instead of one overwriting the other — then one conditional UPDATE and the movement row with
 * the stock after it, in one transaction. Stock is not in the search index, so nothing goes to the outbox.
 */
export async function adjustStock(
  db: Db,
  input: {
    orgId: string
    productId: string
    actorUserId: string
    kind: unknown
    quantity: unknown
    note?: unknown
  },
  clock: Clock,
): Promise<AdjustStockResult> {
  const parsed = parseForm(stockAdjustmentSchema, {
    kind: input.kind,
    quantity: input.quantity,
    note: input.note,
  })
  if (!parsed.ok) return { ok: false, error: 'invalid', errors: parsed.errors }
  const { kind, quantity, note } = parsed.data
  if (!allIds(input.orgId, input.productId, input.actorUserId)) return { ok: false, error: 'not_found' }

  return db.transaction(async (tx): Promise<AdjustStockResult> => {
    const [locked] = await tx
      .select({ id: products.id, stock: products.stock })
      .from(products)
      .where(
        and(
          eq(products.id, input.productId),
          eq(products.orgId, input.orgId),
          actsForCooperative(input.orgId, input.actorUserId, listingRoles),
        ),
      )
      .for('no key update')
    if (!locked) return { ok: false, error: 'not_found' }

    const change = kind === 'restock' ? quantity : kind === 'loss' ? -quantity : quantity - locked.stock
    if (locked.stock + change < 0)
      return {
        ok: false,
        error: 'insufficient',
        available: locked.stock,
        errors: { quantity: ['stock.error.loss.exceedsStock'] },
      }
    if (locked.stock + change > MAX_STOCK_LEVEL)
      return { ok: false, error: 'invalid', errors: { quantity: ['stock.error.quantity.tooMuch'] } }

    const now = clock.now()
    // Conditional even under the lock: should a path ever move stock without it, this still never goes below 0.
    const [updated] = await tx
      .update(products)
      .set({ stock: sql`${products.stock} + ${change}`, updatedAt: now })
      .where(and(eq(products.id, locked.id), sql`${products.stock} + ${change} >= 0`))
      .returning({ stock: products.stock })
    if (!updated)
      return {
        ok: false,
        error: 'insufficient',
        available: locked.stock,
        errors: { quantity: ['stock.error.loss.exceedsStock'] },
      }
    const [movement] = await tx
      .insert(stockMovements)
      .values({
        productId: locked.id,
        kind,
        change,
        stockAfter: updated.stock,
        note,
        actorUserId: input.actorUserId,
        createdAt: now,
      })
      .returning({ id: stockMovements.id })
    return { ok: true, stock: updated.stock, change, movementId: movement!.id }
  })
}

export type StockMovementView = {
  id: string
  kind: StockMovementKind
  change: number
  stockAfter: number
  note: string
  actorName: string | null
  /** ISO-8601 instant. */
  createdAt: string
}

/** A product's stock history, newest first; null when it is not a product of the actor's cooperative. */
export async function listStockMovements(
  db: Db,
  input: { orgId: string; productId: string; actorUserId: string; page?: number; pageSize?: number },
): Promise<{ items: StockMovementView[]; total: number; page: number; pageSize: number } | null> {
  const page = Math.max(1, Math.floor(input.page ?? 1))
  const pageSize = Math.min(100, Math.max(1, Math.floor(input.pageSize ?? 20)))
  if (!allIds(input.orgId, input.productId, input.actorUserId)) return null
  const [product] = await db
    .select({ id: products.id })
    .from(products)
    .where(
      and(
        eq(products.id, input.productId),
        eq(products.orgId, input.orgId),
        actsForCooperative(input.orgId, input.actorUserId, listingRoles),
      ),
    )
  if (!product) return null
  const where = eq(stockMovements.productId, product.id)
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: stockMovements.id,
        kind: stockMovements.kind,
        change: stockMovements.change,
        stockAfter: stockMovements.stockAfter,
        note: stockMovements.note,
        actorName: users.displayName,
        createdAt: stockMovements.createdAt,
      })
      .from(stockMovements)
      .leftJoin(users, eq(users.id, stockMovements.actorUserId))
      .where(where)
      .orderBy(desc(stockMovements.createdAt), desc(stockMovements.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ n: countAll }).from(stockMovements).where(where),
  ])
  return {
    items: rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() })),
    total: total?.n ?? 0,
    page,
    pageSize,
  }
}
