import { foldPinyin, pinyinSyllables, splitPieces } from './tokenize'

/**
 * What a model hands to a search engine for one product. Price and certification are here because the engine
 * keeps them beside its index for filtering and sorting; they never enter the indexed document, so a price
 * change or an expired certificate does not rewrite the index.
 */
export type SearchSource = {
  sku: string
  slug: string
  name: string
  alias?: string
  description: string
  category: string
  /** GB/T 2260 code of the county (or of a city without counties) the product comes from. */
  originCode: string
  countyName: string
  cityName?: string
  provinceName: string
  cooperative: string
  certified: boolean
  priceFen: number
}

/**
 * The indexed document, the same for every engine. Chinese text fields as written, plus pinyin fields whose
 * values are space-separated tokens ready to index (see runPinyin and placePinyin). No price, stock, sales,
 * certification or personal data.
 */
export type SearchDocument = {
  id: string
  slug: string
  name: string
  alias: string
  description: string
  category: string
  countyName: string
  cityName: string
  provinceName: string
  cooperative: string
  originCode: string
  /** Province, city and county codes of the origin, for subtree filters in an engine that filters by field. */
  regionCodes: string[]
  /** Name and alias: toneless pinyin, each syllable and then joined from every syllable to the end of its run. */
  namePinyin: string
  /** The same tokens misspelling-folded (foldPinyin): what engines search, with the query folded alike. */
  nameFolded: string
  /** Name and alias: initials from every syllable to the end of its run (dxmls, xmls, mls, ls). */
  nameInitials: string
  /** County and city: the whole name and its core (dingxishi, dingxi), see placePinyin. */
  placePinyin: string
  placeFolded: string
  placeInitials: string
  /** Category, as namePinyin and nameFolded. */
  categoryPinyin: string
  categoryFolded: string
}

/** The pinyin fields of SearchDocument. */
export const PINYIN_FIELDS = [
  'namePinyin',
  'nameFolded',
  'nameInitials',
  'placePinyin',
  'placeFolded',
  'placeInitials',
  'categoryPinyin',
  'categoryFolded',
] as const satisfies readonly (keyof SearchDocument)[]

/** The Chinese text fields of SearchDocument, which are also what a hit's highlights refer to. */
export const TEXT_FIELDS = [
  'name',
  'alias',
  'countyName',
  'cityName',
  'provinceName',
  'category',
  'cooperative',
  'description',
] as const satisfies readonly (keyof SearchDocument)[]

export type TextField = (typeof TEXT_FIELDS)[number]
export type PinyinField = (typeof PINYIN_FIELDS)[number]

/** The text fields a pinyin field was made from (highlights of a pinyin match are shown on these). */
export const PINYIN_SOURCE_FIELDS: Readonly<Record<PinyinField, readonly TextField[]>> = {
  namePinyin: ['name', 'alias'],
  nameFolded: ['name', 'alias'],
  nameInitials: ['name', 'alias'],
  placePinyin: ['countyName', 'cityName'],
  placeFolded: ['countyName', 'cityName'],
  placeInitials: ['countyName', 'cityName'],
  categoryPinyin: ['category'],
  categoryFolded: ['category'],
}

// The 55 minority nationalities, as they appear in the names of autonomous areas (湘西土家族苗族自治州). Listed,
// because "any characters + 族" would also swallow the place's own name (景宁畲族 → nothing left).
const NATIONALITIES =
  '蒙古|回|藏|维吾尔|苗|彝|壮|布依|朝鲜|满|侗|瑶|白|土家|哈尼|哈萨克|傣|黎|傈僳|佤|畲|高山|拉祜|水|东乡|纳西|景颇|' +
  '柯尔克孜|土|达斡尔|仫佬|羌|布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|塔吉克|怒|乌孜别克|俄罗斯|鄂温克|德昂|保安|裕固|京|' +
  '塔塔尔|独龙|鄂伦春|赫哲|门巴|珞巴|基诺'

// What ends almost every place name: 县, 市, 自治州 with its nationalities, and so on.
const ADMIN_SUFFIX = new RegExp(
  `(?:(?:(?:${NATIONALITIES})族)*自治(?:县|州|区|旗)|特别行政区|地区|林区|新区|县|区|市|省|盟|旗)$`,
  'u',
)

/** 景宁畲族自治县 → 景宁, 岷县 → 岷, 定西市 → 定西; a name that is only a suffix stays whole. */
export function placeCore(name: string): string {
  const core = name.replace(ADMIN_SUFFIX, '')
  return core.length > 0 ? core : name
}

/** Pinyin forms of one Han run, as arrays of tokens. */
export type RunPinyin = { full: string[]; folded: string[]; initials: string[] }

function segmentsOf(syllables: readonly string[]): string[][] {
  // A character without pinyin breaks the run, as punctuation would.
  const segments: string[][] = [[]]
  for (const s of syllables) {
    if (s === '') segments.push([])
    else segments[segments.length - 1]!.push(s)
  }
  return segments.filter((segment) => segment.length > 0)
}

