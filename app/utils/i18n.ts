import * as accounts from '../messages/accounts'
import * as audit from '../messages/audit'
import * as coop from '../messages/coop'
import * as forms from '../messages/forms'
import * as memberships from '../messages/memberships'
import * as orders from '../messages/orders'
import * as organizations from '../messages/organizations'
import * as search from '../messages/search'
import * as storefront from '../messages/storefront'

/**
 * The one i18n helper. Chinese is the default; English is chosen with the `lang` cookie. Messages live in
 * app/messages/, one module per area, each a pair of records so that a missing English string fails the typecheck.
 */
export const locales = ['zh', 'en'] as const
export type Locale = (typeof locales)[number]
export const defaultLocale: Locale = 'zh'

const zh = {
  ...storefront.zh,
  ...accounts.zh,
  ...organizations.zh,
  ...memberships.zh,
  ...audit.zh,
  ...search.zh,
  ...orders.zh,
  ...forms.zh,
  ...coop.zh,
}

export type MessageKey = keyof typeof zh

const en: Record<MessageKey, string> = {
  ...storefront.en,
  ...accounts.en,
  ...organizations.en,
  ...memberships.en,
  ...audit.en,
  ...search.en,
  ...orders.en,
  ...forms.en,
  ...coop.en,
}

const messages: Record<Locale, Record<MessageKey, string>> = { zh, en }

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value)
}

/** A message with its {placeholders} filled in. */
export function translate(locale: Locale, key: MessageKey, values?: Record<string, string | number>): string {
  const text = messages[locale][key]
  if (!values) return text
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole))
}

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

/** Reads the `lang` cookie; anything unknown falls back to Chinese. */
export function localeFromCookieHeader(header: string | null): Locale {
  const match = header?.match(/(?:^|;\s*)lang=([a-z]{2})/)
  return isLocale(match?.[1]) ? match[1] : defaultLocale
}
