import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { listFeaturedProducts, type ProductCard } from '~/models/products.server'
import { listTargets, type TargetSummary } from '~/models/targets.server'
import { getDb } from '~/utils/db.server'
import { useLocale, useT } from '~/utils/locale'
import { formatAmountShort, formatFen } from '~/utils/money'

export const meta: MetaFunction = () => [{ title: '消费帮扶集市 · 首页' }]

export async function loader(_: LoaderFunctionArgs) {
  const db = getDb()
  const [targets, products] = await Promise.all([listTargets(db), listFeaturedProducts(db, 12)])
  return { targets, products }
}

export default function Home() {
  const { targets, products } = useLoaderData<typeof loader>()
  const t = useT()
  const demo = targets.filter((target) => target.kind === 'demo')
  const reference = targets.filter((target) => target.kind === 'reference')
  return (
    <div className="space-y-10">
      <section aria-labelledby="intro-heading" className="rounded-lg bg-brand-50 p-6">
        <h1 id="intro-heading" className="text-2xl font-bold text-brand-800">
          {t('site.name')}
        </h1>
        <p className="mt-3 max-w-3xl leading-relaxed text-stone-700">{t('home.intro')}</p>
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
                <TargetItem key={target.id} target={target} />
              ))}
            </ul>
          </>
        ) : null}
        {reference.length > 0 ? (
          <>
            <h3 className="mt-6 text-lg font-medium">{t('home.referenceTargets')}</h3>
            <ul className="mt-3 grid gap-4 md:grid-cols-2">
              {reference.map((target) => (
                <TargetItem key={target.id} target={target} />
              ))}
            </ul>
          </>
        ) : null}
      </section>

      <section aria-labelledby="products-heading">
        <h2 id="products-heading" className="text-xl font-semibold">
          {t('home.products')}
        </h2>
        {products.length === 0 ? (
          <p className="mt-3 text-stone-600">{t('home.noProducts')}</p>
        ) : (
          <ul className="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {products.map((product) => (
              <ProductItem key={product.slug} product={product} />
            ))}
          </ul>
        )}
      </section>
    </div>
  )
}

function formatGoal(target: TargetSummary, locale: 'zh' | 'en', peopleWord: string): string {
  const goal = BigInt(target.goal)
  if (target.metric === 'people') {
    return `${goal.toLocaleString(locale === 'zh' ? 'zh-CN' : 'en-US')} ${peopleWord}`
  }
  return formatAmountShort(goal, locale)
}

function TargetItem({ target }: { target: TargetSummary }) {
  const t = useT()
  const locale = useLocale()
  return (
    <li className="rounded-lg border border-stone-200 bg-white p-4">
      <div className="flex items-start justify-between gap-2">
        <h4 className="font-medium">{target.name}</h4>
        <span
          className={
            target.kind === 'demo'
              ? 'shrink-0 rounded bg-amber-100 px-2 py-0.5 text-xs text-amber-800'
              : 'shrink-0 rounded bg-sky-100 px-2 py-0.5 text-xs text-sky-800'
          }
        >
          {t(target.kind === 'demo' ? 'target.demo' : 'target.reference')}
        </span>
      </div>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
        <dt className="text-stone-500">{t('target.goal')}</dt>
        <dd>{formatGoal(target, locale, t('target.people'))}</dd>
        <dt className="text-stone-500">{t('target.period')}</dt>
        <dd>
          {target.periodStart} — {target.periodEnd}
        </dd>
        {target.kind === 'demo' ? (
          <>
            <dt className="text-stone-500">{t('target.progress')}</dt>
            <dd title={t('target.progressPendingHint')}>
              {t('target.progressPending')}
              <span className="sr-only">{t('target.progressPendingHint')}</span>
            </dd>
          </>
        ) : null}
      </dl>
      {target.kind === 'reference' && target.documentedOutcomes.length > 0 ? (
        <div className="mt-3 text-sm">
          <p className="text-stone-500">{t('target.outcomes')}</p>
          <ul className="mt-1 list-disc space-y-1 pl-5 text-stone-700">
            {target.documentedOutcomes.map((outcome) => (
              <li key={outcome}>{outcome}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {target.sourceText ? (
        <p className="mt-3 text-xs text-stone-500">
          {t('target.source')}：{target.sourceText}
        </p>
      ) : null}
    </li>
  )
}

function ProductItem({ product }: { product: ProductCard }) {
  const t = useT()
  const locale = useLocale()
  return (
    <li className="rounded-lg border border-stone-200 bg-white p-4">
      <div className="flex items-start justify-between gap-2">
        <h3 className="font-medium">{product.name}</h3>
        {product.giConfirmed ? (
          <span className="shrink-0 rounded bg-brand-100 px-2 py-0.5 text-xs text-brand-800">
            {t('product.gi')}
          </span>
        ) : null}
      </div>
      <p className="mt-1 text-sm text-stone-600">
        {t('product.origin')}：{product.originParentName ? `${product.originParentName} ` : ''}
        {product.originName}
      </p>
      <p className="mt-1 text-sm text-stone-600">
        {t('product.cooperative')}：{product.cooperative}
      </p>
      <p className="mt-2 text-lg font-semibold text-earth-500">
        {formatFen(product.priceFen, locale)}
        <span className="ml-1 text-sm font-normal text-stone-500">/ {product.unit}</span>
      </p>
    </li>
  )
}
