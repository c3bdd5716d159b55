import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addCertification, listCertifications } from '../../app/domains/catalog/index.server'
import { getProductPage } from '../../app/domains/catalog/catalog.server'
import { runBackgroundJobs } from '../../app/domains/operations/jobs.server'
import { buildSearchIndex, resetSearchIndex, searchCatalog } from '../../app/domains/search/search.server'
import { type Clock, fixedClock, shanghaiDate, startOfShanghaiDate } from '../../app/utils/clock'
import type { Db } from '../../db/client.server'
import { certifications, products } from '../../db/schema/catalog'
import { files } from '../../db/schema/files'
import { aidEntries, aidProductRollups } from '../../db/schema/ledger'
import { outbox } from '../../db/schema/outbox'
import { demo, productId } from '../support/coop'
import { openTestDatabase, testDbKind } from '../support/db'
import { buy } from '../support/shopping'
import { SEED_NOW } from '../support/test-clock'

let db: Db
const clock = fixedClock(SEED_NOW)
const admin = { orgId: demo.minxian, actorUserId: demo.coopAdmin }
const certificate = (overrides: Record<string, unknown> = {}) => ({
  body: '岷县乡村振兴局',
  number: 'MX-2026-0031',
  validFrom: '2026-01-01',
  validUntil: '2026-12-31',
  reliefMode: '经营性',
  evidenceFile: '',
  ...overrides,
})

/** Noon, Asia/Shanghai, of a date. */
const noonOf = (date: string): Clock =>
  fixedClock(new Date(startOfShanghaiDate(date).getTime() + 12 * 3_600_000))

beforeAll(async () => {
  db = (await openTestDatabase('seeded')).db
})

afterAll(() => resetSearchIndex())

