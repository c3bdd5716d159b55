import { regionCodesOf, type SearchSource, TEXT_FIELDS, type TextField } from './document'
import { normalizeText } from './tokenize'

/**
 * The contract both engines keep (the embedded MiniSearch engine and, later, Meilisearch), and the parts of a
 * search that do not depend on the engine: validating a query, filtering by the side attributes, facets, sorting,
 * paging and snippets. Sharing them keeps the engines' answers comparable for the same documents.
 */

export type SearchFilters = {
  /** A GB/T 2260 code: a province (620000) or city (621100) means its whole subtree; 2 or 4 digits work too. */
  regionCode?: string
  category?: string
  certified?: boolean
  minPriceFen?: number
  maxPriceFen?: number
  cooperative?: string
}

export type SearchSort = 'relevance' | 'price_asc' | 'price_desc'

export type SearchQuery = {
  /** What the buyer typed; empty lists everything that passes the filters. */
  q: string
  filters?: SearchFilters
  sort?: SearchSort
  /** 1-based. */
  page: number
  pageSize: number
}

export type Highlight = {
  /** The SearchDocument text field the snippet comes from (a pinyin match is shown on the Chinese it spells). */
  field: TextField
  /** Plain text with every match between HIGHLIGHT_PRE and HIGHLIGHT_POST. Not HTML: split on the markers. */
  snippet: string
}

export type SearchHit = { id: string; score: number; highlights: Highlight[] }

export type SearchResult = {
  hits: SearchHit[]
  total: number
  facets: {
    category: Record<string, number>
    /** Keyed by province code (620000), which is also what the regionCode filter takes. */
    province: Record<string, number>
    certified: { yes: number; no: number }
  }
}

export type Suggestion =
  | { kind: 'product'; text: string; id: string; slug: string }
  | { kind: 'region'; text: string; code: string }

export interface SearchEngine {
  search(query: SearchQuery): Promise<SearchResult>
  suggest(prefix: string, limit?: number): Promise<Suggestion[]>
  /** Adds or replaces products (by sku). */
  upsert(sources: readonly SearchSource[]): Promise<void>
  /** Removes products by sku; unknown skus are ignored. */
  remove(ids: readonly string[]): Promise<void>
  /** False until the first full build has finished: search and suggest throw SearchNotReadyError until then. */
  readonly ready: boolean
}

export class SearchNotReadyError extends Error {
  constructor() {
    super('The search index has not been built yet')
    this.name = 'SearchNotReadyError'
  }
}

export const HIGHLIGHT_PRE = '<mark>'
export const HIGHLIGHT_POST = '</mark>'
export const MAX_PAGE_SIZE = 100
export const DEFAULT_SUGGESTIONS = 8

/** What an engine keeps beside its index for one product: filter and sort values, and the texts to highlight. */
export type SideRecord = {
  slug: string
  originCode: string
  provinceCode: string
  category: string
  cooperative: string
  certified: boolean
  priceFen: number
  texts: Readonly<Record<TextField, string>>
  /** Insertion order: the order of "everything" and the last tie-break, so equal scores page deterministically. */
  seq: number
}

export function sideRecordOf(source: SearchSource, seq: number): SideRecord {
  if (!/^\d{6}$/.test(source.originCode)) {
    throw new RangeError(`originCode must be six digits, got ${JSON.stringify(source.originCode)}`)
  }
  if (!Number.isSafeInteger(source.priceFen) || source.priceFen < 0) {
    throw new RangeError(`priceFen must be a non-negative integer (fen), got ${source.priceFen}`)
  }
  return {
    slug: source.slug,
    originCode: source.originCode,
    provinceCode: regionCodesOf(source.originCode)[0]!,
    category: source.category,
    cooperative: source.cooperative,
    certified: source.certified,
    priceFen: source.priceFen,
    texts: {
      name: source.name,
      alias: source.alias ?? '',
      countyName: source.countyName,
      cityName: source.cityName ?? '',
      provinceName: source.provinceName,
      category: source.category,
      cooperative: source.cooperative,
      description: source.description,
    },
    seq,
  }
}

/** The code prefix of a region's subtree: 620000 → 62, 621100 → 6211, 621126 → 621126. */
export function regionPrefix(code: string): string {
  if (/^\d{2}$|^\d{4}$/.test(code)) return code
  if (!/^\d{6}$/.test(code))
    throw new RangeError(`regionCode must be 2, 4 or 6 digits, got ${JSON.stringify(code)}`)
  if (code.endsWith('0000')) return code.slice(0, 2)
  if (code.endsWith('00')) return code.slice(0, 4)
  return code
}

/** Rejects a malformed query the way a guard does: loudly. The text itself is never rejected. */
export function checkQuery(query: SearchQuery): void {
  if (!Number.isSafeInteger(query.page) || query.page < 1) {
    throw new RangeError(`page must be a positive integer, got ${query.page}`)
  }
  if (!Number.isSafeInteger(query.pageSize) || query.pageSize < 1 || query.pageSize > MAX_PAGE_SIZE) {
    throw new RangeError(`pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${query.pageSize}`)
  }
  const { minPriceFen, maxPriceFen, regionCode } = query.filters ?? {}
  for (const [name, value] of [
    ['minPriceFen', minPriceFen],
    ['maxPriceFen', maxPriceFen],
  ] as const) {
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
      throw new RangeError(`${name} must be a non-negative integer, got ${value}`)
    }
  }
  if (regionCode !== undefined) regionPrefix(regionCode)
}

