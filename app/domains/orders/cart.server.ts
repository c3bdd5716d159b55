import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import type { Db } from '../../../db/client.server'
import { priceTiers, productPhotos, products } from '../../../db/schema/catalog'
import { proceedsRules } from '../../../db/schema/households'
import { cartItems, carts } from '../../../db/schema/orders'
import { organizations } from '../../../db/schema/organizations'
import { regions } from '../../../db/schema/regions'
import { addLine, type CartLine, MAX_CART_LINES, MAX_LINE_QTY, mergeLines, setLine } from './cart-lines'
import { isUuid } from '../../utils/ids'
import { fileUrl } from '../../services/files/keys.server'
import { lineProceedsFen, proceedsRuleFromRow } from '../households'
import { hasBeneficiaries } from '../households/index.server'
import { type PriceTier, unitPriceFor } from '../catalog'

/**
 * The cart (docs/architecture.md §6): signed-in users keep theirs in the carts table, anonymous visitors in a cookie (the
 * route reads and writes it). Every change goes through `changeCart`, which applies the same rules to either
 * store, so the two never disagree about minimum quantities, stock or size.
 */
export type CartOwner = { userId: string } | { lines: readonly CartLine[] }

export type CartChange =
  | { kind: 'add'; productId: string; qty: number }
  | { kind: 'set'; productId: string; qty: number }
  | { kind: 'remove'; productId: string }

export type CartChangeError =
  | { code: 'not_found' }
  | { code: 'inactive' }
  | { code: 'bad_quantity' }
  | { code: 'below_minimum'; minOrderQty: number }
  | { code: 'exceeds_stock'; stock: number }
  | { code: 'cart_full'; max: number }

export type CartChangeResult = { ok: true; lines: CartLine[] } | { ok: false; error: CartChangeError }

export async function cartLinesOf(db: Db, userId: string): Promise<CartLine[]> {
  return db
    .select({ productId: cartItems.productId, qty: cartItems.qty })
    .from(cartItems)
    .innerJoin(carts, eq(carts.id, cartItems.cartId))
    .where(eq(carts.userId, userId))
    .orderBy(asc(cartItems.addedAt), asc(cartItems.productId))
}

export async function cartLinesFor(db: Db, owner: CartOwner): Promise<CartLine[]> {
  return 'userId' in owner ? cartLinesOf(db, owner.userId) : [...owner.lines]
}

/**
 * Adds, sets or removes a line. A line may not go below the product's minimum order quantity or above the stock
 * on hand right now (the stock is checked again, under lock, when the order is placed). Returns the cart's lines
 * after the change — for a cookie cart, what to write back. An account's cart row is locked for the change, so
 * two tabs adding at once both count.
 */
export async function changeCart(db: Db, owner: CartOwner, change: CartChange): Promise<CartChangeResult> {
  if (!isUuid(change.productId)) return { ok: false, error: { code: 'not_found' } }
  if (!('userId' in owner)) return applyChange(db, owner.lines, change)
  return db.transaction(async (tx) => {
    const cartId = await lockCart(tx, owner.userId)
    const current = await linesOfCart(tx, cartId)
    const result = await applyChange(tx, current, change)
    if (result.ok) await writeDifference(tx, cartId, current, result.lines)
    return result
  })
}

async function applyChange(
  db: Db,
  current: readonly CartLine[],
  change: CartChange,
): Promise<CartChangeResult> {
  if (change.kind === 'remove') return { ok: true, lines: setLine(current, change.productId, 0) }
  if (!Number.isSafeInteger(change.qty) || change.qty < 1 || change.qty > MAX_LINE_QTY)
    return { ok: false, error: { code: 'bad_quantity' } }
  const isNew = !current.some((l) => l.productId === change.productId)
  if (isNew && current.length >= MAX_CART_LINES)
    return { ok: false, error: { code: 'cart_full', max: MAX_CART_LINES } }
  const next =
    change.kind === 'add'
      ? addLine(current, change.productId, change.qty)
      : setLine(current, change.productId, change.qty)
  const qty = next.find((l) => l.productId === change.productId)!.qty
  const [product] = await db
    .select({ status: products.status, stock: products.stock, minOrderQty: products.minOrderQty })
    .from(products)
    .where(eq(products.id, change.productId))
  if (!product) return { ok: false, error: { code: 'not_found' } }
  if (product.status !== 'active') return { ok: false, error: { code: 'inactive' } }
  if (qty < product.minOrderQty)
    return { ok: false, error: { code: 'below_minimum', minOrderQty: product.minOrderQty } }
  if (qty > product.stock) return { ok: false, error: { code: 'exceeds_stock', stock: product.stock } }
  return { ok: true, lines: next }
}

