import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  addLine,
  type CartLine,
  isUuid,
  MAX_CART_LINES,
  MAX_LINE_QTY,
  mergeLines,
  parseCartLines,
  setLine,
} from '../../app/domains/orders/cart-lines'
import { CART_COOKIE, cartCookieHeader, readCartCookie } from '../../app/domains/orders/cart-cookie.server'
import { fcParams } from '../support/fast-check'

const A = '2e36cc30-e467-5fcf-8797-bca615ecb9e2'
const B = 'f79fdaa2-aa7e-5160-b086-8056910b2e0a'
const C = '3f61b256-8535-5a5c-a866-9c9494082581'

/** What the browser sends back after the server set `cartCookieHeader(lines)`: only the name=value pair. */
async function roundTrip(lines: readonly CartLine[]): Promise<CartLine[]> {
  const setCookie = await cartCookieHeader(lines)
  const pair = setCookie.split(';')[0]!
  return readCartCookie(`theme=dark; ${pair}; other=1`)
}

const qtyArb = fc.integer({ min: 1, max: MAX_LINE_QTY })
/** A valid cart: distinct products, each with an allowed quantity, at most MAX_CART_LINES of them. */
const cartArb = fc
  .uniqueArray(fc.uuid(), { maxLength: MAX_CART_LINES })
  .chain((ids) =>
    fc
      .array(qtyArb, { minLength: ids.length, maxLength: ids.length })
      .map((qtys) => ids.map((productId, i) => ({ productId, qty: qtys[i]! }))),
  )
/** A small pool of products, so that two carts drawn from it overlap. */
const pool = Array.from({ length: 70 }, (_, i) => `00000000-0000-4000-8000-${i.toString().padStart(12, '0')}`)
const poolCartArb = (max: number) =>
  fc
    .uniqueArray(fc.constantFrom(...pool), { maxLength: max })
    .chain((ids) =>
      fc
        .array(qtyArb, { minLength: ids.length, maxLength: ids.length })
        .map((qtys) => ids.map((productId, i) => ({ productId, qty: qtys[i]! }))),
    )

function expectWellFormed(lines: readonly CartLine[]) {
  expect(lines.length).toBeLessThanOrEqual(MAX_CART_LINES)
  expect(new Set(lines.map((l) => l.productId)).size).toBe(lines.length)
  for (const line of lines) {
    expect(isUuid(line.productId)).toBe(true)
    expect(Number.isSafeInteger(line.qty)).toBe(true)
    expect(line.qty).toBeGreaterThanOrEqual(1)
    expect(line.qty).toBeLessThanOrEqual(MAX_LINE_QTY)
  }
}

describe('isUuid', () => {
  it('accepts lowercase uuids only', () => {
    expect(isUuid(A)).toBe(true)
    expect(isUuid(A.toUpperCase())).toBe(false)
    expect(isUuid(A.slice(1))).toBe(false)
    expect(isUuid(`${A} `)).toBe(false)
    expect(isUuid('not-a-uuid')).toBe(false)
  })
})

