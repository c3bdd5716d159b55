import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { placeCore, type SearchSource, toSearchDocument } from '../../search/document'
import {
  HIGHLIGHT_POST,
  HIGHLIGHT_PRE,
  type SearchEngine,
  SearchNotReadyError,
  type SearchQuery,
  type SearchResult,
} from '../../search/engine'
import { createLinearScanEngine } from '../../search/linear-scan'
import { createMiniSearchEngine, type MiniSearchEngine } from '../../search/minisearch-engine'
import { expandQuery, SYNONYM_GROUPS, synonymMap } from '../../search/settings'
import { foldPinyin, pinyinSyllables, tokenize } from '../../search/tokenize'
import { fcParams } from '../support/fast-check'

// The engine is tested on the 108 real products, read straight from the seed sources (search/ knows nothing of the
// database). Cooperative names are synthetic, nothing is certified and the price is the low end of the range.

type SeedProduct = {
  id: string
  name: string
  county_code: string
  county_name: string
  category: string
  description: string
  price_cny: { min: number }
}
type Region = { code: string; name: string }

const products = (
  JSON.parse(readFileSync(new URL('../../db/seed/source/products.json', import.meta.url), 'utf8')) as {
    products: SeedProduct[]
  }
).products
const regions = new Map(
  (
    JSON.parse(readFileSync(new URL('../../db/seed/source/regions-cn.json', import.meta.url), 'utf8')) as {
      regions: Region[]
    }
  ).regions.map((r) => [r.code, r.name]),
)

const sources: SearchSource[] = products.map((p) => {
  const cityName = regions.get(`${p.county_code.slice(0, 4)}00`)
  return {
    sku: p.id,
    slug: p.id.toLowerCase(),
    name: p.name,
    description: p.description,
    category: p.category,
    originCode: p.county_code,
    countyName: p.county_name,
    // 舟山带鱼 comes from the city itself (330900): no separate city.
    cityName: cityName === p.county_name ? undefined : cityName,
    provinceName: regions.get(`${p.county_code.slice(0, 2)}0000`)!,
    cooperative: `${p.county_name}合作社`,
    certified: false,
    priceFen: p.price_cny.min * 100,
  }
})
const bySku = new Map(sources.map((s) => [s.sku, s]))

type GoldQuery = { class: string; q: string; expected: string[] }
const gold = JSON.parse(readFileSync(new URL('../fixtures/search-gold.json', import.meta.url), 'utf8')) as {
  threshold: number
  classes: Record<string, string>
  queries: GoldQuery[]
}

function query(q: string, extra: Partial<SearchQuery> = {}): SearchQuery {
  return { q, page: 1, pageSize: 20, ...extra }
}

function sumOf(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0)
}

function expectFacetsAddUp(result: SearchResult): void {
  expect(sumOf(result.facets.category)).toBe(result.total)
  expect(sumOf(result.facets.province)).toBe(result.total)
  expect(result.facets.certified.yes + result.facets.certified.no).toBe(result.total)
}

/** Every hit of a query, page by page. */
async function allHits(engine: SearchEngine, q: string, extra: Partial<SearchQuery> = {}) {
  const hits: SearchResult['hits'] = []
  for (let page = 1; ; page++) {
    const result = await engine.search(query(q, { ...extra, page, pageSize: 7 }))
    hits.push(...result.hits)
    if (hits.length >= result.total || result.hits.length === 0) return { hits, total: result.total }
  }
}

let engine: MiniSearchEngine

beforeAll(async () => {
  engine = createMiniSearchEngine()
  await engine.build(sources)
})

