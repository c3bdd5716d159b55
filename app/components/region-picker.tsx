import type { FieldMetadata } from '@conform-to/react'
import { useFetcher } from '@remix-run/react'
import { type ChangeEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react'
import { ErrorList } from '~/components/forms'
import { regionLevels } from '~/domains/regions'
import { useT } from '~/utils/locale'

type RegionItem = { code: string; name: string; level: string; parentCode: string | null }
type RegionsResponse = { items: RegionItem[] }

const regionsUrl = (parent?: string) => (parent ? `/api/v1/regions?parent=${parent}` : '/api/v1/regions')

/**
 * The province → city → county chain of three dependent selects over all of China, loaded from the public regions
 * API as the user goes. `chosen` is the deepest code chosen and its name.
 */
function useRegionChain(initialCode: string | null) {
  const initial = regionLevels(initialCode)
  const [province, setProvince] = useState(initial.province)
  const [city, setCity] = useState(initial.city)
  const [county, setCounty] = useState(initial.county)
  const provinces = useFetcher<RegionsResponse>()
  const cities = useFetcher<RegionsResponse>()
  const counties = useFetcher<RegionsResponse>()
  const loadProvinces = provinces.load
  const loadCities = cities.load
  const loadCounties = counties.load

  // Once, on mount: the provinces, and the lists along a previous choice so that it shows selected again.
  // (Remix itself reloads these fetchers after every action on the page.)
  const started = useRef(false)
  useEffect(() => {
    if (started.current) return
    started.current = true
    loadProvinces(regionsUrl())
    if (initial.province) loadCities(regionsUrl(initial.province))
    if (initial.city) loadCounties(regionsUrl(initial.city))
  }, [loadProvinces, loadCities, loadCounties, initial.province, initial.city])

  // A list answered for an earlier choice (the user moved on meanwhile) is not shown.
  const provinceItems = provinces.data?.items ?? []
  const cityItems = (cities.data?.items ?? []).filter((r) => r.parentCode === province)
  const countyItems = (counties.data?.items ?? []).filter((r) => r.parentCode === city)
  const cityLoading = province !== '' && (cities.state === 'loading' || cities.data === undefined)
  const countyLoading = city !== '' && (counties.state === 'loading' || counties.data === undefined)
  const cityHasNoCounties = city !== '' && !countyLoading && countyItems.length === 0

  const code = county || city || province
  const name = [...countyItems, ...cityItems, ...provinceItems].find((r) => r.code === code)?.name ?? null
  return {
    province,
    city,
    county,
    provinceItems,
    cityItems,
    countyItems,
    provincesLoading: provinces.state === 'loading',
    cityLoading,
    countyLoading,
    cityHasNoCounties,
    chosen: code ? { code, name } : null,
    onProvince(event: ChangeEvent<HTMLSelectElement>) {
      const value = event.currentTarget.value
      setProvince(value)
      setCity('')
      setCounty('')
      if (value) loadCities(regionsUrl(value))
    },
    onCity(event: ChangeEvent<HTMLSelectElement>) {
      const value = event.currentTarget.value
      setCity(value)
      setCounty('')
      if (value) loadCounties(regionsUrl(value))
    },
    onCounty(event: ChangeEvent<HTMLSelectElement>) {
      setCounty(event.currentTarget.value)
    },
  }
}

type RegionChain = ReturnType<typeof useRegionChain>

function RegionSelects(props: {
  chain: RegionChain
  id: string
  selectProps: { className: string; 'aria-invalid'?: true; 'aria-describedby'?: string }
}) {
  const t = useT()
  const { chain, id, selectProps } = props
  const levels = [
    {
      level: 'province',
      value: chain.province,
      onChange: chain.onProvince,
      items: chain.provinceItems,
      disabled: false,
      busy: chain.provincesLoading,
      empty: chain.provinceItems.length === 0 ? t('regionPicker.loading') : t('regionPicker.choose'),
    },
    {
      level: 'city',
      value: chain.city,
      onChange: chain.onCity,
      items: chain.cityItems,
      disabled: chain.province === '',
      busy: chain.cityLoading,
      empty: chain.cityLoading ? t('regionPicker.loading') : t('regionPicker.choose'),
    },
    {
      level: 'county',
      value: chain.county,
      onChange: chain.onCounty,
      items: chain.countyItems,
      disabled: chain.city === '' || chain.cityHasNoCounties,
      busy: chain.countyLoading,
      empty: chain.countyLoading
        ? t('regionPicker.loading')
        : chain.cityHasNoCounties
          ? t('regionPicker.noCounties')
          : t('regionPicker.choose'),
    },
  ] as const
  return (
    <div className="mt-1 grid gap-2 sm:grid-cols-3">
      {levels.map((l) => (
        <div key={l.level}>
          <label htmlFor={`${id}-${l.level}`} className="text-xs text-stone-600">
            {t(`regionPicker.${l.level}`)}
          </label>
          <select
            id={`${id}-${l.level}`}
            value={l.value}
            onChange={l.onChange}
            disabled={l.disabled}
            aria-busy={l.busy || undefined}
            {...selectProps}
          >
            <option value="">{l.empty}</option>
            {l.items.map((r) => (
              <option key={r.code} value={r.code}>
                {r.name}
              </option>
            ))}
          </select>
        </div>
      ))}
    </div>
  )
}

function selectPropsFor(meta: FieldMetadata<unknown>, hint: string | undefined) {
  const invalid = Boolean(meta.errors)
  const describedBy = [hint ? meta.descriptionId : null, invalid ? meta.errorId : null]
    .filter(Boolean)
    .join(' ')
  return {
    className: `mt-1 w-full rounded border bg-white px-2 py-1.5 disabled:bg-stone-100 disabled:text-stone-500 ${
      invalid ? 'border-red-600' : 'border-stone-300'
    }`,
    ...(invalid ? { 'aria-invalid': true as const } : {}),
    ...(describedBy ? { 'aria-describedby': describedBy } : {}),
  }
}

/**
 * Three dependent selects over all of China (province, city, county): one form field (`meta`, a conform field).
 * The deepest chosen code is submitted in a hidden input under the field's name; the server decides whether that
 * level is enough. The field's initial value (the code submitted before, after an error) shows as chosen again;
 * change the component's `key` to reset it.
 */
export function RegionPicker({
  meta,
  label,
  hint,
}: {
  meta: FieldMetadata<unknown>
  label: string
  hint?: string
}) {
  const id = useId()
  const chain = useRegionChain(typeof meta.initialValue === 'string' ? meta.initialValue : null)
  return (
    <fieldset>
      <legend className="text-sm font-medium">{label}</legend>
      <input type="hidden" name={meta.name} value={chain.chosen?.code ?? ''} />
      <RegionSelects chain={chain} id={id} selectProps={selectPropsFor(meta, hint)} />
      {hint ? (
        <p id={meta.descriptionId} className="mt-1 text-xs text-stone-500">
          {hint}
        </p>
      ) : null}
      <ErrorList id={meta.errorId} errors={meta.errors} />
    </fieldset>
  )
}

/**
 * A list of regions, each chosen with the same three selects and added with a button (a province or a city stands
 * for everything under it): one form field, submitted as the codes one per line in a hidden input. People see
 * names, never codes. Needs JavaScript to add and remove; `fallback` is what the page shows before hydration (or
 * without JavaScript) — a field where the codes can be typed.
 */
export function RegionListPicker({
  meta,
  label,
  hint,
  fallback,
  initial,
}: {
  meta: FieldMetadata<unknown>
  label: string
  hint?: string
  fallback: ReactNode
  /** Regions already chosen (an edit form). */
  initial?: Array<{ code: string; name: string }>
}) {
  const t = useT()
  const id = useId()
  const chain = useRegionChain(null)
  const [hydrated, setHydrated] = useState(false)
  useEffect(() => setHydrated(true), [])
  const [chosen, setChosen] = useState<Array<{ code: string; name: string }>>(initial ?? [])
  if (!hydrated) return <>{fallback}</>
  const pick = chain.chosen
  const already = pick ? chosen.some((r) => r.code === pick.code) : false
  return (
    <fieldset>
      <legend className="text-sm font-medium">{label}</legend>
      <input type="hidden" name={meta.name} value={chosen.map((r) => r.code).join('\n')} />
      <RegionSelects chain={chain} id={id} selectProps={selectPropsFor(meta, hint)} />
      <button
        type="button"
        disabled={!pick?.name || already}
        onClick={() => pick?.name && setChosen([...chosen, { code: pick.code, name: pick.name }])}
        className="mt-2 rounded border border-brand-600 px-3 py-1 text-sm text-brand-700 disabled:opacity-50"
      >
        {pick?.name ? t('regionPicker.add', { name: pick.name }) : t('regionPicker.addNone')}
      </button>
      {chosen.length === 0 ? (
        <p className="mt-2 text-sm text-stone-600">{t('regionPicker.listEmpty')}</p>
      ) : (
        <ul className="mt-2 flex flex-wrap gap-2" aria-label={t('regionPicker.listLabel')}>
          {chosen.map((r) => (
            <li
              key={r.code}
              className="flex items-center gap-1 rounded-full bg-brand-50 py-0.5 pr-1 pl-3 text-sm text-brand-800"
            >
              {r.name}
              <button
                type="button"
                onClick={() => setChosen(chosen.filter((c) => c.code !== r.code))}
                aria-label={t('regionPicker.remove', { name: r.name })}
                className="rounded-full px-2 hover:bg-brand-100"
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {hint ? (
        <p id={meta.descriptionId} className="mt-1 text-xs text-stone-500">
          {hint}
        </p>
      ) : null}
      <ErrorList id={meta.errorId} errors={meta.errors} />
    </fieldset>
  )
}
