import type { Db } from '../../../db/client.server'
import { type Clock, shanghaiDate } from '../../utils/clock'
import { describeError } from '../../utils/errors.server'
import { expireOrders } from '../orders/index.server'
import { applySearchOutbox, rebuildSearchIndexIfFailed } from '../search/index.server'

/**
 * One pass of the background jobs (docs/architecture.md §1): the in-process loop of server.ts runs it every few seconds in
 * embedded mode; `npm run worker` will run the same pass in production. Each job fails on its own — a broken
 * search index must not stop unpaid orders from expiring — and is retried on the next pass.
 */
export async function runBackgroundJobs(db: Db, clock: Clock, log: (line: string) => void): Promise<void> {
  const today = shanghaiDate(clock.now())
  try {
    if (await rebuildSearchIndexIfFailed(db, today)) log('Search index rebuilt after a failure')
    const { applied } = await applySearchOutbox(db, today)
    if (applied > 0) log(`Search index: applied ${applied} product change(s)`)
  } catch (error) {
    log(`Search index sync failed (will retry): ${describeError(error, { stack: false })}`)
  }
  try {
    const expired = await expireOrders(db, clock)
    if (expired > 0) log(`Orders: ${expired} unpaid order(s) expired, their stock released`)
  } catch (error) {
    log(`Order expiry failed (will retry): ${describeError(error, { stack: false })}`)
  }
}
