import { createCookie } from '@remix-run/node'
import { type CartLine, parseCartLines } from './cart-lines'
import type { CartOwner } from './cart.server'
import { getEnv } from '../../utils/env.server'

/**
 * A visitor who has not signed in keeps the cart in a cookie (`<product id>.<qty>` pairs joined by `|`), so browsing
 * stays free of database writes; on sign-in it is merged into the account's cart and cleared. The cookie is not
 * trusted: every line is parsed strictly and checked against the catalogue when the cart is shown or ordered.
 */
export const CART_COOKIE = 'xfbf_cart'
const MAX_AGE_SECONDS = 30 * 24 * 60 * 60

const cartCookie = createCookie(CART_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax' })

function secure(): boolean {
  return getEnv().APP_MODE === 'production'
}

/** The visitor's lines; a cookie that is not a cart (or lines that are not lines) is an empty cart. */
export async function readCartCookie(cookieHeader: string | null | undefined): Promise<CartLine[]> {
  const value: unknown = await cartCookie.parse(cookieHeader ?? null)
  return typeof value === 'string' ? parseCartLines(value) : []
}

/** The Set-Cookie header that stores these lines (or clears the cookie when there are none). */
export function cartCookieHeader(lines: readonly CartLine[]): Promise<string> {
  if (lines.length === 0) return clearCartCookie()
  const value = lines.map((l) => `${l.productId}.${l.qty}`).join('|')
  return cartCookie.serialize(value, { maxAge: MAX_AGE_SECONDS, secure: secure() })
}

export function clearCartCookie(): Promise<string> {
  return cartCookie.serialize('', { maxAge: 0, secure: secure() })
}

/** Whose cart a request means: the signed-in user's (database), else the visitor's cookie. */
export async function cartOwnerOf(request: Request, auth: { userId: string } | null): Promise<CartOwner> {
  return auth ? { userId: auth.userId } : { lines: await readCartCookie(request.headers.get('Cookie')) }
}