/** A predicate over side records for the query's filters. */
export function filterPredicate(filters: SearchFilters | undefined): (side: SideRecord) => boolean {
  if (!filters) return () => true
  const prefix = filters.regionCode === undefined ? undefined : regionPrefix(filters.regionCode)
  const { category, certified, minPriceFen, maxPriceFen, cooperative } = filters
  return (side) =>
    (prefix === undefined || side.originCode.startsWith(prefix)) &&
    (category === undefined || side.category === category) &&
    (certified === undefined || side.certified === certified) &&
    (minPriceFen === undefined || side.priceFen >= minPriceFen) &&
    (maxPriceFen === undefined || side.priceFen <= maxPriceFen) &&
    (cooperative === undefined || side.cooperative === cooperative)
}

export type Scored = { id: string; score: number; side: SideRecord }

/** Up to this many hits are simply sorted; beyond, only the hits up to the requested page are selected. */
const FULL_SORT_LIMIT = 2_000

/**
 * The hits at positions [start, end) in `compare` order. A broad query in a large catalogue matches tens of thousands
 * of products, of which a page shows twenty: keeping the best `end` in a sorted buffer costs far less than sorting
 * them all.
 */
function pageOf<T>(items: T[], compare: (a: T, b: T) => number, start: number, end: number): T[] {
  if (items.length <= FULL_SORT_LIMIT || end * 8 > items.length) return items.sort(compare).slice(start, end)
  const best: T[] = []
  for (const item of items) {
    if (best.length === end && compare(item, best[end - 1]!) >= 0) continue
    let low = 0
    let high = best.length
    while (low < high) {
      const middle = (low + high) >> 1
      if (compare(item, best[middle]!) < 0) high = middle
      else low = middle + 1
    }
    best.splice(low, 0, item)
    if (best.length > end) best.pop()
  }
  return best.slice(start, end)
}

/**
 * Facets, sorting and the requested page over hits that already passed the filters. Facets count every hit, so each
 * facet's counts add up to `total`. `highlight` is called for the hits of the page only. Ties go to catalogue order,
 * so paging is deterministic.
 */
export function finishResult<T extends Scored>(
  scored: T[],
  query: SearchQuery,
  highlight: (hit: T) => Highlight[],
): SearchResult {
  const facets: SearchResult['facets'] = { category: {}, province: {}, certified: { yes: 0, no: 0 } }
  for (const { side } of scored) {
    facets.category[side.category] = (facets.category[side.category] ?? 0) + 1
    facets.province[side.provinceCode] = (facets.province[side.provinceCode] ?? 0) + 1
    if (side.certified) facets.certified.yes += 1
    else facets.certified.no += 1
  }
  const byRelevance = (a: Scored, b: Scored) => b.score - a.score || a.side.seq - b.side.seq
  const sort = query.sort ?? 'relevance'
  const compare =
    sort === 'price_asc'
      ? (a: Scored, b: Scored) => a.side.priceFen - b.side.priceFen || byRelevance(a, b)
      : sort === 'price_desc'
        ? (a: Scored, b: Scored) => b.side.priceFen - a.side.priceFen || byRelevance(a, b)
        : byRelevance
  const start = (query.page - 1) * query.pageSize
  const hits = pageOf(scored, compare, start, start + query.pageSize).map((hit) => ({
    id: hit.id,
    score: hit.score,
    highlights: highlight(hit),
  }))
  return { hits, total: scored.length, facets }
}

export type Range = { start: number; end: number }

/** Where `needle` occurs in `haystack`, as code-unit ranges. */
export function occurrences(haystack: string, needle: string): Range[] {
  const ranges: Range[] = []
  if (needle === '') return ranges
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) {
    ranges.push({ start: at, end: at + needle.length })
  }
  return ranges
}

/** How much of a long field a snippet shows around its first match. */
const SNIPPET_BEFORE = 16
const SNIPPET_LENGTH = 72

/**
 * The text with its ranges marked; a long text is cut to a window around the first range.
 */
export function snippet(text: string, ranges: readonly Range[]): string {
  const sorted = [...ranges].sort((a, b) => a.start - b.start || b.end - a.end)
  const merged: Range[] = []
  for (const range of sorted) {
    const last = merged[merged.length - 1]
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end)
    else merged.push({ ...range })
  }
  const first = merged[0]
  let from = 0
  let to = text.length
  if (first && text.length > SNIPPET_LENGTH) {
    from = Math.max(0, first.start - SNIPPET_BEFORE)
    to = Math.min(text.length, from + SNIPPET_LENGTH)
  }
  let out = from > 0 ? '…' : ''
  let at = from
  for (const range of merged) {
    if (range.start >= to) break
    const end = Math.min(range.end, to)
    out += text.slice(at, range.start) + HIGHLIGHT_PRE + text.slice(range.start, end) + HIGHLIGHT_POST
    at = end
  }
  out += text.slice(at, to) + (to < text.length ? '…' : '')
  return out
}

/**
 * Ranges are found on the normalised text (NFKC, lower case). The snippet shows the original text when normalising
 * kept its length (nearly always: Chinese is unchanged), so 常山双柚汁's "NFC" is not shown as "nfc".
 */
function displayText(text: string): string {
  const normalised = normalizeText(text)
  return normalised.length === text.length ? text : normalised
}

/** Highlights from per-field ranges (on normalised text), in the order of TEXT_FIELDS. */
export function highlightsFrom(
  texts: Readonly<Record<TextField, string>>,
  ranges: ReadonlyMap<TextField, Range[]>,
): Highlight[] {
  const out: Highlight[] = []
  for (const field of TEXT_FIELDS) {
    const fieldRanges = ranges.get(field)
    if (fieldRanges && fieldRanges.length > 0) {
      out.push({ field, snippet: snippet(displayText(texts[field]), fieldRanges) })
    }
  }
  return out
}
