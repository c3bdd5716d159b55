import { type PinyinField, type TextField } from './document'
import { foldPinyin, MAX_QUERY_LENGTH, normalizeText, pinyinSyllables, splitPieces } from './tokenize'

/**
 * The one settings definition every engine uses (the embedded MiniSearch engine now, Meilisearch later): synonyms,
 * searchable fields with their weights, and the attributes a search may filter or sort on.
 */

/**
 * Names buyers use for the same product. Only true equivalents: regional and everyday names (洋芋 in Gansu, 地瓜 in
 * the north, 走地鸡 in Guangdong, 青口 for mussels), trade names of medicinal herbs (北芪, 岷归) and written variants
 * (苞谷/包谷). Kinds of a thing are not its synonyms: 土蜂蜜 is one honey, 花菇 one grade of shiitake, 红芪 a
 * different herb, 苦荞 a buckwheat but not all buckwheat, so they are left out. Doubtful or clashing names are left
 * out too: 大头鱼 is cod in the north-east, 马蹄 (water chestnut) is also the start of 马蹄笋, 大红袍 is a tea as
 * well as a Sichuan pepper.
 */
export const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ['马铃薯', '土豆', '洋芋', '山药蛋', '地蛋'],
  ['红薯', '番薯', '地瓜', '红苕', '甘薯', '山芋'],
  ['粉条', '粉丝', '宽粉'],
  ['猕猴桃', '奇异果'],
  ['黄芪', '北芪', '绵芪'],
  ['当归', '岷归', '秦归'],
  ['枸杞', '枸杞子'],
  ['木耳', '黑木耳'],
  ['香菇', '冬菇', '香蕈'],
  ['玉米', '苞谷', '包谷', '苞米', '玉蜀黍'],
  ['苦荞', '苦荞麦'],
  ['土鸡', '散养鸡', '走地鸡', '柴鸡', '草鸡'],
  ['土鸡蛋', '柴鸡蛋', '草鸡蛋', '笨鸡蛋'],
  ['蜂蜜', '蜂糖', '蜜糖'],
  ['莓茶', '藤茶'],
  ['椪柑', '芦柑'],
  ['茭白', '茭笋', '高笋'],
  ['蕨菜', '拳头菜', '龙头菜'],
  ['刺嫩芽', '刺龙芽', '乌龙头', '卧龙头'],
  ['贻贝', '青口', '海虹'],
  ['鳙鱼', '胖头鱼', '花鲢'],
  ['蚕豆', '胡豆', '罗汉豆'],
  ['胡麻油', '亚麻籽油'],
  ['山茶油', '茶油', '茶籽油', '油茶籽油'],
  ['浙贝母', '浙贝', '象贝'],
  ['延胡索', '元胡', '玄胡'],
  ['血蚶', '泥蚶'],
  ['花生', '落花生', '长生果'],
  ['辣椒', '海椒', '辣子'],
]

/**
 * Every field an engine searches, with its weight: names weigh most, a description mention least. Pinyin is searched
 * in its folded forms only: a query is folded the same way (foldPinyin), and folded pinyin finds everything the exact
 * spelling finds, so searching namePinyin and placePinyin as well would only read the same postings twice. They stay
 * in the document as the readable source of the folded forms.
 */
export type SearchableField = Exclude<
  TextField | PinyinField,
  'namePinyin' | 'placePinyin' | 'categoryPinyin'
>

export const SEARCHABLE_FIELDS: Readonly<Record<SearchableField, number>> = {
  name: 6,
  alias: 5,
  countyName: 3,
  cityName: 2,
  provinceName: 1,
  category: 2,
  cooperative: 1.5,
  description: 1,
  nameFolded: 4,
  nameInitials: 3,
  placeFolded: 2.5,
  placeInitials: 1.5,
  categoryFolded: 1.5,
}

/** Fields a suggestion is made from: what a product is called and where it comes from, not its description. */
export const SUGGEST_FIELDS: readonly SearchableField[] = [
  'name',
  'alias',
  'countyName',
  'cityName',
  'category',
  'nameFolded',
  'nameInitials',
  'placeFolded',
  'placeInitials',
]

/**
 * Attributes a search filters on. `regionCodes`, `category` and `cooperative` are part of the document;
 * `certified` and `priceFen` are side attributes: an engine keeps them beside its index, so that they can change
 * without reindexing, and they never appear in a SearchDocument.
 */
export const FILTERABLE_ATTRIBUTES = [
  'regionCodes',
  'category',
  'cooperative',
  'certified',
  'priceFen',
] as const
export const SORTABLE_ATTRIBUTES = ['priceFen'] as const
export const SIDE_ATTRIBUTES = ['certified', 'priceFen'] as const

/** A synonym alternative counts a little less than what the buyer typed, so an exact mention ranks first. */
export const SYNONYM_WEIGHT = 0.9

/** A synonym found in a query, with its whole group. */
export type SynonymMatch = {
  /** The words as they appear in the (normalised) query. */
  matched: string
  /** Found among the Chinese characters or among the latin tokens (pinyin) of the query. */
  via: 'han' | 'pinyin'
  /** Every term of the group, the matched one first. */
  terms: readonly string[]
  /** Toneless joined pinyin of `terms`, in the same order. */
  pinyin: readonly string[]
}

