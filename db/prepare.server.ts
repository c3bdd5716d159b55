import { eq } from 'drizzle-orm'
import type { DbHandle } from './client.server'
import { users } from './schema/accounts'
import { migrateDatabase } from './migrate.server'
import { needsDemoSeed, seedDatabase } from './seed/seed.server'

/**
 * What a starting server does before it answers: apply migrations, and in demo mode seed an empty database
 * (reference data and the synthetic demo world). Production databases are seeded explicitly (`npm run db:seed`).
 */
export async function prepareDatabase(
  handle: DbHandle,
  options: { demo: boolean; log?: (message: string) => void },
): Promise<void> {
  const log = options.log ?? (() => {})
  await migrateDatabase(handle)
  if (!options.demo) {
    // Demo accounts have a published password: a production deployment must not run with any of them.
    const [demoUser] = await handle.db
      .select({ email: users.email })
      .from(users)
      .where(eq(users.isDemo, true))
      .limit(1)
    if (demoUser) {
      throw new Error(
        `APP_MODE=production refuses to start while demo accounts exist (e.g. ${demoUser.email}). ` +
          'Use a database without demo data.',
      )
    }
  }
  if (options.demo && (await needsDemoSeed(handle.db))) {
    const started = Date.now()
    log('Seeding the demo data (first start)…')
    await seedDatabase(handle.db, { demo: true, afterStep: (step) => log(`  seeded ${step}`) })
    log(`Demo data ready in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  }
}
