import fs from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { type SQL, sql } from 'drizzle-orm'
import { type PgDatabase, PgDialect, type PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite, type PgliteDatabase } from 'drizzle-orm/pglite'
import { drizzle as drizzlePostgres, type PostgresJsDatabase } from 'drizzle-orm/postgres-js'
import postgres from 'postgres'
import { getEnv } from '../app/utils/env.server'
import { runPrepared } from './prepared.server'
import * as accounts from './schema/accounts'
import * as audit from './schema/audit'
import * as catalog from './schema/catalog'
import * as files from './schema/files'
import * as households from './schema/households'
import * as ledger from './schema/ledger'
import * as memberships from './schema/memberships'
import * as orders from './schema/orders'
import * as organizations from './schema/organizations'
import * as outbox from './schema/outbox'
import * as procurement from './schema/procurement'
import * as regions from './schema/regions'
import * as tallies from './schema/tallies'
import * as targets from './schema/targets'
// Bank statement import (issue 18 item 5).
import * as statements from './schema/statements'

export const schema = {
  ...regions,
  ...accounts,
  ...organizations,
  ...memberships,
  ...files,
  ...catalog,
  ...households,
  ...targets,
  ...audit,
  ...outbox,
  ...orders,
  ...ledger,
  ...procurement,
  ...statements,
  ...tallies,
}
export type Schema = typeof schema

/** What every model function takes: the database, or a transaction (a transaction is a database too). */
export type Db = PgDatabase<PgQueryResultHKT, Schema>

export type PgliteHandle = {
  driver: 'pglite'
  db: Db
  drizzle: PgliteDatabase<Schema>
  client: PGlite
  close(): Promise<void>
}
export type PostgresHandle = {
  driver: 'postgres'
  db: Db
  drizzle: PostgresJsDatabase<Schema>
  client: postgres.Sql
  close(): Promise<void>
}
export type DbHandle = PgliteHandle | PostgresHandle

export class DatabaseLockedError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `The embedded database in ${dataDir} is in use by process ${pid}. ` +
        'Stop the server or set DATABASE_URL to use a PostgreSQL server.',
    )
    this.name = 'DatabaseLockedError'
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * PGlite has no locking of its own: a second process on the same directory loses its writes silently.
 * An exclusive-create lock file holding our pid refuses that second process; a lock left by a dead process is
 * taken over.
 */
function acquireDataDirLock(dataDir: string): () => void {
  const lockPath = path.join(dataDir, 'pglite.lock')
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(lockPath, JSON.stringify({ pid: process.pid }), { flag: 'wx' })
      const release = () => {
        process.off('exit', release)
        try {
          const holder = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as { pid?: number }
          if (holder.pid === process.pid) fs.rmSync(lockPath, { force: true })
        } catch {
          // Already gone: nothing to release.
        }
      }
      process.on('exit', release)
      return release
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      let holderPid: number | undefined
      try {
        holderPid = (JSON.parse(fs.readFileSync(lockPath, 'utf8')) as { pid?: number }).pid
      } catch {
        holderPid = undefined // unreadable or half-written: treat as stale
      }
      if (holderPid !== undefined && processIsAlive(holderPid))
        throw new DatabaseLockedError(dataDir, holderPid)
      fs.rmSync(lockPath, { force: true })
    }
  }
  throw new Error(`Could not take the lock ${lockPath}`)
}

export type PgliteOptions =
  /** A directory on disk (guarded by the lock file), or an existing instance (tests: in memory, cloned). */
  { dataDir: string } | { instance: PGlite }

export function openPglite(options: PgliteOptions & { logger?: boolean }): PgliteHandle {
  let client: PGlite
  let release = () => {}
  if ('instance' in options) {
    client = options.instance
  } else {
    fs.mkdirSync(options.dataDir, { recursive: true })
    release = acquireDataDirLock(options.dataDir)
    try {
      client = new PGlite(path.join(options.dataDir, 'pglite'))
    } catch (error) {
      release()
      throw error
    }
  }
  const drizzle = drizzlePglite({ client, schema, logger: options.logger ?? false })
  return {
    driver: 'pglite',
    db: drizzle as unknown as Db,
    drizzle,
    client,
    async close() {
      try {
        if (!client.closed) await client.close()
      } finally {
        release()
      }
    },
  }
}

