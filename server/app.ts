import { randomBytes } from 'node:crypto'
import { STATUS_CODES } from 'node:http'
import path from 'node:path'
import type { ServerBuild } from '@remix-run/node'
import express, { type Express, type NextFunction, type Request, type Response } from 'express'
import type { Db } from '../db/client.server'
import { type RequestAuth, resolveSession } from '../app/domains/accounts/index.server'
import { systemClock } from '../app/utils/clock'
import { describeError } from '../app/utils/errors.server'
import {
  clearSessionCookie,
  readSessionToken,
  SESSION_COOKIE,
  sessionCookieHeader,
  sessionPolicy,
} from '../app/domains/accounts/index.server'
import { type BodyLimitClass, bodyLimits, limitRequestBodies } from './body-limit'
import type { PageCache } from './page-cache'
import { remixHandler } from './remix-handler'
import { contentSecurityPolicy, crossSiteVerdict } from './request-hygiene'
import { loggedPath, type RoutePattern, routePatterns } from './route-patterns'

export type AppOptions = {
  db: Db
  /** The Remix server build, or (development) a function loading it through Vite. */
  build: ServerBuild | (() => Promise<ServerBuild>)
  development: boolean
  /** Production mode sends HSTS; the session cookie is Secure there too. */
  productionMode: boolean
  /** Vite's middlewares in development. */
  viteMiddlewares?: express.RequestHandler
  /** Where build/client lives (production). */
  buildDir?: string
  /** The public origin (https://example.org) when behind a proxy that rewrites Host; else derived per request. */
  publicOrigin?: string
  /** The access log and other information. */
  log?: (line: string) => void
  /** Errors (described by describeError); console.error unless given. */
  logError?: (line: string) => void
  /** LOG_SQL=1: error logs may name a failed statement's parameters. */
  logSqlParams?: boolean
  /** Request body limits per class of path (server/body-limit.ts); tests may declare their own classes. */
  bodyLimits?: readonly BodyLimitClass[]
  /**
   * Anonymous pages kept for a few seconds (server/page-cache.ts, decision 027): server.ts makes it from
   * PAGE_CACHE_TTL_MS. Unset (the tests' default), every request renders.
   */
  pageCache?: PageCache | null
}

/** Answered (and logged) when something of ours failed: no stack, no error text, whatever NODE_ENV says. */
const SERVER_ERROR_PAGE = `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>500 · 消费帮扶集市</title></head>
<body><h1>500</h1><p>出错了，请稍后再试 / Something went wrong. Please try again later.</p><p><a href="/">首页 / Home</a></p></body>
</html>`

/** Errors Express and its middleware raise for a malformed request (an undecodable URL is a URIError, 400). */
function clientErrorStatus(error: unknown): number | null {
  if (error instanceof URIError) return 400
  if (typeof error !== 'object' || error === null) return null
  const { status, statusCode } = error as { status?: unknown; statusCode?: unknown }
  const code = typeof status === 'number' ? status : typeof statusCode === 'number' ? statusCode : null
  return code !== null && code >= 400 && code < 500 ? code : null
}

function isMalformedPath(path: string): boolean {
  try {
    decodeURIComponent(path)
    return false
  } catch {
    return true
  }
}

/**
 * The web app: request hygiene (security headers, CSP nonce, cross-site refusal, an access log of route patterns,
 * malformed URLs refused), static files, body limits, the session, the page cache, Remix, and a last error handler of our own.
 * server.ts starts it; tests mount it on a random port.
 */