describe('gold set', () => {
  it('names real products and has at least 8 queries in every class', () => {
    for (const q of gold.queries) {
      expect(Object.keys(gold.classes)).toContain(q.class)
      expect(q.expected.length).toBeGreaterThan(0)
      for (const sku of q.expected) expect(bySku.has(sku), `${q.q}: ${sku}`).toBe(true)
    }
    for (const name of Object.keys(gold.classes)) {
      expect(gold.queries.filter((q) => q.class === name).length, name).toBeGreaterThanOrEqual(8)
    }
    expect(gold.threshold).toBeGreaterThanOrEqual(0.9)
  })

  it(`puts an expected product in the top 3 for at least 90% of the queries, overall and in each class`, async () => {
    const perClass = new Map<string, { hits: number; total: number; misses: string[] }>()
    for (const q of gold.queries) {
      const result = await engine.search(query(q.q, { pageSize: 3 }))
      const hit = result.hits.some((h) => q.expected.includes(h.id))
      const row = perClass.get(q.class) ?? { hits: 0, total: 0, misses: [] }
      row.total += 1
      if (hit) row.hits += 1
      else
        row.misses.push(`${q.q} → ${result.hits.map((h) => `${h.id} ${bySku.get(h.id)?.name}`).join(', ')}`)
      perClass.set(q.class, row)
    }
    const overall = [...perClass.values()].reduce((a, r) => a + r.hits, 0) / gold.queries.length
    // Printed only when an assertion fails.
    const table = [
      'class        hit@3',
      ...[...perClass].map(
        ([name, r]) => `${name.padEnd(12)} ${(r.hits / r.total).toFixed(2)}  ${r.misses.join(' | ')}`,
      ),
      `overall      ${overall.toFixed(3)}`,
    ].join('\n')
    expect(overall, table).toBeGreaterThanOrEqual(gold.threshold)
    for (const r of perClass.values()) expect(r.hits / r.total, table).toBeGreaterThanOrEqual(gold.threshold)
  })
})

describe('suggestions', () => {
  it.each(['tudou', '土豆', 'malingshu', 'dxmls'])(
    '%s suggests 定西马铃薯 among the first 3',
    async (prefix) => {
      const suggestions = await engine.suggest(prefix, 5)
      expect(suggestions.slice(0, 3)).toContainEqual({
        kind: 'product',
        text: '定西马铃薯',
        id: 'PRD001',
        slug: 'prd001',
      })
    },
  )

  it('suggests each product name once, at most `limit`, and regions by their name or pinyin', async () => {
    const suggestions = await engine.suggest('minx', 5)
    expect(suggestions.length).toBeLessThanOrEqual(5)
    expect(new Set(suggestions.map((s) => s.text)).size).toBe(suggestions.length)
    expect(suggestions).toContainEqual({ kind: 'region', text: '岷县', code: '621126' })
    expect(suggestions.filter((s) => s.kind === 'product').map((s) => s.text)).toContain('岷县当归')
    expect(await engine.suggest('  ')).toEqual([])
  })
})

describe('filters, facets, sorting and paging', () => {
  it('filters by region subtree: a city code returns only its counties', async () => {
    const { hits, total } = await allHits(engine, '', { filters: { regionCode: '621100' } })
    expect(total).toBe(sources.filter((s) => s.originCode.startsWith('6211')).length)
    for (const h of hits) expect(bySku.get(h.id)!.originCode.startsWith('6211')).toBe(true)

    const potatoes = await allHits(engine, '土豆', { filters: { regionCode: '621100' } })
    expect(potatoes.total).toBeGreaterThan(0)
    for (const h of potatoes.hits) expect(bySku.get(h.id)!.originCode).toMatch(/^6211/)

    const province = await engine.search(query('', { filters: { regionCode: '430000' } }))
    expect(province.total).toBe(sources.filter((s) => s.originCode.startsWith('43')).length)
    const county = await engine.search(query('', { filters: { regionCode: '621126' } }))
    expect(county.hits.map((h) => h.id).sort()).toEqual(['PRD030', 'PRD031', 'PRD032', 'PRD033'])
    await expect(engine.search(query('', { filters: { regionCode: '62-11' } }))).rejects.toThrow(RangeError)
  })

  it('filters by price range, category and cooperative', async () => {
    const priced = await allHits(engine, '', { filters: { minPriceFen: 2000, maxPriceFen: 4000 } })
    expect(priced.total).toBe(sources.filter((s) => s.priceFen >= 2000 && s.priceFen <= 4000).length)
    for (const h of priced.hits) expect(bySku.get(h.id)!.priceFen).toBeGreaterThanOrEqual(2000)
    for (const h of priced.hits) expect(bySku.get(h.id)!.priceFen).toBeLessThanOrEqual(4000)

    const teas = await allHits(engine, '茶', { filters: { category: '茶叶' } })
    expect(teas.total).toBeGreaterThan(5)
    for (const h of teas.hits) expect(bySku.get(h.id)!.category).toBe('茶叶')

    const coop = await engine.search(query('', { filters: { cooperative: '岷县合作社' } }))
    expect(coop.total).toBe(4)
  })

  it('counts facets over every hit, so each facet adds up to the total', async () => {
    for (const q of ['', '茶', 'xi', '定西 土豆', '香菇', 'zzzz']) {
      expectFacetsAddUp(await engine.search(query(q)))
      expectFacetsAddUp(await engine.search(query(q, { filters: { regionCode: '330000' } })))
    }
    const all = await engine.search(query(''))
    expect(all.total).toBe(108)
    expect(all.facets.province).toEqual({ '620000': 33, '330000': 61, '430000': 14 })
    expect(all.facets.certified).toEqual({ yes: 0, no: 108 })
  })

  it('sorts by price both ways across pages', async () => {
    for (const q of ['', '茶']) {
      const ascending = (await allHits(engine, q, { sort: 'price_asc' })).hits.map(
        (h) => bySku.get(h.id)!.priceFen,
      )
      const descending = (await allHits(engine, q, { sort: 'price_desc' })).hits.map(
        (h) => bySku.get(h.id)!.priceFen,
      )
      expect(ascending).toEqual([...ascending].sort((a, b) => a - b))
      expect(descending).toEqual([...descending].sort((a, b) => b - a))
      expect(ascending.length).toBeGreaterThan(1)
    }
  })

  it('pages through the same ranking without gaps or repeats', async () => {
    const whole = await engine.search(query('茶', { pageSize: 100 }))
    const paged = await allHits(engine, '茶')
    expect(paged.hits.map((h) => h.id)).toEqual(whole.hits.map((h) => h.id))
    expect(new Set(paged.hits.map((h) => h.id)).size).toBe(paged.total)
    const beyond = await engine.search(query('茶', { page: 99, pageSize: 10 }))
    expect(beyond.hits).toEqual([])
    expect(beyond.total).toBe(whole.total)
    await expect(engine.search(query('茶', { page: 0 }))).rejects.toThrow(RangeError)
    await expect(engine.search(query('茶', { pageSize: 101 }))).rejects.toThrow(RangeError)
  })

  it('ranks by relevance and scores descending', async () => {
    const result = await engine.search(query('岷县 当归 500g'))
    expect(result.hits[0]!.id).toBe('PRD030')
    const scores = result.hits.map((h) => h.score)
    expect(scores).toEqual([...scores].sort((a, b) => b - a))
  })
})