describe('parseCartLines', () => {
  it('reads the cookie form and drops every malformed part', () => {
    expect(parseCartLines(`${A}.3|${B}.12`)).toEqual([
      { productId: A, qty: 3 },
      { productId: B, qty: 12 },
    ])
    expect(
      parseCartLines(
        [
          `${A}.2`,
          'garbage',
          `${B}.0`, // zero
          `${B}.-1`, // negative
          `${B}.x`, // not a number
          `${B}.123456`, // more than five digits
          `${B.toUpperCase()}.4`, // ids are written lowercase; anything else is not ours
          `${C}.`, // no quantity
          `'; drop table carts; --.1`,
          `${C}.7`,
        ].join('|'),
      ),
    ).toEqual([
      { productId: A, qty: 2 },
      { productId: C, qty: 7 },
    ])
    expect(parseCartLines('')).toEqual([])
  })

  it('adds up a product listed twice and caps it', () => {
    expect(parseCartLines(`${A}.2|${B}.1|${A}.5`)).toEqual([
      { productId: A, qty: 7 },
      { productId: B, qty: 1 },
    ])
    expect(parseCartLines(`${A}.99999|${A}.99999`)).toEqual([{ productId: A, qty: MAX_LINE_QTY }])
  })

  it('reads at most MAX_CART_LINES parts of an oversized cookie', () => {
    const text = pool.map((id) => `${id}.1`).join('|')
    const lines = parseCartLines(text)
    expect(lines).toHaveLength(MAX_CART_LINES)
    expect(lines.map((l) => l.productId)).toEqual(pool.slice(0, MAX_CART_LINES))
  })

  it('never throws and always yields a well-formed cart, whatever the cookie holds', () => {
    const part = fc.oneof(
      fc.string(),
      fc.tuple(fc.uuid(), fc.string()).map(([id, q]) => `${id}.${q}`),
      fc
        .tuple(fc.constantFrom(A, B, C), fc.integer({ min: -5, max: 200_000 }))
        .map(([id, q]) => `${id}.${q}`),
    )
    fc.assert(
      fc.property(fc.array(part, { maxLength: 80 }), (parts) => {
        expectWellFormed(parseCartLines(parts.join('|')))
      }),
      fcParams(),
    )
  })

  it('reads back exactly what the cookie wrote', async () => {
    await fc.assert(
      fc.asyncProperty(cartArb, async (lines) => {
        expect(await roundTrip(lines)).toEqual(lines)
      }),
      fcParams(),
    )
  })

  it('an empty cart clears the cookie', async () => {
    expect(await cartCookieHeader([])).toMatch(new RegExp(`^${CART_COOKIE}=;.*Max-Age=0`))
    expect(await roundTrip([])).toEqual([])
  })

  it('keeps a full cart within what a browser stores for one cookie (4096 bytes)', async () => {
    const full = pool.slice(0, MAX_CART_LINES).map((productId) => ({ productId, qty: MAX_LINE_QTY }))
    const setCookie = await cartCookieHeader(full)
    expect(setCookie.split(';')[0]!.length).toBeLessThan(4096)
    expect(await roundTrip(full)).toEqual(full)
  })

  it('reads a cookie that is no cart of ours (not encoded by us, or garbage) as an empty cart', async () => {
    for (const value of [`${A}.2`, '%ZZ', 'e30=', 'bnVsbA==', '"', ''])
      expect(await readCartCookie(`${CART_COOKIE}=${value}`), value).toEqual([])
    expect(await readCartCookie(null)).toEqual([])
  })
})

describe('addLine', () => {
  it('appends a new product and adds to an existing one', () => {
    const one = addLine([], A, 2)
    expect(one).toEqual([{ productId: A, qty: 2 }])
    const two = addLine(one, B, 1)
    expect(two).toEqual([
      { productId: A, qty: 2 },
      { productId: B, qty: 1 },
    ])
    expect(addLine(two, A, 3)).toEqual([
      { productId: A, qty: 5 },
      { productId: B, qty: 1 },
    ])
    // Pure: the input is not modified.
    expect(two).toEqual([
      { productId: A, qty: 2 },
      { productId: B, qty: 1 },
    ])
  })

  it('caps a line at MAX_LINE_QTY and leaves the other lines alone', () => {
    fc.assert(
      fc.property(poolCartArb(10), fc.constantFrom(...pool.slice(0, 12)), qtyArb, (lines, id, qty) => {
        const before = lines.find((l) => l.productId === id)?.qty ?? 0
        const after = addLine(lines, id, qty)
        expect(after.find((l) => l.productId === id)!.qty).toBe(Math.min(before + qty, MAX_LINE_QTY))
        expect(after.filter((l) => l.productId !== id)).toEqual(lines.filter((l) => l.productId !== id))
        expect(after).toHaveLength(lines.length + (before === 0 ? 1 : 0))
      }),
      fcParams(),
    )
  })
})

