import type { messages as zhMessages } from '../messages/zh'

/**
 * The one i18n helper. Chinese is the default; English is chosen with the `lang` cookie (app/utils/i18n.server.ts).
 * Messages live in app/messages/: zh/ and en/ hold one module per area, zh.ts and en.ts gather each language's
 * catalogue. This module holds no message text, so that a page loads one catalogue only: the server renders with
 * either, and the browser loads the page's language before hydrating (app/entry.client.tsx). Components translate
 * with useT() (app/utils/locale.ts); server code with translate() (app/utils/i18n.server.ts).
 */
export const locales = ['zh', 'en'] as const
export type Locale = (typeof locales)[number]
export const defaultLocale: Locale = 'zh'

/** The keys of the Chinese catalogue; the English one must have exactly these (a missing string fails typecheck). */
export type MessageKey = keyof typeof zhMessages
export type Messages = Record<MessageKey, string>
export type MessageValues = Record<string, string | number>

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value)
}

/** The `lang` attribute of a page in this locale; entry.client.tsx reads it back to pick the catalogue to load. */
export function htmlLang(locale: Locale): string {
  return locale === 'en' ? 'en' : 'zh-CN'
}

export function localeOfHtmlLang(lang: string): Locale {
  return lang === 'en' ? 'en' : defaultLocale
}

/** A message of a catalogue with its {placeholders} filled in. */
export function formatMessage(messages: Messages, key: MessageKey, values?: MessageValues): string {
  const text = messages[key]
  if (!values) return text
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole))
}

// Display names of values stored in Chinese (categories, programmes, 带贫方式): a few words each, kept out of the
// catalogues so that these helpers stay plain functions of the locale, callable in loaders, components and tests.
const categoryNames: Record<string, string> = {
  粮油: 'Grain & oil',
  蔬菜: 'Vegetables',
  水果: 'Fruit',
  茶叶: 'Tea',
  食用菌: 'Mushrooms',
  中药材: 'Medicinal herbs',
  畜禽肉蛋: 'Meat & eggs',
  水产: 'Aquatic products',
  加工食品: 'Processed food',
  花卉苗木: 'Flowers & seedlings',
  手工艺品: 'Handicrafts',
}

/** Product categories are stored in Chinese (the official wording); English is a display label. */
export function categoryLabel(locale: Locale, category: string): string {
  return locale === 'en' ? (categoryNames[category] ?? category) : category
}

const programmeNames: Record<string, string> = {
  东西部协作: 'East–West cooperation',
  浙江山海协作: 'Zhejiang mountain–sea cooperation',
  对口支援: 'Counterpart support',
  对口帮扶: 'Counterpart assistance',
  闽宁协作: 'Fujian–Ningxia cooperation',
}

const reliefModeNames: Record<string, string> = {
  工资性: 'wage income',
  资产性: 'asset income',
  经营性: 'business income',
}

/** 带贫方式 as printed on certificates (工资性收益带贫 …). */
export function reliefModeLabel(locale: Locale, mode: string): string {
  return locale === 'en' ? (reliefModeNames[mode] ?? mode) : `${mode}收益带贫`
}

export function programmeLabel(locale: Locale, programme: string): string {
  return locale === 'en' ? (programmeNames[programme] ?? programme) : programme
}