describe(`certifications (${testDbKind()})`, () => {
  it('adds certificates to the cooperative’s own products and keeps their history', async () => {
    const id = productId('PRD032')
    const key = `${'ab'.repeat(32)}.pdf`
    await db.insert(files).values({ key, contentType: 'application/pdf', bytes: 2048, createdAt: SEED_NOW })
    const [outboxBefore] = await db.select({ id: outbox.id }).from(outbox).where(eq(outbox.key, 'PRD032'))
    expect(outboxBefore).toBeUndefined()

    const first = await addCertification(
      db,
      { ...admin, productId: id, form: certificate({ validFrom: '2024-01-01', validUntil: '2025-12-31' }) },
      clock,
    )
    const second = await addCertification(
      db,
      { ...admin, productId: id, form: certificate({ number: 'MX-2026-0032', evidenceFile: key }) },
      clock,
    )
    const third = await addCertification(
      db,
      {
        ...admin,
        productId: id,
        form: certificate({ number: 'MX-2027-0001', validFrom: '2027-01-01', validUntil: '2027-12-31' }),
      },
      clock,
    )
    for (const result of [first, second, third]) expect(result).toMatchObject({ ok: true })
    expect(
      await addCertification(
        db,
        { ...admin, productId: id, form: certificate({ evidenceFile: `${'cd'.repeat(32)}.pdf` }) },
        clock,
      ),
    ).toEqual({ ok: false, error: 'invalid', errors: { evidenceFile: ['cert.error.evidence.unknown'] } })

    const history = await listCertifications(db, { ...admin, productId: id }, clock)
    expect(history!.map((c) => [c.number, c.state, c.evidenceFile])).toEqual([
      ['MX-2027-0001', 'not_yet_valid', null],
      ['MX-2026-0032', 'valid', key],
      ['MX-2026-0031', 'expired', null],
    ])
    // Each addition sent the product to the search outbox: its certified status may have changed.
    expect(await db.select({ id: outbox.id }).from(outbox).where(eq(outbox.key, 'PRD032'))).toHaveLength(3)
  })

  it('a cooperative never sees or adds another’s certifications', async () => {
    const theirs = productId('PRD001') // 安定区's, certified in the seed
    expect(await addCertification(db, { ...admin, productId: theirs, form: certificate() }, clock)).toEqual({
      ok: false,
      error: 'not_found',
    })
    expect(await listCertifications(db, { ...admin, productId: theirs }, clock)).toBeNull()
    expect(
      await listCertifications(
        db,
        { orgId: demo.anding, actorUserId: demo.coopAdmin, productId: theirs },
        clock,
      ),
    ).toBeNull()
    expect(
      await db
        .select({ id: certifications.id })
        .from(certifications)
        .where(eq(certifications.productId, theirs)),
    ).toHaveLength(1)
  })

  it('on the day a certificate lapses the product is uncertified everywhere: search, product page, ledger', async () => {
    const sku = 'PRD031'
    const id = productId(sku)
    const lastDay = '2026-06-20'
    const nextDay = '2026-06-21'
    expect(
      await addCertification(
        db,
        { ...admin, productId: id, form: certificate({ validFrom: '2026-01-01', validUntil: lastDay }) },
        clock,
      ),
    ).toMatchObject({ ok: true })
    const [product] = await db
      .select({ name: products.name, slug: products.slug })
      .from(products)
      .where(eq(products.id, id))
    const inSearch = async (today: string, certified: boolean) =>
      (
        await searchCatalog(
          db,
          { q: product!.name, filters: { certified }, sort: 'relevance', page: 1, pageSize: 50 },
          today,
        )
      ).items.some((item) => item.sku === sku)
    const log: string[] = []
    const jobs = (date: string) => runBackgroundJobs(db, noonOf(date), (line) => log.push(line))

    // The server starts on the last day: the index is built fresh, and the jobs run.
    resetSearchIndex()
    await buildSearchIndex(db, lastDay)
    await jobs(lastDay)
    expect(await inSearch(lastDay, true)).toBe(true)
    expect(await inSearch(lastDay, false)).toBe(false)
    expect((await getProductPage(db, product!.slug, lastDay))!.certified).toBe(true)
    // A sale confirmed on the last day counts as certified.
    await buy(db, { lines: [[sku, 1]], at: noonOf(lastDay) })

    // The day turns: the first pass of the day re-indexes the product.
    await jobs(nextDay)
    expect(log).toContain(`Certificates: 1 product(s) to re-index for ${nextDay}`)
    expect(await inSearch(nextDay, true)).toBe(false)
    expect(await inSearch(nextDay, false)).toBe(true)
    const page = await searchCatalog(
      db,
      { q: product!.name, filters: {}, sort: 'relevance', page: 1, pageSize: 50 },
      nextDay,
    )
    expect(page.mode).toBe('engine')
    expect(page.items.find((item) => item.sku === sku)?.certified).toBe(false)
    expect((await getProductPage(db, product!.slug, nextDay))!.certified).toBe(false)
    // A sale confirmed the day after counts as uncertified, in the entries and in the product rollups.
    await buy(db, { lines: [[sku, 2]], at: noonOf(nextDay) })
    const entries = await db
      .select({ day: aidEntries.day, certified: aidEntries.certified, quantity: aidEntries.quantity })
      .from(aidEntries)
      .where(eq(aidEntries.productId, id))
      .orderBy(aidEntries.seq)
    expect(entries).toEqual([
      { day: lastDay, certified: true, quantity: 1 },
      { day: nextDay, certified: false, quantity: 2 },
    ])
    const rollup = await db
      .select({ certified: aidProductRollups.certified })
      .from(aidProductRollups)
      .where(and(eq(aidProductRollups.productId, id), eq(aidProductRollups.day, nextDay)))
    expect(rollup).toEqual([{ certified: false }])

    // A new certificate that starts two days later makes it certified again from that day on.
    const restart = '2026-06-23'
    await addCertification(
      db,
      {
        ...admin,
        productId: id,
        form: certificate({ number: 'MX-2026-0099', validFrom: restart, validUntil: '2027-06-22' }),
      },
      noonOf(nextDay),
    )
    await jobs(nextDay)
    expect(await inSearch(nextDay, true)).toBe(false)
    await jobs('2026-06-22')
    await jobs(restart)
    expect(await inSearch(restart, true)).toBe(true)
    expect(shanghaiDate(noonOf(restart).now())).toBe(restart)
  }, 120_000)
})