describe('setLine', () => {
  it('sets, appends, and removes at 0', () => {
    const lines = [
      { productId: A, qty: 2 },
      { productId: B, qty: 1 },
    ]
    expect(setLine(lines, A, 9)).toEqual([
      { productId: A, qty: 9 },
      { productId: B, qty: 1 },
    ])
    expect(setLine(lines, C, 4)).toEqual([...lines, { productId: C, qty: 4 }])
    expect(setLine(lines, A, 0)).toEqual([{ productId: B, qty: 1 }])
    expect(setLine(lines, C, 0)).toEqual(lines)
  })

  it('leaves the line at exactly the quantity asked for (capped), or removes it at 0', () => {
    fc.assert(
      fc.property(
        poolCartArb(10),
        fc.constantFrom(...pool.slice(0, 12)),
        fc.integer({ min: 0, max: 2 * MAX_LINE_QTY }),
        (lines, id, qty) => {
          const after = setLine(lines, id, qty)
          const line = after.find((l) => l.productId === id)
          if (qty === 0) expect(line).toBeUndefined()
          else expect(line?.qty).toBe(Math.min(qty, MAX_LINE_QTY))
          expect(after.filter((l) => l.productId !== id)).toEqual(lines.filter((l) => l.productId !== id))
          expect(new Set(after.map((l) => l.productId)).size).toBe(after.length)
        },
      ),
      fcParams(),
    )
  })
})

describe('mergeLines', () => {
  it('keeps the account lines, the larger quantity wins, new products go last', () => {
    const account = [
      { productId: A, qty: 5 },
      { productId: B, qty: 1 },
    ]
    const visitor = [
      { productId: B, qty: 3 },
      { productId: A, qty: 2 },
      { productId: C, qty: 4 },
    ]
    expect(mergeLines(account, visitor)).toEqual([
      { productId: A, qty: 5 },
      { productId: B, qty: 3 },
      { productId: C, qty: 4 },
    ])
    expect(mergeLines(account, [])).toEqual(account)
    expect(mergeLines([], visitor)).toEqual(visitor)
  })

  it('stops appending when the cart is full, but still raises quantities of lines already in it', () => {
    const account = pool.slice(0, MAX_CART_LINES).map((productId) => ({ productId, qty: 1 }))
    const visitor = [
      { productId: pool[60]!, qty: 1 },
      { productId: pool[0]!, qty: 8 },
    ]
    const merged = mergeLines(account, visitor)
    expect(merged).toHaveLength(MAX_CART_LINES)
    expect(merged[0]).toEqual({ productId: pool[0], qty: 8 })
    expect(merged.some((l) => l.productId === pool[60])).toBe(false)
  })

  it('never exceeds the cart size, keeps every account line, and takes the larger quantity', () => {
    fc.assert(
      fc.property(poolCartArb(MAX_CART_LINES), poolCartArb(MAX_CART_LINES), (account, visitor) => {
        const merged = mergeLines(account, visitor)
        expectWellFormed(merged)
        // The account's lines come first, in their order, none dropped.
        expect(merged.slice(0, account.length).map((l) => l.productId)).toEqual(
          account.map((l) => l.productId),
        )
        for (const line of merged) {
          const a = account.find((l) => l.productId === line.productId)?.qty ?? 0
          const v = visitor.find((l) => l.productId === line.productId)?.qty ?? 0
          expect(line.qty).toBe(Math.max(a, v))
        }
        // A visitor product is missing only if the cart was full when its turn came.
        const newOnes = visitor.filter((v) => !account.some((a) => a.productId === v.productId))
        const room = MAX_CART_LINES - account.length
        expect(merged.slice(account.length).map((l) => l.productId)).toEqual(
          newOnes.slice(0, room).map((l) => l.productId),
        )
        // Merging the same visitor cart twice (two sign-ins) changes nothing more.
        expect(mergeLines(merged, visitor)).toEqual(merged)
      }),
      fcParams(),
    )
  })
})
