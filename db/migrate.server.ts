import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator'
import type { DbHandle } from './client.server'
import { dbPath } from './paths'

const migrationsFolder = dbPath('migrations')

/** Any constant shared by every process of this app: two processes migrating at once queue on it. */
const MIGRATION_LOCK_KEY = 4_242_832_001

const pgliteMigrations = new WeakMap<object, Promise<void>>()

/**
 * Applies the committed migrations. drizzle's migrator takes no lock of its own, so two web processes starting
 * together would race; a session-level advisory lock on one reserved connection serialises them.
 */
export async function migrateDatabase(handle: DbHandle): Promise<void> {
  if (handle.driver === 'pglite') {
    // One process (the lock file guarantees it) and one connection, on which an advisory lock is re-entrant:
    // calls within the process queue on a promise instead.
    const previous = pgliteMigrations.get(handle.client) ?? Promise.resolve()
    const run = previous.then(() => migratePglite(handle.drizzle, { migrationsFolder }))
    pgliteMigrations.set(
      handle.client,
      run.catch(() => {}),
    )
    await run
    return
  }
  const reserved = await handle.client.reserve()
  try {
    await reserved`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`
    try {
      await migratePostgres(handle.drizzle, { migrationsFolder })
    } finally {
      await reserved`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`
    }
  } finally {
    reserved.release()
  }
}
