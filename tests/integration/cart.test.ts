import { eq, inArray } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { type CartLine, MAX_CART_LINES, MAX_LINE_QTY } from '../../app/domains/orders/cart-lines'
import {
  type CartChange,
  type CartChangeResult,
  cartLineCount,
  cartLinesOf,
  changeCart,
  getCartView,
  mergeIntoCart,
  viewCart,
} from '../../app/domains/orders/cart.server'
import type { Db, DbHandle } from '../../db/client.server'
import { priceTiers, products } from '../../db/schema/catalog'
import { proceedsRules } from '../../db/schema/households'
import { carts } from '../../db/schema/orders'
import { seedUuid } from '../../db/seed/synthetic'
import { readSessionToken } from '../../app/domains/accounts/session-cookie.server'
import { createSession, resolveSession } from '../../app/domains/accounts/sessions.server'
import { completeSignIn } from '../../app/domains/accounts/sign-in.server'
import { cartCookieHeader } from '../../app/domains/orders/cart-cookie.server'
import { systemClock } from '../../app/utils/clock'
import { openTestDatabase, testDbKind } from '../support/db'
import { setProduct } from '../support/shopping'

const consumer = seedUuid('user:consumer@demo.example')
const buyer = seedUuid('user:buyer@gulou.demo.example')
const finance = seedUuid('user:finance@demo.example')
const [pA, pB, pC] = ['PRD001', 'PRD002', 'PRD003'].map((k) => seedUuid(`product:${k}`)) as [
  string,
  string,
  string,
]
const unknown = '00000000-0000-4000-8000-000000000000'

let handle: DbHandle
let db: Db
let orgOf: Map<string, string>

beforeAll(async () => {
  handle = await openTestDatabase('seeded', { poolSize: 10 })
  db = handle.db
  const rows = await db
    .select({ id: products.id, orgId: products.orgId })
    .from(products)
    .where(inArray(products.id, [pA, pB, pC]))
  orgOf = new Map(rows.map((r) => [r.id, r.orgId]))
  // The tests below rely on pA and pB belonging to two different cooperatives.
  expect(orgOf.get(pA)).toBeDefined()
  expect(orgOf.get(pA)).not.toBe(orgOf.get(pB))
})

async function emptyCart(userId: string) {
  await db.delete(carts).where(eq(carts.userId, userId))
}

