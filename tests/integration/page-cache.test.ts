import type { ServerBuild } from '@remix-run/node'
import { and, eq, gt } from 'drizzle-orm'
import { beforeEach, describe, expect, it } from 'vitest'
import { createSession } from '../../app/domains/accounts/sessions.server'
import { cartCookieHeader } from '../../app/domains/orders/cart-cookie.server'
import { systemClock, type Clock } from '../../app/utils/clock'
import { PageCache } from '../../server/page-cache'
import { products } from '../../db/schema/catalog'
import { seedUuid } from '../../db/seed/synthetic'
import { startTestApp } from '../support/app-server'
import { openTestDatabase, testDbKind } from '../support/db'
import { sessionCookieFor } from '../support/session-cookie'

/**
 * The anonymous page micro-cache (server/page-cache.ts, decision 027) through the real app and build: what a
 * visitor gets from it, that every response still carries its own CSP nonce, and that nothing personal is ever
 * stored or served from it.
 */
describe(`page micro-cache (${testDbKind()})`, async () => {
  const handle = await openTestDatabase('seeded')
  const TTL_MS = 2_000
  let now = Date.parse('2026-06-15T04:00:00Z')
  const clock: Clock = { now: () => new Date(now) }
  let cache = new PageCache({ ttlMs: TTL_MS, clock })
  // The app reads `cache` per request through this proxy, so each test starts with an empty one.
  const currentCache = new Proxy({} as PageCache, {
    get: (_target, property: keyof PageCache) => {
      const value = cache[property]
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(cache) : value
    },
  })
  const { origin, build } = await startTestApp(handle, { pageCache: currentCache })

  // The same build with the product page's loader counted, and /about answering with a route's own headers: the
  // counter shows how many times the page was really rendered; the headers, what a route can forbid.
  let productRenders = 0
  /** While set, the product page's loader waits for it: concurrent requests all arrive during one render. */
  let loaderGate: Promise<void> | null = null
  let aboutHeaders: Record<string, string> = {}
  const instrumented = withRouteModule(
    withRouteModule(build, 'routes/_storefront.products.$slug', (module) => ({
      ...module,
      loader: async (args: Parameters<NonNullable<typeof module.loader>>[0]) => {
        productRenders++
        await loaderGate
        return module.loader!(args) as unknown
      },
    })),
    'routes/_storefront.about',
    (module) => ({ ...module, headers: () => aboutHeaders }),
  )
  const instrumentedApp = await startTestApp(handle, { build: instrumented, pageCache: currentCache })

  const [product] = await handle.db
    .select({ id: products.id, slug: products.slug, stock: products.stock })
    .from(products)
    .where(and(eq(products.status, 'active'), gt(products.stock, 0)))
    .orderBy(products.sku)
    .limit(1)
  if (!product) throw new Error('the seed has no active product in stock')
  const productPath = `/products/${product.slug}`

  beforeEach(() => {
    cache = new PageCache({ ttlMs: TTL_MS, clock })
    productRenders = 0
    loaderGate = null
    aboutHeaders = {}
  })

  async function get(path: string, cookies: string[] = [], base = origin) {
    const response = await fetch(`${base}${path}`, {
      headers: cookies.length > 0 ? { Cookie: cookies.join('; ') } : {},
      redirect: 'manual',
    })
    const html = await response.text()
    return {
      status: response.status,
      html,
      cache: response.headers.get('X-Page-Cache'),
      csp: response.headers.get('Content-Security-Policy') ?? '',
    }
  }

  /** The CSP header's script nonce and every nonce attribute of the page. */
  function noncesOf(page: { csp: string; html: string }) {
    const header = /'nonce-([^']+)'/.exec(page.csp)?.[1]
    const attributes = [...page.html.matchAll(/\bnonce="([^"]*)"/g)].map((m) => m[1]!)
    return { header, attributes }
  }

  async function consumerCookie(): Promise<string> {
    const { token } = await createSession(
      handle.db,
      { userId: seedUuid('user:consumer@demo.example'), activeOrgId: null },
      systemClock,
      { idleMinutes: 60, absoluteHours: 1 },
    )
    return sessionCookieFor(token)
  }

  async function setStock(stock: number) {
    await handle.db.update(products).set({ stock }).where(eq(products.id, product!.id))
  }

  it('renders an anonymous page once, then serves the same page from memory', async () => {
    const first = await get(productPath)
    const second = await get(productPath)
    expect(first.status).toBe(200)
    expect(second.status).toBe(200)
    expect(first.cache).toBe('miss')
    expect(second.cache).toBe('hit')
    const strip = (page: { html: string; csp: string }) =>
      page.html.replaceAll(noncesOf(page).header!, 'NONCE')
    expect(strip(second)).toBe(strip(first))
    expect(cache.stats()).toMatchObject({ misses: 1, hits: 1, stores: 1, entries: 1 })
  })

  it('gives every hit a fresh nonce, the same in the CSP header and in every nonce attribute', async () => {
    const pages = [await get(productPath), await get(productPath), await get(productPath)]
    expect(pages.map((p) => p.cache)).toEqual(['miss', 'hit', 'hit'])
    const nonces = pages.map(noncesOf)
    for (const [i, { header, attributes }] of nonces.entries()) {
      expect(header).toMatch(/^[A-Za-z0-9+/]{22}==$/)
      // Remix's scripts carry it (the page would not hydrate otherwise) …
      expect(attributes.length).toBeGreaterThan(0)
      expect(new Set(attributes)).toEqual(new Set([header]))
      // … and no other response's nonce is left anywhere in the page.
      for (const [j, other] of nonces.entries()) {
        if (j !== i) expect(pages[i]!.html).not.toContain(other.header)
      }
    }
    expect(new Set(nonces.map((n) => n.header)).size).toBe(3)
  })

  it('never serves a signed-in visitor from the cache, nor stores what they were shown', async () => {
    const cookie = await consumerCookie()
    const signedIn = await get(productPath, [cookie])
    expect(signedIn.status).toBe(200)
    expect(signedIn.html).toContain('演示消费者')
    expect(signedIn.cache).toBeNull()
    expect(cache.stats()).toMatchObject({ stores: 0, entries: 0 })

    const anonymous = await get(productPath)
    expect(anonymous.cache).toBe('miss')
    expect(anonymous.html).not.toContain('演示消费者')
    // With an anonymous page stored, the signed-in visitor still gets their own.
    const again = await get(productPath, [cookie])
    expect(again.cache).toBeNull()
    expect(again.html).toContain('演示消费者')
  })

  it('never serves a visitor with a cart from the cache, nor stores their page', async () => {
    const cart = (await cartCookieHeader([{ productId: product.id, qty: 2 }])).split(';')[0]!
    const withCart = await get(productPath, [cart])
    expect(withCart.cache).toBeNull()
    expect(withCart.html).toContain('购物车（1）')
    expect(cache.stats().entries).toBe(0)

    const anonymous = await get(productPath)
    expect(anonymous.cache).toBe('miss')
    expect(anonymous.html).not.toContain('购物车（1）')
    const again = await get(productPath, [cart])
    expect(again.cache).toBeNull()
    expect(again.html).toContain('购物车（1）')
  })

  it('treats any cookie it does not know as personal', async () => {
    await get(productPath)
    const other = await get(productPath, ['lang=zh', 'something_new=1'])
    expect(other.cache).toBeNull()
    expect(cache.stats()).toMatchObject({ misses: 1, hits: 0 })
  })

  it('keeps each language apart: the English page is its own entry', async () => {
    const chinese = await get(productPath)
    const english = await get(productPath, ['lang=en'])
    expect(english.cache).toBe('miss')
    expect(english.html).toContain('<html lang="en"')
    expect((await get(productPath, ['lang=en'])).cache).toBe('hit')
    const chineseAgain = await get(productPath)
    expect(chineseAgain.cache).toBe('hit')
    expect(chinese.html).toContain('<html lang="zh-CN"')
    expect(chineseAgain.html).toContain('<html lang="zh-CN"')
    // An unknown language renders Chinese, so it shares the Chinese page.
    expect((await get(productPath, ['lang=fr'])).cache).toBe('hit')
  })

  it('shares a page between orders of the same query parameters, and not between different ones', async () => {
    expect((await get('/products?category=水果&page=1')).cache).toBe('miss')
    expect((await get('/products?page=1&category=%E6%B0%B4%E6%9E%9C')).cache).toBe('hit')
    expect((await get('/products?page=2&category=水果')).cache).toBe('miss')
  })

  it('shows a stock change only after the TTL, unless this process handles a write first', async () => {
    await setStock(98_761)
    expect((await get(productPath)).html).toContain('>98761<')
    await setStock(98_762)
    // Within the TTL the stored page is served (what the decision accepts: checkout re-checks stock)…
    const stale = await get(productPath)
    expect(stale.cache).toBe('hit')
    expect(stale.html).toContain('>98761<')
    // … and once it has passed, the page is rendered again.
    now += TTL_MS
    const fresh = await get(productPath)
    expect(fresh.cache).toBe('miss')
    expect(fresh.html).toContain('>98762<')
    await setStock(product.stock)
  })

  it('empties the cache on any request that may write (here an anonymous language switch)', async () => {
    await setStock(98_771)
    expect((await get(productPath)).cache).toBe('miss')
    expect((await get(productPath)).cache).toBe('hit')
    await setStock(98_772)
    const posted = await fetch(`${origin}/language`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin },
      body: 'lang=en&redirectTo=%2F',
      redirect: 'manual',
    })
    await posted.arrayBuffer()
    expect(posted.status).toBeLessThan(400)
    const after = await get(productPath)
    expect(after.cache).toBe('miss')
    expect(after.html).toContain('>98772<')
    await setStock(product.stock)
  })

  it('renders once for many concurrent misses of one page, and gives each its own nonce', async () => {
    const base = instrumentedApp.origin
    let open = () => {}
    loaderGate = new Promise<void>((resolve) => (open = resolve))
    const requests = Array.from({ length: 8 }, () => get(productPath, [], base))
    // The render is held until all eight have asked: each either began it or waits for it.
    await expect
      .poll(() => cache.stats().misses + cache.stats().coalesced, { timeout: 15_000 })
      .toBeGreaterThanOrEqual(8)
    open()
    loaderGate = null
    const pages = await Promise.all(requests)
    expect(pages.every((p) => p.status === 200)).toBe(true)
    expect(productRenders).toBe(1)
    expect(cache.stats()).toMatchObject({ misses: 1, coalesced: 7, stores: 1 })
    const nonces = pages.map(noncesOf)
    expect(new Set(nonces.map((n) => n.header)).size).toBe(8)
    for (const { header, attributes } of nonces) expect(new Set(attributes)).toEqual(new Set([header]))
    expect((await get(productPath, [], base)).cache).toBe('hit')
    expect(productRenders).toBe(1)
  })

  it('never stores a page whose route sets a cookie or forbids storing', async () => {
    const base = instrumentedApp.origin
    const forbidding: Array<Record<string, string>> = [
      { 'Set-Cookie': 'probe=1; Path=/' },
      { 'Cache-Control': 'private, max-age=0' },
      { 'Cache-Control': 'no-store' },
    ]
    for (const headers of forbidding) {
      aboutHeaders = headers
      const first = await get('/about', [], base)
      expect(first.status).toBe(200)
      expect((await get('/about', [], base)).cache).toBe('miss')
    }
    expect(cache.stats()).toMatchObject({ stores: 0, hits: 0 })
    // The same route without them is stored.
    aboutHeaders = {}
    await get('/about', [], base)
    expect((await get('/about', [], base)).cache).toBe('hit')
  })

  it('never stores an error page, a redirect or a single-fetch data request', async () => {
    for (const path of ['/products/no-such-product', '/account', `${productPath}.data`]) {
      const first = await get(path)
      expect(first.status).not.toBe(500)
      await get(path)
    }
    expect(cache.stats()).toMatchObject({ stores: 0, hits: 0 })
  })

  it('answers HEAD from a stored page, with the headers a GET gets and no body', async () => {
    await get(productPath)
    const head = await fetch(`${origin}${productPath}`, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.headers.get('X-Page-Cache')).toBe('hit')
    expect(head.headers.get('Content-Type')).toMatch(/^text\/html/)
    expect(await head.text()).toBe('')
  })
})

type RouteModule = ServerBuild['routes'][string]['module']

/** The build with one route's module replaced (a new routes object: the route-matching caches key by it). */
function withRouteModule(
  build: ServerBuild,
  routeId: string,
  patch: (module: RouteModule) => RouteModule,
): ServerBuild {
  const route = build.routes[routeId]
  if (!route) throw new Error(`no route ${routeId} in the build`)
  return { ...build, routes: { ...build.routes, [routeId]: { ...route, module: patch(route.module) } } }
}
