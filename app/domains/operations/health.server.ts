import { sql } from 'drizzle-orm'
import { type Db, pgErrorCode, queryRows, toCount } from '../../../db/client.server'
// Imported, not read from disk, so the build carries the version it was built for.
import journal from '../../../db/migrations/meta/_journal.json'
import { searchHealth } from '../search/index.server'

export type Health = {
  status: 'ok' | 'error'
  /** `not_migrated`: reachable, but the schema is missing or older than this build expects. */
  db: 'ok' | 'error' | 'not_migrated'
  search: 'ok' | 'degraded'
  /** With `not_migrated`: how many migrations the database has, and how many this build brings. */
  migrations?: { applied: number; expected: number }
}

const newestExpected = journal.entries.at(-1)
if (!newestExpected) throw new Error('db/migrations/meta/_journal.json lists no migration')
const expectedWhen = BigInt(newestExpected.when)

/** undefined_table, invalid_schema_name: drizzle's bookkeeping (and so the schema) is not there at all. */
const MISSING = new Set(['42P01', '3F000'])

/**
 * For load balancers and monitors. The database counts as up only when this build's schema is in place: a
 * connection to an empty or half-migrated database would answer every page with a 500. "In place" is what
 * drizzle's migrator itself decides by — the newest applied migration is at least this build's newest (its
 * `created_at` is the journal's `when`) — so a database a newer release has already migrated still counts, and
 * the old processes keep serving during a rolling release.
 *
 * Search is 'degraded' while the index is being built or has failed: the site still answers searches, from the
 * database.
 */
export async function checkHealth(db: Db): Promise<Health> {
  const expectedCount = journal.entries.length
  try {
    const [row] = await queryRows<{ n: unknown; newest: unknown }>(
      db,
      sql`select count(*) as n, max(created_at)::text as newest from drizzle.__drizzle_migrations`,
    )
    const applied = toCount(row?.n)
    const newest = typeof row?.newest === 'string' ? BigInt(row.newest) : null
    if (newest === null || newest < expectedWhen) {
      const migrations = { applied, expected: expectedCount }
      return { status: 'error', db: 'not_migrated', search: searchHealth(), migrations }
    }
    return { status: 'ok', db: 'ok', search: searchHealth() }
  } catch (error) {
    const code = pgErrorCode(error)
    if (code && MISSING.has(code)) {
      return {
        status: 'error',
        db: 'not_migrated',
        search: searchHealth(),
        migrations: { applied: 0, expected: expectedCount },
      }
    }
    return { status: 'error', db: 'error', search: 'degraded' }
  }
}
