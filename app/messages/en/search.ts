import type { search as zh } from '../zh/search'

// English of zh/search.ts: every key of the Chinese module and no other (the typecheck enforces it).
export const search: Record<keyof typeof zh, string> = {
  'search.label': 'Search products',
  'search.placeholder': 'Product, place or pinyin, e.g. tudou',
  'search.submit': 'Search',
  'search.suggestions': 'Suggestions',
  'search.suggestRegion': 'Region',
  'search.title': 'Search: “{q}”',
  'search.titleEmpty': 'Search',
  'search.total': '{n} products found',
  'search.degraded':
    'The search index is being prepared: these results come from a plain text match; ranking and pinyin search are not available yet.',
  'search.empty': 'No products match “{q}”.',
  'search.emptyHint':
    'Try a shorter word, a place name (定西), an everyday name (土豆) or pinyin (danggui) — or browse all products.',
  'search.prompt': 'Type a product, a place, a cooperative or pinyin to search.',
  'search.facets': 'Refine',
  'search.facet.category': 'Category',
  'search.facet.province': 'Province of origin',
  'search.facet.certified': 'Aid-product certification',
  'search.facet.certifiedOnly': 'Certified only ({n})',
  'search.clearFilters': 'Clear filters',
  'search.sort.relevance': 'Relevance',
}