describe('highlights', () => {
  async function highlightsOf(q: string, sku: string) {
    const result = await engine.search(query(q))
    const hit = result.hits.find((h) => h.id === sku)
    expect(hit, `${q} should find ${sku}`).toBeDefined()
    return hit!.highlights
  }
  const mark = (text: string) => `${HIGHLIGHT_PRE}${text}${HIGHLIGHT_POST}`

  it('marks the matched Chinese text', async () => {
    const highlights = await highlightsOf('当归', 'PRD030')
    expect(highlights).toContainEqual({ field: 'name', snippet: `岷县${mark('当归')}` })
    expect(highlights.find((h) => h.field === 'description')?.snippet).toContain(mark('当归'))
    expect(await highlightsOf('常山', 'PRD063')).toContainEqual({
      field: 'countyName',
      snippet: `${mark('常山')}县`,
    })
  })

  it('marks the Chinese that pinyin, initials, a misspelling or a synonym matched', async () => {
    expect(await highlightsOf('danggui', 'PRD030')).toContainEqual({
      field: 'name',
      snippet: `岷县${mark('当归')}`,
    })
    expect(await highlightsOf('dangui', 'PRD030')).toContainEqual({
      field: 'name',
      snippet: `岷县${mark('当归')}`,
    })
    expect(await highlightsOf('mxdg', 'PRD030')).toContainEqual({ field: 'name', snippet: mark('岷县当归') })
    expect(await highlightsOf('tudou', 'PRD001')).toContainEqual({
      field: 'name',
      snippet: `定西${mark('马铃薯')}`,
    })
    expect(await highlightsOf('土豆', 'PRD001')).toContainEqual({
      field: 'name',
      snippet: `定西${mark('马铃薯')}`,
    })
  })

  it('cuts a long description to a window around the match', async () => {
    const highlights = await highlightsOf('脱毒种薯', 'PRD001')
    const snippet = highlights.find((h) => h.field === 'description')!.snippet
    expect(snippet).toContain(mark('脱毒种薯'))
    expect(snippet.length).toBeLessThanOrEqual(72 + 2 + HIGHLIGHT_PRE.length + HIGHLIGHT_POST.length)
  })
})

