import fs from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import postgres from 'postgres'
import { inject } from 'vitest'
import { type DbHandle, openPglite, openPostgres } from '../../db/client.server'
import { adminUrl, databaseUrl } from './server-url'

export type TestDbKind = 'pglite' | 'server'

export function testDbKind(): TestDbKind {
  const kind = process.env.TEST_DB
  if (kind !== 'pglite' && kind !== 'server') throw new Error('TEST_DB must be pglite or server')
  return kind
}

/** Test databases opened by this file and not closed yet. */
const openHandles = new Set<DbHandle>()

/**
 * A database of this test file's own, closed (and on the server dropped) after the file — by closeTestDatabases,
 * which tests/support/setup.ts runs after every file, so that a database opened inside a beforeAll (where an
 * afterAll can no longer be registered) is dropped too. `seeded` starts from the demo seed made at SEED_NOW;
 * `migrated` from the schema alone; `empty` from nothing at all.
 */
export async function openTestDatabase(
  state: 'migrated' | 'seeded' | 'empty' = 'seeded',
  options: { poolSize?: number } = {},
): Promise<DbHandle> {
  const opened =
    testDbKind() === 'pglite' ? await openPgliteCopy(state) : await openServerCopy(state, options)
  let closing: Promise<void> | undefined
  const handle = {
    ...opened,
    close: () => {
      openHandles.delete(handle)
      closing ??= opened.close()
      return closing
    },
  } as DbHandle
  if (serverNames.has(opened)) serverNames.set(handle, serverNames.get(opened)!)
  openHandles.add(handle)
  return handle
}

/** Closes (and on the server drops) every test database this file opened and left open. */
export async function closeTestDatabases(): Promise<void> {
  await Promise.all([...openHandles].map((handle) => handle.close()))
}

async function openPgliteCopy(state: 'migrated' | 'seeded' | 'empty'): Promise<DbHandle> {
  if (state === 'empty') return openPglite({ instance: await PGlite.create() })
  const tarball = inject(state === 'seeded' ? 'pgliteSeeded' : 'pgliteMigrated')
  const instance = await PGlite.create({ loadDataDir: new Blob([fs.readFileSync(tarball)]) })
  return openPglite({ instance })
}

const serverNames = new WeakMap<DbHandle, string>()

/**
 * The same database through a new connection, as after a restart: PGlite's data directory is dumped and loaded
 * into a new instance; on the server a new pool connects to the same database. The caller closes it.
 */
export async function reopenTestDatabase(handle: DbHandle): Promise<DbHandle> {
  if (handle.driver === 'pglite') {
    const dump = await handle.client.dumpDataDir('none')
    return openPglite({ instance: await PGlite.create({ loadDataDir: dump }) })
  }
  const name = serverNames.get(handle)
  if (!name) throw new Error('not a test database opened by openTestDatabase')
  return openPostgres(databaseUrl(name), { max: 2 })
}

/** The connection URL of a server test database (for a child process that connects on its own). */
export function testDatabaseUrl(handle: DbHandle): string {
  const name = serverNames.get(handle)
  if (!name) throw new Error('not a server test database opened by openTestDatabase')
  return databaseUrl(name)
}

let serial = 0

async function openServerCopy(
  state: 'migrated' | 'seeded' | 'empty',
  options: { poolSize?: number },
): Promise<DbHandle> {
  const name = `xfbf_t_${process.pid}_${Date.now().toString(36)}_${serial++}`
  const admin = postgres(adminUrl(), { max: 1, onnotice: () => {} })
  try {
    const template =
      state === 'empty' ? 'template0' : inject(state === 'seeded' ? 'serverSeeded' : 'serverMigrated')
    // Two files copying one template at the same moment can collide ("source database is being accessed");
    // a short retry settles it.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.unsafe(`create database "${name}" template "${template}"`)
        break
      } catch (error) {
        if (attempt >= 20 || !String(error).includes('being accessed')) throw error
        await new Promise((resolve) => setTimeout(resolve, 100 + attempt * 50))
      }
    }
  } finally {
    await admin.end()
  }
  const handle = openPostgres(databaseUrl(name), { max: options.poolSize ?? 4 })
  const wrapped = {
    ...handle,
    async close() {
      await handle.close()
      const dropper = postgres(adminUrl(), { max: 1, onnotice: () => {} })
      await dropper.unsafe(`drop database if exists "${name}" with (force)`)
      await dropper.end()
    },
  } as DbHandle
  serverNames.set(wrapped, name)
  return wrapped
}
