import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ServerBuild } from '@remix-run/node'
import { closeSharedDb, getDbHandle } from './db/client.server'
import { prepareDatabase } from './db/prepare.server'
import { getEnv } from './app/utils/env.server'
import { runBackgroundJobs } from './app/domains/operations/index.server'
import { buildSearchIndex } from './app/domains/search/index.server'
import { shanghaiToday, systemClock } from './app/utils/clock'
import { describeError } from './app/utils/errors.server'
import { createApp } from './server/app'
import { pageCacheFromTtl } from './server/page-cache'

/**
 * The web process: prepares the database, then serves the app of server/app.ts. Not remix-serve, because
 * remix-serve has no place for the cross-site check (Remix runs a `?_data=` POST's action before any hook), CSP
 * nonces or a log without query strings (docs/architecture.md §1).
 */

const env = getEnv()
const development = env.NODE_ENV === 'development'

function log(message: string) {
  console.log(`[${new Date().toISOString()}] ${message}`)
}

function logError(message: string) {
  console.error(`[${new Date().toISOString()}] ${message}`)
}

// Whatever escapes (a failed migration at start, say) is described like any other error: Node's own report would
// print drizzle's statement parameters.
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (error: unknown) => {
    logError(`${event}: ${describeError(error, { sqlParams: env.LOG_SQL })}`)
    process.exit(1)
  })
}

// The database comes first: migrations, and the demo seed on an empty database, before the first request.
const started = Date.now()
const db = getDbHandle()
await prepareDatabase(db, { demo: env.APP_MODE === 'demo', log })

// The search index builds in the background: until it is ready, search answers from the database ('degraded').
void buildSearchIndex(db.db, shanghaiToday()).then(
  ({ documents, ms }) => log(`Search index ready: ${documents} products in ${(ms / 1000).toFixed(1)} s`),
  (error: unknown) =>
    log(`Search index failed, searching the database instead: ${describeError(error, { stack: false })}`),
)

// The in-process job loop (embedded mode): search index sync and the expiry of unpaid orders.
let jobRunning = false
const jobLoop = setInterval(() => {
  if (jobRunning) return
  jobRunning = true
  void runBackgroundJobs(db.db, systemClock, log).finally(() => {
    jobRunning = false
  })
}, 2_000)
jobLoop.unref()

let build: ServerBuild | (() => Promise<ServerBuild>)
let viteMiddlewares
if (development) {
  const vite = await import('vite').then((v) => v.createServer({ server: { middlewareMode: true } }))
  viteMiddlewares = vite.middlewares
  build = () => vite.ssrLoadModule('virtual:remix/server-build') as Promise<ServerBuild>
} else {
  const serverBuildUrl = pathToFileURL(path.resolve('build/server/index.js')).href
  build = (await import(serverBuildUrl)) as ServerBuild
}

const app = createApp({
  db: db.db,
  build,
  development,
  productionMode: env.APP_MODE === 'production',
  viteMiddlewares,
  buildDir: path.resolve('build'),
  publicOrigin: env.PUBLIC_ORIGIN,
  log,
  logError,
  logSqlParams: env.LOG_SQL,
  // Development renders every request: a cached page would hide an edit for a few seconds.
  pageCache: development ? null : pageCacheFromTtl(env.PAGE_CACHE_TTL_MS),
})

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
  clearInterval(jobLoop)
  server.close()
  server.closeAllConnections()
  await closeSharedDb()
  process.exit(0)
}
process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGTERM', () => void shutdown('SIGTERM'))