export function createApp(options: AppOptions): Express {
  const log = options.log ?? (() => {})
  const logError = options.logError ?? ((line: string) => console.error(line))
  const app = express()
  app.disable('x-powered-by')
  // Behind a proxy on the same machine the client address comes from X-Forwarded-For (per-address throttles).
  app.set('trust proxy', 'loopback')

  app.use((req: Request, res: Response, next: NextFunction) => {
    const nonce = randomBytes(16).toString('base64')
    res.locals.cspNonce = nonce
    const csp = contentSecurityPolicy(nonce, { development: options.development })
    if (csp) res.setHeader('Content-Security-Policy', csp)
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin')
    res.setHeader('X-Frame-Options', 'DENY')
    if (options.productionMode)
      res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains')

    const ownOrigin = options.publicOrigin ?? `${req.protocol}://${req.get('host') ?? ''}`
    const verdict = crossSiteVerdict({
      method: req.method,
      path: req.path,
      origin: req.get('origin'),
      secFetchSite: req.get('sec-fetch-site'),
      hasSessionCookie: (req.get('cookie') ?? '').includes(`${SESSION_COOKIE}=`),
      ownOrigin,
    })
    if (!verdict.allowed) {
      res.status(403).type('text/plain').send('跨站请求已拒绝 / Cross-site request refused')
      return
    }
    next()
  })

  // Access log: method, the route's pattern rather than the path (paths carry tokens: /invitations/:token) and never
  // the query string (search terms, tokens), status, time.
  let patterns: RoutePattern[] | null = null
  if (typeof options.build === 'function') {
    // Development: the build comes through Vite; until it is loaded, token-like segments are redacted instead.
    const loading = options.build
    let requested = false
    app.use((_req: Request, _res: Response, next: NextFunction) => {
      if (!requested) {
        requested = true
        void loading().then(
          (build) => (patterns = routePatterns(build)),
          () => (requested = false),
        )
      }
      next()
    })
  } else {
    patterns = routePatterns(options.build)
  }
  app.use((req: Request, res: Response, next: NextFunction) => {
    const start = process.hrtime.bigint()
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6
      log(`${req.method} ${loggedPath(req.path, patterns)} ${res.statusCode} ${ms.toFixed(1)}ms`)
    })
    next()
  })

  // A path that is not valid percent-encoding (/products/%FF) cannot name anything of ours.
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (!isMalformedPath(req.path)) {
      next()
      return
    }
    res.status(400).type('text/plain').send('网址格式有误 / Malformed URL')
  })

  if (options.viteMiddlewares) {
    app.use(options.viteMiddlewares)
  } else if (options.buildDir) {
    // Fingerprinted assets never change; everything else in public/ may.
    app.use(
      '/assets',
      express.static(path.join(options.buildDir, 'client/assets'), { immutable: true, maxAge: '1y' }),
    )
    // Every file in public/ has an extension; a page's path (/products/…) has none, so it skips the file lookup.
    const publicFiles = express.static(path.join(options.buildDir, 'client'), { maxAge: '1h' })
    app.use((req: Request, res: Response, next: NextFunction) => {
      if (!/\.[^/]*$/.test(req.path)) {
        next()
        return
      }
      publicFiles(req, res, next)
    })
  }

  // Bodies are limited before anything reads them (and before the session costs a query): 413 past the limit.
  app.use(limitRequestBodies(options.bodyLimits ?? bodyLimits))

  // Who is asking: resolved once per request. A rotated session id goes out as a new cookie; a dead one is cleared.
  app.use(async (req: Request, res: Response, next: NextFunction) => {
    try {
      // The same cookie definition the app writes with (app/domains/accounts/session-cookie.server.ts).
      const token = await readSessionToken(req.headers.cookie)
      res.locals.auth = null
      res.locals.sessionToken = null
      if (token) {
        const resolved = await resolveSession(options.db, token, systemClock, sessionPolicy())
        if (!resolved) {
          res.append('Set-Cookie', await clearSessionCookie())
        } else {
          res.locals.auth = resolved.auth
          res.locals.sessionToken = resolved.rotated?.token ?? token
          if (resolved.rotated) {
            res.append('Set-Cookie', await sessionCookieHeader(resolved.rotated))
          }
        }
      }
      next()
    } catch (error) {
      next(error)
    }
  })

  app.use(
    remixHandler({
      build: options.build,
      mode: options.development ? 'development' : 'production',
      pageCache: options.pageCache ?? null,
      getLoadContext: (req, res) => ({
        cspNonce: String(res.locals.cspNonce ?? ''),
        auth: (res.locals.auth as RequestAuth | null) ?? null,
        sessionToken: (res.locals.sessionToken as string | null) ?? null,
        clientIp: req.ip ?? req.socket.remoteAddress ?? 'unknown',
      }),
    }),
  )

  // The last word on errors, so that it does not depend on NODE_ENV: Express's own handler prints the stack to
  // the client unless NODE_ENV=production. A malformed request is the client's 4xx; anything else is logged once
  // (without statement parameters) and answered with a page that says nothing about the cause.
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = clientErrorStatus(error)
    if (status === null && !req.destroyed) logError(describeError(error, { sqlParams: options.logSqlParams }))
    if (res.headersSent) {
      res.destroy()
      return
    }
    if (status !== null) {
      res
        .status(status)
        .type('text/plain')
        .send(`${status} ${STATUS_CODES[status] ?? 'Bad Request'}`)
      return
    }
    res.status(500).type('text/html').send(SERVER_ERROR_PAGE)
  })
  return app
}
