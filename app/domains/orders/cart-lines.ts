/**
 * A cart as a list of lines, whether it lives in a cookie (anonymous visitor) or in the carts table. The pure
 * operations here are the one definition of what adding, setting and merging mean; cart.server.ts applies them to
 * either store.
 */
import { isUuid as isAnyCaseUuid } from '../../utils/ids'

export type CartLine = { productId: string; qty: number }

/** A cart holds at most this many products… */
export const MAX_CART_LINES = 50
/** …and at most this many units of one (bulk buyers order through procurement). */
export const MAX_LINE_QTY = 99_999

/** A product id as this app writes it (lowercase): the cookie is never case-folded, so other forms are junk. */
export function isUuid(value: string): boolean {
  return value === value.toLowerCase() && isAnyCaseUuid(value)
}

/** The cookie form `<id>.<qty>|…`; anything malformed is dropped, never trusted. */
export function parseCartLines(text: string): CartLine[] {
  let lines: CartLine[] = []
  for (const part of text.split('|').slice(0, MAX_CART_LINES)) {
    const [productId = '', qtyText = ''] = part.split('.')
    if (!isUuid(productId) || !/^\d{1,5}$/.test(qtyText)) continue
    const qty = Number(qtyText)
    if (qty >= 1) lines = addLine(lines, productId, qty)
  }
  return lines
}

/** Adds units of a product (a new line goes last); the line is capped at MAX_LINE_QTY. */
export function addLine(lines: readonly CartLine[], productId: string, qty: number): CartLine[] {
  const existing = lines.find((l) => l.productId === productId)
  if (!existing) return [...lines, { productId, qty: Math.min(qty, MAX_LINE_QTY) }]
  return lines.map((l) =>
    l.productId === productId ? { productId, qty: Math.min(l.qty + qty, MAX_LINE_QTY) } : l,
  )
}

/** Sets a line's quantity (capped at MAX_LINE_QTY, like addLine); 0 removes it. */
export function setLine(lines: readonly CartLine[], productId: string, qty: number): CartLine[] {
  if (qty <= 0) return lines.filter((l) => l.productId !== productId)
  if (!lines.some((l) => l.productId === productId))
    return [...lines, { productId, qty: Math.min(qty, MAX_LINE_QTY) }]
  return lines.map((l) => (l.productId === productId ? { productId, qty: Math.min(qty, MAX_LINE_QTY) } : l))
}

/**
 * Signing in with a cookie cart: the account's lines keep their quantities where the visitor chose the same
 * product again (the larger one wins — adding both would double a cart filled twice on two devices); new products
 * are appended until the cart is full.
 */
export function mergeLines(account: readonly CartLine[], visitor: readonly CartLine[]): CartLine[] {
  let merged = [...account]
  for (const line of visitor) {
    const existing = merged.find((l) => l.productId === line.productId)
    if (existing) merged = setLine(merged, line.productId, Math.max(existing.qty, line.qty))
    else if (merged.length < MAX_CART_LINES) merged = [...merged, line]
  }
  return merged
}
