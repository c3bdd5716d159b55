import {
  type SearchDocument,
  type SearchSource,
  TEXT_FIELDS,
  type TextField,
  toSearchDocument,
} from './document'
import {
  checkQuery,
  DEFAULT_SUGGESTIONS,
  filterPredicate,
  finishResult,
  highlightsFrom,
  occurrences,
  type Range,
  type Scored,
  SearchNotReadyError,
  type SearchEngine,
  type SearchQuery,
  type SearchResult,
  type SideRecord,
  sideRecordOf,
  type Suggestion,
} from './engine'
import { SEARCHABLE_FIELDS } from './settings'
import { MAX_QUERY_LENGTH, normalizeText, splitPieces } from './tokenize'

/**
 * The naive baseline the search benchmark measures the real engine against: every query looks at every document
 * and checks, for each word of the query (a whole Chinese run or a latin token), whether a field contains it as a
 * substring. Same documents, weights, filters, facets, sorting and paging as the real engine; no index, no bigrams,
 * no synonyms, no prefix or typo handling beyond what a substring gives.
 */

type Entry = { id: string; side: SideRecord; fields: { name: string; text: string; boost: number }[] }

// Text fields, and pinyin as spelt (a naive scan does not fold the query), weighted like their folded forms.
const SEARCHED_FIELDS: readonly { name: keyof SearchDocument; boost: number }[] = [
  ...TEXT_FIELDS.map((name) => ({ name, boost: SEARCHABLE_FIELDS[name] })),
  { name: 'namePinyin', boost: SEARCHABLE_FIELDS.nameFolded },
  { name: 'nameInitials', boost: SEARCHABLE_FIELDS.nameInitials },
  { name: 'placePinyin', boost: SEARCHABLE_FIELDS.placeFolded },
  { name: 'placeInitials', boost: SEARCHABLE_FIELDS.placeInitials },
  { name: 'categoryPinyin', boost: SEARCHABLE_FIELDS.categoryFolded },
]

export type LinearScanEngine = SearchEngine & { build(sources: readonly SearchSource[]): Promise<void> }

export function createLinearScanEngine(): LinearScanEngine {
  let entries = new Map<string, Entry>()
  let nextSeq = 0
  let ready = false

  function entryOf(source: SearchSource, seq: number): Entry {
    const document = toSearchDocument(source)
    return {
      id: source.sku,
      side: sideRecordOf(source, seq),
      fields: SEARCHED_FIELDS.map(({ name, boost }) => ({
        name,
        text: normalizeText(String(document[name])),
        boost,
      })),
    }
  }

  function words(text: string): string[] {
    return [...new Set(splitPieces(text.slice(0, MAX_QUERY_LENGTH)).map((p) => p.text))]
  }

  function scan(text: string): Scored[] {
    const terms = words(text)
    const scored: Scored[] = []
    for (const entry of entries.values()) {
      let score = 0
      let matched = 0
      for (const term of terms) {
        let termScore = 0
        for (const field of entry.fields) if (field.text.includes(term)) termScore += field.boost
        if (termScore > 0) matched += 1
        score += termScore
      }
      if (matched > 0) scored.push({ id: entry.id, score: score * matched, side: entry.side })
    }
    return scored
  }

  return {
    get ready() {
      return ready
    },
    async build(sources) {
      const next = new Map<string, Entry>()
      nextSeq = 0
      for (const source of sources) next.set(source.sku, entryOf(source, nextSeq++))
      entries = next
      ready = true
    },
    async upsert(sources) {
      for (const source of sources) {
        entries.set(source.sku, entryOf(source, entries.get(source.sku)?.side.seq ?? nextSeq++))
      }
    },
    async remove(ids) {
      for (const id of ids) entries.delete(id)
    },
    async search(query: SearchQuery): Promise<SearchResult> {
      if (!ready) throw new SearchNotReadyError()
      checkQuery(query)
      const accept = filterPredicate(query.filters)
      const terms = words(query.q)
      const scored =
        terms.length === 0 && query.q.trim() === ''
          ? [...entries.values()].map((e) => ({ id: e.id, score: 0, side: e.side }))
          : scan(query.q)
      return finishResult(
        scored.filter((s) => accept(s.side)),
        query,
        (hit) => {
          const ranges = new Map<TextField, Range[]>()
          for (const field of TEXT_FIELDS) {
            const text = normalizeText(hit.side.texts[field])
            const found = terms.flatMap((term) => occurrences(text, term))
            if (found.length > 0) ranges.set(field, found)
          }
          return highlightsFrom(hit.side.texts, ranges)
        },
      )
    },
    async suggest(prefix: string, limit = DEFAULT_SUGGESTIONS): Promise<Suggestion[]> {
      if (!ready) throw new SearchNotReadyError()
      const scored = scan(prefix).sort((a, b) => b.score - a.score || a.side.seq - b.side.seq)
      const names = new Set<string>()
      const out: Suggestion[] = []
      for (const { id, side } of scored) {
        if (names.has(side.texts.name)) continue
        names.add(side.texts.name)
        out.push({ kind: 'product', text: side.texts.name, id, slug: side.slug })
        if (out.length >= limit) break
      }
      return out
    },
  }
}
