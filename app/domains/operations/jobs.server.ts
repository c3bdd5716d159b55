import type { Db } from '../../../db/client.server'
import { purgeOutbox } from '../../services/mail/index.server'
import { type Clock, shanghaiDate } from '../../utils/clock'
import { describeError } from '../../utils/errors.server'
import { addDays, recordCertificationBoundaries } from '../catalog/index.server'
import { publishDailyHead } from '../ledger/index.server'
import { autoConfirmReceipts, expireOrders } from '../orders/index.server'
import { applySearchOutbox, rebuildSearchIndexIfFailed } from '../search/index.server'
import { foldTargetTallies } from '../targets/index.server'

/**
 * One pass of the background jobs (docs/architecture.md §1): the in-process loop of server.ts runs it every few seconds in
 * embedded mode; `npm run worker` will run the same pass in production. Each job fails on its own — a broken
 * search index must not stop unpaid orders from expiring — and is retried on the next pass.
 */
export async function runBackgroundJobs(db: Db, clock: Clock, log: (line: string) => void): Promise<void> {
  const today = shanghaiDate(clock.now())
  // Before the outbox is applied, so that a day's certificate changes reach the index in the same pass.
  try {
    const recorded = await recordDayChange(db, today)
    if (recorded > 0) log(`Certificates: ${recorded} product(s) to re-index for ${today}`)
  } catch (error) {
    log(`Certificate day change failed (will retry): ${describeError(error, { stack: false })}`)
  }
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
  try {
    const received = await autoConfirmReceipts(db, clock)
    if (received > 0) log(`Orders: ${received} shipment(s) received automatically after 10 days`)
  } catch (error) {
    log(`Automatic receipt failed (will retry): ${describeError(error, { stack: false })}`)
  }
  try {
    // Quiet when it works: every confirmed sale is folded within a pass or two, which is not news.
    await foldTargetTallies(db, clock)
  } catch (error) {
    log(`Target tallies failed (will retry): ${describeError(error, { stack: false })}`)
  }
  try {
    // Once per Asia/Shanghai day (decision 024): idempotent, so every pass may try.
    await publishDailyHead(db, clock)
  } catch (error) {
    log(`Publishing the ledger head failed (will retry): ${describeError(error, { stack: false })}`)
  }
  try {
    const purged = await purgeOutbox(db, clock)
    if (purged > 0) log(`Outbox: ${purged} message(s) past retention deleted`)
  } catch (error) {
    log(`Outbox purge failed (will retry): ${describeError(error, { stack: false })}`)
  }
}

/** The last Asia/Shanghai day the jobs saw, per database (tests run several in one process). */
const lastDaySeen = new WeakMap<Db, string>()

/**
 * Certified status in search is computed when a product is indexed (app/domains/search), so when the day changes,
 * the products whose certificate ended yesterday or begins today must be indexed again: on the day a certificate
 * lapses, the product is uncertified in search as everywhere else. The index is built fresh at start, so the first
 * pass only needs to look back one day (in case the day turned between the build and this pass); a process that
 * slept through several days catches up on all of them. Recording a product twice is harmless: the outbox entry
 * only says "index this product as it is now".
 */
async function recordDayChange(db: Db, today: string): Promise<number> {
  const since = lastDaySeen.get(db) ?? addDays(today, -1)
  if (since >= today) return 0
  const recorded = await recordCertificationBoundaries(db, { since, today })
  lastDaySeen.set(db, today)
  return recorded
}
