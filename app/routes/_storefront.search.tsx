import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useLocation } from '@remix-run/react'
import { Highlighted } from '~/components/highlighted'
import { Badge } from '~/components/ui/badge'
import { Pagination } from '~/components/ui/pagination'
import { parseSearchParams } from '~/domains/search'
import { searchCatalog } from '~/domains/search/index.server'
import { shanghaiToday } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { invariantResponse } from '~/utils/guards.server'
import { ProductPicture } from '~/components/product-picture'
import { categoryLabel } from '~/utils/i18n'
import { useLocale, useT } from '~/utils/locale'
import { formatFen } from '~/utils/money'
import { requireAccess } from '~/utils/permissions.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.query.q ? `搜索“${data.query.q}” · 消费帮扶集市` : '搜索 · 消费帮扶集市' },
]

const PAGE_SIZE = 20

export async function loader(args: LoaderFunctionArgs) {
  requireAccess(args, 'routes/_storefront.search', 'loader')
  const query = parseSearchParams(new URL(args.request.url).searchParams)
  invariantResponse(query, '搜索词含有控制字符 / The search term contains control characters')
  const searched = query.q !== '' || query.region || query.category || query.certified
  const result = searched
    ? await searchCatalog(
        getDb(),
        {
          q: query.q,
          filters: {
            regionCode: query.region,
            category: query.category,
            certified: query.certified === '1' || undefined,
          },
          sort: query.sort ?? 'relevance',
          page: query.page ?? 1,
          pageSize: PAGE_SIZE,
        },
        shanghaiToday(),
      )
    : null
  return { query, result }
}

