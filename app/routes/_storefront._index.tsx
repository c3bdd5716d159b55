import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { ProductGrid } from '~/components/product-card'
import { TargetCard } from '~/components/target-card'
import { countProductsByCategory, listFeaturedProducts } from '~/domains/catalog/index.server'
import { listPairings } from '~/domains/regions/index.server'
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
  // Only pairings whose helped region has something for sale lead anywhere useful from the home page.
  return { targets, products, categories, pairings: pairings.filter((p) => p.productCount > 0) }
}

export default function Home() {
  const { targets, products, categories, pairings } = useLoaderData<typeof loader>()
  const t = useT()
  const locale = useLocale()
  const demo = targets.filter((target) => target.kind === 'demo')
  const reference = targets.filter((target) => target.kind === 'reference')
  const programmes = [...new Set(pairings.map((p) => p.programme))]
  return (
    <div className="space-y-10">
      <section aria-labelledby="intro-heading" className="rounded-lg bg-brand-50 p-6">
        <h1 id="intro-heading" className="text-2xl font-bold text-brand-800">
          {t('site.name')}
        </h1>
        <p className="mt-3 max-w-3xl leading-relaxed text-stone-700">{t('home.intro')}</p>
        <Link
          to="/products"
          className="mt-4 inline-block rounded bg-brand-600 px-4 py-2 text-white hover:bg-brand-700 focus:outline-2 focus:outline-offset-2 focus:outline-brand-700"
        >
          {t('home.browseAll')}
        </Link>
      </section>

      <section aria-labelledby="targets-heading">
        <h2 id="targets-heading" className="text-xl font-semibold">
          {t('home.targets')}
        </h2>
        {targets.length === 0 ? <p className="mt-3 text-stone-600">{t('home.noTargets')}</p> : null}
        {demo.length > 0 ? (
          <>
            <h3 className="mt-4 text-lg font-medium">{t('home.demoTargets')}</h3>
            <ul className="mt-3 grid gap-4 md:grid-cols-2">
              {demo.map((target) => (
                <TargetCard key={target.id} target={target} />
              ))}
            </ul>
          </>
        ) : null}
        {reference.length > 0 ? (
          <>
            <h3 className="mt-6 text-lg font-medium">{t('home.referenceTargets')}</h3>
            <ul className="mt-3 grid gap-4 md:grid-cols-2">
              {reference.map((target) => (
                <TargetCard key={target.id} target={target} />
              ))}
            </ul>
          </>
        ) : null}
      </section>

      <section aria-labelledby="categories-heading">
        <h2 id="categories-heading" className="text-xl font-semibold">
          {t('home.categories')}
        </h2>
        <ul className="mt-3 flex flex-wrap gap-2">
          {categories.map((c) => (
            <li key={c.category}>
              <Link
                to={`/products?category=${encodeURIComponent(c.category)}`}
                className="inline-block rounded-full border border-brand-100 bg-white px-3 py-1 text-sm hover:bg-brand-50"
              >
                {categoryLabel(locale, c.category)} <span className="text-stone-500">({c.count})</span>
              </Link>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="products-heading">
        <div className="flex items-baseline justify-between">
          <h2 id="products-heading" className="text-xl font-semibold">
            {t('home.products')}
          </h2>
          <Link to="/products" className="text-sm text-brand-700 underline">
            {t('common.viewAll')}
          </Link>
        </div>
        <div className="mt-4">
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
