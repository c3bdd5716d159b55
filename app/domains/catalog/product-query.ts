import { z } from 'zod'
import { queryText } from '../../utils/validation'
import { productCategories, productSorts } from './constants'

/**
 * The query parameters of the product listing, shared by the page (/products) and the JSON API
 * (/api/v1/products) so both accept and refuse exactly the same things.
 */

// A form submits empty fields as "": that means "no filter", not an invalid value.
const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((value) => (value === '' || value === null ? undefined : value), schema.optional())

const yuanAmount = z
  .string()
  .regex(/^\d{1,8}(\.\d{1,2})?$/, 'must be an amount in yuan such as 12 or 12.50 (at most two decimals)')

export const productQuerySchema = z.object({
  q: optional(queryText(100)),
  region: optional(z.string().regex(/^[1-9]\d{5}$/, 'must be a six-digit region code such as 621100')),
  category: optional(
    z.enum(productCategories, { message: `must be one of ${productCategories.join(', ')}` }),
  ),
  certified: optional(z.enum(['1', 'true', 'on', '0', 'false'], { message: 'must be 1 or 0' })),
  min: optional(yuanAmount),
  max: optional(yuanAmount),
  sort: optional(z.enum(productSorts, { message: `must be one of ${productSorts.join(', ')}` })),
  page: optional(
    z.coerce
      .number({ message: 'must be a whole number of 1 or more' })
      .int('must be a whole number of 1 or more')
      .min(1, 'must be a whole number of 1 or more')
      .max(100_000, 'must be at most 100000'),
  ),
  pageSize: optional(
    z.coerce
      .number({ message: 'must be a whole number from 1 to 100' })
      .int('must be a whole number from 1 to 100')
      .min(1, 'must be a whole number from 1 to 100')
      .max(100, 'must be a whole number from 1 to 100'),
  ),
})

export type ProductQuery = z.infer<typeof productQuerySchema>
export type ParamError = { param: string; message: string }

/** Exact conversion of a validated yuan string to fen ("12.5" → 1250n); no floating point. */
export function yuanToFen(yuan: string): bigint {
  const [whole = '0', fraction = ''] = yuan.split('.')
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'))
}

/** Parses the listing's query string. Unknown parameters are ignored; each invalid one is reported by name. */
export function parseProductQuery(
  params: URLSearchParams,
  allowed: ReadonlyArray<keyof ProductQuery> = Object.keys(productQuerySchema.shape) as Array<
    keyof ProductQuery
  >,
): { query: ProductQuery; errors: ParamError[] } {
  const raw: Record<string, string> = {}
  for (const key of allowed) {
    const value = params.get(key)
    if (value !== null) raw[key] = value
  }
  const errors: ParamError[] = []
  const query: Record<string, unknown> = {}
  // Field by field, so one bad parameter does not discard the valid ones.
  for (const key of allowed) {
    const result = productQuerySchema.shape[key].safeParse(raw[key])
    if (result.success) query[key] = result.data
    else errors.push({ param: key, message: `${key} ${result.error.issues[0]?.message ?? 'is invalid'}` })
  }
  const parsed = query as ProductQuery
  if (parsed.min !== undefined && parsed.max !== undefined && yuanToFen(parsed.min) > yuanToFen(parsed.max)) {
    errors.push({ param: 'min', message: 'min must not be above max' })
    delete parsed.min
  }
  return { query: parsed, errors }
}
