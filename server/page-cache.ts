import type { Request } from 'express'
import { isbot } from 'isbot'
import { type Clock, systemClock } from '../app/utils/clock'
import { localeOfCookies } from '../app/utils/lang-cookie.server'

/**
 * A micro-cache of whole anonymous pages (decision 027). One Node process serves every page, and React's render is
 * most of a page's CPU; the same anonymous page asked for many times a second is rendered once per TTL instead.
 *
 * What may be cached is decided twice, conservatively:
 * - the request (`pageCacheKey`): GET or HEAD of a document (not a single-fetch `.data` request), no cookie other
 *   than `lang` (a session, a visitor's cart or anything added later may personalise the page), no Authorization;
 *   the key is everything else the render reads: host and protocol, path, the query with its parameters in a
 *   stable order, the language the `lang` cookie resolves to, and whether the client is a crawler (entry.server.tsx
 *   renders all at once for them);
 * - the response (`isStorableResponse`): 200, HTML, no Set-Cookie, no Vary, and no Cache-Control private /
 *   no-store / no-cache of the route's.
 *
 * Every response carries a fresh CSP nonce: the body is kept split at its nonce, and a hit joins the pieces with
 * the new request's nonce (server/app.ts has already put that one in the Content-Security-Policy header). A nonce is
 * 16 random bytes in base64, so its text occurs nowhere else in a page.
 *
 * Any request that may write (every method but GET and HEAD) empties the cache when it starts and again when it
 * ends, and a render that began before an emptying is not stored: this process never serves a page older than its
 * own last write. Other processes and the background jobs are bounded by the TTL.
 */

export type PageCacheOptions = {
  /** How long a stored page is served, in ms (PAGE_CACHE_TTL_MS; decision 027). */
  ttlMs: number
  /** Bound of the bodies and headers held, in bytes. */
  maxBytes?: number
  /** Bound of the pages held. */
  maxEntries?: number
  /** A larger page is served but not stored. */
  maxEntryBytes?: number
  /** Tests move time forward to expire entries. */
  clock?: Clock
}

export type PageCacheStats = {
  /** Served from a stored page. */
  hits: number
  /** Rendered by Remix as the one render of their key. */
  misses: number
  /** Waited for another request's render of the same key. */
  coalesced: number
  /** Pages stored. */
  stores: number
  /** Times the cache was emptied by a request that may write. */
  clears: number
  entries: number
  bytes: number
}

export type CachedPage = {
  status: number
  statusText: string
  headers: ReadonlyArray<readonly [string, string]>
  /** The body split at every occurrence of the nonce it was rendered with. */
  pieces: readonly Buffer[]
  bytes: number
  expiresAt: number
}

/** The one render of a key under way (PageCache.begin). */
export type PageFlight = {
  /** A body larger than this is not kept. */
  maxBytes: number
  store: (page: Omit<CachedPage, 'bytes' | 'expiresAt'>) => CachedPage | null
  settle: () => void
}

const DEFAULT_MAX_BYTES = 32 * 1024 * 1024
const DEFAULT_MAX_ENTRIES = 2_000
const DEFAULT_MAX_ENTRY_BYTES = 1024 * 1024

export class PageCache {
  readonly ttlMs: number
  readonly maxBytes: number
  readonly maxEntries: number
  readonly maxEntryBytes: number
  private readonly clock: Clock
  /** Insertion order is recency: a hit moves its key to the end, eviction takes from the front. */
  private readonly entries = new Map<string, CachedPage>()
  private readonly inFlight = new Map<string, Promise<CachedPage | null>>()
  private bytes = 0
  /** Bumped by every clear; a render that started under an older generation is not stored. */
  private generation = 0
  private readonly counts = { hits: 0, misses: 0, coalesced: 0, stores: 0, clears: 0 }

  constructor(options: PageCacheOptions) {
    if (!(options.ttlMs > 0)) throw new RangeError('a page cache needs a positive TTL (0 means no cache)')
    this.ttlMs = options.ttlMs
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES
    this.maxEntryBytes = Math.min(options.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES, this.maxBytes)
    this.clock = options.clock ?? systemClock
  }

  stats(): PageCacheStats {
    return { ...this.counts, entries: this.entries.size, bytes: this.bytes }
  }

  /** A fresh page for the key, or undefined (an expired one is dropped). */
  get(key: string): CachedPage | undefined {
    const page = this.entries.get(key)
    if (!page) return undefined
    if (page.expiresAt <= this.clock.now().getTime()) {
      this.remove(key, page)
      return undefined
    }
    this.entries.delete(key)
    this.entries.set(key, page)
    this.counts.hits++
    return page
  }

  /** The render under way for the key, if any: its page, or null when it stored none. */
  pending(key: string): Promise<CachedPage | null> | undefined {
    const flight = this.inFlight.get(key)
    if (flight) this.counts.coalesced++
    return flight
  }