/** Signing in: the cookie cart joins the account's (see mergeLines); lines for vanished products are dropped. */
export async function mergeIntoCart(db: Db, userId: string, visitor: readonly CartLine[]): Promise<void> {
  const valid = visitor.filter((l) => isUuid(l.productId))
  if (valid.length === 0) return
  await db.transaction(async (tx) => {
    const known = await tx
      .select({ id: products.id })
      .from(products)
      .where(
        inArray(
          products.id,
          valid.map((l) => l.productId),
        ),
      )
    const exists = new Set(known.map((p) => p.id))
    const cartId = await lockCart(tx, userId)
    const current = await linesOfCart(tx, cartId)
    const merged = mergeLines(
      current,
      valid.filter((l) => exists.has(l.productId)),
    )
    await writeDifference(tx, cartId, current, merged)
  })
}

/** The user's cart id, the cart created on first use; the row stays locked until the transaction ends. */
async function lockCart(tx: Db, userId: string): Promise<string> {
  const [cart] = await tx
    .insert(carts)
    .values({ userId })
    .onConflictDoUpdate({ target: carts.userId, set: { updatedAt: sql`now()` } })
    .returning({ id: carts.id })
  return cart!.id
}

function linesOfCart(tx: Db, cartId: string): Promise<CartLine[]> {
  return tx
    .select({ productId: cartItems.productId, qty: cartItems.qty })
    .from(cartItems)
    .where(eq(cartItems.cartId, cartId))
    .orderBy(asc(cartItems.addedAt), asc(cartItems.productId))
}

async function writeDifference(
  tx: Db,
  cartId: string,
  before: readonly CartLine[],
  after: readonly CartLine[],
): Promise<void> {
  const removed = before.filter((b) => !after.some((a) => a.productId === b.productId))
  if (removed.length > 0) {
    await tx.delete(cartItems).where(
      and(
        eq(cartItems.cartId, cartId),
        inArray(
          cartItems.productId,
          removed.map((l) => l.productId),
        ),
      ),
    )
  }
  const changed = after.filter((a) => before.find((b) => b.productId === a.productId)?.qty !== a.qty)
  for (const line of changed) {
    await tx
      .insert(cartItems)
      .values({ cartId, productId: line.productId, qty: line.qty })
      .onConflictDoUpdate({ target: [cartItems.cartId, cartItems.productId], set: { qty: line.qty } })
  }
}

// ---------------------------------------------------------------------------------------------------------------
// What the cart page and checkout show: lines priced with their tiers, grouped by seller, with the problems that
// would stop the order named on the line.

export type CartIssue = 'inactive' | 'below_minimum' | 'out_of_stock'

export type CartItemView = {
  productId: string
  sku: string
  slug: string
  name: string
  unit: string
  /** For the picture: the cover at card size, or the category's illustration when there is none. */
  category: string
  coverUrl: string | null
  originName: string
  qty: number
  minOrderQty: number
  stock: number
  /** Fen, as JS numbers: a cart's sums stay far below 2^53. */
  basePriceFen: number
  unitPriceFen: number
  amountFen: number
  proceedsFen: number
  /** The next price break, to tell the buyer what a larger quantity would cost. */
  nextTier: { minQty: number; unitPriceFen: number } | null
  issue: CartIssue | null
}

export type CartSellerView = {
  sellerOrgId: string
  sellerName: string
  items: CartItemView[]
  subtotalFen: number
}

export type CartView = {
  sellers: CartSellerView[]
  lineCount: number
  totalFen: number
  proceedsFen: number
  hasIssues: boolean
}

