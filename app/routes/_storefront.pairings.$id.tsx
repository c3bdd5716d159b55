import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { ProductGrid } from '~/components/product-card'
import { Breadcrumbs } from '~/components/ui/breadcrumbs'
import { getPairingPage } from '~/domains/catalog/index.server'
import { shanghaiToday } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { invariantResponse } from '~/utils/guards.server'
import { programmeLabel } from '~/utils/i18n'
import { useLocale, useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'
import { routeParam } from '~/utils/validation'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `${data.pairing.helperName} → ${data.pairing.helpedName} · 消费帮扶集市`
      : '结对关系不存在 · 消费帮扶集市',
  },
]

export async function loader(args: LoaderFunctionArgs) {
  const { params } = args
  requireAccess(args, 'routes/_storefront.pairings.$id', 'loader')
  const id = routeParam(params, 'id')
  const pairing = id ? await getPairingPage(getDb(), id, shanghaiToday()) : null
  invariantResponse(pairing, '结对关系不存在 / Pairing not found', { status: 404 })
  return { pairing }
}

export default function PairingPage() {
  const { pairing } = useLoaderData<typeof loader>()
  const t = useT()
  const locale = useLocale()
  return (
    <div className="space-y-8">
      <Breadcrumbs
        items={[
          { label: t('nav.home'), to: '/' },
          { label: `${pairing.helperName} → ${pairing.helpedName}` },
        ]}
      />
      <header>
        <h1 className="text-3xl font-bold">
          {pairing.helperName} → {pairing.helpedName}
        </h1>
        <dl className="mt-4 grid max-w-3xl grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
          <dt className="text-stone-500">{t('pairing.programme')}</dt>
          <dd>{programmeLabel(locale, pairing.programme)}</dd>
          <dt className="text-stone-500">{t('pairing.helper')}</dt>
          <dd>
            {pairing.helperCode ? (
              <Link to={`/regions/${pairing.helperCode}`} className="underline">
                {pairing.helperName}
              </Link>
            ) : (
              <>
                {pairing.helperName} <span className="text-stone-500">（{t('pairing.noCode')}）</span>
              </>
            )}
          </dd>
          <dt className="text-stone-500">{t('pairing.helped')}</dt>
          <dd>
            {pairing.helpedChain.map((r, i) => (
              <span key={r.code}>
                {i > 0 ? ' · ' : ''}
                <Link to={`/regions/${r.code}`} className="underline">
                  {r.name}
                </Link>
              </span>
            ))}
          </dd>
          <dt className="text-stone-500">{t('pairing.relation')}</dt>
          <dd>{pairing.relationText}</dd>
          {pairing.sinceText ? (
            <>
              <dt className="text-stone-500">{t('pairing.since')}</dt>
              <dd>{pairing.sinceText}</dd>
            </>
          ) : null}
          <dt className="text-stone-500">{t('pairing.confidence')}</dt>
          <dd>{pairing.confidence}</dd>
        </dl>
      </header>
      {pairing.facts.length > 0 ? (
        <section aria-labelledby="facts-heading">
          <h2 id="facts-heading" className="text-xl font-semibold">
            {t('pairing.facts')}
          </h2>
          <ul className="mt-2 max-w-3xl list-disc space-y-1 pl-5 text-sm text-stone-700">
            {pairing.facts.map((fact) => (
              <li key={fact}>{fact}</li>
            ))}
          </ul>
          {pairing.notes ? (
            <p className="mt-2 max-w-3xl text-sm text-stone-600">
              {t('pairing.notes')}：{pairing.notes}
            </p>
          ) : null}
          <p className="mt-2 text-xs text-stone-500">
            {t('product.sources')}：{pairing.sourceIds.join('、')}
          </p>
        </section>
      ) : null}
      <section aria-labelledby="products-heading">
        <div className="flex items-baseline justify-between">
          <h2 id="products-heading" className="text-xl font-semibold">
            {t('pairing.products')}
          </h2>
          {pairing.productTotal > pairing.products.length ? (
            <Link to={`/regions/${pairing.helpedCode}`} className="text-sm text-brand-700 underline">
              {t('common.viewAll')}
            </Link>
          ) : null}
        </div>
        <p className="mt-1 text-sm text-stone-600">{t('list.total', { n: pairing.productTotal })}</p>
        <div className="mt-4">
          {pairing.products.length === 0 ? (
            <p className="text-stone-600">{t('region.noProducts')}</p>
          ) : (
            <ProductGrid products={pairing.products} />
          )}
        </div>
      </section>
    </div>
  )
}
