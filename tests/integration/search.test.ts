import { describe, expect, it } from 'vitest'
import { useSharedDb } from '../../db/client.server'
import { checkHealth } from '../../app/domains/operations/health.server'
import {
  buildSearchIndex,
  resetSearchIndex,
  searchCatalog,
  suggestProducts,
} from '../../app/domains/search/search.server'
import { loader as productsApi } from '../../app/routes/api.v1.products._index'
import { shanghaiDate } from '../../app/utils/clock'
import { testContext } from '../support/context'
import { openTestDatabase, testDbKind } from '../support/db'
import { SEED_NOW } from '../support/test-clock'

const today = shanghaiDate(SEED_NOW)

describe(`search (${testDbKind()})`, async () => {
  const handle = await openTestDatabase('seeded')
  const db = handle.db
  useSharedDb(handle)

  it('answers from the database, visibly degraded, until the index is built', async () => {
    resetSearchIndex()
    expect((await checkHealth(db)).search).toBe('degraded')
    const page = await searchCatalog(
      db,
      { q: '马铃薯', filters: {}, sort: 'relevance', page: 1, pageSize: 20 },
      today,
    )
    expect(page.mode).toBe('database')
    expect(page.items.some((item) => item.name === '定西马铃薯')).toBe(true)
    expect(page.facets).toBeNull()
    const suggestions = await suggestProducts(db, '当归')
    expect(suggestions.map((s) => s.text)).toContain('岷县当归')
  })

  it('builds the index from the database and then ranks synonyms and pinyin', async () => {
    const { documents } = await buildSearchIndex(db, today)
    expect(documents).toBe(108)
    expect((await checkHealth(db)).search).toBe('ok')
    for (const q of ['土豆', 'tudou', 'malingshu', 'dxmls']) {
      const page = await searchCatalog(db, { q, filters: {}, sort: 'relevance', page: 1, pageSize: 3 }, today)
      expect(page.mode, q).toBe('engine')
      expect(
        page.items.map((item) => item.name),
        q,
      ).toContain('定西马铃薯')
    }
    const herbs = await searchCatalog(
      db,
      { q: 'danggui', filters: { regionCode: '621100' }, sort: 'relevance', page: 1, pageSize: 10 },
      today,
    )
    expect(herbs.items[0]?.name).toBe('岷县当归')
    expect(herbs.items.every((item) => item.originCode.startsWith('6211'))).toBe(true)
    const total = Object.values(herbs.facets?.category ?? []).reduce((sum, f) => sum + f.count, 0)
    expect(total).toBe(herbs.total)
  })

  it('falls back to the database and reports degraded when the engine fails', async () => {
    await buildSearchIndex(db, today)
    const state = (globalThis as { __xfbfSearch?: { engine: { search: () => Promise<never> } } }).__xfbfSearch
    state!.engine.search = () => Promise.reject(new Error('engine crashed'))
    const page = await searchCatalog(
      db,
      { q: '当归', filters: {}, sort: 'relevance', page: 1, pageSize: 10 },
      today,
    )
    expect(page.mode).toBe('database')
    expect(page.items.map((item) => item.name)).toContain('岷县当归')
    expect((await checkHealth(db)).search).toBe('degraded')
    resetSearchIndex()
  })

  it('serves /api/v1/products?q= from the index, with the same filters and error shape', async () => {
    await buildSearchIndex(db, today)
    const call = (query: string) =>
      productsApi({
        request: new Request(`http://localhost/api/v1/products${query}`),
        params: {},
        context: testContext(),
      })
    const response = await call(`?q=${encodeURIComponent('土豆')}&region=621100`)
    expect(response.status).toBe(200)
    const body = (await response.json()) as {
      items: Array<{ name: string; originCode: string }>
      total: number
    }
    expect(body.items.map((i) => i.name)).toContain('定西马铃薯')
    expect(body.items.every((i) => i.originCode.startsWith('6211'))).toBe(true)
    const bad = await call(`?q=x&region=999999`)
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: { param: string } }).error.param).toBe('region')
  })
})
