import { createCookie } from '@remix-run/node'
import { messages as en } from '../messages/en'
import { messages as zh } from '../messages/zh'
import {
  defaultLocale,
  formatMessage,
  isLocale,
  type Locale,
  type MessageKey,
  type MessageValues,
  type Messages,
} from './i18n'

/** The server holds both catalogues: it renders either language (entry.server.tsx hands the page's to React). */
const catalogues: Record<Locale, Messages> = { zh, en }

export function messagesOf(locale: Locale): Messages {
  return catalogues[locale]
}

/** A message in a locale, outside React (components use useT()). */
export function translate(locale: Locale, key: MessageKey, values?: MessageValues): string {
  return formatMessage(catalogues[locale], key, values)
}

/**
 * The visitor's language, remembered for a year; no account needed. On the wire the value stays the bare word
 * (`lang=en`) that browsers already hold: Remix's own encoding (base64 of JSON, `lang=ImVuIg%3D%3D`) would make every
 * choice made before it unreadable. `encode` receives Remix's encoding and `decode` gives it back, so Remix's
 * parse and serialize see their usual format.
 */
const langCookie = createCookie('lang', {
  path: '/',
  maxAge: 60 * 60 * 24 * 365,
  sameSite: 'lax',
  encode: (encoded) => String(JSON.parse(atob(encoded))),
  decode: (bare) => btoa(JSON.stringify(bare)),
})

/** The request's language: the `lang` cookie, or Chinese when it is missing or anything else. */
export async function localeOf(request: Request): Promise<Locale> {
  const value: unknown = await langCookie.parse(request.headers.get('Cookie'))
  return isLocale(value) ? value : defaultLocale
}

/** The Set-Cookie header that remembers a language. */
export function rememberLocale(locale: Locale): Promise<string> {
  return langCookie.serialize(locale)
}
