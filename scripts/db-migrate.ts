// npm run db:migrate — applies committed migrations (a release step in production).
import { openDatabase } from '../db/client.server'
import { migrateDatabase } from '../db/migrate.server'
import { getEnv } from '../app/utils/env.server'
import { runCli } from './cli'

await runCli(async () => {
  const handle = openDatabase(getEnv())
  try {
    await migrateDatabase(handle)
    console.log(`Migrations applied (${handle.driver}).`)
  } finally {
    await handle.close()
  }
})
