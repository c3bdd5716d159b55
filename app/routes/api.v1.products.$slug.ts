import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { getProductPage } from '~/domains/catalog/index.server'
import { apiError, apiJson, apiMethodNotAllowed } from '~/utils/api.server'
import { shanghaiToday } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { requireAccess } from '~/utils/permissions.server'
import { routeParam } from '~/utils/validation'

/**
 * GET /api/v1/products/:slug — one product with its tiers, certification, origin, impact and photos (paths on this
 * site, card and page size, in order); amounts in fen.
 */
export async function loader(args: LoaderFunctionArgs) {
  const { params } = args
  requireAccess(args, 'routes/api.v1.products.$slug', 'loader')
  const slug = routeParam(params, 'slug')
  const product = slug ? await getProductPage(getDb(), slug, shanghaiToday()) : null
  if (!product)
    return apiError(404, 'slug', slug ? `no product with slug ${slug}` : 'no product with this slug')
  return apiJson({
    sku: product.sku,
    slug: product.slug,
    name: product.name,
    alias: product.alias,
    description: product.description,
    category: product.category,
    priceFen: product.priceFen,
    unit: product.unit,
    minOrderQty: product.minOrderQty,
    stock: product.stock,
    tiers: product.tiers,
    originCode: product.originCode,
    originName: product.originName,
    origin: product.origin.chain,
    cooperative: product.cooperative,
    certified: product.certified,
    coverUrl: product.coverUrl,
    photos: product.photos,
    certifications: product.certifications,
    geographicalIndication: product.giConfirmed ? { status: 'confirmed', detail: product.giDetail } : null,
    impact: product.impact,
    pairings: product.helpedBy,
    sourceIds: product.sourceIds,
    demo: product.isDemo,
  })
}

export async function action(args: ActionFunctionArgs) {
  const { request } = args
  requireAccess(args, 'routes/api.v1.products.$slug', 'action')
  return apiMethodNotAllowed(request)
}
