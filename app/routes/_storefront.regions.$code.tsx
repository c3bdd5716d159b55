import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { ProductGrid } from '~/components/product-card'
import { Badge } from '~/components/ui/badge'
import { Breadcrumbs } from '~/components/ui/breadcrumbs'
import { Pagination } from '~/components/ui/pagination'
import { getRegionPage, type RegionPairing } from '~/domains/catalog/index.server'
import { shanghaiToday } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { invariantResponse } from '~/utils/guards.server'
import { programmeLabel } from '~/utils/i18n'
import { useLocale, useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.region.name} · 消费帮扶集市` : '地区不存在 · 消费帮扶集市' },
]

const PAGE_SIZE = 24
const pageParam = z.coerce.number().int().min(1).max(100_000).catch(1)

export async function loader(args: LoaderFunctionArgs) {
  const { params, request } = args
  requireAccess(args, 'routes/_storefront.regions.$code', 'loader')
  const page = pageParam.parse(new URL(request.url).searchParams.get('page') ?? 1)
  const data = await getRegionPage(getDb(), params.code ?? '', { page, pageSize: PAGE_SIZE }, shanghaiToday())
  invariantResponse(data, '地区不存在 / Region not found', { status: 404 })
  return { ...data, page, pageSize: PAGE_SIZE }
}

export default function RegionPage() {
  const data = useLoaderData<typeof loader>()
  const t = useT()
  const name = data.region.name
  return (
    <div className="space-y-8">
      <Breadcrumbs
        items={[
          { label: t('nav.home'), to: '/' },
          ...data.chain.map((r) => ({ label: r.name, to: `/regions/${r.code}` })),
        ]}
      />
      <header>
        <div className="flex flex-wrap items-center gap-2">
          <h1 className="text-3xl font-bold">{name}</h1>
          {data.tags.includes('former_poverty_county') ? (
            <Badge tone="amber">{t('region.formerPovertyCounty')}</Badge>
          ) : null}
          {data.tags.includes('zj_mountain_26') ? <Badge tone="green">{t('region.zjMountain')}</Badge> : null}
        </div>
        <p className="mt-1 text-sm text-stone-500">{data.region.code}</p>
      </header>

      <section aria-labelledby="helpers-heading">
        <h2 id="helpers-heading" className="text-xl font-semibold">
          {t('region.helpedBy', { name })}
        </h2>
        {data.helpedBy.length === 0 ? (
          <p className="mt-2 text-stone-600">{t('region.noHelpers')}</p>
        ) : (
          <PairingList pairings={data.helpedBy} />
        )}
      </section>

      {data.helps.length > 0 ? (
        <section aria-labelledby="helps-heading">
          <h2 id="helps-heading" className="text-xl font-semibold">
            {t('region.helps', { name })}
          </h2>
          <PairingList pairings={data.helps} />
        </section>
      ) : null}

      <section aria-labelledby="products-heading">
        <h2 id="products-heading" className="text-xl font-semibold">
          {t('region.products', { name })}
        </h2>
        <p className="mt-1 text-sm text-stone-600">{t('list.total', { n: data.productTotal })}</p>
        <div className="mt-4">
          {data.products.length === 0 ? (
            <p className="text-stone-600">{t('region.noProducts')}</p>
          ) : (
            <ProductGrid products={data.products} />
          )}
        </div>
        <Pagination page={data.page} pageSize={data.pageSize} total={data.productTotal} />
      </section>

      {data.children.length > 0 ? (
        <section aria-labelledby="children-heading">
          <h2 id="children-heading" className="text-xl font-semibold">
            {t('region.children')}
          </h2>
          <ul className="mt-2 flex flex-wrap gap-2 text-sm">
            {data.children.map((child) => (
              <li key={child.code}>
                <Link
                  to={`/regions/${child.code}`}
                  className="inline-block rounded border border-stone-200 bg-white px-2 py-1 hover:bg-stone-100"
                >
                  {child.name}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  )
}

function PairingList({ pairings }: { pairings: RegionPairing[] }) {
  const locale = useLocale()
  return (
    <ul className="mt-2 space-y-1 text-sm">
      {pairings.map((p) => (
        <li key={p.id}>
          <Link to={`/pairings/${encodeURIComponent(p.id)}`} className="underline">
            {p.helperName} → {p.helpedName}
          </Link>{' '}
          <span className="text-stone-500">（{programmeLabel(locale, p.programme)}）</span>
        </li>
      ))}
    </ul>
  )
}
