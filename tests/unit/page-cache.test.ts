import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Clock } from '../../app/utils/clock'
import {
  isStorableResponse,
  joinWithNonce,
  normalisedQuery,
  PageCache,
  pageCacheFromTtl,
  splitAtNonce,
} from '../../server/page-cache'
import { fcParams } from '../support/fast-check'

function movingClock(start = 0): Clock & { advance: (ms: number) => void } {
  let now = start
  return { now: () => new Date(now), advance: (ms) => (now += ms) }
}

/** A page of `bytes` body bytes and no headers. */
function pageOf(bytes: number, text = 'x') {
  return { status: 200, statusText: 'OK', headers: [], pieces: [Buffer.alloc(bytes, text)] }
}

function storeNow(cache: PageCache, key: string, page = pageOf(10)) {
  const flight = cache.begin(key)
  const stored = flight.store(page)
  flight.settle()
  return stored
}

describe('the nonce in a stored page', () => {
  const nonce = fc
    .uint8Array({ minLength: 16, maxLength: 16 })
    .map((bytes) => Buffer.from(bytes).toString('base64'))

  it('is replaced by the new one wherever it was, and nothing else changes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary', maxLength: 40 }), { maxLength: 8 }),
        nonce,
        nonce,
        (parts, rendered, fresh) => {
          const body = Buffer.from(parts.join(rendered))
          const pieces = splitAtNonce(body, rendered)!
          expect(joinWithNonce(pieces, rendered).equals(body)).toBe(true)
          expect(joinWithNonce(pieces, fresh).toString()).toBe(body.toString().replaceAll(rendered, fresh))
        },
      ),
      fcParams(),
    )
  })

  it('cannot be found in a page rendered without one, so such a page is not kept', () => {
    expect(splitAtNonce(Buffer.from('<html></html>'), '')).toBeNull()
  })
})

describe('the query part of a key', () => {
  it('orders parameters by name, keeps the order of one name’s values, and encodes one way', () => {
    expect(normalisedQuery('b=2&a=1')).toBe(normalisedQuery('a=1&b=%32'))
    expect(normalisedQuery('q=a+b')).toBe(normalisedQuery('q=a%20b'))
    expect(normalisedQuery('tag=x&tag=y')).not.toBe(normalisedQuery('tag=y&tag=x'))
    expect(normalisedQuery('')).toBe('')
  })
})

describe('what may be stored', () => {
  const html = { 'Content-Type': 'text/html; charset=utf-8' }
  const response = (status: number, headers: Record<string, string>, body: string | null = '<p>') =>
    new Response(body, { status, headers })

  it('a 200 HTML page with nothing forbidding it', () => {
    expect(isStorableResponse(response(200, html))).toBe(true)
    expect(isStorableResponse(response(200, { ...html, 'Cache-Control': 'public, max-age=60' }))).toBe(true)
  })

  it.each([
    ['another status', response(404, html)],
    ['a redirect', response(302, { Location: '/' }, null)],
    ['JSON', response(200, { 'Content-Type': 'application/json' })],
    ['a cookie set', response(200, { ...html, 'Set-Cookie': 'a=1' })],
    ['private', response(200, { ...html, 'Cache-Control': 'private, max-age=0' })],
    ['no-store', response(200, { ...html, 'Cache-Control': 'no-store' })],
    ['no-cache', response(200, { ...html, 'Cache-Control': 'No-Cache' })],
    ['a Vary header', response(200, { ...html, Vary: 'Cookie' })],
  ])('not %s', (_label, r) => {
    expect(isStorableResponse(r)).toBe(false)
  })
})

describe('PageCache', () => {
  it('serves a page until its TTL has passed, not a moment longer', () => {
    const clock = movingClock()
    const cache = new PageCache({ ttlMs: 2_000, clock })
    storeNow(cache, 'k')
    clock.advance(1_999)
    expect(cache.get('k')).toBeDefined()
    clock.advance(1)
    expect(cache.get('k')).toBeUndefined()
    expect(cache.stats()).toMatchObject({ entries: 0, bytes: 0 })
  })

  it('does not store a render that began before the cache was emptied', () => {
    const cache = new PageCache({ ttlMs: 2_000, clock: movingClock() })
    const flight = cache.begin('k')
    cache.clear()
    expect(flight.store(pageOf(10))).toBeNull()
    flight.settle()
    expect(cache.get('k')).toBeUndefined()
    // A render begun after the clear is stored as usual.
    expect(storeNow(cache, 'k')).not.toBeNull()
  })

  it('hands a concurrent request the one render’s page, or null when it stored none', async () => {
    const cache = new PageCache({ ttlMs: 2_000, clock: movingClock() })
    const first = cache.begin('k')
    const waiting = cache.pending('k')
    expect(waiting).toBeDefined()
    first.store(pageOf(10))
    first.settle()
    expect((await waiting)?.bytes).toBe(10)
    expect(cache.pending('k')).toBeUndefined()

    const second = cache.begin('other')
    const waitingForNothing = cache.pending('other')
    second.settle()
    expect(await waitingForNothing).toBeNull()
  })

  it('does not keep a page larger than its limit', () => {
    const cache = new PageCache({ ttlMs: 2_000, maxEntryBytes: 100, clock: movingClock() })
    expect(storeNow(cache, 'big', pageOf(101))).toBeNull()
    expect(storeNow(cache, 'small', pageOf(100))).not.toBeNull()
  })

  it('stays within its bounds of bytes and pages, evicting the least recently used first', () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('store' as const),
        key: fc.integer({ min: 0, max: 9 }),
        bytes: fc.nat(300),
      }),
      fc.record({ kind: fc.constant('get' as const), key: fc.integer({ min: 0, max: 9 }) }),
      fc.record({ kind: fc.constant('clear' as const) }),
    )
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.integer({ min: 1, max: 5 }), (ops, maxEntries) => {
        const maxBytes = 500
        const cache = new PageCache({ ttlMs: 2_000, maxBytes, maxEntries, clock: movingClock() })
        // A model of the recency order and sizes the cache should hold.
        let model: Array<{ key: string; bytes: number }> = []
        for (const o of ops) {
          if (o.kind === 'clear') {
            cache.clear()
            model = []
          } else if (o.kind === 'get') {
            const key = `k${o.key}`
            const held = model.find((m) => m.key === key)
            expect(cache.get(key)?.bytes).toBe(held?.bytes)
            if (held) model = [...model.filter((m) => m !== held), held]
          } else {
            const key = `k${o.key}`
            const stored = storeNow(cache, key, pageOf(o.bytes))
            expect(stored?.bytes).toBe(o.bytes)
            model = [...model.filter((m) => m.key !== key), { key, bytes: o.bytes }]
            while (model.length > maxEntries || model.reduce((sum, m) => sum + m.bytes, 0) > maxBytes) {
              model.shift()
            }
          }
          const stats = cache.stats()
          expect(stats.bytes).toBeLessThanOrEqual(maxBytes)
          expect(stats.entries).toBeLessThanOrEqual(maxEntries)
          expect(stats.entries).toBe(model.length)
          expect(stats.bytes).toBe(model.reduce((sum, m) => sum + m.bytes, 0))
        }
      }),
      fcParams(),
    )
  })

  it('is off at a TTL of 0', () => {
    expect(pageCacheFromTtl(0)).toBeNull()
    expect(pageCacheFromTtl(2_000)?.ttlMs).toBe(2_000)
  })
})
