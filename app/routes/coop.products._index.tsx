import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { EmptyState, ListingStatusBadge } from '~/components/coop-console'
import { Pagination } from '~/components/ui/pagination'
import { FilterTabs } from '~/components/ui/filter-tabs'
import { listingStatusFilters, type ListingStatusFilter } from '~/domains/catalog'
import { listOwnListings } from '~/domains/catalog/index.server'
import { systemClock } from '~/utils/clock'
import { activeOrgScope, coopActor, pageParam } from '~/utils/coop-console.server'
import { getDb } from '~/utils/db.server'
import { invariantResponse } from '~/utils/guards.server'
import { useLocale, useT } from '~/utils/locale'
import { formatFen } from '~/utils/money'
import { requireAccess } from '~/utils/permissions.server'

export const meta: MetaFunction = () => [{ title: '商品 · 合作社后台 · 消费帮扶集市' }]

const PAGE_SIZE = 20

/** The cooperative's own listings, filtered by status, newest change first. */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/coop.products._index', 'loader', activeOrgScope(args))
  const url = new URL(args.request.url)
  const sent = url.searchParams.get('status') ?? 'all'
  const status: ListingStatusFilter = (listingStatusFilters as readonly string[]).includes(sent)
    ? (sent as ListingStatusFilter)
    : 'all'
  const page = pageParam(url)
  const listings = await listOwnListings(
    getDb(),
    { ...coopActor(auth), status, page, pageSize: PAGE_SIZE },
    systemClock,
  )
  invariantResponse(listings, '无权访问 / Forbidden', { status: 403 })
  return { status, ...listings }
}

export default function CoopProducts() {
  const data = useLoaderData<typeof loader>()
  const t = useT()
  const locale = useLocale()
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 className="text-xl font-semibold">{t('console.products.title')}</h2>
        <Link
          to="/coop/products/new"
          className="rounded bg-brand-700 px-4 py-2 text-sm text-white hover:bg-brand-800"
        >
          {t('console.products.new')}
        </Link>
      </div>
      <FilterTabs
        label={t('console.products.filter')}
        current={data.status}
        tabs={listingStatusFilters.map((filter) => ({
          key: filter,
          to: filter === 'all' ? '/coop/products' : `/coop/products?status=${filter}`,
          label: filter === 'all' ? t('console.products.filter.all') : t(`listing.status.${filter}`),
        }))}
      />
      {data.items.length === 0 ? (
        <EmptyState>
          {data.status === 'all' ? t('coop.listings.empty') : t('console.products.empty.filtered')}
        </EmptyState>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm">
            <caption className="sr-only">{t('console.products.caption', { total: data.total })}</caption>
            <thead className="text-left text-stone-500">
              <tr>
                <th scope="col" className="py-2 pr-3">
                  {t('console.products.col.photo')}
                </th>
                <th scope="col" className="py-2 pr-3">
                  {t('console.products.col.name')}
                </th>
                <th scope="col" className="py-2 pr-3">
                  {t('console.products.col.status')}
                </th>
                <th scope="col" className="py-2 pr-3 text-right">
                  {t('console.products.col.price')}
                </th>
                <th scope="col" className="py-2 pr-3 text-right">
                  {t('console.products.col.stock')}
                </th>
                <th scope="col" className="py-2">
                  {t('console.products.col.actions')}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((item) => (
                <tr
                  key={item.productId}
                  className="border-t border-stone-100 align-top"
                  data-testid={`listing-${item.sku}`}
                >
                  <td className="py-2 pr-3">
                    {item.coverUrl ? (
                      <img
                        src={item.coverUrl}
                        alt=""
                        width={64}
                        height={64}
                        loading="lazy"
                        className="h-16 w-16 rounded object-cover"
                      />
                    ) : (
                      <span className="flex h-16 w-16 items-center justify-center rounded bg-stone-100 text-xs text-stone-700">
                        {t('console.products.noPhoto')}
                      </span>
                    )}
                  </td>
                  <td className="py-2 pr-3">
                    <Link
                      to={`/coop/products/${item.productId}`}
                      className="font-medium text-brand-700 underline"
                    >
                      {item.name}
                    </Link>
                    <span className="block font-mono text-xs text-stone-500">{item.sku}</span>
                    {item.certified ? (
                      <span className="block text-xs text-brand-700">{t('console.products.certified')}</span>
                    ) : null}
                  </td>
                  <td className="py-2 pr-3">
                    <ListingStatusBadge status={item.status} />
                    {item.rejectionReason ? (
                      <span className="mt-1 block max-w-56 text-xs text-red-800">
                        {t('console.products.rejectedBecause', { reason: item.rejectionReason })}
                      </span>
                    ) : null}
                    {item.pendingBecause ? (
                      <span className="mt-1 block max-w-56 text-xs text-stone-600">
                        {t(`listing.pending.${item.pendingBecause}`)}
                      </span>
                    ) : null}
                  </td>
                  <td className="py-2 pr-3 text-right whitespace-nowrap">
                    {t('console.products.perUnit', {
                      price: formatFen(item.priceFen, locale),
                      unit: item.unit,
                    })}
                  </td>
                  <td className="py-2 pr-3 text-right">{item.stock}</td>
                  <td className="py-2">
                    <ul className="flex flex-wrap gap-x-3 gap-y-1">
                      <li>
                        <Link
                          to={`/coop/products/${item.productId}/stock`}
                          className="text-brand-700 underline"
                        >
                          {t('console.products.stock')}
                        </Link>
                      </li>
                      <li>
                        <Link
                          to={`/coop/products/${item.productId}/photos`}
                          className="text-brand-700 underline"
                        >
                          {t('console.products.photos')}
                        </Link>
                      </li>
                      <li>
                        <Link
                          to={`/coop/products/${item.productId}/certifications`}
                          className="text-brand-700 underline"
                        >
                          {t('console.products.certifications')}
                        </Link>
                      </li>
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={data.page} pageSize={data.pageSize} total={data.total} />
    </div>
  )
}
