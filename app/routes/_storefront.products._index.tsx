import { type LoaderFunctionArgs, type MetaFunction, redirect } from '@remix-run/node'
import { Form, Link, useLoaderData, useSubmit } from '@remix-run/react'
import { useEffect, useId, useState } from 'react'
import { ProductGrid } from '~/components/product-card'
import { Pagination } from '~/components/ui/pagination'
import { productSorts, parseProductQuery } from '~/domains/catalog'
import { browseProducts, type RegionWithProducts } from '~/domains/catalog/index.server'
import { shanghaiToday } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { categoryLabel, type MessageKey } from '~/utils/i18n'
import { useLocale, useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'
import { useIsPending } from '~/utils/use-is-pending'

export const meta: MetaFunction = () => [{ title: '全部产品 · 消费帮扶集市' }]

/**
 * The filter form sends province/city/county as three selects; the canonical URL carries one `region` (the most
 * specific consistent choice), so links and the JSON API speak the same language.
 */
function canonicalRegion(params: URLSearchParams): string | null {
  const [province, city, county] = ['province', 'city', 'county'].map((k) => params.get(k) ?? '')
  if (!province) return null
  let region = province
  if (city && city.startsWith(province.slice(0, 2))) {
    region = city
    if (county && county.startsWith(city.slice(0, 4))) region = county
  }
  return region
}

export async function loader(args: LoaderFunctionArgs) {
  const { request } = args
  requireAccess(args, 'routes/_storefront.products._index', 'loader')
  const url = new URL(request.url)
  // Keyword search has one home: the ranked search page (old /products?q= links land there).
  if (url.searchParams.get('q')) {
    const target = new URLSearchParams()
    for (const key of ['q', 'region', 'category', 'certified']) {
      const value = url.searchParams.get(key)
      if (value) target.set(key, value)
    }
    throw redirect(`/search?${target.toString()}`)
  }
  if (['province', 'city', 'county'].some((k) => url.searchParams.has(k))) {
    const region = canonicalRegion(url.searchParams)
    for (const key of ['province', 'city', 'county', 'page']) url.searchParams.delete(key)
    if (region) url.searchParams.set('region', region)
    else url.searchParams.delete('region')
    throw redirect(`${url.pathname}?${url.searchParams.toString()}`)
  }
  const { query, errors } = parseProductQuery(url.searchParams, [
    'region',
    'category',
    'certified',
    'min',
    'max',
    'sort',
    'page',
  ])
  const { result, regionOptions, categories } = await browseProducts(getDb(), query, shanghaiToday())
  const allErrors = result.ok ? errors : [...errors, result.error]
  return {
    query,
    errors: Object.fromEntries(allErrors.map((e) => [e.param, e.message])),
    items: result.ok ? result.items : [],
    total: result.ok ? result.total : 0,
    page: result.ok ? result.page : 1,
    pageSize: result.ok ? result.pageSize : 24,
    regionOptions,
    categories,
  }
}

const errorKeys: Record<string, MessageKey> = {
  min: 'list.error.price',
  max: 'list.error.price',
}

function selectedChain(region: string | undefined, options: RegionWithProducts[]) {
  const byCode = new Map(options.map((o) => [o.code, o]))
  const chain = { province: '', city: '', county: '' }
  if (!region) return chain
  const province = `${region.slice(0, 2)}0000`
  const city = `${region.slice(0, 4)}00`
  if (byCode.has(province)) chain.province = province
  if (region !== province && byCode.has(city)) chain.city = city
  if (region !== province && region !== city && byCode.has(region)) chain.county = region
  return chain
}

export default function ProductList() {
  const data = useLoaderData<typeof loader>()
  const t = useT()
  const locale = useLocale()
  const submit = useSubmit()
  // The filters are a GET form: its results are loading.
  const loading = useIsPending({ formMethod: 'GET', state: 'loading' })
  const ids = useId()
  const chain = selectedChain(data.query.region, data.regionOptions)
  const provinces = data.regionOptions.filter((r) => r.level === 'province')
  const cities = data.regionOptions.filter((r) => r.level === 'city' && r.parentCode === chain.province)
  const counties = data.regionOptions.filter(
    (r) => r.level === 'county' && chain.city !== '' && r.code.startsWith(chain.city.slice(0, 4)),
  )
  const errorFor = (param: string) => {
    const message = data.errors[param]
    if (!message) return null
    const key = errorKeys[param]
    return (
      <p id={`${ids}-${param}-error`} className="mt-1 text-sm text-red-700" role="alert">
        {key ? t(key) : message}
      </p>
    )
  }
  const inputClass = 'mt-1 w-full rounded border border-stone-300 bg-white px-2 py-1.5'
  const submitOnChange = (event: React.ChangeEvent<HTMLSelectElement | HTMLInputElement>) => {
    if (event.currentTarget.form) submit(event.currentTarget.form)
  }
  // On a small screen the filters are a drawer behind one button, so the products come first; it opens by itself
  // when a filter needs correcting. Before the page is hydrated (or without JavaScript) they are simply shown.
  const activeFilters = filterKeys.filter((key) => Boolean(data.query[key])).length
  const hasErrors = Object.keys(data.errors).length > 0
  const [drawerOpen, setDrawerOpen] = useState(hasErrors)
  const [hydrated, setHydrated] = useState(false)
  useEffect(() => setHydrated(true), [])
  const drawerHidden = hydrated && !drawerOpen && !hasErrors
  return (
    <div className="grid gap-6 lg:grid-cols-[18rem_1fr]">
      <aside>
        <div className="flex items-center justify-between gap-3 lg:hidden">
          <h1 className="text-2xl font-bold">{t('list.title')}</h1>
          {hydrated ? (
            <button
              type="button"
              aria-expanded={!drawerHidden}
              aria-controls={`${ids}-filters`}
              onClick={() => setDrawerOpen(drawerHidden)}
              className="rounded border border-stone-300 bg-white px-3 py-1.5 text-sm"
            >
              {activeFilters > 0 ? t('list.filtersCount', { n: activeFilters }) : t('list.filters')}
            </button>
          ) : null}
        </div>
        <Form
          id={`${ids}-filters`}
          key={JSON.stringify(data.query)}
          method="get"
          className={`mt-4 space-y-4 rounded-lg border border-stone-200 bg-white p-4 lg:mt-0 lg:block ${drawerHidden ? 'hidden' : ''}`}
          aria-label={t('list.filters')}
        >
          <div>
            <label htmlFor={`${ids}-category`} className="text-sm font-medium">
              {t('list.category')}
            </label>
            <select
              id={`${ids}-category`}
              name="category"
              defaultValue={data.query.category ?? ''}
              onChange={submitOnChange}
              className={inputClass}
            >
              <option value="">{t('list.allCategories')}</option>
              {data.categories.map((c) => (
                <option key={c.category} value={c.category}>
                  {categoryLabel(locale, c.category)} ({c.count})
                </option>
              ))}
            </select>
            {errorFor('category')}
          </div>
          <fieldset className="space-y-2">
            <legend className="text-sm font-medium">{t('product.origin')}</legend>
            <RegionSelect
              label={t('list.province')}
              name="province"
              value={chain.province}
              options={provinces}
              onChange={submitOnChange}
              anyLabel={t('list.any')}
            />
            <RegionSelect
              label={t('list.city')}
              name="city"
              value={chain.city}
              options={cities}
              onChange={submitOnChange}
              anyLabel={t('list.any')}
            />
            <RegionSelect
              label={t('list.county')}
              name="county"
              value={chain.county}
              options={counties}
              onChange={submitOnChange}
              anyLabel={t('list.any')}
            />
            {errorFor('region')}
          </fieldset>
          <div className="flex items-center gap-2">
            <input
              id={`${ids}-certified`}
              name="certified"
              type="checkbox"
              value="1"
              defaultChecked={
                data.query.certified === '1' ||
                data.query.certified === 'true' ||
                data.query.certified === 'on'
              }
              onChange={submitOnChange}
              className="h-4 w-4"
            />
            <label htmlFor={`${ids}-certified`} className="text-sm">
              {t('list.certifiedOnly')}
            </label>
          </div>
          <div className="grid grid-cols-2 gap-2">
            <div>
              <label htmlFor={`${ids}-min`} className="text-sm font-medium">
                {t('list.priceMin')}
              </label>
              <input
                id={`${ids}-min`}
                name="min"
                inputMode="decimal"
                defaultValue={data.query.min ?? ''}
                className={inputClass}
                aria-invalid={data.errors.min ? true : undefined}
                aria-describedby={data.errors.min ? `${ids}-min-error` : undefined}
              />
              {errorFor('min')}
            </div>
            <div>
              <label htmlFor={`${ids}-max`} className="text-sm font-medium">
                {t('list.priceMax')}
              </label>
              <input
                id={`${ids}-max`}
                name="max"
                inputMode="decimal"
                defaultValue={data.query.max ?? ''}
                className={inputClass}
                aria-invalid={data.errors.max ? true : undefined}
                aria-describedby={data.errors.max ? `${ids}-max-error` : undefined}
              />
              {errorFor('max')}
            </div>
          </div>
          <div>
            <label htmlFor={`${ids}-sort`} className="text-sm font-medium">
              {t('list.sort')}
            </label>
            <select
              id={`${ids}-sort`}
              name="sort"
              defaultValue={data.query.sort ?? 'recommended'}
              onChange={submitOnChange}
              className={inputClass}
            >
              {productSorts.map((sort) => (
                <option key={sort} value={sort}>
                  {t(`list.sort.${sort}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="flex items-center justify-between">
            <button type="submit" className="rounded bg-brand-600 px-4 py-1.5 text-white hover:bg-brand-700">
              {t('list.apply')}
            </button>
            <Link to="/products" className="text-sm text-stone-600 underline">
              {t('list.reset')}
            </Link>
          </div>
        </Form>
      </aside>
      <section aria-labelledby="results-heading" aria-busy={loading}>
        <h1 className="hidden text-2xl font-bold lg:block">{t('list.title')}</h1>
        <p id="results-heading" className="mt-2 text-sm text-stone-600" aria-live="polite">
          {t('list.total', { n: data.total })}
        </p>
        <div className="mt-4">
          {data.items.length === 0 ? (
            <div className="rounded-lg border border-dashed border-stone-300 bg-white p-8 text-center">
              <p className="font-medium">{t('list.empty')}</p>
              <p className="mt-1 text-sm text-stone-600">{t('list.emptyHint')}</p>
            </div>
          ) : (
            <ProductGrid products={data.items} />
          )}
        </div>
        <Pagination page={data.page} pageSize={data.pageSize} total={data.total} />
      </section>
    </div>
  )
}

/** The query parameters that narrow the list (a sort order does not): counted on the phone's filter button. */
const filterKeys = ['category', 'region', 'certified', 'min', 'max'] as const

function RegionSelect(props: {
  label: string
  name: string
  value: string
  options: RegionWithProducts[]
  anyLabel: string
  onChange: (event: React.ChangeEvent<HTMLSelectElement>) => void
}) {
  const id = useId()
  return (
    <div>
      <label htmlFor={id} className="text-xs text-stone-600">
        {props.label}
      </label>
      <select
        id={id}
        name={props.name}
        defaultValue={props.value}
        key={props.value}
        onChange={props.onChange}
        disabled={props.options.length === 0}
        className="mt-0.5 w-full rounded border border-stone-300 bg-white px-2 py-1.5 disabled:bg-stone-100"
      >
        <option value="">{props.anyLabel}</option>
        {props.options.map((o) => (
          <option key={o.code} value={o.code}>
            {o.name} ({o.productCount})
          </option>
        ))}
      </select>
    </div>
  )
}
