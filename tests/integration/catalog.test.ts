import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { queryRows, toBigInt, toCount, useSharedDb } from '../../db/client.server'
import { getProductPage, listProducts } from '../../app/domains/catalog/catalog.server'
import { referenceData } from '../../app/domains/regions/reference-data.server'
import { loader as productsApi } from '../../app/routes/api.v1.products._index'
import { loader as productApi } from '../../app/routes/api.v1.products.$slug'
import { loader as regionsApi } from '../../app/routes/api.v1.regions'
import { formatFen } from '../../app/utils/money'
import { translate } from '../../app/utils/i18n.server'
import { testContext } from '../support/context'
import { openTestDatabase, testDbKind } from '../support/db'
import { SEED_NOW } from '../support/test-clock'
import { shanghaiDate } from '../../app/utils/clock'

const today = shanghaiDate(SEED_NOW)

describe(`the catalogue (${testDbKind()})`, async () => {
  const handle = await openTestDatabase('seeded')
  const db = handle.db
  useSharedDb(handle)

  async function productWithRule(kind: 'basis_points' | 'fen_per_unit') {
    const [row] = await queryRows<{
      slug: string
      price_fen: unknown
      basis_points: unknown
      fen_per_unit: unknown
      households: unknown
    }>(
      db,
      sql`select p.slug, p.price_fen, r.basis_points, r.fen_per_unit,
                 (select count(*) from product_beneficiaries b
                   where b.product_id = p.id and b.unlinked_at is null) as households
          from products p join proceeds_rules r on r.product_id = p.id
          where r.kind = ${kind} order by p.sku limit 1`,
    )
    if (!row) throw new Error(`no seeded product with a ${kind} rule`)
    return row
  }

  it('reads regions and pairings once per database, and refuses to read them inside a transaction', async () => {
    const first = await referenceData(db)
    expect(first.regions.get('621126')?.name).toBe('岷县')
    expect(await referenceData(db)).toBe(first)
    // A transaction is a new object every time: cached by it, every call would reload ≈3,400 rows under its locks.
    await expect(db.transaction((tx) => referenceData(tx))).rejects.toThrow(/not a transaction/)
  })

  it('states the impact of one unit for a basis-point product', async () => {
    const row = await productWithRule('basis_points')
    const expected = (toBigInt(row.price_fen) * toBigInt(row.basis_points)) / 10_000n
    const page = await getProductPage(db, row.slug, today)
    expect(page?.impact).toEqual({ perUnitFen: Number(expected), households: toCount(row.households) })
    expect(
      translate('zh', 'product.impact', { amount: formatFen(expected), n: toCount(row.households) }),
    ).toMatch(/^每售出 1 件，¥\d+\.\d\d 计入 \d+ 户受益农户$/)
  })

  it('states the impact of one unit for a fixed-fen product, capped at the price', async () => {
    const row = await productWithRule('fen_per_unit')
    const perUnit = toBigInt(row.fen_per_unit)
    const price = toBigInt(row.price_fen)
    const page = await getProductPage(db, row.slug, today)
    expect(page?.impact).toEqual({
      perUnitFen: Number(perUnit < price ? perUnit : price),
      households: toCount(row.households),
    })
  })

  it('shows no GI badge on a product whose GI is only reported (常山胡柚), and one where it is confirmed', async () => {
    const [reported] = await listProducts(db, { q: '常山胡柚' }, { page: 1, pageSize: 5 }, today).then(
      (r) => r.items,
    )
    expect(reported?.name).toBe('常山胡柚')
    expect(reported?.giConfirmed).toBe(false)
    const page = await getProductPage(db, reported!.slug, today)
    expect(page?.giConfirmed).toBe(false)
    const [confirmed] = await listProducts(db, { q: '定西马铃薯' }, { page: 1, pageSize: 5 }, today).then(
      (r) => r.items,
    )
    expect(confirmed?.giConfirmed).toBe(true)
  })

  it('shows an expired certificate as expired, and does not count it as certified', async () => {
    const [row] = await queryRows<{ slug: string }>(
      db,
      sql`select p.slug from products p join certifications c on c.product_id = p.id
          where c.valid_until < ${today}::date order by p.sku limit 1`,
    )
    expect(row, 'the seed includes an expired demo certificate').toBeDefined()
    const page = await getProductPage(db, row!.slug, today)
    expect(page?.certifications.some((c) => c.state === 'expired')).toBe(true)
    expect(page?.certified).toBe(page?.certifications.some((c) => c.state === 'valid'))
  })

  it('filters by region subtree, category, certification and price, and pages without overlap', async () => {
    const all = await listProducts(db, { regionCode: '621100' }, { page: 1, pageSize: 100 }, today)
    expect(all.items.every((p) => p.originCode.startsWith('6211'))).toBe(true)
    const cheap = await listProducts(
      db,
      { regionCode: '621100', maxPriceFen: 2000n, sort: 'price_asc' },
      { page: 1, pageSize: 100 },
      today,
    )
    expect(cheap.items.every((p) => p.priceFen <= 2000)).toBe(true)
    expect(cheap.items.map((p) => p.priceFen)).toEqual(
      [...cheap.items.map((p) => p.priceFen)].sort((a, b) => a - b),
    )
    const certified = await listProducts(db, { certifiedOnly: true }, { page: 1, pageSize: 200 }, today)
    expect(certified.total).toBeGreaterThan(0)
    expect(certified.items.every((p) => p.certified)).toBe(true)
    const herbs = await listProducts(db, { category: '中药材' }, { page: 1, pageSize: 200 }, today)
    expect(herbs.items.every((p) => p.category === '中药材')).toBe(true)
    const page1 = await listProducts(db, {}, { page: 1, pageSize: 10 }, today)
    const page2 = await listProducts(db, {}, { page: 2, pageSize: 10 }, today)
    expect(page1.total).toBe(108)
    expect(page1.items.filter((a) => page2.items.some((b) => b.sku === a.sku))).toEqual([])
  })

  describe('GET /api/v1/products', () => {
    const call = (query: string) =>
      productsApi({
        request: new Request(`http://localhost/api/v1/products${query}`),
        params: {},
        context: testContext(),
      })

    it('returns every Dingxi product across all pages, and only those', async () => {
      const [count] = await queryRows<{ n: unknown }>(
        db,
        sql`select count(*) as n from products where status = 'active' and origin_code like '6211%'`,
      )
      const seen: Array<{ originCode: string; priceFen: unknown; sku: string }> = []
      let total = -1
      for (let page = 1; page < 20; page++) {
        const response = await call(`?region=621100&pageSize=7&page=${page}`)
        expect(response.status).toBe(200)
        expect(response.headers.get('access-control-allow-origin')).toBe('*')
        const body = (await response.json()) as {
          items: typeof seen
          total: number
          page: number
          pageSize: number
        }
        expect(body.page).toBe(page)
        expect(body.pageSize).toBe(7)
        total = body.total
        if (body.items.length === 0) break
        seen.push(...body.items)
      }
      expect(total).toBe(toCount(count?.n))
      expect(seen).toHaveLength(total)
      expect(new Set(seen.map((p) => p.sku)).size).toBe(total)
      for (const item of seen) {
        expect(item.originCode).toMatch(/^6211\d\d$/)
        expect(Number.isInteger(item.priceFen)).toBe(true)
      }
    })

    it.each([
      ['?page=0', 'page'],
      ['?page=abc', 'page'],
      ['?pageSize=1000', 'pageSize'],
      ['?region=62', 'region'],
      ['?region=999999', 'region'],
      ['?category=零食', 'category'],
      ['?q=' + 'x'.repeat(101), 'q'],
    ])('answers %s with 400 naming the parameter', async (query, param) => {
      const response = await call(query)
      expect(response.status).toBe(400)
      const body = (await response.json()) as { error: { param: string; message: string } }
      expect(body.error.param).toBe(param)
      expect(body.error.message).toContain(param)
    })

    it('refuses writes with 405 in the same error shape', async () => {
      const { action } = await import('../../app/routes/api.v1.products._index')
      const response = await action({
        request: new Request('http://localhost/api/v1/products', { method: 'POST' }),
        params: {},
        context: testContext(),
      })
      expect(response.status).toBe(405)
      expect(((await response.json()) as { error: { message: string } }).error.message).toContain('read-only')
    })
  })

  it('GET /api/v1/products/:slug gives the product in fen, or 404 naming the slug', async () => {
    const ok = await productApi({
      request: new Request('http://localhost/api/v1/products/dingximalingshu'),
      params: { slug: 'dingximalingshu' },
      context: testContext(),
    })
    expect(ok.status).toBe(200)
    const body = (await ok.json()) as {
      sku: string
      priceFen: number
      tiers: Array<{ unitPriceFen: number }>
      originCode: string
    }
    expect(body).toMatchObject({ sku: 'PRD001', originCode: '621102' })
    expect(Number.isInteger(body.priceFen)).toBe(true)
    const missing = await productApi({
      request: new Request('http://localhost/api/v1/products/nope'),
      params: { slug: 'nope' },
      context: testContext(),
    })
    expect(missing.status).toBe(404)
    expect(((await missing.json()) as { error: { param: string } }).error.param).toBe('slug')
  })

  it('GET /api/v1/regions lists provinces, the children of a region, and names a bad parent', async () => {
    const call = (query: string) =>
      regionsApi({
        request: new Request(`http://localhost/api/v1/regions${query}`),
        params: {},
        context: testContext(),
      })
    const provinces = (await (await call('')).json()) as { items: Array<{ level: string }> }
    expect(provinces.items).toHaveLength(31)
    const dingxi = (await (await call('?parent=621100')).json()) as {
      items: Array<{ code: string; name: string }>
    }
    expect(dingxi.items.map((r) => r.name)).toContain('岷县')
    expect(dingxi.items.every((r) => r.code.startsWith('6211'))).toBe(true)
    const bad = await call('?parent=abc')
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: { param: string } }).error.param).toBe('parent')
    expect((await call('?parent=999999')).status).toBe(404)
  })
})
