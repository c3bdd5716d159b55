import { beforeAll, describe, expect, it } from 'vitest'
import { createListing, listReviewQueue, submitListing } from '../../app/domains/catalog/index.server'
import { type Clock, fixedClock } from '../../app/utils/clock'
import type { Db } from '../../db/client.server'
import { certifications, productPhotos } from '../../db/schema/catalog'
import { files } from '../../db/schema/files'
import { demo, listingForm } from '../support/coop'
import { openTestDatabase, testDbKind } from '../support/db'
import { SEED_NOW } from '../support/test-clock'

/**
 * What the review queue shows a reviewer beside the listing's fields (the review pages): its cover photo and its
 * certificates, each marked valid or not on the reviewer's today (Asia/Shanghai).
 */
let db: Db
const clock: Clock = fixedClock(SEED_NOW) // 2026-06-15 in Shanghai
const reviewer = { userId: demo.officeAnalyst, orgId: demo.office }

beforeAll(async () => {
  db = (await openTestDatabase('seeded')).db
})

describe(`the review queue's photo and certificates (${testDbKind()})`, () => {
  it('shows the cover at card size and the certificates, the latest first', async () => {
    const actor = { orgId: demo.minxian, actorUserId: demo.coopAdmin }
    const created = await createListing(db, { ...actor, form: listingForm() }, clock)
    if (!created.ok) throw new Error('create failed')
    const card = `${'a'.repeat(63)}1.webp`
    const pageFile = `${'a'.repeat(63)}2.webp`
    const second = `${'a'.repeat(63)}3.webp`
    await db.insert(files).values(
      [card, pageFile, second].map((key) => ({
        key,
        contentType: 'image/webp',
        bytes: 10,
        createdAt: SEED_NOW,
      })),
    )
    await db.insert(productPhotos).values([
      {
        productId: created.productId,
        position: 2,
        cardFile: second,
        pageFile: second,
        width: 10,
        height: 10,
        createdAt: SEED_NOW,
      },
      {
        productId: created.productId,
        position: 1,
        cardFile: card,
        pageFile,
        width: 10,
        height: 10,
        createdAt: SEED_NOW,
      },
    ])
    await db.insert(certifications).values([
      {
        productId: created.productId,
        number: 'GS-2025-001',
        body: '岷县乡村振兴局',
        validFrom: '2025-01-01',
        validUntil: '2025-12-31',
        reliefMode: '经营性',
      },
      {
        productId: created.productId,
        number: 'GS-2026-007',
        body: '岷县乡村振兴局',
        validFrom: '2026-01-01',
        validUntil: '2026-12-31',
        reliefMode: '工资性',
      },
    ])
    expect(await submitListing(db, { ...actor, productId: created.productId }, clock)).toEqual({ ok: true })

    const queue = await listReviewQueue(db, reviewer, { page: 1, pageSize: 100 }, clock)
    const item = queue.items.find((i) => i.productId === created.productId)
    expect(item).toMatchObject({
      coverUrl: `/files/${card}`,
      certifications: [
        {
          body: '岷县乡村振兴局',
          number: 'GS-2026-007',
          validFrom: '2026-01-01',
          validUntil: '2026-12-31',
          reliefMode: '工资性',
          validToday: true,
        },
        {
          number: 'GS-2025-001',
          validFrom: '2025-01-01',
          validUntil: '2025-12-31',
          reliefMode: '经营性',
          validToday: false,
        },
      ],
    })
  })

  it('has no cover and no certificates for a bare listing', async () => {
    const actor = { orgId: demo.minxian, actorUserId: demo.coopAdmin }
    const created = await createListing(db, { ...actor, form: listingForm() }, clock)
    if (!created.ok) throw new Error('create failed')
    expect(await submitListing(db, { ...actor, productId: created.productId }, clock)).toEqual({ ok: true })
    const queue = await listReviewQueue(db, reviewer, { page: 1, pageSize: 100 }, clock)
    expect(queue.items.find((i) => i.productId === created.productId)).toMatchObject({
      coverUrl: null,
      certifications: [],
    })
  })
})
