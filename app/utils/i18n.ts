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
  'nav.main': '主导航',
  'nav.products': '全部产品',
  'nav.about': '关于',
  'nav.language': '语言',
  'nav.switchToEnglish': 'English',
  'nav.switchToChinese': '中文',
  'nav.breadcrumb': '当前位置',
  'home.browseAll': '查看全部产品',
  'home.pairings': '结对帮扶关系',
  'home.pairingsHint': '帮扶方 → 受援地，点击查看受援地的产品',
  'home.categories': '产品分类',
  'home.productCount': '{n} 种产品',
  'target.progressLabel': '{name} 完成进度',
  'list.title': '全部产品',
  'list.filters': '筛选',
  'list.keyword': '关键词',
  'list.keywordPlaceholder': '产品、产地或合作社',
  'list.category': '分类',
  'list.allCategories': '全部分类',
  'list.province': '省份',
  'list.city': '城市',
  'list.county': '区县',
  'list.any': '不限',
  'list.certifiedOnly': '只看已认定的帮扶产品',
  'list.priceMin': '最低价（元）',
  'list.priceMax': '最高价（元）',
  'list.sort': '排序',
  'list.sort.recommended': '推荐',
  'list.sort.price_asc': '价格从低到高',
  'list.sort.price_desc': '价格从高到低',
  'list.sort.newest': '最新上架',
  'list.apply': '筛选',
  'list.reset': '清除筛选',
  'list.total': '共 {n} 种产品',
  'list.empty': '没有符合条件的产品。',
  'list.emptyHint': '试试放宽价格范围、换一个地区，或清除筛选。',
  'list.error.price': '请输入不小于 0 的金额，最多两位小数',
  'list.error.priceOrder': '最低价不能高于最高价',
  'page.previous': '上一页',
  'page.next': '下一页',
  'page.status': '第 {page} 页，共 {pages} 页',
  'page.nav': '分页',
  'product.category': '分类',
  'product.price': '价格',
  'product.unit': '单位',
  'product.tiers': '批量价',
  'product.tierRow': '{n} 件起',
  'product.minOrder': '起订量',
  'product.stock': '库存',
  'product.base': '生产基地',
  'product.certification': '帮扶产品认定',
  'product.certifiedBadge': '已认定帮扶产品',
  'product.certBody': '认定机构',
  'product.certNumber': '认定编号',
  'product.certValidUntil': '有效期至',
  'product.certReliefMode': '带贫方式',
  'product.certExpired': '已过期',
  'product.certNotYetValid': '尚未生效',
  'product.certValid': '有效',
  'product.noCertification': '暂无帮扶产品认定信息。',
  'product.giDetail': '地理标志信息',
  'product.otherRecognition': '其他荣誉',
  'product.impact': '每售出 1 件，{amount} 计入 {n} 户受益农户',
  'product.impactHint': '按本产品公布的收益分配规则计算，付款确认后计入受益农户台账。',
  'product.noImpact': '本产品尚未公布受益农户分配规则。',
  'product.helpedBy': '结对帮扶',
  'product.sources': '资料出处编号',
  'product.description': '产品介绍',
  'product.alias': '别名',
  'product.demoNotice': '合作社、基地、认定和受益农户均为演示数据。',
  'region.products': '{name}的产品',
  'region.children': '下辖地区',
  'region.helpedBy': '谁在帮扶{name}',
  'region.helps': '{name}帮扶的地区',
  'region.noHelpers': '暂无有记载的结对帮扶关系。',
  'region.noProducts': '该地区暂无上架产品。',
  'region.formerPovertyCounty': '原贫困县',
  'region.zjMountain': '浙江山区26县',
  'pairing.programme': '协作类型',
  'pairing.helper': '帮扶方',
  'pairing.helped': '受援地',
  'pairing.relation': '关系说明',
  'pairing.since': '起始时间',
  'pairing.facts': '有记载的事实',
  'pairing.notes': '备注',
  'pairing.confidence': '可靠程度',
  'pairing.products': '受援地产品',
  'pairing.noCode': '无行政区划代码（功能区）',
  'about.title': '关于消费帮扶集市',
  'about.body1':
    '消费帮扶，是指通过购买帮扶地区（原贫困地区、浙江山区26县等）的产品和服务，让收入直接到达当地合作社、企业和受益农户。2021年起，原“消费扶贫”统称“消费帮扶”。',
  'about.body2':
    '本平台列出帮扶地区合作社、帮扶基地和帮扶车间的产品，公开每个产品的产地、生产主体、认定情况和收益分配规则；每一笔确认付款的销售都计入公开目标（例如福州市2020年“采购、销售结对地区特色农副产品2亿元以上，各县（市）区3000万元”），并按规则计入受益农户。',
  'about.body3':
    '行政区划、结对关系、历史目标和产品信息均来自公开资料并注明出处；合作社、基地、认定证书、受益农户和本年度目标为演示数据，页面上标有“演示”。',
  'about.forWhom': '谁在使用',
  'about.users':
    '个人消费者；预算单位和工会的采购员与审批人；合作社和企业；农业农村局、帮扶工作机构等办公室；平台管理员和财务。',
  'common.yuan': '元',
  'common.viewAll': '查看全部',
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
  'nav.main': 'Main',
  'nav.products': 'All products',
  'nav.about': 'About',
  'nav.language': 'Language',
  'nav.switchToEnglish': 'English',
  'nav.switchToChinese': '中文',
  'nav.breadcrumb': 'Breadcrumb',
  'home.browseAll': 'Browse all products',
  'home.pairings': 'Paired regions',
  'home.pairingsHint': 'Helping region → helped region; open one to see the helped region’s products',
  'home.categories': 'Categories',
  'home.productCount': '{n} products',
  'target.progressLabel': 'Progress of {name}',
  'list.title': 'All products',
  'list.filters': 'Filters',
  'list.keyword': 'Keywords',
  'list.keywordPlaceholder': 'Product, place or cooperative',
  'list.category': 'Category',
  'list.allCategories': 'All categories',
  'list.province': 'Province',
  'list.city': 'City',
  'list.county': 'County',
  'list.any': 'Any',
  'list.certifiedOnly': 'Certified aid products only',
  'list.priceMin': 'Min price (¥)',
  'list.priceMax': 'Max price (¥)',
  'list.sort': 'Sort by',
  'list.sort.recommended': 'Recommended',
  'list.sort.price_asc': 'Price: low to high',
  'list.sort.price_desc': 'Price: high to low',
  'list.sort.newest': 'Newest',
  'list.apply': 'Apply',
  'list.reset': 'Clear filters',
  'list.total': '{n} products',
  'list.empty': 'No products match these filters.',
  'list.emptyHint': 'Try a wider price range, another region, or clear the filters.',
  'list.error.price': 'Enter an amount of 0 or more, with at most two decimals',
  'list.error.priceOrder': 'The minimum price cannot be above the maximum',
  'page.previous': 'Previous',
  'page.next': 'Next',
  'page.status': 'Page {page} of {pages}',
  'page.nav': 'Pagination',
  'product.category': 'Category',
  'product.price': 'Price',
  'product.unit': 'Unit',
  'product.tiers': 'Volume prices',
  'product.tierRow': 'from {n} units',
  'product.minOrder': 'Minimum order',
  'product.stock': 'In stock',
  'product.base': 'Production base',
  'product.certification': 'Aid-product certification',
  'product.certifiedBadge': 'Certified aid product',
  'product.certBody': 'Certifying body',
  'product.certNumber': 'Certificate number',
  'product.certValidUntil': 'Valid until',
  'product.certReliefMode': 'How it benefits the poor',
  'product.certExpired': 'Expired',
  'product.certNotYetValid': 'Not yet valid',
  'product.certValid': 'Valid',
  'product.noCertification': 'No aid-product certification on record.',
  'product.giDetail': 'Geographical indication',
  'product.otherRecognition': 'Other recognition',
  'product.impact': 'Each unit sold credits {amount} to {n} beneficiary households',
  'product.impactHint':
    'Computed with this product’s published proceeds rule; credited to the household ledger once payment is confirmed.',
  'product.noImpact': 'This product has not published a proceeds rule yet.',
  'product.helpedBy': 'Pairings',
  'product.sources': 'Source ids',
  'product.description': 'About this product',
  'product.alias': 'Also known as',
  'product.demoNotice': 'Cooperatives, bases, certifications and beneficiary households are demo data.',
  'region.products': 'Products of {name}',
  'region.children': 'Subdivisions',
  'region.helpedBy': 'Who helps {name}',
  'region.helps': 'Regions {name} helps',
  'region.noHelpers': 'No documented pairing.',
  'region.noProducts': 'No products are listed for this region yet.',
  'region.formerPovertyCounty': 'Former poverty county',
  'region.zjMountain': 'Zhejiang mountain county (26)',
  'pairing.programme': 'Programme',
  'pairing.helper': 'Helping region',
  'pairing.helped': 'Helped region',
  'pairing.relation': 'Relation',
  'pairing.since': 'Since',
  'pairing.facts': 'Documented facts',
  'pairing.notes': 'Notes',
  'pairing.confidence': 'Reliability',
  'pairing.products': 'Products of the helped region',
  'pairing.noCode': 'No administrative code (functional zone)',
  'about.title': 'About the Consumption-Aid Market',
  'about.body1':
    'Consumption aid means buying the products and services of helped regions (former poverty counties, Zhejiang’s 26 mountain counties and others) so that income reaches local cooperatives, enterprises and beneficiary households. Since 2021 the official term is 消费帮扶 (formerly 消费扶贫).',
  'about.body2':
    'This marketplace lists products of cooperatives, aid bases and aid workshops in helped regions and publishes each product’s origin, producer, certification and proceeds rule. Every confirmed sale counts toward public targets (for example Fuzhou’s 2020 goal of ¥200 million of paired-region products, ¥30 million per district) and is credited to beneficiary households by rule.',
  'about.body3':
    'Administrative divisions, pairings, historical targets and products come from public sources, cited. Cooperatives, bases, certificates, households and this year’s targets are demo data, marked “Demo”.',
  'about.forWhom': 'Who uses it',
  'about.users':
    'Consumers; buyers and approvers at budget units and trade unions; cooperatives and enterprises; agriculture and rural-affairs bureaus and aid offices; platform admins and finance.',
  'common.yuan': 'yuan',
  'common.viewAll': 'View all',
  'footer.data':
    'Administrative divisions: National Bureau of Statistics 2023 codes. Pairings, targets and products: public reports (see data sources). Cooperatives, bases, households and certifications are demo data.',
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