describe('documents', () => {
  it('carry Chinese text and pinyin forms, and no price, stock or certification', () => {
    const document = toSearchDocument(bySku.get('PRD001')!)
    expect(document.id).toBe('PRD001')
    expect(document.namePinyin).toContain('ding xi ma ling shu')
    expect(document.namePinyin.split(' ')).toEqual(expect.arrayContaining(['dingximalingshu', 'malingshu']))
    expect(document.nameInitials.split(' ')).toEqual(expect.arrayContaining(['dxmls', 'mls']))
    expect(document.nameFolded.split(' ')).toContain('dinximalinsu')
    expect(document.placePinyin.split(' ')).toEqual(
      expect.arrayContaining(['andingqu', 'dingxishi', 'dingxi']),
    )
    expect(document.regionCodes).toEqual(['620000', '621100', '621102'])
    for (const source of sources) {
      const doc = toSearchDocument(source)
      const keys = Object.keys(doc).map((k) => k.toLowerCase())
      for (const forbidden of ['price', 'stock', 'sales', 'certified']) {
        expect(
          keys.some((k) => k.includes(forbidden)),
          `${source.sku} has ${forbidden}`,
        ).toBe(false)
      }
    }
  })

  it('indexes a place by its whole name and by its core, without 县, 市 or 自治州', () => {
    expect(placeCore('湘西土家族苗族自治州')).toBe('湘西')
    expect(placeCore('景宁畲族自治县')).toBe('景宁')
    expect(placeCore('岷县')).toBe('岷')
    expect(placeCore('县')).toBe('县')
    const document = toSearchDocument(bySku.get('PRD041')!)
    expect(document.placeFolded.split(' ')).toEqual(expect.arrayContaining(['jinnin', 'lisui']))
    expect(document.placeInitials.split(' ')).toEqual(expect.arrayContaining(['jn', 'jnszzzx']))
    // No token starts at 县 or 市: "xi" must not match every county.
    expect(toSearchDocument(bySku.get('PRD030')!).placeFolded.split(' ')).not.toContain('xian')
  })

  it('reads place names the local way where pinyin-pro would not', () => {
    expect(pinyinSyllables('莲都区')).toEqual(['lian', 'du', 'qu'])
    expect(pinyinSyllables('单县')).toEqual(['shan', 'xian'])
    expect(toSearchDocument(bySku.get('PRD059')!).placePinyin.split(' ')).toContain('lianduqu')
  })
})

describe('tokenizer, folding and synonyms', () => {
  it('indexes segmenter words, bigrams and latin tokens, keeping pack sizes whole', () => {
    const tokens = tokenize('岷县当归 500g, ２.５ＫＧ', { unigrams: false })
    expect(tokens).toEqual(expect.arrayContaining(['岷县', '县当', '当归', '500g', '2.5kg']))
    expect(tokenize('定西马铃薯', { unigrams: false })).toEqual(expect.arrayContaining(['定西', '马铃薯']))
    expect(tokenize('茶', { unigrams: false })).toEqual(['茶'])
    expect(tokenize('粉条', { unigrams: true })).toEqual(expect.arrayContaining(['粉条', '粉', '条']))
  })

  it('folds the common pinyin misspellings the same way on both sides', () => {
    expect(foldPinyin('danggui')).toBe(foldPinyin('dangui'))
    expect(foldPinyin('zhangxian')).toBe(foldPinyin('zangxian'))
    expect(foldPinyin('xianggu')).toBe(foldPinyin('xiangu'))
    expect(foldPinyin('lv')).toBe(foldPinyin('lu'))
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(foldPinyin(foldPinyin(s))).toBe(foldPinyin(s))
      }),
      fcParams(),
    )
  })

  it('expands synonyms from Chinese and from pinyin', () => {
    const chinese = expandQuery('定西土豆')
    expect(chinese.rest).toBe('定西')
    expect(chinese.synonyms[0]!.terms).toEqual(expect.arrayContaining(['土豆', '马铃薯', '洋芋']))
    for (const typed of ['tudou', 'tu dou', 'malingshu', 'malinshu', 'yangyu']) {
      const expanded = expandQuery(typed)
      expect(expanded.synonyms[0]?.terms, typed).toContain('马铃薯')
      expect(expanded.synonyms[0]?.pinyin, typed).toEqual(expect.arrayContaining(['tudou', 'malingshu']))
      expect(expanded.rest).toBe('')
    }
    expect(synonymMap()['tudou']).toEqual(expect.arrayContaining(['马铃薯', 'malingshu']))
  })

  it('has at least 15 groups, no term in two groups and no pinyin shared by two groups', () => {
    expect(SYNONYM_GROUPS.length).toBeGreaterThanOrEqual(15)
    const terms = SYNONYM_GROUPS.flat()
    expect(new Set(terms).size).toBe(terms.length)
    const groupOfPinyin = new Map<string, number>()
    SYNONYM_GROUPS.forEach((group, index) => {
      for (const term of group) {
        const folded = foldPinyin(pinyinSyllables(term).join(''))
        expect(groupOfPinyin.get(folded) ?? index, term).toBe(index)
        groupOfPinyin.set(folded, index)
      }
    })
  })
})

