/**
 * The `search` scenario (docs/architecture.md §8): the embedded engine over a large catalogue derived from the 108 real products
 * (× grades × packs × counties, about 100,000 products; `--smoke` about 2,000), against a linear scan over the same
 * documents in the same run. Reports build time, p50/p95 over the gold queries plus broad ones, and hit@3 (a hit is
 * any derived product of an expected real product among the first three).
 */
import { readFileSync } from 'node:fs'
import type { SearchSource } from '../search/document'
import type { SearchEngine } from '../search/engine'
import { createLinearScanEngine } from '../search/linear-scan'
import { createMiniSearchEngine } from '../search/minisearch-engine'
import { type BenchOutcome, log, percentiles, round } from './bench-lib'

type SeedProduct = {
  id: string
  name: string
  county_code: string
  county_name: string
  category: string
  description: string
  price_cny: { min: number; max: number }
}

const GRADES = ['特级', '一级', '精选']
const PACKS = ['家庭装', '礼盒装', '小包装', '整箱装', '尝鲜装']
const BROAD_QUERIES = ['茶', '蜂蜜', '甘肃', '礼盒', 'cha', 'fengmi', '浙江 水果', '特级 香菇']

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as T
}

/** Products × grades × packs × counties: the real texts, moved to other real counties, with derived skus. */
function deriveCatalogue(target: number): SearchSource[] {
  const products = readJson<{ products: SeedProduct[] }>('../db/seed/source/products.json').products
  const regions = readJson<{ regions: Array<{ code: string; name: string; level: string }> }>(
    '../db/seed/source/regions-cn.json',
  ).regions
  const names = new Map(regions.map((r) => [r.code, r.name]))
  const perCounty = products.length * GRADES.length * PACKS.length
  const countyCount = Math.max(1, Math.ceil(target / perCounty))
  // The products' own counties first, then others from the same provinces.
  const own = [...new Set(products.map((p) => p.county_code))]
  const provinces = new Set(own.map((c) => c.slice(0, 2)))
  const others = regions.filter(
    (r) => r.level === 'county' && provinces.has(r.code.slice(0, 2)) && !own.includes(r.code),
  )
  const counties = [...own, ...others.map((r) => r.code)].slice(0, countyCount)
  const sources: SearchSource[] = []
  for (const [ci, county] of counties.entries()) {
    for (const p of products) {
      for (const [gi, grade] of GRADES.entries()) {
        for (const [ki, pack] of PACKS.entries()) {
          if (sources.length >= target) return sources
          // The original county keeps the plain product; other counties get copies of it.
          const origin = ci === 0 ? p.county_code : county
          const cityName = names.get(`${origin.slice(0, 4)}00`)
          const countyName = names.get(origin) ?? p.county_name
          sources.push({
            sku: `${p.id}-${gi}${ki}-${ci}`,
            slug: `${p.id.toLowerCase()}-${gi}${ki}-${ci}`,
            name: `${p.name}（${grade}·${pack}）`,
            description: p.description,
            category: p.category,
            originCode: origin,
            countyName,
            cityName: cityName === countyName ? undefined : cityName,
            provinceName: names.get(`${origin.slice(0, 2)}0000`) ?? '',
            cooperative: `${countyName}演示合作社`,
            certified: (gi + ki) % 3 === 0,
            priceFen: Math.round(
              (p.price_cny.min + ((p.price_cny.max - p.price_cny.min) * (gi + 1)) / 4) * 100,
            ),
          })
        }
      }
    }
  }
  return sources
}

async function timeQueries(
  engine: SearchEngine,
  queries: readonly string[],
  rounds: number,
): Promise<number[]> {
  const times: number[] = []
  for (let round = 0; round < rounds; round++) {
    for (const q of queries) {
      const started = performance.now()
      await engine.search({ q, page: 1, pageSize: 20 })
      times.push(performance.now() - started)
    }
  }
  return times
}

export async function searchScenario({ smoke }: { smoke: boolean }): Promise<BenchOutcome> {
  const gold = readJson<{ queries: Array<{ q: string; expected: string[] }> }>(
    '../tests/fixtures/search-gold.json',
  )
  const sources = deriveCatalogue(smoke ? 2_000 : 100_000)
  log(`search: ${sources.length} derived products`)

  const engine = createMiniSearchEngine()
  const buildStarted = performance.now()
  await engine.build(sources)
  const buildMs = performance.now() - buildStarted
  log(`search: index built in ${(buildMs / 1000).toFixed(1)} s`)

  let hits = 0
  for (const { q, expected } of gold.queries) {
    const result = await engine.search({ q, page: 1, pageSize: 3 })
    if (result.hits.some((hit) => expected.includes(hit.id.split('-')[0] ?? ''))) hits++
  }
  const queries = [...gold.queries.map((g) => g.q), ...BROAD_QUERIES]
  await timeQueries(engine, queries, 1) // warm-up
  const [p50, p95] = percentiles(await timeQueries(engine, queries, smoke ? 2 : 3), [50, 95])

  const baseline = createLinearScanEngine()
  await baseline.build(sources)
  const [baseP50, baseP95] = percentiles(await timeQueries(baseline, queries, 1), [50, 95])

  const budget = { p95MaxMs: 50, p50MaxMs: 10, buildMaxS: 60, hitAt3Min: 0.9 }
  const hitAt3 = hits / gold.queries.length
  return {
    exitCode: 0,
    output: {
      scenario: 'search',
      products: sources.length,
      buildS: round(buildMs / 1000, 1),
      p50Ms: round(p50 ?? 0, 2),
      p95Ms: round(p95 ?? 0, 2),
      hitAt3: round(hitAt3, 3),
      baselineP50Ms: round(baseP50 ?? 0, 2),
      baselineP95Ms: round(baseP95 ?? 0, 2),
      queries: queries.length,
      ...(smoke ? { smoke: true } : {}),
      budget: {
        ...budget,
        met:
          (p95 ?? Infinity) <= budget.p95MaxMs &&
          (p50 ?? Infinity) <= budget.p50MaxMs &&
          buildMs / 1000 <= budget.buildMaxS &&
          hitAt3 >= budget.hitAt3Min,
      },
    },
  }
}
