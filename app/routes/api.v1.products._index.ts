import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { parseProductQuery } from '~/domains/catalog'
import { findProductsForApi } from '~/domains/search/index.server'
import { apiError, apiJson, apiMethodNotAllowed } from '~/utils/api.server'
import { shanghaiToday } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { requireAccess } from '~/utils/permissions.server'

/** GET /api/v1/products?q=&region=&category=&page=&pageSize= — amounts in fen. */
export async function loader(args: LoaderFunctionArgs) {
  const { request } = args
  requireAccess(args, 'routes/api.v1.products._index', 'loader')
  const { query, errors } = parseProductQuery(new URL(request.url).searchParams, [
    'q',
    'region',
    'category',
    'certified',
    'sort',
    'page',
    'pageSize',
  ])
  const [firstError] = errors
  if (firstError) return apiError(400, firstError.param, firstError.message)
  const result = await findProductsForApi(getDb(), query, shanghaiToday())
  if (!result.ok) return apiError(400, result.error.param, result.error.message)
  return apiJson({
    items: result.items.map((p) => ({
      sku: p.sku,
      slug: p.slug,
      name: p.name,
      category: p.category,
      priceFen: p.priceFen,
      unit: p.unit,
      originCode: p.originCode,
      originName: p.originName,
      cooperative: p.cooperative,
      certified: p.certified,
      coverUrl: p.coverUrl,
    })),
    total: result.total,
    page: result.page,
    pageSize: result.pageSize,
  })
}

export async function action(args: ActionFunctionArgs) {
  const { request } = args
  requireAccess(args, 'routes/api.v1.products._index', 'action')
  return apiMethodNotAllowed(request)
}
