// npm run db:seed — idempotent: reference data always, the synthetic demo world only with APP_MODE=demo.
import { openDatabase } from '../db/client.server'
import { migrateDatabase } from '../db/migrate.server'
import { seedDatabase } from '../db/seed/seed.server'
import { getEnv } from '../app/utils/env.server'
import { runCli } from './cli'

await runCli(async () => {
  const env = getEnv()
  const handle = openDatabase(env)
  try {
    await migrateDatabase(handle)
    await seedDatabase(handle.db, {
      demo: env.APP_MODE === 'demo',
      afterStep: (step) => console.log(`seeded ${step}`),
    })
    console.log(`Seed complete (${handle.driver}, APP_MODE=${env.APP_MODE}).`)
  } finally {
    await handle.close()
  }
})
