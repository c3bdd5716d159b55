import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { AddToCart, PhoneBuyBar } from '~/components/add-to-cart'
import { ProductPicture } from '~/components/product-picture'
import { Badge } from '~/components/ui/badge'
import { Breadcrumbs } from '~/components/ui/breadcrumbs'
import { getProductPage } from '~/domains/catalog/index.server'
import { shanghaiToday } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { invariantResponse } from '~/utils/guards.server'
import { categoryLabel, programmeLabel, reliefModeLabel } from '~/utils/i18n'
import { useLocale, useT } from '~/utils/locale'
import { formatFen, unitCounter } from '~/utils/money'
import { requireAccess } from '~/utils/permissions.server'
import { routeParam } from '~/utils/validation'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.product.name} · 消费帮扶集市` : '产品不存在 · 消费帮扶集市' },
  ...(data ? [{ name: 'description', content: data.product.description }] : []),
]

export async function loader(args: LoaderFunctionArgs) {
  const { params } = args
  requireAccess(args, 'routes/_storefront.products.$slug', 'loader')
  const slug = routeParam(params, 'slug')
  const product = slug ? await getProductPage(getDb(), slug, shanghaiToday()) : null
  invariantResponse(product, '产品不存在 / Product not found', { status: 404 })
  return { product }
}

export default function ProductPage() {
  const { product } = useLoaderData<typeof loader>()
  const t = useT()
  const locale = useLocale()
  return (
    <article className="space-y-8">
      <Breadcrumbs
        items={[
          { label: t('nav.home'), to: '/' },
          { label: t('nav.products'), to: '/products' },
          ...product.origin.chain.map((r) => ({ label: r.name, to: `/regions/${r.code}` })),
          { label: product.name },
        ]}
      />
      <header className="grid gap-6 md:grid-cols-[1fr_20rem]">
        <div>
          {product.photos[0] ? (
            <img
              src={product.photos[0].page}
              alt={product.name}
              width={product.photos[0].width}
              height={product.photos[0].height}
              className="mb-4 h-auto max-h-[32rem] w-full rounded-lg object-contain"
            />
          ) : (
            <ProductPicture
              src={null}
              category={product.category}
              name={product.name}
              loading="eager"
              className="mb-4 max-h-[24rem] w-full rounded-lg"
            />
          )}
          {product.photos.length > 1 ? (
            <ul className="mb-4 flex flex-wrap gap-2">
              {product.photos.slice(1).map((photo, i) => (
                <li key={photo.page}>
                  <a href={photo.page}>
                    <img
                      src={photo.card}
                      alt={`${product.name} ${i + 2}`}
                      width={photo.width}
                      height={photo.height}
                      loading="lazy"
                      className="h-24 w-auto rounded border border-stone-200 object-cover"
                    />
                  </a>
                </li>
              ))}
            </ul>
          ) : null}
          <div className="flex flex-wrap items-center gap-2">
            <h1 className="text-3xl font-bold">{product.name}</h1>
            {product.giConfirmed ? <Badge tone="green">{t('product.gi')}</Badge> : null}
            {product.certified ? <Badge tone="blue">{t('product.certifiedBadge')}</Badge> : null}
          </div>
          {product.alias ? (
            <p className="mt-1 text-sm text-stone-600">
              {t('product.alias')}：{product.alias}
            </p>
          ) : null}
          <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
            <dt className="text-stone-500">{t('product.category')}</dt>
            <dd>
              <Link to={`/products?category=${encodeURIComponent(product.category)}`} className="underline">
                {categoryLabel(locale, product.category)}
              </Link>
            </dd>
            <dt className="text-stone-500">{t('product.origin')}</dt>
            <dd>
              {product.origin.chain.map((r, i) => (
                <span key={r.code}>
                  {i > 0 ? ' · ' : ''}
                  <Link to={`/regions/${r.code}`} className="underline">
                    {r.name}
                  </Link>
                </span>
              ))}
            </dd>
            <dt className="text-stone-500">{t('product.cooperative')}</dt>
            <dd>{product.cooperative}</dd>
            {product.base ? (
              <>
                <dt className="text-stone-500">{t('product.base')}</dt>
                <dd>
                  {product.base.name}（{product.base.kind}）
                </dd>
              </>
            ) : null}
            {product.otherRecognition ? (
              <>
                <dt className="text-stone-500">{t('product.otherRecognition')}</dt>
                <dd>{product.otherRecognition}</dd>
              </>
            ) : null}
          </dl>
        </div>
        <div className="rounded-lg border border-stone-200 bg-white p-4">
          <p className="text-3xl font-semibold text-earth-700">
            {formatFen(product.priceFen, locale)}
            <span className="ml-1 text-base font-normal text-stone-500">/ {product.unit}</span>
          </p>
          {product.tiers.length > 0 ? (
            <table className="mt-3 w-full text-sm">
              <caption className="text-left text-stone-500">{t('product.tiers')}</caption>
              <tbody>
                {product.tiers.map((tier) => (
                  <tr key={tier.minQty} className="border-t border-stone-100">
                    <th scope="row" className="py-1 text-left font-normal">
                      {t('product.tierRow', { n: tier.minQty, counter: unitCounter(product.unit) })}
                    </th>
                    <td className="py-1 text-right">
                      {formatFen(tier.unitPriceFen, locale)} / {product.unit}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
            <dt className="text-stone-500">{t('product.minOrder')}</dt>
            <dd>
              {product.minOrderQty} × {product.unit}
            </dd>
            <dt className="text-stone-500">{t('product.stock')}</dt>
            <dd>{product.stock}</dd>
          </dl>
          <AddToCart
            productId={product.id}
            minOrderQty={product.minOrderQty}
            stock={product.stock}
            unit={product.unit}
          />
        </div>
      </header>

      <section aria-labelledby="impact-heading" className="rounded-lg bg-brand-50 p-4">
        <h2 id="impact-heading" className="sr-only">
          {t('product.impactHint')}
        </h2>
        {product.impact ? (
          <>
            <p className="text-lg font-medium text-brand-800" data-testid="impact-line">
              {t('product.impact', {
                amount: formatFen(product.impact.perUnitFen, locale),
                n: product.impact.households,
              })}
            </p>
            <p className="mt-1 text-sm text-stone-600">{t('product.impactHint')}</p>
          </>
        ) : (
          <p className="text-stone-700">{t('product.noImpact')}</p>
        )}
      </section>

      <section aria-labelledby="description-heading">
        <h2 id="description-heading" className="text-xl font-semibold">
          {t('product.description')}
        </h2>
        <p className="mt-2 max-w-3xl leading-relaxed text-stone-700">{product.description}</p>
        {product.giConfirmed && product.giDetail ? (
          <p className="mt-3 max-w-3xl text-sm text-stone-600">
            {t('product.giDetail')}：{product.giDetail}
          </p>
        ) : null}
      </section>

      <section aria-labelledby="certification-heading">
        <h2 id="certification-heading" className="text-xl font-semibold">
          {t('product.certification')}
        </h2>
        {product.certifications.length === 0 ? (
          <p className="mt-2 text-stone-600">{t('product.noCertification')}</p>
        ) : (
          <ul className="mt-2 space-y-3">
            {product.certifications.map((c) => (
              <li key={c.number} className="rounded border border-stone-200 bg-white p-3 text-sm">
                <div className="flex flex-wrap gap-2">
                  <Badge tone={c.state === 'valid' ? 'green' : c.state === 'expired' ? 'red' : 'grey'}>
                    {t(
                      c.state === 'valid'
                        ? 'product.certValid'
                        : c.state === 'expired'
                          ? 'product.certExpired'
                          : 'product.certNotYetValid',
                    )}
                  </Badge>
                  {c.isDemo ? <Badge tone="amber">{t('badge.demo')}</Badge> : null}
                </div>
                <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
                  <dt className="text-stone-500">{t('product.certBody')}</dt>
                  <dd>{c.body}</dd>
                  <dt className="text-stone-500">{t('product.certNumber')}</dt>
                  <dd>{c.number}</dd>
                  <dt className="text-stone-500">{t('product.certValidUntil')}</dt>
                  <dd className={c.state === 'expired' ? 'text-red-700' : undefined}>{c.validUntil}</dd>
                  <dt className="text-stone-500">{t('product.certReliefMode')}</dt>
                  <dd>{reliefModeLabel(locale, c.reliefMode)}</dd>
                </dl>
              </li>
            ))}
          </ul>
        )}
      </section>

      {product.helpedBy.length > 0 ? (
        <section aria-labelledby="pairings-heading">
          <h2 id="pairings-heading" className="text-xl font-semibold">
            {t('product.helpedBy')}
          </h2>
          <ul className="mt-2 space-y-1 text-sm">
            {product.helpedBy.map((p) => (
              <li key={p.id}>
                <Link to={`/pairings/${encodeURIComponent(p.id)}`} className="underline">
                  {p.helperName} → {p.helpedName}
                </Link>{' '}
                <span className="text-stone-500">（{programmeLabel(locale, p.programme)}）</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <footer className="space-y-1 text-xs text-stone-500">
        {product.sourceIds.length > 0 ? (
          <p>
            <Link to="/about" className="underline">
              {t('product.sources')}
            </Link>
          </p>
        ) : null}
        {product.isDemo ? <p>{t('product.demoNotice')}</p> : null}
      </footer>
      <PhoneBuyBar
        productId={product.id}
        minOrderQty={product.minOrderQty}
        stock={product.stock}
        unit={product.unit}
        price={formatFen(product.priceFen, locale)}
      />
    </article>
  )
}
