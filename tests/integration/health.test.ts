import fs from 'node:fs'
import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { checkHealth } from '../../app/domains/operations/health.server'
import { migrateDatabase } from '../../db/migrate.server'
import { startTestApp } from '../support/app-server'
import { openTestDatabase, testDbKind } from '../support/db'

const journal = JSON.parse(fs.readFileSync('db/migrations/meta/_journal.json', 'utf8')) as {
  entries: Array<{ when: number }>
}

describe(`/healthz and the schema (${testDbKind()})`, () => {
  it('says not_migrated, with a 503, on an empty database — where every page would fail', async () => {
    const handle = await openTestDatabase('empty')
    const { origin } = await startTestApp(handle)
    const answer = await fetch(`${origin}/healthz`)
    expect(answer.status).toBe(503)
    expect(answer.headers.get('cache-control')).toBe('no-store')
    expect(await answer.json()).toEqual({
      status: 'error',
      db: 'not_migrated',
      search: expect.any(String),
      migrations: { applied: 0, expected: journal.entries.length },
    })

    // Once migrated, the same database is healthy as far as the schema goes.
    await migrateDatabase(handle)
    expect(await checkHealth(handle.db)).toMatchObject({ status: 'ok', db: 'ok' })
  })

  it('says not_migrated when the newest migration of this build has not been applied', async () => {
    const handle = await openTestDatabase('migrated')
    expect(await checkHealth(handle.db)).toMatchObject({ status: 'ok', db: 'ok' })
    const newest = journal.entries.at(-1)!.when
    await handle.db.execute(sql`delete from drizzle.__drizzle_migrations where created_at = ${newest}`)
    expect(await checkHealth(handle.db)).toEqual({
      status: 'error',
      db: 'not_migrated',
      search: expect.any(String),
      migrations: { applied: journal.entries.length - 1, expected: journal.entries.length },
    })
    // A database a newer release has migrated further still serves this one (a rolling release).
    await handle.db.execute(
      sql`insert into drizzle.__drizzle_migrations (hash, created_at) values ('from-a-newer-release', ${newest + 1})`,
    )
    expect(await checkHealth(handle.db)).toMatchObject({ status: 'ok', db: 'ok' })
  })
})
