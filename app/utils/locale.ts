import { createContext, useCallback, useContext } from 'react'
import { formatMessage, type Locale, type MessageKey, type MessageValues, type Messages } from './i18n'

type PageLanguage = { locale: Locale; messages: Messages }

/**
 * The page's language and its catalogue. entry.server.tsx provides the request's (from the `lang` cookie) and
 * entry.client.tsx the same one, loaded before hydrating, so both render the same text. No default: a component
 * outside the provider is a mistake, and a default catalogue would put a language into every page's bundle.
 */
const PageLanguageContext = createContext<PageLanguage | null>(null)

export const PageLanguageProvider = PageLanguageContext.Provider

function usePageLanguage(): PageLanguage {
  const language = useContext(PageLanguageContext)
  if (!language) throw new Error('useT()/useLocale() outside PageLanguageProvider (see app/entry.server.tsx)')
  return language
}

/** The page's locale. It changes only with a new document (the language switch reloads it). */
export function useLocale(): Locale {
  return usePageLanguage().locale
}

export function useT(): (key: MessageKey, values?: MessageValues) => string {
  const { messages } = usePageLanguage()
  return useCallback((key, values) => formatMessage(messages, key, values), [messages])
}
