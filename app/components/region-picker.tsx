import type { FieldMetadata } from '@conform-to/react'
import { useFetcher } from '@remix-run/react'
import { type ChangeEvent, useEffect, useId, useRef, useState } from 'react'
import { ErrorList } from '~/components/forms'
import { regionLevels } from '~/domains/regions'
import { useT } from '~/utils/locale'

type RegionItem = { code: string; name: string; level: string; parentCode: string | null }
type RegionsResponse = { items: RegionItem[] }

const regionsUrl = (parent?: string) => (parent ? `/api/v1/regions?parent=${parent}` : '/api/v1/regions')

/**
 * Three dependent selects over all of China (province, city, county), loaded from the public regions API as the
 * user goes: one form field (`meta`, a conform field). The deepest chosen code is submitted in a hidden input under
 * the field's name; the server decides whether that level is enough. The field's initial value (the code submitted
 * before, after an error) shows as chosen again; change the component's `key` to reset it.
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
  const t = useT()
  const id = useId()
  const initial = regionLevels(typeof meta.initialValue === 'string' ? meta.initialValue : null)
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
  const invalid = Boolean(meta.errors)
  const describedBy = [hint ? meta.descriptionId : null, invalid ? meta.errorId : null]
    .filter(Boolean)
    .join(' ')
  const selectClass = `mt-1 w-full rounded border bg-white px-2 py-1.5 disabled:bg-stone-100 disabled:text-stone-500 ${
    invalid ? 'border-red-600' : 'border-stone-300'
  }`
  const selectProps = {
    className: selectClass,
    'aria-invalid': invalid ? true : undefined,
    'aria-describedby': describedBy || undefined,
  }

  return (
    <fieldset>
      <legend className="text-sm font-medium">{label}</legend>
      <input type="hidden" name={meta.name} value={value} />
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
        <p id={meta.descriptionId} className="mt-1 text-xs text-stone-500">
          {hint}
        </p>
      ) : null}
      <ErrorList id={meta.errorId} errors={meta.errors} />
    </fieldset>
  )
}
