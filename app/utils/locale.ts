import { useRouteLoaderData } from '@remix-run/react'
import { defaultLocale, isLocale, type Locale, type MessageKey, translate } from './i18n'

/** The page's locale, as decided by the root loader. */
export function useLocale(): Locale {
  const data = useRouteLoaderData<{ locale?: unknown }>('root')
  return isLocale(data?.locale) ? data.locale : defaultLocale
}

export function useT(): (key: MessageKey, values?: Record<string, string | number>) => string {
  const locale = useLocale()
  return (key, values) => translate(locale, key, values)
}
