import { useFetcher } from '@remix-run/react'
import { type ChangeEvent, useEffect, useId, useRef, useState } from 'react'
import { useT } from '~/utils/locale'

type RegionItem = { code: string; name: string; level: string; parentCode: string | null }
type RegionsResponse = { items: RegionItem[] }

const REGION_CODE = /^[1-9]\d{5}$/

/**
 * The province → city → county chain of a code, from its digits (GB/T 2260: 621126 lies in 621100 and 620000;
 * 441900 东莞市 is a city with no county). Used to show a previous choice again.
 */
function chainOf(code: string | null | undefined) {
  if (!code || !REGION_CODE.test(code)) return { province: '', city: '', county: '' }
  const province = `${code.slice(0, 2)}0000`
  const city = code === province ? '' : `${code.slice(0, 4)}00`
  const county = code === province || code === city ? '' : code
  return { province, city, county }
}

const regionsUrl = (parent?: string) => (parent ? `/api/v1/regions?parent=${parent}` : '/api/v1/regions')

/**
 * Three dependent selects over all of China (province, city, county), loaded from the public regions API as the
 * user goes. The deepest chosen code is submitted in a hidden input (`name`, default `regionCode`); the server
 * decides whether that level is enough. Pass the previously submitted code as `defaultValue` to show the choice
 * again after a validation error; change the component's `key` to reset it.
 */
export function RegionPicker({
  name = 'regionCode',
  label,
  hint,
  error,
  defaultValue,
}: {
  name?: string
  label: string
  hint?: string
  /** Already translated. */
  error?: string | null
  defaultValue?: string | null
}) {
  const t = useT()
  const id = useId()
  const initial = chainOf(defaultValue)
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

  const onProvince = (event: ChangeEvent<HTMLSelectElement>) => {
    const code = event.currentTarget.value
    setProvince(code)
    setCity('')
    setCounty('')
    if (code) loadCities(regionsUrl(code))
  }
  const onCity = (event: ChangeEvent<HTMLSelectElement>) => {
    const code = event.currentTarget.value
    setCity(code)
    setCounty('')
    if (code) loadCounties(regionsUrl(code))
  }
  const onCounty = (event: ChangeEvent<HTMLSelectElement>) => setCounty(event.currentTarget.value)

  const value = county || city || province
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ')
  const selectClass = `mt-1 w-full rounded border bg-white px-2 py-1.5 disabled:bg-stone-100 disabled:text-stone-500 ${
    error ? 'border-red-600' : 'border-stone-300'
  }`
  const selectProps = {
    className: selectClass,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy || undefined,
  }

  return (
    <fieldset>
      <legend className="text-sm font-medium">{label}</legend>
      <input type="hidden" name={name} value={value} />
      <div className="mt-1 grid gap-2 sm:grid-cols-3">
        <div>
          <label htmlFor={`${id}-province`} className="text-xs text-stone-600">
            {t('regionPicker.province')}
          </label>
          <select
            id={`${id}-province`}
            value={province}
            onChange={onProvince}
            aria-busy={provinces.state === 'loading' || undefined}
            {...selectProps}
          >
            <option value="">
              {provinceItems.length === 0 ? t('regionPicker.loading') : t('regionPicker.choose')}
            </option>
            {provinceItems.map((r) => (
              <option key={r.code} value={r.code}>
                {r.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-city`} className="text-xs text-stone-600">
            {t('regionPicker.city')}
          </label>
          <select
            id={`${id}-city`}
            value={city}
            onChange={onCity}
            disabled={province === ''}
            aria-busy={cityLoading || undefined}
            {...selectProps}
          >
            <option value="">{cityLoading ? t('regionPicker.loading') : t('regionPicker.choose')}</option>
            {cityItems.map((r) => (
              <option key={r.code} value={r.code}>
                {r.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-county`} className="text-xs text-stone-600">
            {t('regionPicker.county')}
          </label>
          <select
            id={`${id}-county`}
            value={county}
            onChange={onCounty}
            disabled={city === '' || cityHasNoCounties}
            aria-busy={countyLoading || undefined}
            {...selectProps}
          >
            <option value="">
              {countyLoading
                ? t('regionPicker.loading')
                : cityHasNoCounties
                  ? t('regionPicker.noCounties')
                  : t('regionPicker.choose')}
            </option>
            {countyItems.map((r) => (
              <option key={r.code} value={r.code}>
                {r.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      {hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-stone-500">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </fieldset>
  )
}
