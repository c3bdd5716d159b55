import { types, type PGlite, type Transaction } from '@electric-sql/pglite'
import { DrizzleQueryError, type Logger } from 'drizzle-orm'
import type postgres from 'postgres'
import type { Db } from './client.server'

/**
 * Prepared statements over each driver's public API: postgres.js `unsafe(text, params, { prepare: true })` and
 * PGlite's `query(text, params)`. A prepared statement is parsed once per connection (postgres.js caches it by its
 * text) and then costs one round trip; drizzle's `db.execute()` sends each statement unnamed, which costs two
 * round trips and a parse every time. The confirm and checkout benches count on it (docs/architecture.md §8).
 */

/** Where a database or a transaction sends its statements: the driver's own handle, and drizzle's logger. */
export type Connection =
  | { driver: 'postgres'; sql: postgres.Sql | postgres.TransactionSql; logger: Logger }
  | { driver: 'pglite'; client: PGlite | Transaction; logger: Logger }

/**
 * The connection `db` runs on. A transaction must be reached through its own connection: postgres.js reserves one
 * for it (the pool's other connections do not see its writes), and PGlite, which has one, makes every query on the
 * instance wait until the transaction ends. The logger too: LOG_SQL, and the tests that watch which statements a
 * domain function sends, see these statements as they see drizzle's own.
 *
 * drizzle-orm 0.45.4 documents the driver client only on the database it creates (`db.$client`). A transaction has
 * no `$client`: its client (postgres.js: the transaction's `TransactionSql`, a savepoint's too; PGlite: its
 * `Transaction`) and its logger sit on its session, `db._.session` — typed on every drizzle database, but its
 * `client` and `logger` are public on drizzle's postgres.js session and private on its PGlite one. This is the one
 * place that reads them, for the database and its transactions alike; tests/integration/prepared.test.ts fails if
 * an upgrade moves either.
 */
export function connectionOf(db: Db): Connection {
  const { client, logger } = db._.session as unknown as { client?: unknown; logger?: { logQuery?: unknown } }
  // postgres.js's client is a function with properties (a tagged template), PGlite's an object.
  if (
    typeof logger?.logQuery === 'function' &&
    (typeof client === 'function' || typeof client === 'object')
  ) {
    const methods = client as { unsafe?: unknown; query?: unknown } | null
    if (typeof methods?.unsafe === 'function')
      return { driver: 'postgres', sql: client as postgres.Sql, logger: logger as Logger }
    if (typeof methods?.query === 'function')
      return { driver: 'pglite', client: client as PGlite | Transaction, logger: logger as Logger }
  }
  throw new Error(
    "prepared statements: drizzle's session no longer holds the driver's client and logger where " +
      'db/prepared.server.ts expects them (drizzle-orm upgraded?)',
  )
}

/**
 * drizzle reads dates, times, timestamps and intervals (and arrays of them) as PostgreSQL's text on both drivers
 * (on postgres.js by replacing the client's parsers, on PGlite per query): the same parsers here, so that a row
 * read prepared has the shape `db.execute()` gives it.
 */
const pgliteParsers = Object.fromEntries(
  [
    types.TIMESTAMP,
    types.TIMESTAMPTZ,
    types.INTERVAL,
    types.DATE,
    1231, // numeric[]
    1115, // timestamp[]
    1185, // timestamptz[]
    1187, // interval[]
    1182, // date[]
  ].map((oid) => [oid, (value: string) => value]),
)

/**
 * Runs `text` with `params` ($1, $2 … in the text) on `db` — the database or a transaction — as a prepared
 * statement, and returns its rows as plain objects on both drivers. Logged through drizzle's logger (LOG_SQL), and
 * a failure is drizzle's DrizzleQueryError (the driver's error, with its SQLSTATE, as its cause), as for
 * `db.execute()`. Keep the text fixed — pass a list as one array parameter, not as a list of parameters — or every
 * length becomes another statement on every connection.
 */
export async function runPrepared<T extends Record<string, unknown>>(
  db: Db,
  text: string,
  params: readonly unknown[],
): Promise<T[]> {
  const connection = connectionOf(db)
  const values = params as unknown[]
  connection.logger.logQuery(text, values)
  try {
    if (connection.driver === 'postgres') {
      // A RowList is an array of row objects.
      return (await connection.sql.unsafe(text, values as postgres.ParameterOrJSON<never>[], {
        prepare: true,
      })) as unknown as T[]
    }
    const result = await connection.client.query<T>(text, values, {
      rowMode: 'object',
      parsers: pgliteParsers,
    })
    return result.rows
  } catch (error) {
    throw new DrizzleQueryError(text, values, error as Error)
  }
}
