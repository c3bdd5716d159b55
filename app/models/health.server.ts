import { sql } from 'drizzle-orm'
import type { Db } from '../../db/client.server'

export type Health = { status: 'ok' | 'error'; db: 'ok' | 'error'; search: 'ok' | 'degraded' }

/**
 * For load balancers and monitors. Search answers from the database until a search engine is configured, so it
 * is reported as ok whenever the database is.
 */
export async function checkHealth(db: Db): Promise<Health> {
  try {
    await db.execute(sql`select 1`)
    return { status: 'ok', db: 'ok', search: 'ok' }
  } catch {
    return { status: 'error', db: 'error', search: 'degraded' }
  }
}
