import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { createRequestHandler } from '@remix-run/express'
import type { ServerBuild } from '@remix-run/node'
import express, { type NextFunction, type Request, type Response } from 'express'
import { closeSharedDb, getDbHandle } from './db/client.server'
import { prepareDatabase } from './db/prepare.server'
import { type RequestAuth, resolveSession } from './app/models/sessions.server'
import { systemClock } from './app/utils/clock'
import { getEnv } from './app/utils/env.server'
import { clearSessionCookie, readSessionToken, sessionCookie, sessionPolicy } from './app/utils/session.server'

/**
 * The web process: request hygiene first, then Remix. Not remix-serve, because remix-serve has no place for the
 * cross-site check (Remix runs a `?_data=` POST's action before any hook), CSP nonces or a log without query
 * strings (DESIGN §3).
 */

const env = getEnv()
const development = env.NODE_ENV === 'development'

function log(message: string) {
  console.log(`[${new Date().toISOString()}] ${message}`)
}

// The database comes first: migrations, and the demo seed on an empty database, before the first request.
const started = Date.now()
const db = getDbHandle()
await prepareDatabase(db, { demo: env.APP_MODE === 'demo', log })

const app = express()
app.disable('x-powered-by')
// Behind a proxy the client address comes from X-Forwarded-For (needed for per-IP throttles later).
app.set('trust proxy', 'loopback')

/**
 * The request-hygiene slot: every request gets a CSP nonce and baseline security headers here. The cross-site
 * refusal of state-changing requests and the full CSP land in this middleware (Accounts II).
 */
app.use((_req: Request, res: Response, next: NextFunction) => {
  res.locals.cspNonce = randomBytes(16).toString('base64')
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin')
  res.setHeader('X-Frame-Options', 'DENY')
  next()
})

/** Access log: method, path without its query string (which may carry search terms or tokens), status, time. */
app.use((req: Request, res: Response, next: NextFunction) => {
  const start = process.hrtime.bigint()
  res.on('finish', () => {
    const ms = Number(process.hrtime.bigint() - start) / 1e6
    log(`${req.method} ${req.path} ${res.statusCode} ${ms.toFixed(1)}ms`)
  })
  next()
})

let build: ServerBuild | (() => Promise<ServerBuild>)
if (development) {
  const vite = await import('vite').then((v) => v.createServer({ server: { middlewareMode: true } }))
  app.use(vite.middlewares)
  build = () => vite.ssrLoadModule('virtual:remix/server-build') as Promise<ServerBuild>
} else {
  const buildDir = path.resolve('build')
  // Fingerprinted assets never change; everything else in public/ may.
  app.use('/assets', express.static(path.join(buildDir, 'client/assets'), { immutable: true, maxAge: '1y' }))
  app.use(express.static(path.join(buildDir, 'client'), { maxAge: '1h' }))
  const serverBuildUrl = pathToFileURL(path.join(buildDir, 'server/index.js')).href
  build = (await import(serverBuildUrl)) as ServerBuild
}

/**
 * Who is asking: the session cookie is resolved once per request (after static files, which need no session).
 * A rotated session id goes out as a new cookie; a dead one is cleared.
 */
app.use(async (req: Request, res: Response, next: NextFunction) => {
  try {
    const token = readSessionToken(req.headers.cookie)
    res.locals.auth = null
    res.locals.sessionToken = null
    if (token) {
      const resolved = await resolveSession(db.db, token, systemClock, sessionPolicy())
      if (!resolved) {
        res.append('Set-Cookie', clearSessionCookie())
      } else {
        res.locals.auth = resolved.auth
        res.locals.sessionToken = resolved.rotated?.token ?? token
        if (resolved.rotated) res.append('Set-Cookie', sessionCookie(resolved.rotated.token, resolved.rotated.expiresAt))
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
    build,
    mode: development ? 'development' : 'production',
    getLoadContext: (req, res) => ({
      cspNonce: String(res.locals.cspNonce ?? ''),
      auth: (res.locals.auth as RequestAuth | null) ?? null,
      sessionToken: (res.locals.sessionToken as string | null) ?? null,
      clientIp: req.ip ?? req.socket.remoteAddress ?? 'unknown',
    }),
  }),
)

const server = app.listen(env.PORT, env.HOST, () => {
  const where = db.driver === 'pglite' ? `embedded PGlite in ${env.dataDir}` : 'PostgreSQL (DATABASE_URL)'
  log(`Listening on http://localhost:${env.PORT} — APP_MODE=${env.APP_MODE}, ${where}`)
  log(`Ready in ${((Date.now() - started) / 1000).toFixed(1)} s`)
})

let stopping = false
async function shutdown(signal: string) {
  if (stopping) return
  stopping = true
  log(`${signal}: closing`)
  server.close()
  server.closeAllConnections()
  await closeSharedDb()
  process.exit(0)
}
process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGTERM', () => void shutdown('SIGTERM'))
