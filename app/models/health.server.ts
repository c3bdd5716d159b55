import { sql } from 'drizzle-orm'
import type { Db } from '../../db/client.server'
import { searchHealth } from './search.server'

export type Health = { status: 'ok' | 'error'; db: 'ok' | 'error'; search: 'ok' | 'degraded' }

/**
 * For load balancers and monitors. Search is 'degraded' while the index is being built or has failed: the site
 * still answers searches, from the database.
 */
export async function checkHealth(db: Db): Promise<Health> {
  try {
    await db.execute(sql`select 1`)
    return { status: 'ok', db: 'ok', search: searchHealth() }
  } catch {
    return { status: 'error', db: 'error', search: 'degraded' }
  }
}
