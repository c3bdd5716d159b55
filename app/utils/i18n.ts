/**
 * The one i18n helper. Chinese is the default; English is chosen with the `lang` cookie. Messages are plain
 * records so that a missing English string fails the typecheck (every key must exist in both).
 */
export const locales = ['zh', 'en'] as const
export type Locale = (typeof locales)[number]
export const defaultLocale: Locale = 'zh'

const zh = {
  'site.name': '消费帮扶集市',
  'site.tagline': '买帮扶地区的好产品，让收入直达受益农户',
  'nav.home': '首页',
  'nav.skipToContent': '跳到正文',
  'home.intro':
    '这里汇集东西部协作、浙江山海协作等结对地区的合作社、帮扶基地和帮扶车间的产品。每一笔确认付款的销售都计入公开的消费帮扶目标，并按产品说明的比例计入关联的受益农户。',
  'home.targets': '消费帮扶目标',
  'home.demoTargets': '本年度目标',
  'home.referenceTargets': '参考目标（有出处的历史目标）',
  'home.products': '部分产品',
  'home.noProducts': '暂无上架产品。',
  'home.noTargets': '暂无目标。',
  'target.demo': '演示',
  'target.reference': '参考',
  'target.goal': '目标',
  'target.progress': '进度',
  'target.progressPending': '—',
  'target.progressPendingHint': '销售台账上线后显示进度',
  'target.period': '期间',
  'target.people': '人',
  'target.source': '出处',
  'target.outcomes': '有记载的实际成果',
  'product.origin': '产地',
  'product.cooperative': '合作社',
  'product.gi': '地理标志产品',
  'badge.demo': '演示',
  'footer.data':
    '行政区划来自国家统计局2023年统计用区划代码；结对关系、目标和产品来自公开报道（见数据出处）。合作社、基地、农户和认定信息均为演示数据。',
} as const

export type MessageKey = keyof typeof zh

const en: Record<MessageKey, string> = {
  'site.name': 'Consumption-Aid Market',
  'site.tagline': 'Buy from helped regions; the income reaches the households behind each product',
  'nav.home': 'Home',
  'nav.skipToContent': 'Skip to content',
  'home.intro':
    'Products of cooperatives, aid bases and aid workshops in paired regions (East–West cooperation, Zhejiang mountain–sea cooperation and others). Every confirmed sale counts toward public consumption-aid targets, and a stated share is credited to the beneficiary households linked to the product.',
  'home.targets': 'Consumption-aid targets',
  'home.demoTargets': "This year's targets",
  'home.referenceTargets': 'Reference targets (documented, with sources)',
  'home.products': 'Some products',
  'home.noProducts': 'No products are listed yet.',
  'home.noTargets': 'No targets yet.',
  'target.demo': 'Demo',
  'target.reference': 'Reference',
  'target.goal': 'Target',
  'target.progress': 'Progress',
  'target.progressPending': '—',
  'target.progressPendingHint': 'Progress appears once the sales ledger is live',
  'target.period': 'Period',
  'target.people': 'people',
  'target.source': 'Source',
  'target.outcomes': 'Documented outcomes',
  'product.origin': 'Origin',
  'product.cooperative': 'Cooperative',
  'product.gi': 'Geographical indication',
  'badge.demo': 'Demo',
  'footer.data':
    'Administrative divisions: National Bureau of Statistics 2023 codes. Pairings, targets and products: public reports (see data sources). Cooperatives, bases, households and certifications are demo data.',
}

const messages: Record<Locale, Record<MessageKey, string>> = { zh, en }

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value)
}

export function translate(locale: Locale, key: MessageKey): string {
  return messages[locale][key]
}

/** Reads the `lang` cookie; anything unknown falls back to Chinese. */
export function localeFromCookieHeader(header: string | null): Locale {
  const match = header?.match(/(?:^|;\s*)lang=([a-z]{2})/)
  return isLocale(match?.[1]) ? match[1] : defaultLocale
}