export default function SearchPage() {
  const { query, result } = useLoaderData<typeof loader>()
  const t = useT()
  const locale = useLocale()
  const location = useLocation()
  const withParam = (key: string, value: string | null) => {
    const params = new URLSearchParams(location.search)
    if (value === null) params.delete(key)
    else params.set(key, value)
    params.delete('page')
    return `/search?${params.toString()}`
  }
  const filtered = Boolean(query.region || query.category || query.certified)
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">
        {query.q ? t('search.title', { q: query.q }) : t('search.titleEmpty')}
      </h1>
      {!result ? <p className="text-stone-600">{t('search.prompt')}</p> : null}
      {result?.mode === 'database' ? (
        <p role="status" className="rounded border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
          {t('search.degraded')}
        </p>
      ) : null}
      {result ? (
        <div className="grid gap-6 lg:grid-cols-[16rem_1fr]">
          <aside aria-label={t('search.facets')} className="space-y-4 text-sm">
            {result.facets ? (
              <>
                <FacetList
                  title={t('search.facet.category')}
                  items={result.facets.category.map((f) => ({
                    key: f.value,
                    label: categoryLabel(locale, f.value),
                    count: f.count,
                    href: withParam('category', query.category === f.value ? null : f.value),
                    selected: query.category === f.value,
                  }))}
                />
                <FacetList
                  title={t('search.facet.province')}
                  items={result.facets.province.map((f) => ({
                    key: f.code,
                    label: f.name,
                    count: f.count,
                    href: withParam('region', query.region === f.code ? null : f.code),
                    selected: query.region === f.code,
                  }))}
                />
                <FacetList
                  title={t('search.facet.certified')}
                  items={[
                    {
                      key: 'certified',
                      label: t('search.facet.certifiedOnly', { n: result.facets.certified.yes }),
                      count: null,
                      href: withParam('certified', query.certified ? null : '1'),
                      selected: Boolean(query.certified),
                    },
                  ]}
                />
              </>
            ) : null}
            {filtered ? (
              <Link to={`/search?q=${encodeURIComponent(query.q)}`} className="text-brand-700 underline">
                {t('search.clearFilters')}
              </Link>
            ) : null}
          </aside>
          <section aria-labelledby="results-count">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <p id="results-count" className="text-sm text-stone-600" aria-live="polite">
                {t('search.total', { n: result.total })}
              </p>
              <nav aria-label={t('list.sort')} className="flex gap-1 text-sm">
                {(['relevance', 'price_asc', 'price_desc'] as const).map((sort) => {
                  const current = (query.sort ?? 'relevance') === sort
                  return (
                    <Link
                      key={sort}
                      to={withParam('sort', sort === 'relevance' ? null : sort)}
                      aria-current={current ? 'true' : undefined}
                      className={`rounded px-2 py-1 ${current ? 'bg-brand-50 font-semibold text-brand-800' : 'hover:bg-stone-100'}`}
                    >
                      {t(sort === 'relevance' ? 'search.sort.relevance' : `list.sort.${sort}`)}
                    </Link>
                  )
                })}
              </nav>
            </div>
            {result.items.length === 0 ? (
              <div className="mt-4 rounded-lg border border-dashed border-stone-300 bg-white p-8 text-center">
                <p className="font-medium">{t('search.empty', { q: query.q })}</p>
                <p className="mt-1 text-sm text-stone-600">{t('search.emptyHint')}</p>
                <Link to="/products" className="mt-3 inline-block text-brand-700 underline">
                  {t('home.browseAll')}
                </Link>
              </div>
            ) : (
              <ol className="mt-4 space-y-3">
                {result.items.map((item) => {
                  const nameHighlight = item.highlights.find((h) => h.field === 'name')
                  const other = item.highlights.find((h) => h.field !== 'name')
                  return (
                    <li key={item.sku} className="flow-root rounded-lg border border-stone-200 bg-white p-4">
                      <ProductPicture
                        src={item.coverUrl}
                        category={item.category}
                        name={item.name}
                        className="float-left mr-4 w-28 rounded"
                      />
                      <div className="flex flex-wrap items-start justify-between gap-2">
                        <h2 className="text-lg font-medium">
                          <Link
                            to={`/products/${item.slug}`}
                            className="hover:text-brand-700 hover:underline"
                          >
                            {nameHighlight ? <Highlighted snippet={nameHighlight.snippet} /> : item.name}
                          </Link>
                        </h2>
                        <p className="font-semibold text-earth-700">
                          {formatFen(item.priceFen, locale)}
                          <span className="ml-1 text-sm font-normal text-stone-500">/ {item.unit}</span>
                        </p>
                      </div>
                      <p className="mt-1 text-sm text-stone-600">
                        {categoryLabel(locale, item.category)} ·{' '}
                        <Link to={`/regions/${item.originCode}`} className="underline decoration-stone-300">
                          {item.originParentName ? `${item.originParentName} ` : ''}
                          {item.originName}
                        </Link>{' '}
                        · {item.cooperative}
                      </p>
                      {other ? (
                        <p className="mt-1 text-sm text-stone-700">
                          <Highlighted snippet={other.snippet} />
                        </p>
                      ) : null}
                      <div className="mt-2 flex gap-1">
                        {item.giConfirmed ? <Badge tone="green">{t('product.gi')}</Badge> : null}
                        {item.certified ? <Badge tone="blue">{t('product.certifiedBadge')}</Badge> : null}
                      </div>
                    </li>
                  )
                })}
              </ol>
            )}
            <Pagination page={result.page} pageSize={result.pageSize} total={result.total} />
          </section>
        </div>
      ) : null}
    </div>
  )
}

function FacetList(props: {
  title: string
  items: Array<{ key: string; label: string; count: number | null; href: string; selected: boolean }>
}) {
  if (props.items.length === 0) return null
  return (
    <div>
      <h2 className="font-medium">{props.title}</h2>
      <ul className="mt-1 space-y-1">
        {props.items.map((item) => (
          <li key={item.key}>
            <Link
              to={item.href}
              aria-current={item.selected ? 'true' : undefined}
              className={`flex justify-between rounded px-2 py-1 ${item.selected ? 'bg-brand-50 font-semibold text-brand-800' : 'hover:bg-stone-100'}`}
            >
              <span>{item.label}</span>
              {item.count === null ? null : <span className="text-stone-500">{item.count}</span>}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  )
}
