import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { openPostgres, queryRows } from '../../db/client.server'
import { migrateDatabase } from '../../db/migrate.server'
import { openTestDatabase, testDbKind } from '../support/db'

describe(`migrations under the advisory lock (${testDbKind()})`, () => {
  it('let two processes start at once without applying anything twice', async () => {
    const handle = await openTestDatabase('empty')
    if (handle.driver === 'pglite') {
      // One process, one connection: the lock file (tested apart) is what keeps a second process out.
      await Promise.all([migrateDatabase(handle), migrateDatabase(handle)])
    } else {
      // Two independent pools on one database, as two web processes starting together would be.
      const url = (handle.client.options as unknown as { database: string }).database
      const base = new URL(process.env.DATABASE_URL ?? '')
      base.pathname = `/${url}`
      const other = openPostgres(base.toString(), { max: 2 })
      try {
        await Promise.all([migrateDatabase(handle), migrateDatabase(other)])
      } finally {
        await other.close()
      }
    }
    const [row] = await queryRows<{ n: unknown; distinct_hashes: unknown }>(
      handle.db,
      sql`select count(*) as n, count(distinct hash) as distinct_hashes from drizzle.__drizzle_migrations`,
    )
    expect(Number(row?.n)).toBeGreaterThan(0)
    expect(Number(row?.n)).toBe(Number(row?.distinct_hashes))
  })
})
