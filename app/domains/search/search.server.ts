import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm'
import type { SearchSource } from '../../../search/document'
import type { Highlight, SearchFilters, SearchResult, SearchSort, Suggestion } from '../../../search/engine'
import { createMiniSearchEngine, type MiniSearchEngine } from '../../../search/minisearch-engine'
import type { Db } from '../../../db/client.server'
import { products } from '../../../db/schema/catalog'
import { organizations } from '../../../db/schema/organizations'
import { outbox } from '../../../db/schema/outbox'
import {
  certifiedOn,
  escapeLike,
  findProducts,
  listProductCardsBySku,
  listProducts,
  type ProductCard,
  type ProductSearchResult,
  recordProductChange,
  regionExists,
} from '../catalog/index.server'
import type { ProductQuery } from '../catalog'
import { type ReferenceData, referenceData, regionChain } from '../regions/index.server'

/**
 * Search orchestration: search/ knows nothing of the database, so this model feeds it products and turns its hits
 * back into product cards. The embedded engine is built in the background at start; until it is ready — or if it
 * fails — search answers from the database and says so ('degraded').
 */

type EngineState = {
  engine: MiniSearchEngine
  status: 'building' | 'ready' | 'failed'
  documents: number
  /** When the last full build started (for retrying a failed one at most once a minute). */
  lastBuildAt?: number
}
const store = globalThis as typeof globalThis & { __xfbfSearch?: EngineState }

/**
 * Every active product — or those of `only.skus` that are active — as the search engines want it (names of its
 * places, its cooperative, today's status). Inside a transaction, pass the reference data read before it began
 * (referenceData takes the database, not a transaction).
 */
export async function loadSearchSources(
  db: Db,
  today: string,
  only: { skus?: readonly string[]; reference?: ReferenceData } = {},
): Promise<SearchSource[]> {
  const active = eq(products.status, 'active')
  const [rows, reference] = await Promise.all([
    db
      .select({
        sku: products.sku,
        slug: products.slug,
        name: products.name,
        alias: products.alias,
        description: products.description,
        category: products.category,
        originCode: products.originCode,
        cooperative: organizations.name,
        priceFen: products.priceFen,
        certified: certifiedOn(today),
      })
      .from(products)
      .innerJoin(organizations, eq(organizations.id, products.orgId))
      .where(only.skus ? and(active, inArray(products.sku, [...only.skus])) : active),
    only.reference ?? referenceData(db),
  ])
  return rows.map((row) => {
    const chain = regionChain(reference, row.originCode)
    const province = chain.find((r) => r.level === 'province')
    const city = chain.find((r) => r.level === 'city' && r.code !== row.originCode)
    const origin = chain.find((r) => r.code === row.originCode)
    return {
      sku: row.sku,
      slug: row.slug,
      name: row.name,
      alias: row.alias ?? undefined,
      description: row.description,
      category: row.category,
      originCode: row.originCode,
      countyName: origin?.name ?? '',
      cityName: city?.name,
      provinceName: province?.name ?? '',
      cooperative: row.cooperative,
      certified: row.certified === true || (row.certified as unknown) === 't',
      priceFen: Number(row.priceFen),
    }
  })
}

/** Builds the process's search index from the database; search is 'degraded' until it finishes. */
export async function buildSearchIndex(db: Db, today: string): Promise<{ documents: number; ms: number }> {
  const state: EngineState = store.__xfbfSearch ?? {
    engine: createMiniSearchEngine(),
    status: 'building',
    documents: 0,
  }
  store.__xfbfSearch = state
  state.status = state.engine.ready ? state.status : 'building'
  state.lastBuildAt = Date.now()
  const started = performance.now()
  try {
    const sources = await loadSearchSources(db, today)
    await state.engine.build(sources)
    state.status = 'ready'
    state.documents = sources.length
    return { documents: sources.length, ms: performance.now() - started }
  } catch (error) {
    state.status = state.engine.ready ? 'ready' : 'failed'
    throw error
  }
}

export function searchHealth(): 'ok' | 'degraded' {
  return store.__xfbfSearch?.status === 'ready' ? 'ok' : 'degraded'
}

/**
 * Called by the job loop: rebuilds an index that failed (at most once a minute), so search recovers by itself.
 */
export async function rebuildSearchIndexIfFailed(db: Db, today: string): Promise<boolean> {
  const state = store.__xfbfSearch
  if (!state || state.status !== 'failed' || Date.now() - (state.lastBuildAt ?? 0) < 60_000) return false
  state.engine = createMiniSearchEngine()
  await buildSearchIndex(db, today)
  return true
}

/** Tests only: forget the process's index, as if the server had just started. */
export function resetSearchIndex(): void {
  store.__xfbfSearch = undefined
}

export type SearchPage = {
  /** 'engine': ranked search; 'database': the index is not available and a plain text match answered instead. */
  mode: 'engine' | 'database'
  items: Array<ProductCard & { highlights: Highlight[] }>
  total: number
  page: number
  pageSize: number
  facets: {
    category: Array<{ value: string; count: number }>
    province: Array<{ code: string; name: string; count: number }>
    certified: { yes: number; no: number }
  } | null
}

async function namedFacets(
  db: Db,
  facets: SearchResult['facets'],
): Promise<NonNullable<SearchPage['facets']>> {
  const reference = await referenceData(db)
  const byCount = (a: { count: number }, b: { count: number }) => b.count - a.count
  return {
    category: Object.entries(facets.category)
      .map(([value, count]) => ({ value, count }))
      .filter((f) => f.count > 0)
      .sort(byCount),
    province: Object.entries(facets.province)
      .map(([code, count]) => ({ code, name: reference.regions.get(code)?.name ?? code, count }))
      .filter((f) => f.count > 0)
      .sort(byCount),
    certified: facets.certified,
  }
}