export type ExpandedQuery = {
  /** The normalised query with the synonym matches cut out: searched word by word as typed. */
  rest: string
  synonyms: SynonymMatch[]
}

type SynonymTables = {
  /** Chinese term → group index, longest terms first per first character. */
  byFirstChar: Map<string, { term: string; group: number }[]>
  /** Folded joined pinyin → group index and the term it was made from. */
  byFoldedPinyin: Map<string, { term: string; group: number }>
  pinyinOf: Map<string, string>
}

let tables: SynonymTables | undefined

function synonymTables(): SynonymTables {
  if (tables) return tables
  const byFirstChar = new Map<string, { term: string; group: number }[]>()
  const byFoldedPinyin = new Map<string, { term: string; group: number }>()
  const pinyinOf = new Map<string, string>()
  SYNONYM_GROUPS.forEach((group, index) => {
    for (const term of group) {
      const first = Array.from(term)[0]!
      const list = byFirstChar.get(first) ?? []
      list.push({ term, group: index })
      list.sort((a, b) => b.term.length - a.term.length)
      byFirstChar.set(first, list)
      const joined = pinyinSyllables(term).join('')
      pinyinOf.set(term, joined)
      // Two terms of different groups with the same folded pinyin would make a pinyin query ambiguous; the first
      // group keeps it (a unit test checks that there is no such pair).
      if (!byFoldedPinyin.has(foldPinyin(joined)))
        byFoldedPinyin.set(foldPinyin(joined), { term, group: index })
    }
  })
  tables = { byFirstChar, byFoldedPinyin, pinyinOf }
  return tables
}

function matchOf(
  group: number,
  matchedTerm: string,
  matched: string,
  via: SynonymMatch['via'],
): SynonymMatch {
  const { pinyinOf } = synonymTables()
  const terms = [matchedTerm, ...SYNONYM_GROUPS[group]!.filter((t) => t !== matchedTerm)]
  return { matched, via, terms, pinyin: terms.map((t) => pinyinOf.get(t)!) }
}

/** The longest pinyin phrase, in latin tokens, that is looked up as one synonym ("tu dou", "ma ling shu"). */
const MAX_PINYIN_PHRASE = 5

/**
 * Finds synonyms in a query, on the Chinese side (土豆 in 定西土豆, longest term first) and on the pinyin side
 * (tudou, "tu dou", and misspelt forms such as malinshu, compared folded), and returns them with their groups plus
 * what is left of the query. An engine searches each match as "any term of the group" and the rest as typed.
 */
export function expandQuery(query: string): ExpandedQuery {
  const { byFirstChar, byFoldedPinyin } = synonymTables()
  const text = normalizeText(query).slice(0, MAX_QUERY_LENGTH)
  const synonyms: SynonymMatch[] = []
  const restParts: string[] = []
  const pieces = splitPieces(text)
  for (let p = 0; p < pieces.length; p++) {
    const piece = pieces[p]!
    if (piece.kind === 'han') {
      const chars = Array.from(piece.text)
      let pending = ''
      for (let i = 0; i < chars.length; ) {
        const candidates = byFirstChar.get(chars[i]!) ?? []
        const found = candidates.find(
          (c) => chars.slice(i, i + Array.from(c.term).length).join('') === c.term,
        )
        if (found) {
          if (pending) restParts.push(pending)
          pending = ''
          synonyms.push(matchOf(found.group, found.term, found.term, 'han'))
          i += Array.from(found.term).length
        } else {
          pending += chars[i]
          i += 1
        }
      }
      if (pending) restParts.push(pending)
      continue
    }
    // Latin: the longest run of consecutive latin tokens whose joined, folded form is a synonym's pinyin.
    let matchedLength = 0
    for (let length = MAX_PINYIN_PHRASE; length >= 1 && matchedLength === 0; length--) {
      const run = pieces.slice(p, p + length)
      if (run.length < length || run.some((r) => r.kind !== 'latin')) continue
      const found = byFoldedPinyin.get(foldPinyin(run.map((r) => r.text).join('')))
      if (found) {
        synonyms.push(matchOf(found.group, found.term, run.map((r) => r.text).join(' '), 'pinyin'))
        matchedLength = length
      }
    }
    if (matchedLength > 0) p += matchedLength - 1
    else restParts.push(piece.text)
  }
  return { rest: restParts.join(' '), synonyms }
}

/**
 * The synonym table in Meilisearch's format (every term → the other terms of its group, Chinese and pinyin), so
 * that an engine with native synonyms applies the same table.
 */
export function synonymMap(): Record<string, string[]> {
  const { pinyinOf } = synonymTables()
  const map: Record<string, string[]> = {}
  for (const group of SYNONYM_GROUPS) {
    const all = [...group, ...group.map((t) => pinyinOf.get(t)!)]
    for (const term of all) map[term] = [...new Set(all.filter((t) => t !== term))]
  }
  return map
}
