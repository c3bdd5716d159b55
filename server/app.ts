import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { createRequestHandler } from '@remix-run/express'
import type { ServerBuild } from '@remix-run/node'
import express, { type Express, type NextFunction, type Request, type Response } from 'express'
import type { Db } from '../db/client.server'
import { type RequestAuth, resolveSession } from '../app/models/sessions.server'
import { systemClock } from '../app/utils/clock'
import {
  clearSessionCookie,
  readSessionToken,
  SESSION_COOKIE,
  sessionCookie,
  sessionPolicy,
} from '../app/utils/session.server'
import { contentSecurityPolicy, crossSiteVerdict } from './request-hygiene'

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
  log?: (line: string) => void
}

/**
 * The web app: request hygiene (security headers, CSP nonce, cross-site refusal, an access log without query
 * strings), static files, the session, then Remix. server.ts starts it; tests mount it on a random port.
 */
export function createApp(options: AppOptions): Express {
  const log = options.log ?? (() => {})
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

  // Access log: method, path without its query string (which may carry search terms or tokens), status, time.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const start = process.hrtime.bigint()
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6
      log(`${req.method} ${req.path} ${res.statusCode} ${ms.toFixed(1)}ms`)
    })
    next()
  })

  if (options.viteMiddlewares) {
    app.use(options.viteMiddlewares)
  } else if (options.buildDir) {
    // Fingerprinted assets never change; everything else in public/ may.
    app.use(
      '/assets',
      express.static(path.join(options.buildDir, 'client/assets'), { immutable: true, maxAge: '1y' }),
    )
    app.use(express.static(path.join(options.buildDir, 'client'), { maxAge: '1h' }))
  }

  // Who is asking: resolved once per request. A rotated session id goes out as a new cookie; a dead one is cleared.
  app.use(async (req: Request, res: Response, next: NextFunction) => {
    try {
      const token = readSessionToken(req.headers.cookie)
      res.locals.auth = null
      res.locals.sessionToken = null
      if (token) {
        const resolved = await resolveSession(options.db, token, systemClock, sessionPolicy())
        if (!resolved) {
          res.append('Set-Cookie', clearSessionCookie())
        } else {
          res.locals.auth = resolved.auth
          res.locals.sessionToken = resolved.rotated?.token ?? token
          if (resolved.rotated) {
            res.append('Set-Cookie', sessionCookie(resolved.rotated.token, resolved.rotated.expiresAt))
          }
        }
      }
      next()
    } catch (error) {
      next(error)
    }
  })

  app.all(
    '*',
    createRequestHandler({
      build: options.build,
      mode: options.development ? 'development' : 'production',
      getLoadContext: (req, res) => ({
        cspNonce: String(res.locals.cspNonce ?? ''),
        auth: (res.locals.auth as RequestAuth | null) ?? null,
        sessionToken: (res.locals.sessionToken as string | null) ?? null,
        clientIp: req.ip ?? req.socket.remoteAddress ?? 'unknown',
      }),
    }),
  )
  return app
}