  /**
   * Registers the one render of a key. `store` keeps what it rendered (unless the cache was emptied since
   * `begin`, or the page is too large); `settle` must follow either way and hands the page (or null) to the
   * requests that waited for it.
   */
  begin(key: string): PageFlight {
    this.counts.misses++
    const generation = this.generation
    let stored: CachedPage | null = null
    let resolve: (page: CachedPage | null) => void = () => {}
    const flight = new Promise<CachedPage | null>((r) => {
      resolve = r
    })
    this.inFlight.set(key, flight)
    return {
      maxBytes: this.maxEntryBytes,
      store: (page) => {
        if (generation !== this.generation) return null
        const bytes = pageBytes(page)
        if (bytes > this.maxEntryBytes) return null
        stored = { ...page, bytes, expiresAt: this.clock.now().getTime() + this.ttlMs }
        const previous = this.entries.get(key)
        if (previous) this.remove(key, previous)
        this.entries.set(key, stored)
        this.bytes += bytes
        this.counts.stores++
        this.evict()
        return stored
      },
      settle: () => {
        // After a clear another render of the key may have begun: its flight is not this one's to end.
        if (this.inFlight.get(key) === flight) this.inFlight.delete(key)
        resolve(stored)
      },
    }
  }

  /** Empties the cache: a request that may write has started or ended. */
  clear(): void {
    this.generation++
    this.counts.clears++
    this.entries.clear()
    // Renders under way will not be stored; requests from now on start their own rather than wait for them.
    this.inFlight.clear()
    this.bytes = 0
  }

  private remove(key: string, page: CachedPage): void {
    this.entries.delete(key)
    this.bytes -= page.bytes
  }

  private evict(): void {
    for (const [key, page] of this.entries) {
      if (this.bytes <= this.maxBytes && this.entries.size <= this.maxEntries) return
      this.remove(key, page)
    }
  }
}

/** What a page holds in memory: its body and, roughly, its headers. */
function pageBytes(page: Pick<CachedPage, 'headers' | 'pieces'>): number {
  let bytes = 0
  for (const piece of page.pieces) bytes += piece.length
  for (const [name, value] of page.headers) bytes += name.length + value.length
  return bytes
}

/** The cache from PAGE_CACHE_TTL_MS: none at 0. */
export function pageCacheFromTtl(ttlMs: number): PageCache | null {
  return ttlMs > 0 ? new PageCache({ ttlMs }) : null
}

/** Methods that change nothing; any other request empties the cache. */
export function isReadMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD'
}

/** The cookies whose names are in this list are keyed; any other cookie makes the request personal. */
const KEYED_COOKIES = new Set(['lang'])

function onlyKeyedCookies(cookieHeader: string | undefined): boolean {
  if (!cookieHeader) return true
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=')
    const name = (eq === -1 ? part : part.slice(0, eq)).trim()
    if (name !== '' && !KEYED_COOKIES.has(name)) return false
  }
  return true
}

/**
 * The cache key of a request that may be answered from the cache, or null for one that must reach Remix every
 * time (see the module comment for what goes into it and why). `url` is the URL Remix is handed (origin from the
 * trusted host), so the key names what the render sees.
 */
export async function pageCacheKey(req: Request, url: URL): Promise<string | null> {
  if (!isReadMethod(req.method)) return null
  if (url.pathname.endsWith('.data')) return null
  if (req.headers.authorization !== undefined) return null
  const cookieHeader = req.headers.cookie
  if (!onlyKeyedCookies(cookieHeader)) return null
  const locale = await localeOfCookies(cookieHeader)
  const bot = isbot(req.get('user-agent') ?? '') ? 'bot' : 'browser'
  const query = normalisedQuery(url.search)
  return `${url.origin} ${locale} ${bot} ${url.pathname}${query ? `?${query}` : ''}`
}

/**
 * The query with its parameters sorted by name (the order of one name's values kept) and encoded one way, so
 * `?b=2&a=1` and `?a=1&b=%32` share a page — as they do for every loader, which reads URLSearchParams.
 */
export function normalisedQuery(search: string): string {
  const params = new URLSearchParams(search)
  params.sort()
  return params.toString()
}

/** Whether Remix's answer may be kept and served to other anonymous visitors. */
export function isStorableResponse(response: globalThis.Response): boolean {
  if (response.status !== 200 || !response.body) return false
  if (!/^text\/html\b/i.test(response.headers.get('Content-Type') ?? '')) return false
  if (response.headers.has('Set-Cookie') || response.headers.has('Vary')) return false
  const cacheControl = (response.headers.get('Cache-Control') ?? '').toLowerCase()
  return !/\b(private|no-store|no-cache)\b/.test(cacheControl)
}

/** The body split at every occurrence of the nonce (empty nonce: nothing to split at, so nothing to store). */
export function splitAtNonce(body: Buffer, nonce: string): Buffer[] | null {
  if (nonce === '') return null
  const needle = Buffer.from(nonce)
  const pieces: Buffer[] = []
  let from = 0
  for (let at = body.indexOf(needle, from); at !== -1; at = body.indexOf(needle, from)) {
    pieces.push(body.subarray(from, at))
    from = at + needle.length
  }
  pieces.push(body.subarray(from))
  return pieces
}

/** A stored body with this response's nonce wherever the rendered one was. */
export function joinWithNonce(pieces: readonly Buffer[], nonce: string): Buffer {
  if (pieces.length === 1) return pieces[0]!
  const needle = Buffer.from(nonce)
  const parts: Buffer[] = []
  pieces.forEach((piece, i) => {
    if (i > 0) parts.push(needle)
    parts.push(piece)
  })
  return Buffer.concat(parts)
}