function initialsOf(syllables: readonly string[]): string {
  return syllables.map((s) => s[0]).join('')
}

/**
 * Pinyin tokens of a Han run in a name: the single syllables, then for each syllable the syllables from there to
 * the end of the run joined (ding xi ma ling shu dingximalingshu ximalingshu malingshu lingshu). Prefix search
 * over the joined suffixes finds any contiguous stretch of syllables — malingshu inside dingximalingshu — which
 * whole-name tokens cannot. Folded tokens fold each joined string, exactly as a query is folded. Initials: the
 * same suffixes of the first letters, two letters or more (one letter would match everything).
 */
export function runPinyin(run: string): RunPinyin {
  const out: RunPinyin = { full: [], folded: [], initials: [] }
  for (const segment of segmentsOf(pinyinSyllables(run))) {
    if (segment.length > 1) {
      out.full.push(...segment)
      out.folded.push(...segment.map(foldPinyin))
    }
    for (let i = 0; i < segment.length; i++) {
      const joined = segment.slice(i).join('')
      out.full.push(joined)
      out.folded.push(foldPinyin(joined))
      const initials = initialsOf(segment.slice(i))
      if (initials.length >= 2) out.initials.push(initials)
    }
  }
  return out
}

/**
 * Pinyin tokens of a place name. Buyers type a place from its start, so only the whole name and its core (without
 * 县, 市, 自治州 …) are tokens, plus the core's syllables: suffixes such as "xian" (县) or "menxian" (门县) would
 * match a county in every query that starts with xi or men, and fuzzy matching would pair 漳县 with 三门县.
 */
export function placePinyin(name: string): RunPinyin {
  const out: RunPinyin = { full: [], folded: [], initials: [] }
  const syllables = pinyinSyllables(name)
  if (syllables.some((s) => s === '')) return runPinyin(name)
  const core = syllables.slice(0, Array.from(placeCore(name)).length)
  for (const part of core.length > 1 ? core : []) {
    out.full.push(part)
    out.folded.push(foldPinyin(part))
  }
  for (const part of [syllables, core]) {
    out.full.push(part.join(''))
    out.folded.push(foldPinyin(part.join('')))
    if (part.length >= 2) out.initials.push(initialsOf(part))
  }
  return out
}

// Converting pinyin dominates building a document, and a large catalogue repeats the same names, places and
// categories thousands of times: remember recent conversions. Bounded so a long-running process cannot grow it.
const CACHE_LIMIT = 20_000
const pinyinCache = new Map<string, RunPinyin>()

function cachedPinyin(text: string, place: boolean): RunPinyin {
  const key = (place ? 'p:' : 't:') + text
  const hit = pinyinCache.get(key)
  if (hit) return hit
  const result: RunPinyin = { full: [], folded: [], initials: [] }
  for (const piece of splitPieces(text)) {
    if (piece.kind !== 'han') continue
    const forms = place ? placePinyin(piece.text) : runPinyin(piece.text)
    result.full.push(...forms.full)
    result.folded.push(...forms.folded)
    result.initials.push(...forms.initials)
  }
  if (pinyinCache.size >= CACHE_LIMIT) pinyinCache.clear()
  pinyinCache.set(key, result)
  return result
}

function joinUnique(tokens: readonly string[]): string {
  return [...new Set(tokens)].join(' ')
}

/** Region codes of the province, city and county of a six-digit origin code. */
export function regionCodesOf(originCode: string): string[] {
  const codes = [`${originCode.slice(0, 2)}0000`, `${originCode.slice(0, 4)}00`, originCode]
  return [...new Set(codes)]
}

/** Maps a product to the document every engine indexes. */
export function toSearchDocument(source: SearchSource): SearchDocument {
  const names = [source.name, source.alias ?? ''].map((t) => cachedPinyin(t, false))
  const places = [source.countyName, source.cityName ?? '']
    .filter((t, i, all) => t !== '' && all.indexOf(t) === i)
    .map((t) => cachedPinyin(t, true))
  const category = cachedPinyin(source.category, false)
  return {
    id: source.sku,
    slug: source.slug,
    name: source.name,
    alias: source.alias ?? '',
    description: source.description,
    category: source.category,
    countyName: source.countyName,
    cityName: source.cityName ?? '',
    provinceName: source.provinceName,
    cooperative: source.cooperative,
    originCode: source.originCode,
    regionCodes: regionCodesOf(source.originCode),
    namePinyin: joinUnique(names.flatMap((p) => p.full)),
    nameFolded: joinUnique(names.flatMap((p) => p.folded)),
    nameInitials: joinUnique(names.flatMap((p) => p.initials)),
    placePinyin: joinUnique(places.flatMap((p) => p.full)),
    placeFolded: joinUnique(places.flatMap((p) => p.folded)),
    placeInitials: joinUnique(places.flatMap((p) => p.initials)),
    categoryPinyin: joinUnique(category.full),
    categoryFolded: joinUnique(category.folded),
  }
}
