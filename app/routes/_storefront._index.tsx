import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { ProductGrid } from '~/components/product-card'
import { TargetStrip } from '~/components/target-strip'
import { countProductsByCategory, listFeaturedProducts } from '~/domains/catalog/index.server'
import { listPairings } from '~/domains/regions/index.server'
import { headlineTarget, periodElapsedBp } from '~/domains/targets'
import { listTargets } from '~/domains/targets/index.server'
import { shanghaiToday } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { categoryLabel, programmeLabel } from '~/utils/i18n'
import { useLocale, useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'

export const meta: MetaFunction = () => [{ title: '消费帮扶集市 · 首页' }]

export async function loader(args: LoaderFunctionArgs) {
  requireAccess(args, 'routes/_storefront._index', 'loader')
  const db = getDb()
  const today = shanghaiToday()
  const [targets, products, categories, pairings] = await Promise.all([
    listTargets(db),
    listFeaturedProducts(db, 9, today),
    countProductsByCategory(db),
    listPairings(db),
  ])
  const headline = headlineTarget(targets)
  // Only pairings whose helped region has something for sale lead anywhere useful from the home page.
  return {
    headline,
    paceBp: headline ? periodElapsedBp(headline.periodStart, headline.periodEnd, today) : 0,
    targetCount: targets.length,
    products,
    categories,
    pairings: pairings.filter((p) => p.productCount > 0),
  }
}

/**
 * Phone first: the name and a line about the market, the headline target as one strip, the categories as one
 * scrolling row, then products — all within the first screen of a 390 × 844 phone. Every target is on /targets.
 */
export default function Home() {
  const { headline, paceBp, targetCount, products, categories, pairings } = useLoaderData<typeof loader>()
  const t = useT()
  const locale = useLocale()
  const programmes = [...new Set(pairings.map((p) => p.programme))]
  return (
    <div className="space-y-6 sm:space-y-10">
      <section aria-labelledby="intro-heading">
        <h1 id="intro-heading" className="text-xl font-bold text-brand-800 sm:text-2xl">
          {t('site.name')}
        </h1>
        <p className="mt-1 line-clamp-2 max-w-3xl text-sm leading-relaxed text-stone-700 sm:line-clamp-none sm:text-base">
          {t('home.intro')}
        </p>
      </section>

      {headline ? (
        <TargetStrip target={headline} paceBp={paceBp} targetCount={targetCount} />
      ) : (
        <p className="text-sm text-stone-600">{t('home.noTargets')}</p>
      )}

      <nav aria-labelledby="categories-heading">
        <h2 id="categories-heading" className="sr-only">
          {t('home.categories')}
        </h2>
        <ul className="-mx-4 flex gap-2 overflow-x-auto px-4 pb-1 sm:mx-0 sm:flex-wrap sm:overflow-visible sm:px-0">
          {categories.map((c) => (
            <li key={c.category} className="shrink-0">
              <Link
                to={`/products?category=${encodeURIComponent(c.category)}`}
                className="inline-block whitespace-nowrap rounded-full border border-brand-100 bg-white px-3 py-1 text-sm hover:bg-brand-50"
              >
                {categoryLabel(locale, c.category)} <span className="text-stone-500">({c.count})</span>
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      <section aria-labelledby="products-heading">
        <div className="flex items-baseline justify-between">
          <h2 id="products-heading" className="text-lg font-semibold sm:text-xl">
            {t('home.products')}
          </h2>
          <Link to="/products" className="text-sm text-brand-700 underline">
            {t('home.browseAll')}
          </Link>
        </div>
        <div className="mt-3">
          {products.length === 0 ? (
            <p className="text-stone-600">{t('home.noProducts')}</p>
          ) : (
            <ProductGrid products={products} />
          )}
        </div>
      </section>

      <section aria-labelledby="pairings-heading">
        <h2 id="pairings-heading" className="text-xl font-semibold">
          {t('home.pairings')}
        </h2>
        <p className="mt-1 text-sm text-stone-600">{t('home.pairingsHint')}</p>
        <div className="mt-3 grid gap-6 md:grid-cols-2">
          {programmes.map((programme) => (
            <div key={programme}>
              <h3 className="font-medium">{programmeLabel(locale, programme)}</h3>
              <ul className="mt-2 space-y-1 text-sm">
                {pairings
                  .filter((p) => p.programme === programme)
                  .map((p) => (
                    <li key={p.id}>
                      <Link
                        to={`/pairings/${encodeURIComponent(p.id)}`}
                        className="hover:text-brand-700 hover:underline"
                      >
                        {p.helperName} → {p.helpedName}
                      </Link>{' '}
                      <span className="text-stone-500">
                        · {t('home.productCount', { n: p.productCount })}
                      </span>
                    </li>
                  ))}
              </ul>
            </div>
          ))}
        </div>
      </section>
    </div>
  )
}