describe('index maintenance', () => {
  it('refuses to search before the first build', async () => {
    const fresh = createMiniSearchEngine()
    expect(fresh.ready).toBe(false)
    await expect(fresh.search(query('茶'))).rejects.toThrow(SearchNotReadyError)
    await expect(fresh.suggest('茶')).rejects.toThrow(SearchNotReadyError)
  })

  it('upserts and removes products, side attributes included', async () => {
    const own = createMiniSearchEngine()
    await own.build(sources)
    expect(own.ready).toBe(true)
    await own.upsert([
      { ...bySku.get('PRD030')!, certified: true, priceFen: 99_900, name: '岷县当归（特级）' },
    ])
    const certified = await own.search(query('', { filters: { certified: true } }))
    expect(certified.hits.map((h) => h.id)).toEqual(['PRD030'])
    expect((await own.search(query('特级'))).hits[0]!.id).toBe('PRD030')
    expect((await own.search(query('', { filters: { minPriceFen: 99_000 } }))).total).toBe(1)
    await own.remove(['PRD030', 'PRD031', 'PRD032', 'PRD033', 'PRD999'])
    expect(await own.suggest('minx')).not.toContainEqual(
      expect.objectContaining({ kind: 'region', code: '621126' }),
    )
    expect((await own.search(query('当归'))).hits.map((h) => h.id)).not.toContain('PRD030')
    expect((await own.search(query(''))).total).toBe(104)
    await own.upsert([bySku.get('PRD030')!])
    expect(await own.suggest('minx')).toContainEqual({ kind: 'region', text: '岷县', code: '621126' })
    expect((await own.search(query('当归'))).hits[0]!.id).toBe('PRD030')
  })
})

describe('linear-scan baseline', () => {
  it('answers with the same result shape, filters and facets', async () => {
    const baseline = createLinearScanEngine()
    await baseline.build(sources)
    const result = await baseline.search(query('当归', { filters: { regionCode: '620000' } }))
    expect(result.hits[0]!.id).toBe('PRD030')
    expect(result.hits[0]!.highlights).toContainEqual({
      field: 'name',
      snippet: `岷县${HIGHLIGHT_PRE}当归${HIGHLIGHT_POST}`,
    })
    expectFacetsAddUp(result)
    expect((await baseline.search(query(''))).total).toBe(108)
    expect((await baseline.suggest('当归')).map((s) => s.text)).toContain('岷县当归')
  })
})

describe('robustness', () => {
  // Any code point, lone surrogates, CJK, pinyin letters, spaces and punctuation, and keys that are special on
  // plain objects.
  const unit = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 3 }),
    fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
    fc.constantFrom('定', '西', '马', '铃', '薯', '县', '土豆', '粉丝', '５', 'ｇ', '〇', '𠀀', '·', '.'),
    fc.constantFrom('a', 'ng', 'zh', 'v', 'ü', ' ', '  ', '-', '__proto__', 'constructor', '500g', '2.5kg'),
  )
  const text = fc.array(unit, { maxLength: 40 }).map((parts) => parts.join(''))

  it('the tokenizer never throws and returns strings', () => {
    fc.assert(
      fc.property(text, fc.boolean(), (s, unigrams) => {
        for (const token of tokenize(s, { unigrams })) expect(typeof token).toBe('string')
        expandQuery(s)
      }),
      fcParams(),
    )
  })

  it('search and suggest never throw on arbitrary queries, and results stay consistent', async () => {
    await fc.assert(
      fc.asyncProperty(text, async (q) => {
        const result = await engine.search(query(q, { pageSize: 10 }))
        expect(result.hits.length).toBeLessThanOrEqual(Math.min(10, result.total))
        expectFacetsAddUp(result)
        for (const hit of result.hits) expect(Number.isFinite(hit.score)).toBe(true)
        const suggestions = await engine.suggest(q, 5)
        expect(suggestions.length).toBeLessThanOrEqual(5)
      }),
      fcParams(),
    )
  })
})
