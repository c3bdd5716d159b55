import { type CartLine, parseCartLines } from './cart-lines'
import type { CartOwner } from './cart.server'
import { getEnv } from '../../utils/env.server'

/**
 * A visitor who has not signed in keeps the cart in a cookie (`<product id>.<qty>` pairs), so browsing stays
 * free of database writes; on sign-in it is merged into the account's cart and cleared. The cookie is not
 * trusted: every line is parsed strictly and checked against the catalogue when the cart is shown or ordered.
 */
export const CART_COOKIE = 'xfbf_cart'
const MAX_AGE_SECONDS = 30 * 24 * 60 * 60

export function readCartCookie(cookieHeader: string | null | undefined): CartLine[] {
  const match = cookieHeader?.match(new RegExp(`(?:^|;\\s*)${CART_COOKIE}=([^;]*)`))
  return match?.[1] ? parseCartLines(match[1]) : []
}

function attributes(): string {
  return `Path=/; HttpOnly; SameSite=Lax${getEnv().APP_MODE === 'production' ? '; Secure' : ''}`
}

export function cartCookie(lines: readonly CartLine[]): string {
  if (lines.length === 0) return clearCartCookie()
  const value = lines.map((l) => `${l.productId}.${l.qty}`).join('|')
  return `${CART_COOKIE}=${value}; ${attributes()}; Max-Age=${MAX_AGE_SECONDS}`
}

export function clearCartCookie(): string {
  return `${CART_COOKIE}=; ${attributes()}; Max-Age=0`
}

/** Whose cart a request means: the signed-in user's (database), else the visitor's cookie. */
export function cartOwnerOf(request: Request, auth: { userId: string } | null): CartOwner {
  return auth ? { userId: auth.userId } : { lines: readCartCookie(request.headers.get('Cookie')) }
}