export async function viewCart(db: Db, lines: readonly CartLine[]): Promise<CartView> {
  const ids = lines.map((l) => l.productId).filter(isUuid)
  if (ids.length === 0) return { sellers: [], lineCount: 0, totalFen: 0, proceedsFen: 0, hasIssues: false }
  const [rows, tierRows, ruleRows] = await Promise.all([
    db
      .select({
        id: products.id,
        sku: products.sku,
        slug: products.slug,
        name: products.name,
        unit: products.unit,
        priceFen: products.priceFen,
        stock: products.stock,
        minOrderQty: products.minOrderQty,
        status: products.status,
        sellerOrgId: products.orgId,
        sellerName: organizations.name,
        originName: regions.name,
        category: products.category,
        // The cover at card size, from the (product_id, position) index.
        coverFile: sql<string | null>`(
          select p.card_file from ${productPhotos} p where p.product_id = ${products.id} order by p.position limit 1)`,
      })
      .from(products)
      .innerJoin(organizations, eq(organizations.id, products.orgId))
      .innerJoin(regions, eq(regions.code, products.originCode))
      .where(inArray(products.id, ids)),
    db.select().from(priceTiers).where(inArray(priceTiers.productId, ids)).orderBy(asc(priceTiers.minQty)),
    db
      .select()
      .from(proceedsRules)
      .where(and(inArray(proceedsRules.productId, ids), hasBeneficiaries(proceedsRules.productId))),
  ])
  const byId = new Map(rows.map((r) => [r.id, r]))
  const rules = new Map(ruleRows.map((r) => [r.productId, proceedsRuleFromRow(r)]))
  const sellers = new Map<string, CartSellerView>()
  for (const line of lines) {
    const product = byId.get(line.productId)
    if (!product) continue // deleted since it was added: nothing to show or order
    const tiers: PriceTier[] = tierRows.filter((t) => t.productId === product.id)
    const unitPrice = unitPriceFor(line.qty, product.priceFen, tiers)
    const amount = unitPrice * BigInt(line.qty)
    const rule = rules.get(product.id) ?? { kind: 'basis_points' as const, basisPoints: 0 }
    const next = tiers.find((t) => t.minQty > line.qty && t.unitPriceFen < unitPrice)
    const issue: CartIssue | null =
      product.status !== 'active'
        ? 'inactive'
        : line.qty < product.minOrderQty
          ? 'below_minimum'
          : line.qty > product.stock
            ? 'out_of_stock'
            : null
    const item: CartItemView = {
      productId: product.id,
      sku: product.sku,
      slug: product.slug,
      name: product.name,
      unit: product.unit,
      category: product.category,
      coverUrl: product.coverFile ? fileUrl(product.coverFile) : null,
      originName: product.originName,
      qty: line.qty,
      minOrderQty: product.minOrderQty,
      stock: product.stock,
      basePriceFen: Number(product.priceFen),
      unitPriceFen: Number(unitPrice),
      amountFen: Number(amount),
      proceedsFen: Number(lineProceedsFen(rule, { quantity: line.qty, amountFen: amount })),
      nextTier: next ? { minQty: next.minQty, unitPriceFen: Number(next.unitPriceFen) } : null,
      issue,
    }
    const seller = sellers.get(product.sellerOrgId) ?? {
      sellerOrgId: product.sellerOrgId,
      sellerName: product.sellerName,
      items: [],
      subtotalFen: 0,
    }
    seller.items.push(item)
    seller.subtotalFen += item.amountFen
    sellers.set(product.sellerOrgId, seller)
  }
  const groups = [...sellers.values()]
  const items = groups.flatMap((g) => g.items)
  return {
    sellers: groups,
    lineCount: items.length,
    totalFen: items.reduce((s, i) => s + i.amountFen, 0),
    proceedsFen: items.reduce((s, i) => s + i.proceedsFen, 0),
    hasIssues: items.some((i) => i.issue !== null),
  }
}

/** The cart page: whoever owns the cart, its priced lines. */
export async function getCartView(db: Db, owner: CartOwner): Promise<CartView> {
  return viewCart(db, await cartLinesFor(db, owner))
}

/** The header's cart badge: number of lines. */
export async function cartLineCount(db: Db, owner: CartOwner): Promise<number> {
  if (!('userId' in owner)) return owner.lines.length
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(cartItems)
    .innerJoin(carts, eq(carts.id, cartItems.cartId))
    .where(eq(carts.userId, owner.userId))
  return Number(row?.n ?? 0)
}
