import { messages as en } from '../messages/en'
import { messages as zh } from '../messages/zh'
import { formatMessage, type Locale, type MessageKey, type MessageValues, type Messages } from './i18n'

/** The server holds both catalogues: it renders either language (entry.server.tsx hands the page's to React). */
const catalogues: Record<Locale, Messages> = { zh, en }

export function messagesOf(locale: Locale): Messages {
  return catalogues[locale]
}

/** A message in a locale, outside React (components use useT()). */
export function translate(locale: Locale, key: MessageKey, values?: MessageValues): string {
  return formatMessage(catalogues[locale], key, values)
}

// The `lang` cookie lives in its own module, which the web process reads too (the page cache keys by language).
export { localeOf, rememberLocale } from './lang-cookie.server'