export async function searchCatalog(
  db: Db,
  input: { q: string; filters: SearchFilters; sort: SearchSort; page: number; pageSize: number },
  today: string,
): Promise<SearchPage> {
  const state = store.__xfbfSearch
  if (state?.status === 'ready') {
    try {
      const result = await state.engine.search({
        q: input.q,
        filters: input.filters,
        sort: input.sort,
        page: input.page,
        pageSize: input.pageSize,
      })
      const cards = await listProductCardsBySku(
        db,
        result.hits.map((hit) => hit.id),
        today,
      )
      const bySku = new Map(cards.map((card) => [card.sku, card]))
      const items = result.hits.flatMap((hit) => {
        const card = bySku.get(hit.id)
        return card ? [{ ...card, highlights: hit.highlights }] : []
      })
      return {
        mode: 'engine',
        items,
        total: result.total,
        page: input.page,
        pageSize: input.pageSize,
        facets: await namedFacets(db, result.facets),
      }
    } catch {
      // The engine failed: answer from the database, visibly, and report 'degraded' until a rebuild succeeds.
      state.status = 'failed'
    }
  }
  const listing = await listProducts(
    db,
    {
      q: input.q,
      regionCode: input.filters.regionCode,
      category: input.filters.category as ProductCard['category'] | undefined,
      certifiedOnly: input.filters.certified,
      minPriceFen: input.filters.minPriceFen === undefined ? undefined : BigInt(input.filters.minPriceFen),
      maxPriceFen: input.filters.maxPriceFen === undefined ? undefined : BigInt(input.filters.maxPriceFen),
      sort: input.sort === 'relevance' ? 'recommended' : input.sort,
    },
    { page: input.page, pageSize: input.pageSize },
    today,
  )
  return {
    mode: 'database',
    items: listing.items.map((item) => ({ ...item, highlights: [] })),
    total: listing.total,
    page: input.page,
    pageSize: input.pageSize,
    facets: null,
  }
}

/** Suggestions as the buyer types: from the index, or a plain name match while it is not available. */
export async function suggestProducts(db: Db, prefix: string, limit = 8): Promise<Suggestion[]> {
  const state = store.__xfbfSearch
  if (state?.status === 'ready') {
    try {
      return await state.engine.suggest(prefix, limit)
    } catch {
      // fall back below
    }
  }
  const rows = await db
    .select({ sku: products.sku, slug: products.slug, name: products.name })
    .from(products)
    .where(and(eq(products.status, 'active'), sql`${products.name} like ${`%${escapeLike(prefix)}%`}`))
    .limit(limit)
  return rows.map((r) => ({ kind: 'product' as const, text: r.name, id: r.sku, slug: r.slug }))
}

/**
 * The JSON API's product listing: with `q` it is a ranked search through the index (or the database while the index
 * is not available); without, the catalogue order. Both validate the region the same way.
 */
export async function findProductsForApi(
  db: Db,
  query: ProductQuery,
  today: string,
): Promise<ProductSearchResult> {
  if (!query.q) return findProducts(db, query, today, { pageSize: 20 })
  if (query.region && !(await regionExists(db, query.region))) {
    return {
      ok: false,
      error: { param: 'region', message: `region ${query.region} is not a known region code` },
    }
  }
  const page = await searchCatalog(
    db,
    {
      q: query.q,
      filters: {
        regionCode: query.region,
        category: query.category,
        certified: query.certified === '1' || query.certified === 'true' || undefined,
      },
      sort: query.sort === 'price_asc' || query.sort === 'price_desc' ? query.sort : 'relevance',
      page: query.page ?? 1,
      pageSize: query.pageSize ?? 20,
    },
    today,
  )
  return { ok: true, items: page.items, total: page.total, page: page.page, pageSize: page.pageSize }
}

// --- keeping the index in step with the catalogue -------------------------------------------------------------

// Product changes are recorded by the catalogue, which makes them (see recordProductChange there); re-exported here
// for the callers that know it as the search index's input.
export { recordProductChange }

/**
 * The job: applies pending product changes to the index (upsert what is active, remove what is not), oldest first.
 * Rows are claimed with FOR UPDATE SKIP LOCKED, so several workers can run it side by side. While the index is not
 * ready the rows wait: the full build will read the products as they are anyway.
 */
export async function applySearchOutbox(db: Db, today: string, limit = 200): Promise<{ applied: number }> {
  const state = store.__xfbfSearch
  if (state?.status !== 'ready') return { applied: 0 }
  const reference = await referenceData(db)
  return db.transaction(async (tx) => {
    const pending = await tx
      .select({ id: outbox.id, key: outbox.key })
      .from(outbox)
      .where(and(eq(outbox.topic, 'search.product'), isNull(outbox.processedAt)))
      .orderBy(asc(outbox.id))
      .limit(limit)
      .for('update', { skipLocked: true })
    if (pending.length === 0) return { applied: 0 }
    const skus = [...new Set(pending.map((row) => row.key))]
    const ids = pending.map((row) => row.id)
    try {
      const sources = await loadSearchSources(tx, today, { skus, reference })
      const active = new Set(sources.map((source) => source.sku))
      await state.engine.upsert(sources)
      await state.engine.remove(skus.filter((sku) => !active.has(sku)))
      await tx.update(outbox).set({ processedAt: new Date() }).where(inArray(outbox.id, ids))
      return { applied: pending.length }
    } catch (error) {
      await tx
        .update(outbox)
        .set({ attempts: sql`${outbox.attempts} + 1`, lastError: String(error).slice(0, 500) })
        .where(inArray(outbox.id, ids))
      return { applied: 0 }
    }
  })
}
