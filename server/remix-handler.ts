import {
  type AppLoadContext,
  createReadableStreamFromReadable,
  createRequestHandler,
  type ServerBuild,
  writeReadableStreamToWritable,
} from '@remix-run/node'
import type { NextFunction, Request, RequestHandler, Response } from 'express'
import type { LimitedBody } from './body-limit'

/**
 * Remix behind Express. @remix-run/express's adapter would read the request stream itself, past any limit; this
 * one gives Remix the body that server/body-limit.ts let through. Everything else follows that adapter: the URL
 * from the (trusted) host and the original path, an abort signal for clients that go away.
 */
export function remixHandler(options: {
  build: ServerBuild | (() => Promise<ServerBuild>)
  mode: 'development' | 'production'
  getLoadContext: (req: Request, res: Response) => AppLoadContext
}): RequestHandler {
  const handleRequest = createRequestHandler(options.build, options.mode)
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
      await sendResponse(res, response)
    } catch (error) {
      next(error)
    }
  }
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

async function sendResponse(res: Response, response: globalThis.Response): Promise<void> {
  res.statusMessage = response.statusText
  res.status(response.status)
  for (const [key, value] of response.headers.entries()) res.append(key, value)
  if (/text\/event-stream/i.test(response.headers.get('Content-Type') ?? '')) res.flushHeaders()
  if (response.body) await writeReadableStreamToWritable(response.body, res)
  else res.end()
}
