import fs from 'node:fs'
import { createRequire } from 'node:module'
import type * as RouterModule from '@remix-run/router'
import type { AgnosticRouteObject } from '@remix-run/router'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fcParams } from '../support/fast-check'

/**
 * The server's route matching keeps what it computed for a route table (patches/, decision 025). These tests hold
 * the patched library to what the unpatched one promised: the same matches for every path, and results a caller may
 * change without changing the next caller's.
 */
const require = createRequire(import.meta.url)
// The server loads the CommonJS build, which is the one patched.
const router = require('@remix-run/router') as typeof RouterModule

/** A table shaped like the app's: layouts without paths, static, dynamic, optional and splat segments. */
function routeTable(): AgnosticRouteObject[] {
  return [
    {
      id: 'root',
      path: '',
      children: [
        {
          id: 'storefront',
          children: [
            { id: 'home', index: true },
            { id: 'products', path: 'products' },
            { id: 'product', path: 'products/:slug' },
            { id: 'gongshi', path: 'targets/:id/gongshi' },
            { id: 'region', path: 'regions/:code' },
          ],
        },
        {
          id: 'coop',
          path: 'coop',
          children: [
            { id: 'coop-home', index: true },
            { id: 'coop-product', path: 'products/:productId' },
            { id: 'coop-photos', path: 'products/:productId/photos' },
          ],
        },
        { id: 'export', path: 'office/targets/:id/export.csv' },
        { id: 'lang', path: ':lang?/about' },
        { id: 'files', path: 'files/*' },
        { id: 'case', path: 'CaseSensitive', caseSensitive: true },
      ],
    },
  ]
}

const describeMatches = (matches: ReturnType<typeof router.matchRoutes>) =>
  matches?.map((m) => ({
    id: m.route.id,
    params: { ...m.params },
    pathname: m.pathname,
    base: m.pathnameBase,
  })) ?? null

const segment = fc.oneof(
  fc.constantFrom(
    'products',
    'coop',
    'targets',
    'gongshi',
    'regions',
    'office',
    'export.csv',
    'about',
    'files',
  ),
  fc.constantFrom('photos', 'en', 'CaseSensitive', 'casesensitive', '620000', 'a%20b', '%E5%AE%9A', ''),
  fc.stringMatching(/^[a-z0-9-]{1,8}$/),
)
const pathArb = fc.array(segment, { maxLength: 5 }).map((parts) => `/${parts.join('/')}`)

describe('route matching on the server', () => {
  it('is the patched build (the postinstall step ran)', () => {
    const file = require.resolve('@remix-run/router')
    expect(fs.readFileSync(file, 'utf8')).toContain('xiaofei-bangfu patch')
  })

  it('matches a path the same way whether or not the table was matched before', () => {
    const shared = routeTable()
    fc.assert(
      fc.property(pathArb, (path) => {
        const first = describeMatches(router.matchRoutes(shared, path))
        const again = describeMatches(router.matchRoutes(shared, path))
        // A table never seen before is flattened and matched from scratch.
        const fresh = describeMatches(router.matchRoutes(routeTable(), path))
        expect(again).toEqual(first)
        expect(first).toEqual(fresh)
      }),
      fcParams(),
    )
  })

  it('finds the expected routes and decoded parameters', () => {
    const table = routeTable()
    const ids = (path: string) => router.matchRoutes(table, path)?.map((m) => m.route.id) ?? null
    expect(ids('/products/dingximalingshu')).toEqual(['root', 'storefront', 'product'])
    expect(router.matchRoutes(table, '/products/a%20b')?.at(-1)?.params.slug).toBe('a b')
    expect(ids('/PRODUCTS/x')).toEqual(['root', 'storefront', 'product'])
    expect(ids('/casesensitive')).toBeNull()
    expect(ids('/CaseSensitive')).toEqual(['root', 'case'])
    expect(router.matchRoutes(table, '/files/a/b.webp')?.at(-1)?.params['*']).toBe('a/b.webp')
    expect(ids('/nowhere/at/all')).toBeNull()
  })

  it('hands every caller its own matches', () => {
    const table = routeTable()
    const first = router.matchRoutes(table, '/coop/products/p1/photos')
    expect(first?.at(-1)?.params.productId).toBe('p1')
    const params = first!.at(-1)!.params as Record<string, string>
    params.productId = 'changed'
    first!.pop()
    const second = router.matchRoutes(table, '/coop/products/p1/photos')
    expect(second?.map((m) => m.route.id)).toEqual(['root', 'coop', 'coop-photos'])
    expect(second?.at(-1)?.params.productId).toBe('p1')
  })

  it('keeps working past its cache size with many distinct paths', () => {
    const table = routeTable()
    for (let i = 0; i < 2500; i++) {
      expect(router.matchRoutes(table, `/products/p${i}`)?.at(-1)?.params.slug).toBe(`p${i}`)
    }
    expect(router.matchRoutes(table, '/products/p1')?.at(-1)?.params.slug).toBe('p1')
  })
})
