import { createCookie } from '@remix-run/node'
import { defaultLocale, isLocale, type Locale } from './i18n'

/**
 * The visitor's language, remembered for a year; no account needed. On the wire the value stays the bare word
 * (`lang=en`) that browsers already hold: Remix's own encoding (base64 of JSON, `lang=ImVuIg%3D%3D`) would make every
 * choice made before it unreadable. `encode` receives Remix's encoding and `decode` gives it back, so Remix's
 * parse and serialize see their usual format.
 *
 * Apart from app/utils/i18n.server.ts (which re-exports it) because the web process reads it too: the page cache
 * (server/page-cache.ts) keys pages by their language, and must not pull both message catalogues into build/server.js.
 */
const langCookie = createCookie('lang', {
  path: '/',
  maxAge: 60 * 60 * 24 * 365,
  sameSite: 'lax',
  encode: (encoded) => String(JSON.parse(atob(encoded))),
  decode: (bare) => btoa(JSON.stringify(bare)),
})

/** The language a Cookie header asks for: the `lang` cookie, or Chinese when it is missing or anything else. */
export async function localeOfCookies(cookieHeader: string | null | undefined): Promise<Locale> {
  const value: unknown = await langCookie.parse(cookieHeader ?? null)
  return isLocale(value) ? value : defaultLocale
}

/** The request's language. */
export function localeOf(request: Request): Promise<Locale> {
  return localeOfCookies(request.headers.get('Cookie'))
}

/** The Set-Cookie header that remembers a language. */
export function rememberLocale(locale: Locale): Promise<string> {
  return langCookie.serialize(locale)
}