export function openPostgres(
  url: string,
  options: {
    max?: number
    logger?: boolean
    /**
     * Called with the text of every statement the driver sends (BEGIN and COMMIT included): the checkout bench
     * counts statements with it. Unset, the driver runs exactly as without it.
     */
    onQuery?: (query: string) => void
  } = {},
): PostgresHandle {
  const { onQuery } = options
  const client = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    ...(onQuery ? { debug: (_connection: number, query: string) => onQuery(query) } : {}),
    // Money and counts arrive as strings from int8 columns; drizzle maps typed columns, raw queries use the
    // helpers below, so no global parser override is needed.
  })
  const drizzle = drizzlePostgres({ client, schema, logger: options.logger ?? false })
  return {
    driver: 'postgres',
    db: drizzle as unknown as Db,
    drizzle,
    client,
    async close() {
      await client.end({ timeout: 5 })
    },
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Driver differences, normalised once (docs/toolchain.md, "Two drivers, one schema").

/** `db.execute()` gives `{ rows }` on PGlite and a plain array on postgres.js. */
export async function queryRows<T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query)
  if (Array.isArray(result)) return result as T[]
  return ((result as { rows?: T[] }).rows ?? []) as T[]
}

const rawDialect = new PgDialect()

/**
 * `queryRows`, but as a prepared statement (db/prepared.server.ts): parsed once per connection (postgres.js caches
 * it by its text) and then one round trip, where `db.execute()` sends every statement unnamed — two round trips
 * (Parse/Describe, wait for the parameter types, then Bind/Execute) and a parse each time. Keep the text fixed —
 * pass lists as one array parameter, not as a list of parameters — or every length becomes another statement on
 * every connection.
 */
export async function preparedRows<T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const { sql: text, params } = rawDialect.sqlToQuery(query)
  return runPrepared<T>(db, text, params)
}

/** count(*) is a number on PGlite and a string on postgres.js. */
export function toCount(value: unknown): number {
  if (value === null || value === undefined) return 0
  const n = typeof value === 'number' ? value : Number(value as string | bigint)
  if (!Number.isSafeInteger(n)) throw new RangeError(`Not a count: ${String(value)}`)
  return n
}

/** sum(bigint) and int8 values arrive as strings (or bigint/number); money is always read as bigint. */
export function toBigInt(value: unknown): bigint {
  if (value === null || value === undefined) return 0n
  if (typeof value === 'bigint') return value
  if (typeof value === 'number') return BigInt(value)
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value)
  throw new RangeError(`Not an integer: ${String(value)}`)
}

/** count(*) for drizzle selects, the same type on both drivers. */
export const countAll = sql<number>`count(*)`.mapWith(toCount)

/** drizzle wraps driver errors: the SQLSTATE (e.g. 23505) sits on `cause`. */
export function pgErrorCode(error: unknown): string | undefined {
  let current: unknown = error
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

// ---------------------------------------------------------------------------------------------------------------
// The process-wide client. Kept on globalThis so that the server (run by tsx) and the Remix build (its own copy of
// this module) share one connection pool, and so that a dev-server reload does not open PGlite a second time.

type DbConfig = {
  DATABASE_URL?: string | undefined
  dataDir: string
  DATABASE_POOL_SIZE: number
  LOG_SQL: boolean
}

const globalStore = globalThis as typeof globalThis & { __xfbfDb?: DbHandle }

export function openDatabase(config: DbConfig): DbHandle {
  return config.DATABASE_URL
    ? openPostgres(config.DATABASE_URL, { max: config.DATABASE_POOL_SIZE, logger: config.LOG_SQL })
    : openPglite({ dataDir: config.dataDir, logger: config.LOG_SQL })
}

/** The shared handle, opened on first use from the validated environment. */
export function getDbHandle(): DbHandle {
  globalStore.__xfbfDb ??= openDatabase(getEnv())
  return globalStore.__xfbfDb
}

/** The process-wide database. Inside a transaction, use the transaction instead (never this). */
export function getDb(): Db {
  return getDbHandle().db
}

/** Makes an already open handle the process-wide one (integration tests exercising routes use their own database). */
export function useSharedDb(handle: DbHandle): void {
  globalStore.__xfbfDb = handle
}

export async function closeSharedDb(): Promise<void> {
  const handle = globalStore.__xfbfDb
  globalStore.__xfbfDb = undefined
  if (handle) await handle.close()
}
