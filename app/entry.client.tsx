import { RemixBrowser } from '@remix-run/react'
import { startTransition, StrictMode } from 'react'
import { hydrateRoot } from 'react-dom/client'
import { type Locale, localeOfHtmlLang, type Messages } from './utils/i18n'
import { PageLanguageProvider } from './utils/locale'

/**
 * Remix's default entry, plus the page's catalogue: the server wrote the page's language into <html lang>, and
 * only that language's messages are fetched (each catalogue is a chunk of its own) before React hydrates with
 * them. Switching language loads a new document (app/components/language-switch.tsx), so one catalogue serves the
 * page's whole life.
 */
async function loadMessages(locale: Locale): Promise<Messages> {
  // Two literal imports, so that the bundler makes one chunk per language.
  return locale === 'en' ? (await import('./messages/en')).messages : (await import('./messages/zh')).messages
}

async function hydrate() {
  const locale = localeOfHtmlLang(document.documentElement.lang)
  const messages = await loadMessages(locale)
  startTransition(() => {
    hydrateRoot(
      document,
      <StrictMode>
        <PageLanguageProvider value={{ locale, messages }}>
          <RemixBrowser />
        </PageLanguageProvider>
      </StrictMode>,
    )
  })
}

void hydrate()
