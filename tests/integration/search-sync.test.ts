import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { products } from '../../db/schema/catalog'
import { outbox } from '../../db/schema/outbox'
import {
  applySearchOutbox,
  buildSearchIndex,
  recordProductChange,
  searchCatalog,
} from '../../app/domains/search/search.server'
import { shanghaiDate } from '../../app/utils/clock'
import { openTestDatabase, testDbKind } from '../support/db'
import { SEED_NOW } from '../support/test-clock'

const today = shanghaiDate(SEED_NOW)

describe(`search index sync through the outbox (${testDbKind()})`, async () => {
  const handle = await openTestDatabase('seeded')
  const db = handle.db
  const find = async (q: string) =>
    (await searchCatalog(db, { q, filters: {}, sort: 'relevance', page: 1, pageSize: 10 }, today)).items.map(
      (item) => item.sku,
    )

  it('applies a product change recorded in its transaction, and a delisting', async () => {
    await buildSearchIndex(db, today)
    await db.transaction(async (tx) => {
      await tx.update(products).set({ name: '定西高山洋芋礼盒' }).where(eq(products.sku, 'PRD001'))
      await recordProductChange(tx, ['PRD001'])
    })
    // Until the job runs, the index still has the old name.
    expect(await find('礼盒')).not.toContain('PRD001')
    expect(await applySearchOutbox(db, today)).toEqual({ applied: 1 })
    expect(await find('礼盒')).toContain('PRD001')
    expect(await applySearchOutbox(db, today)).toEqual({ applied: 0 })

    await db.transaction(async (tx) => {
      await tx.update(products).set({ status: 'archived' }).where(eq(products.sku, 'PRD030'))
      await recordProductChange(tx, ['PRD030'])
    })
    const total = async () =>
      (
        await searchCatalog(
          db,
          { q: '岷县当归', filters: {}, sort: 'relevance', page: 1, pageSize: 10 },
          today,
        )
      ).total
    const before = await total()
    // A delisted product is never shown, even before the index hears of it…
    expect(await find('岷县当归')).not.toContain('PRD030')
    await applySearchOutbox(db, today)
    // …and once the job has run, the index no longer counts it either.
    expect(await total()).toBe(before - 1)
    const pending = await db.select({ id: outbox.id }).from(outbox).where(eq(outbox.key, 'PRD030'))
    expect(pending).toHaveLength(1)
  })

  it('records nothing when the change rolls back', async () => {
    await expect(
      db.transaction(async (tx) => {
        await recordProductChange(tx, ['PRD002'])
        throw new Error('rolled back')
      }),
    ).rejects.toThrow('rolled back')
    expect(await db.select({ id: outbox.id }).from(outbox).where(eq(outbox.key, 'PRD002'))).toEqual([])
  })
})