describe(`cart (${testDbKind()})`, () => {
  it('applies the same rules to an account cart and a cookie cart', async () => {
    await setProduct(db, pA, { stock: 10, minOrderQty: 2 })
    await setProduct(db, pB, { stock: 5 })
    await setProduct(db, pC, { stock: 50, status: 'archived' })
    await emptyCart(consumer)

    const steps: Array<[CartChange, CartChangeResult]> = [
      [
        { kind: 'add', productId: pA, qty: 1 },
        { ok: false, error: { code: 'below_minimum', minOrderQty: 2 } },
      ],
      [
        { kind: 'add', productId: pA, qty: 2 },
        { ok: true, lines: [{ productId: pA, qty: 2 }] },
      ],
      // 2 in the cart + 9 more is above the 10 on hand.
      [
        { kind: 'add', productId: pA, qty: 9 },
        { ok: false, error: { code: 'exceeds_stock', stock: 10 } },
      ],
      [
        { kind: 'add', productId: pA, qty: 8 },
        { ok: true, lines: [{ productId: pA, qty: 10 }] },
      ],
      [
        { kind: 'set', productId: pA, qty: 1 },
        { ok: false, error: { code: 'below_minimum', minOrderQty: 2 } },
      ],
      [
        { kind: 'set', productId: pA, qty: 11 },
        { ok: false, error: { code: 'exceeds_stock', stock: 10 } },
      ],
      [
        { kind: 'set', productId: pA, qty: 0 },
        { ok: false, error: { code: 'bad_quantity' } },
      ],
      [
        { kind: 'add', productId: pB, qty: 0 },
        { ok: false, error: { code: 'bad_quantity' } },
      ],
      [
        { kind: 'add', productId: pB, qty: -3 },
        { ok: false, error: { code: 'bad_quantity' } },
      ],
      [
        { kind: 'add', productId: pB, qty: 1.5 },
        { ok: false, error: { code: 'bad_quantity' } },
      ],
      [
        { kind: 'add', productId: pB, qty: Number.NaN },
        { ok: false, error: { code: 'bad_quantity' } },
      ],
      [
        { kind: 'add', productId: pB, qty: MAX_LINE_QTY + 1 },
        { ok: false, error: { code: 'bad_quantity' } },
      ],
      [
        { kind: 'add', productId: pC, qty: 1 },
        { ok: false, error: { code: 'inactive' } },
      ],
      [
        { kind: 'add', productId: unknown, qty: 1 },
        { ok: false, error: { code: 'not_found' } },
      ],
      [
        { kind: 'add', productId: 'not-a-uuid', qty: 1 },
        { ok: false, error: { code: 'not_found' } },
      ],
      [
        { kind: 'set', productId: pB, qty: 5 },
        {
          ok: true,
          lines: [
            { productId: pA, qty: 10 },
            { productId: pB, qty: 5 },
          ],
        },
      ],
      [
        { kind: 'set', productId: pA, qty: 4 },
        {
          ok: true,
          lines: [
            { productId: pA, qty: 4 },
            { productId: pB, qty: 5 },
          ],
        },
      ],
      [
        { kind: 'remove', productId: pA },
        { ok: true, lines: [{ productId: pB, qty: 5 }] },
      ],
      // Removing what is not in the cart is not an error.
      [
        { kind: 'remove', productId: pC },
        { ok: true, lines: [{ productId: pB, qty: 5 }] },
      ],
    ]

    let cookie: CartLine[] = []
    for (const [change, expected] of steps) {
      const label = JSON.stringify(change)
      const before = await cartLinesOf(db, consumer)
      const account = await changeCart(db, { userId: consumer }, change)
      const visitor = await changeCart(db, { lines: cookie }, change)
      expect(account, label).toEqual(expected)
      expect(visitor, label).toEqual(expected)
      // The account's stored cart is what changeCart returned; a refused change leaves it as it was.
      expect(await cartLinesOf(db, consumer), label).toEqual(account.ok ? account.lines : before)
      if (visitor.ok) cookie = visitor.lines
    }
    expect(cookie).toEqual([{ productId: pB, qty: 5 }])
  })

  it('a full cart takes no new product but still changes the ones in it', async () => {
    await db.update(products).set({ status: 'active', stock: 100, minOrderQty: 1 })
    const seeded = await db.select().from(products).orderBy(products.sku)
    // One more product than a cart holds (copies of a seeded one if the catalogue is smaller).
    const clones = Array.from({ length: Math.max(0, MAX_CART_LINES + 1 - seeded.length) }, (_, i) => ({
      ...seeded[0]!,
      id: `00000000-0000-4000-8000-${(0xc000 + i).toString(16).padStart(12, '0')}`,
      sku: `PRDX${i}`,
      slug: `${seeded[0]!.slug}-x${i}`,
    }))
    if (clones.length > 0) await db.insert(products).values(clones)
    const all = [...seeded, ...clones]
    const inCart = all.slice(0, MAX_CART_LINES)
    const extra = all[MAX_CART_LINES]!.id
    await emptyCart(buyer)
    let cookie: CartLine[] = []
    for (const product of inCart) {
      const change: CartChange = { kind: 'add', productId: product.id, qty: 1 }
      const account = await changeCart(db, { userId: buyer }, change)
      const visitor = await changeCart(db, { lines: cookie }, change)
      expect(account.ok && visitor.ok).toBe(true)
      if (visitor.ok) cookie = visitor.lines
    }
    expect(cookie).toHaveLength(MAX_CART_LINES)
    expect(await cartLineCount(db, { userId: buyer })).toBe(MAX_CART_LINES)

    const addExtra: CartChange = { kind: 'add', productId: extra, qty: 1 }
    const full = { ok: false, error: { code: 'cart_full', max: MAX_CART_LINES } }
    expect(await changeCart(db, { userId: buyer }, addExtra)).toEqual(full)
    expect(await changeCart(db, { lines: cookie }, addExtra)).toEqual(full)
    expect(await cartLineCount(db, { userId: buyer })).toBe(MAX_CART_LINES)
    const more: CartChange = { kind: 'add', productId: inCart[3]!.id, qty: 2 }
    const account = await changeCart(db, { userId: buyer }, more)
    const visitor = await changeCart(db, { lines: cookie }, more)
    expect(account.ok && account.lines.find((l) => l.productId === inCart[3]!.id)?.qty).toBe(3)
    expect(visitor).toEqual(account)
    // Room again after a removal.
    await changeCart(db, { userId: buyer }, { kind: 'remove', productId: inCart[0]!.id })
    expect((await changeCart(db, { userId: buyer }, addExtra)).ok).toBe(true)
    expect(await cartLineCount(db, { userId: buyer })).toBe(MAX_CART_LINES)

    await emptyCart(buyer)
    if (clones.length > 0)
      await db.delete(products).where(
        inArray(
          products.id,
          clones.map((c) => c.id),
        ),
      )
  })

  it('concurrent adds to one account cart all count', async () => {
    await setProduct(db, pA, { stock: 1000 })
    await setProduct(db, pB, { stock: 1000 })
    for (const userId of [consumer, buyer]) {
      await emptyCart(userId)
      // The consumer's cart row exists already; for the buyer the first adds also race to create it.
      const hadB = userId === consumer ? 1 : 0
      if (hadB) await changeCart(db, { userId }, { kind: 'add', productId: pB, qty: hadB })
      const qtys = [1, 2, 3, 4, 5, 6, 7, 8]
      const results = await Promise.all(
        qtys.flatMap((qty) => [
          changeCart(db, { userId }, { kind: 'add', productId: pA, qty }),
          changeCart(db, { userId }, { kind: 'add', productId: pB, qty: 10 }),
        ]),
      )
      expect(results.every((r) => r.ok)).toBe(true)
      const lines = await cartLinesOf(db, userId)
      expect(lines).toHaveLength(2)
      expect(lines.find((l) => l.productId === pA)?.qty).toBe(36)
      expect(lines.find((l) => l.productId === pB)?.qty).toBe(hadB + 80)
      expect(await db.select().from(carts).where(eq(carts.userId, userId))).toHaveLength(1)
      await emptyCart(userId)
    }
  })

  it('merges a visitor cart on sign-in: account lines kept, larger quantity wins, unknown products dropped', async () => {
    await setProduct(db, pA, { stock: 100 })
    await setProduct(db, pB, { stock: 100 })
    await setProduct(db, pC, { stock: 100 })
    await emptyCart(consumer)
    await changeCart(db, { userId: consumer }, { kind: 'add', productId: pA, qty: 5 })
    await changeCart(db, { userId: consumer }, { kind: 'add', productId: pB, qty: 1 })
    const visitor = [
      { productId: pB, qty: 4 },
      { productId: pA, qty: 2 },
      { productId: unknown, qty: 3 },
      { productId: pC, qty: 7 },
    ]
    await mergeIntoCart(db, consumer, visitor)
    const merged = [
      { productId: pA, qty: 5 },
      { productId: pB, qty: 4 },
      { productId: pC, qty: 7 },
    ]
    expect(await cartLinesOf(db, consumer)).toEqual(merged)
    // Signing in again with the same cookie (another device) doubles nothing.
    await mergeIntoCart(db, consumer, visitor)
    expect(await cartLinesOf(db, consumer)).toEqual(merged)
    await mergeIntoCart(db, consumer, [])
    expect(await cartLinesOf(db, consumer)).toEqual(merged)

    // A user without a cart gets one holding the visitor's lines.
    await emptyCart(buyer)
    await mergeIntoCart(db, buyer, [
      { productId: pC, qty: 2 },
      { productId: 'junk', qty: 1 },
    ])
    expect(await cartLinesOf(db, buyer)).toEqual([{ productId: pC, qty: 2 }])
    // Only vanished products: the cart stays empty.
    await mergeIntoCart(db, finance, [{ productId: unknown, qty: 1 }])
    expect(await cartLinesOf(db, finance)).toEqual([])
    await emptyCart(buyer)
  })

  it('completes a sign-in in one step: a new session, the cookie cart joined and its cookie cleared', async () => {
    const policy = { idleMinutes: 60, absoluteHours: 1 }
    await setProduct(db, pA, { stock: 100 })
    await emptyCart(buyer)
    const previous = await createSession(db, { userId: buyer }, systemClock, policy)
    const cartPair = (await cartCookieHeader([{ productId: pA, qty: 3 }])).split(';')[0]!
    const headers = await completeSignIn(
      db,
      { userId: buyer, previousToken: previous.token, cookieHeader: `theme=dark; ${cartPair}` },
      systemClock,
      policy,
    )
    const [sessionCookie, cartCookie, ...rest] = headers.getSetCookie()
    expect(rest).toEqual([])
    const token = await readSessionToken(sessionCookie!.split(';')[0])
    expect(await resolveSession(db, token!, systemClock, policy)).toMatchObject({ auth: { userId: buyer } })
    // Ids rotate on sign-in: the session this browser had ends.
    expect(await resolveSession(db, previous.token, systemClock, policy)).toBeNull()
    expect(cartCookie).toMatch(/^xfbf_cart=; Max-Age=0/)
    expect(await cartLinesOf(db, buyer)).toEqual([{ productId: pA, qty: 3 }])

    // No cookie cart: nothing to clear.
    const plain = await completeSignIn(
      db,
      { userId: buyer, previousToken: null, cookieHeader: null },
      systemClock,
      policy,
    )
    expect(plain.getSetCookie()).toHaveLength(1)
    await emptyCart(buyer)
  })

  it('prices lines with their tiers and proceeds, grouped by seller, and names the issues', async () => {
    await setProduct(db, pA, { stock: 100, priceFen: 2500n })
    await setProduct(db, pB, { stock: 100, priceFen: 1200n })
    await db.delete(priceTiers).where(inArray(priceTiers.productId, [pA, pB]))
    await db.insert(priceTiers).values([
      { productId: pA, minQty: 10, unitPriceFen: 2200n },
      { productId: pA, minQty: 50, unitPriceFen: 2000n },
    ])
    await db.delete(proceedsRules).where(inArray(proceedsRules.productId, [pA, pB]))
    await db.insert(proceedsRules).values([
      { productId: pA, kind: 'basis_points', basisPoints: 1000 },
      { productId: pB, kind: 'fen_per_unit', fenPerUnit: 150n },
    ])
    await emptyCart(consumer)
    await changeCart(db, { userId: consumer }, { kind: 'add', productId: pA, qty: 12 })
    await changeCart(db, { userId: consumer }, { kind: 'add', productId: pB, qty: 3 })
    const cookie = [
      { productId: pA, qty: 12 },
      { productId: unknown, qty: 1 }, // vanished from the catalogue: not shown, not counted
      { productId: pB, qty: 3 },
    ]

    const view = await getCartView(db, { userId: consumer })
    expect(view).toMatchObject({ lineCount: 2, totalFen: 30_000, proceedsFen: 2640 + 450, hasIssues: false })
    expect(view.sellers.map((s) => [s.sellerOrgId, s.subtotalFen])).toEqual([
      [orgOf.get(pA), 26_400],
      [orgOf.get(pB), 3600],
    ])
    const [a, b] = view.sellers.flatMap((s) => s.items)
    expect(a).toMatchObject({
      productId: pA,
      qty: 12,
      basePriceFen: 2500,
      unitPriceFen: 2200,
      amountFen: 26_400,
      proceedsFen: 2640,
      nextTier: { minQty: 50, unitPriceFen: 2000 },
      issue: null,
    })
    expect(b).toMatchObject({
      productId: pB,
      qty: 3,
      unitPriceFen: 1200,
      amountFen: 3600,
      proceedsFen: 450,
      nextTier: null,
      issue: null,
    })
    // The cookie cart reads the same.
    expect(await getCartView(db, { lines: cookie })).toEqual(view)

    // Below the first break the base price applies and the first break is the next one.
    const small = await viewCart(db, [{ productId: pA, qty: 9 }])
    expect(small.sellers[0]!.items[0]).toMatchObject({
      unitPriceFen: 2500,
      amountFen: 22_500,
      nextTier: { minQty: 10, unitPriceFen: 2200 },
    })

    // The catalogue moves on after the lines were added: the cart says what would stop the order.
    await setProduct(db, pA, { stock: 5, priceFen: 2500n })
    let issues = await getCartView(db, { userId: consumer })
    expect(issues.hasIssues).toBe(true)
    expect(issues.sellers.flatMap((s) => s.items.map((i) => [i.productId, i.issue, i.stock]))).toEqual([
      [pA, 'out_of_stock', 5],
      [pB, null, 100],
    ])
    await setProduct(db, pA, { stock: 100, minOrderQty: 20, priceFen: 2500n })
    await setProduct(db, pB, { stock: 100, status: 'archived' })
    issues = await getCartView(db, { userId: consumer })
    expect(issues.sellers.flatMap((s) => s.items.map((i) => [i.productId, i.issue]))).toEqual([
      [pA, 'below_minimum'],
      [pB, 'inactive'],
    ])
    await setProduct(db, pA, { stock: 100, priceFen: 2500n })
    await setProduct(db, pB, { stock: 100 })
    expect((await getCartView(db, { userId: consumer })).hasIssues).toBe(false)

    expect(await viewCart(db, [])).toEqual({
      sellers: [],
      lineCount: 0,
      totalFen: 0,
      proceedsFen: 0,
      hasIssues: false,
    })
  })

  it('counts the lines of either kind of cart for the header badge', async () => {
    await setProduct(db, pA, { stock: 100 })
    await setProduct(db, pB, { stock: 100 })
    await emptyCart(consumer)
    expect(await cartLineCount(db, { userId: consumer })).toBe(0)
    await changeCart(db, { userId: consumer }, { kind: 'add', productId: pA, qty: 30 })
    await changeCart(db, { userId: consumer }, { kind: 'add', productId: pB, qty: 1 })
    await changeCart(db, { userId: consumer }, { kind: 'add', productId: pA, qty: 1 })
    expect(await cartLineCount(db, { userId: consumer })).toBe(2)
    await changeCart(db, { userId: consumer }, { kind: 'remove', productId: pA })
    expect(await cartLineCount(db, { userId: consumer })).toBe(1)
    // Another user's cart is not counted.
    await emptyCart(buyer)
    expect(await cartLineCount(db, { userId: buyer })).toBe(0)
    expect(
      await cartLineCount(db, {
        lines: [
          { productId: pA, qty: 1 },
          { productId: pC, qty: 2 },
        ],
      }),
    ).toBe(2)
    expect(await cartLineCount(db, { lines: [] })).toBe(0)
  })
})
