import { z } from 'zod'
import { hasControlCharacters } from '../../utils/validation'
import { productCategories } from '../catalog'

/** The /search page's query string (shared with the suggestion endpoint's `q`). */
// A filter the page cannot read is dropped rather than failing the whole search (links may be hand-edited).
const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z
    .preprocess((value) => (value === '' || value === null ? undefined : value), schema.optional())
    .catch(undefined)

export const searchQuerySchema = z.object({
  q: z.preprocess(
    (v) => (typeof v === 'string' ? v : ''),
    z.string().trim().max(100, 'q must be at most 100 characters'),
  ),
  region: optional(z.string().regex(/^[1-9]\d{5}$/, 'region must be a six-digit region code such as 621100')),
  category: optional(z.enum(productCategories)),
  certified: optional(z.enum(['1'])),
  sort: optional(z.enum(['relevance', 'price_asc', 'price_desc'])),
  page: optional(z.coerce.number().int().min(1).max(1000)),
})

export type SearchQueryParams = z.infer<typeof searchQuerySchema>

/** The query, or null when q holds a control character (no product has one; the page answers 400). */
export function parseSearchParams(params: URLSearchParams): SearchQueryParams | null {
  if (hasControlCharacters(params.get('q') ?? '')) return null
  const parsed = searchQuerySchema.safeParse(Object.fromEntries(params))
  // Only an over-long q can fail here: search for its first 100 characters instead.
  return parsed.success ? parsed.data : { q: (params.get('q') ?? '').trim().slice(0, 100) }
}
