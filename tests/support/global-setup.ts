import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import postgres from 'postgres'
import type { TestProject } from 'vitest/node'
import { openPglite, openPostgres } from '../../db/client.server'
import { migrateDatabase } from '../../db/migrate.server'
import { seedDatabase } from '../../db/seed/seed.server'
import { SEED_NOW } from './test-clock'
import { adminUrl, databaseUrl } from './server-url'

declare module 'vitest' {
  export interface ProvidedContext {
    /** PGlite: tarballs of a migrated and of a migrated-and-seeded data directory. */
    pgliteMigrated: string
    pgliteSeeded: string
    /** Server: template databases, migrated and migrated-and-seeded. */
    serverMigrated: string
    serverSeeded: string
  }
}

/**
 * Migrating (and seeding) once per run, then copying per test file, keeps the suite fast: a fresh PGlite costs
 * seconds (WASM compile + initdb) while loading a dump costs about one; on the server, CREATE DATABASE … TEMPLATE
 * is a file copy. The seeded copy is the demo world without its year of orders (SeedOptions.history): each test
 * starts from an empty ledger and the seeded stock; tests/integration/seed.test.ts seeds the history itself.
 */
export default async function setup(project: TestProject) {
  const kind = project.config.env.TEST_DB
  const runId = `${process.pid}_${Date.now().toString(36)}`
  if (kind === 'pglite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xfbf-pglite-'))
    const instance = await PGlite.create()
    const handle = openPglite({ instance })
    await migrateDatabase(handle)
    const migrated = path.join(dir, 'migrated.tar')
    fs.writeFileSync(migrated, Buffer.from(await (await instance.dumpDataDir('none')).arrayBuffer()))
    await seedDatabase(handle.db, { demo: true, now: SEED_NOW, history: false })
    const seeded = path.join(dir, 'seeded.tar')
    fs.writeFileSync(seeded, Buffer.from(await (await instance.dumpDataDir('none')).arrayBuffer()))
    await handle.close()
    project.provide('pgliteMigrated', migrated)
    project.provide('pgliteSeeded', seeded)
    return () => fs.rmSync(dir, { recursive: true, force: true })
  }

  const admin = postgres(adminUrl(), { max: 1, onnotice: () => {} })
  const migratedName = `xfbf_tpl_m_${runId}`
  const seededName = `xfbf_tpl_s_${runId}`
  await admin.unsafe(`create database "${migratedName}"`)
  const migrated = openPostgres(databaseUrl(migratedName), { max: 2 })
  await migrateDatabase(migrated)
  await migrated.close()
  await admin.unsafe(`create database "${seededName}" template "${migratedName}"`)
  const seeded = openPostgres(databaseUrl(seededName), { max: 2 })
  await seedDatabase(seeded.db, { demo: true, now: SEED_NOW, history: false })
  await seeded.close()
  project.provide('serverMigrated', migratedName)
  project.provide('serverSeeded', seededName)
  return async () => {
    await admin.unsafe(`drop database if exists "${seededName}" with (force)`)
    await admin.unsafe(`drop database if exists "${migratedName}" with (force)`)
    await admin.end()
  }
}
