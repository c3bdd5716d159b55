import {
  type AppLoadContext,
  createReadableStreamFromReadable,
  createRequestHandler,
  type ServerBuild,
  writeReadableStreamToWritable,
} from '@remix-run/node'
import type { NextFunction, Request, RequestHandler, Response } from 'express'
import type { LimitedBody } from './body-limit'
import {
  type CachedPage,
  isReadMethod,
  isStorableResponse,
  joinWithNonce,
  type PageCache,
  pageCacheKey,
  type PageFlight,
  splitAtNonce,
} from './page-cache'

/**
 * Remix behind Express. @remix-run/express's adapter would read the request stream itself, past any limit; this
 * one gives Remix the body that server/body-limit.ts let through. Everything else follows that adapter: the URL
 * from the (trusted) host and the original path, an abort signal for clients that go away.
 */
export function remixHandler(options: {
  build: ServerBuild | (() => Promise<ServerBuild>)
  mode: 'development' | 'production'
  getLoadContext: (req: Request, res: Response) => AppLoadContext
  /** Anonymous pages served from memory for a few seconds (server/page-cache.ts); null: every request renders. */
  pageCache?: PageCache | null
}): RequestHandler {
  const handleRequest = createRequestHandler(options.build, options.mode)
  const cache = options.pageCache ?? null
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const url = requestUrl(req)
      // Remix 2 still answers legacy `?_data=` requests beside single fetch, and crashes on some (a loader that
      // returns null). Our pages never send one.
      if (url.searchParams.has('_data')) {
        res
          .status(400)
          .type('text/plain')
          .send('不支持 ?_data 请求 / ?_data requests are not supported: this app uses single fetch (.data)')
        return
      }
      // A request that may write empties the cache before it runs and once it is done, so that no page rendered
      // before its write is served after it (renders under way when it clears are not stored).
      if (cache && !isReadMethod(req.method)) {
        cache.clear()
        res.on('close', () => cache.clear())
      }
      const key = cache ? await pageCacheKey(req, url) : null
      let flight: PageFlight | null = null
      if (cache && key !== null) {
        // From the lookup to begin() nothing awaits, so concurrent misses of a key find the first one's flight.
        const stored = cache.get(key)
        const pending = stored ? undefined : cache.pending(key)
        // A HEAD request's response has no body to keep, so it never starts the one render of its key.
        if (!stored && !pending && req.method === 'GET') flight = cache.begin(key)
        // A request that waited for a render that stored nothing renders its own, without storing it.
        const page = stored ?? (pending ? await pending : null)
        if (page) {
          sendCachedPage(res, page, String(res.locals.cspNonce ?? ''))
          return
        }
        res.setHeader('X-Page-Cache', 'miss')
      }
      try {
        await renderWithRemix(req, res, url, flight)
      } finally {
        flight?.settle()
      }
    } catch (error) {
      next(error)
    }
  }

  /** Remix's answer, streamed to the client; with a flight (a cacheable request's one render), kept if it may be. */
  async function renderWithRemix(
    req: Request,
    res: Response,
    url: URL,
    flight: PageFlight | null,
  ): Promise<void> {
    const controller = new AbortController()
    res.on('close', () => {
      if (!res.writableFinished) controller.abort()
    })
    const body = res.locals.body as LimitedBody | undefined
    const init: RequestInit & { duplex?: 'half' } = {
      method: req.method,
      headers: requestHeaders(req),
      signal: controller.signal,
    }
    if (req.method !== 'GET' && req.method !== 'HEAD' && body) {
      if (body.kind === 'buffer') init.body = new Uint8Array(body.data)
      else {
        init.body = createReadableStreamFromReadable(body.stream)
        init.duplex = 'half'
      }
    }
    const response = await handleRequest(
      new globalThis.Request(url.href, init),
      options.getLoadContext(req, res),
    )
    // A streamed body over its limit was answered 413 already (server/body-limit.ts).
    if (res.headersSent) {
      await response.body?.cancel()
      return
    }
    if (!flight || !isStorableResponse(response)) {
      await sendResponse(res, response)
      return
    }
    const kept = await sendAndKeep(res, response, flight.maxBytes)
    const pieces = kept && splitAtNonce(kept, String(res.locals.cspNonce ?? ''))
    // A render the client abandoned may have been cut short (React aborts on the signal): never kept.
    if (pieces && !controller.signal.aborted) {
      flight.store({
        status: response.status,
        statusText: response.statusText,
        headers: [...response.headers.entries()],
        pieces,
      })
    }
  }
}

/** A stored page with this response's nonce. The security headers and the CSP (with the same nonce) are set. */
function sendCachedPage(res: Response, page: CachedPage, nonce: string): void {
  const body = joinWithNonce(page.pieces, nonce)
  res.statusMessage = page.statusText
  res.status(page.status)
  for (const [key, value] of page.headers) res.append(key, value)
  res.setHeader('Content-Length', body.length)
  res.setHeader('X-Page-Cache', 'hit')
  res.end(body)
}

function requestUrl(req: Request): URL {
  // req.hostname honours the "trust proxy" setting; the port comes from X-Forwarded-Host or Host.
  const portOf = (host: string | undefined) => Number.parseInt(host?.split(':')[1] ?? '', 10)
  const forwardedPort = portOf(req.get('X-Forwarded-Host'))
  const hostPort = portOf(req.get('host'))
  const port = Number.isSafeInteger(forwardedPort)
    ? forwardedPort
    : Number.isSafeInteger(hostPort)
      ? hostPort
      : null
  return new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ''}${req.originalUrl}`)
}

function requestHeaders(req: Request): Headers {
  const headers = new Headers()
  for (const [key, values] of Object.entries(req.headers)) {
    if (values === undefined) continue
    if (Array.isArray(values)) for (const value of values) headers.append(key, value)
    else headers.set(key, values)
  }
  return headers
}

/**
 * Streams the response to the client as sendResponse does, keeping a copy of the body: null when it grew past
 * `maxBytes` or did not arrive whole (the client went away, the render failed).
 */
async function sendAndKeep(
  res: Response,
  response: globalThis.Response,
  maxBytes: number,
): Promise<Buffer | null> {
  if (!response.body) {
    await sendResponse(res, response)
    return null
  }
  const [toClient, toKeep] = response.body.tee()
  const keeping = (async () => {
    const chunks: Uint8Array[] = []
    let bytes = 0
    const reader = toKeep.getReader()
    try {
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        bytes += read.value.byteLength
        if (bytes > maxBytes) {
          await reader.cancel()
          return null
        }
        chunks.push(read.value)
      }
      return Buffer.concat(chunks)
    } catch {
      return null
    }
  })()
  try {
    await sendResponse(res, new globalThis.Response(toClient, response))
  } catch (error) {
    await keeping
    throw error
  }
  const kept = await keeping
  return res.writableEnded ? kept : null
}

async function sendResponse(res: Response, response: globalThis.Response): Promise<void> {
  res.statusMessage = response.statusText
  res.status(response.status)
  for (const [key, value] of response.headers.entries()) res.append(key, value)
  if (/text\/event-stream/i.test(response.headers.get('Content-Type') ?? '')) res.flushHeaders()
  if (response.body) await writeReadableStreamToWritable(response.body, res)
  else res.end()
}
