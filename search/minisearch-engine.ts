import MiniSearch, { type MatchInfo, type Query } from 'minisearch'
import {
  PINYIN_FIELDS,
  PINYIN_SOURCE_FIELDS,
  type PinyinField,
  placeCore,
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
import { SEARCHABLE_FIELDS, SUGGEST_FIELDS, SYNONYM_WEIGHT, expandQuery } from './settings'
import {
  foldPinyin,
  hanQueryTerms,
  isPinyinSyllable,
  MAX_QUERY_LENGTH,
  normalizeText,
  pinyinSyllables,
  splitPieces,
  tokenize,
} from './tokenize'

/**
 * The embedded search engine (docs/architecture.md §1): MiniSearch over SearchDocuments, with price, certification and region
 * kept beside the index by sku.
 *
 * A query is cut into concepts: each synonym found by expandQuery (any term of its group), each remaining Chinese
 * run (its bigrams and words) and each remaining latin token (pinyin, initials, a pack size). Each concept is one
 * MiniSearch search. A document's total is the sum of its concept scores times the number of concepts it matches —
 * the coordination MiniSearch itself applies to terms, lifted to concepts so that a run of five bigrams does not
 * outweigh a one-term place name. Documents matching clearly fewer concepts than the best document are dropped, so
 * totals, facets and price sorting describe real matches and not every product that shares one bigram with the query.
 */

/**
 * Pinyin shorter than this is matched exactly: every joined-syllable token starting with "xi" or "ma" is thousands
 * of tokens in a large catalogue, and a two-letter prefix says little. Initials are short by nature: from two.
 */
const MIN_PINYIN_PREFIX_LENGTH = 3
const MIN_INITIALS_PREFIX_LENGTH = 2
/**
 * Folded pinyin this long or longer is also matched with one typo (mihotao → mihoutao, minxan → minxian). Shorter
 * words are one letter away from too many others (dan, tan, dang → dan). Typo matches are weak (see ConceptHit).
 */
const MIN_FUZZY_LENGTH = 5
/** Longer tokens are not matched fuzzily: the cost of a fuzzy lookup grows with the term and nothing is gained. */
const MAX_FUZZY_LENGTH = 24
/** A query has at most this many concepts; the rest is ignored (MAX_QUERY_LENGTH bounds it too). */
const MAX_CONCEPTS = 12
/** A Chinese run matches strongly when at least this share of its terms matches (2 of 4 bigrams, 1 of 1). */
const MIN_HAN_COVERAGE = 0.5
/** Products converted and indexed per step of a build, between which the event loop gets to serve requests. */
const BUILD_CHUNK = 500

const TEXT_SEARCH_FIELDS: readonly TextField[] = TEXT_FIELDS
const FOLDED_PINYIN_FIELDS: readonly PinyinField[] = ['nameFolded', 'placeFolded', 'categoryFolded']
const INITIALS_FIELDS: readonly PinyinField[] = ['nameInitials', 'placeInitials']
const PINYIN_FIELD_SET: ReadonlySet<string> = new Set(PINYIN_FIELDS)
const UNIGRAM_FIELDS: ReadonlySet<string> = new Set<TextField>(['name', 'alias', 'countyName', 'category'])

type Mode = 'search' | 'suggest'

/**
 * One unit of a query. A Chinese concept is any of its alternatives — the run as typed, or the terms of a synonym
 * group — each searched as its bigrams and words. A latin concept is one token: pinyin, initials or a pack size.
 */
type HanAlternative = { weight: number; terms: string[] }
type Concept =
  | { kind: 'han'; alternatives: HanAlternative[] }
  | { kind: 'latin'; token: string; folded: string }

/**
 * Per document and concept: its score and how well the concept matched. Strong: a latin token matched exactly or as
 * a prefix, or a Chinese run matched at least MIN_HAN_COVERAGE of its terms. Weak: only by a typo (fuzzy) or a few
 * bigrams. A weak match counts only for a concept that no document matches strongly, so a typo-tolerant "changshan"
 * does not bring in 苍南 next to 常山, while "mihotao" still finds 猕猴桃.
 */
type ConceptHit = { score: number; strong: boolean; match: MatchInfo }

type State = {
  index: MiniSearch<SearchDocument>
  sides: Map<string, SideRecord>
  /** Counties and cities that have products, with how many, for suggestions. */
  regions: Map<string, { entry: RegionEntry; products: number }>
  nextSeq: number
}

// Tokenizing a description (Intl.Segmenter) costs more than indexing it, and a large catalogue repeats its
// descriptions, names and places: remember recent results, bounded.
const TOKEN_CACHE_LIMIT = 50_000
const tokenCache = new Map<string, string[]>()

function tokenizeField(text: string, fieldName?: string): string[] {
  if (fieldName !== undefined && PINYIN_FIELD_SET.has(fieldName)) return text.split(' ').filter(Boolean)
  // Single characters are indexed where a one-character query (茶, 鱼, 干) is after something: names, counties and
  // categories. In descriptions and the other fields they would double the index for noise.
  const unigrams = fieldName !== undefined && UNIGRAM_FIELDS.has(fieldName)
  const key = (unigrams ? 'u:' : 'b:') + text
  const cached = tokenCache.get(key)
  if (cached) return cached
  const tokens = tokenize(text, { unigrams })
  if (tokenCache.size >= TOKEN_CACHE_LIMIT) tokenCache.clear()
  tokenCache.set(key, tokens)
  return tokens
}

function createIndex(): MiniSearch<SearchDocument> {
  return new MiniSearch<SearchDocument>({
    idField: 'id',
    fields: Object.keys(SEARCHABLE_FIELDS),
    tokenize: tokenizeField,
    // Tokens are normalised by the tokenizer already, and query terms are built by this module.
    processTerm: (term) => term,
    searchOptions: {
      boost: { ...SEARCHABLE_FIELDS },
      tokenize: (term) => [term],
      processTerm: (term) => term,
    },
  })
}

function emptyState(): State {
  return { index: createIndex(), sides: new Map(), regions: new Map(), nextSeq: 0 }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

/** Concepts of a query (see the module comment). */
function conceptsOf(text: string): Concept[] {
  const expanded = expandQuery(text)
  const concepts: Concept[] = []
  // A synonym typed in pinyin (tudou) is searched through its group's Chinese terms: they find every product with
  // one of them in its name or text, which is all the group's pinyin would find, at a fraction of the cost.
  for (const synonym of expanded.synonyms) {
    const alternatives = synonym.terms.map((term, i) => ({
      weight: i === 0 ? 1 : SYNONYM_WEIGHT,
      terms: hanQueryTerms(term),
    }))
    concepts.push({ kind: 'han', alternatives })
  }
  const pieces = splitPieces(expanded.rest)
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!
    if (piece.kind === 'han') {
      concepts.push({ kind: 'han', alternatives: [{ weight: 1, terms: hanQueryTerms(piece.text) }] })
      continue
    }
    // "ding xi ma ling shu" or "dang gui": a word typed syllable by syllable is one word, not five one-syllable
    // queries that each match half the catalogue.
    let token = piece.text
    if (isPinyinSyllable(token)) {
      for (
        let next = pieces[i + 1];
        next?.kind === 'latin' && isPinyinSyllable(next.text);
        next = pieces[i + 1]
      ) {
        token += next.text
        i += 1
      }
    }
    concepts.push({ kind: 'latin', token, folded: foldPinyin(token) })
  }
  return concepts.slice(0, MAX_CONCEPTS)
}

function restrict<T extends string>(fields: readonly T[], allowed: ReadonlySet<string> | undefined): T[] {
  return allowed ? fields.filter((f) => allowed.has(f)) : [...fields]
}

/**
 * The MiniSearch query of a concept. Chinese terms are matched exactly (by prefix only for suggestions), a synonym
 * weighing SYNONYM_WEIGHT through the term boost; a latin token exactly in the text fields (500g), by prefix and with
 * one typo in folded pinyin, by prefix in initials.
 */
function conceptQuery(concept: Concept, mode: Mode, allowed: ReadonlySet<string> | undefined): Query {
  if (concept.kind === 'han') {
    return {
      combineWith: 'OR',
      queries: concept.alternatives.map((alternative) => ({
        queries: alternative.terms,
        fields: restrict(TEXT_SEARCH_FIELDS, allowed),
        prefix: mode === 'suggest',
        boostTerm: () => alternative.weight,
      })),
    }
  }
  const { token, folded } = concept
  return {
    combineWith: 'OR',
    queries: [
      { queries: [token], fields: restrict(TEXT_SEARCH_FIELDS, allowed), prefix: false },
      {
        queries: [folded],
        fields: restrict(FOLDED_PINYIN_FIELDS, allowed),
        prefix: token.length >= MIN_PINYIN_PREFIX_LENGTH,
        fuzzy: folded.length >= MIN_FUZZY_LENGTH && folded.length <= MAX_FUZZY_LENGTH ? 1 : false,
      },
      {
        queries: [token],
        fields: restrict(INITIALS_FIELDS, allowed),
        prefix: token.length >= MIN_INITIALS_PREFIX_LENGTH,
      },
    ].filter((q) => q.fields.length > 0),
  }
}

type Retrieved = { id: string; score: number; hits: (ConceptHit | undefined)[] }

/** One MiniSearch search for a concept: each matching document's score and match strength. */
function searchConcept(
  state: State,
  concept: Concept,
  mode: Mode,
  allowed: ReadonlySet<string> | undefined,
): { hits: Map<string, ConceptHit>; anyStrong: boolean } {
  const results = state.index.search(conceptQuery(concept, mode, allowed))
  const hits = new Map<string, ConceptHit>()
  let anyStrong = false
  // Which alternatives each Chinese query term belongs to, to measure coverage per document cheaply.
  const alternativesOfTerm = new Map<string, number[]>()
  const alternatives = concept.kind === 'han' ? concept.alternatives : []
  alternatives.forEach((alternative, index) => {
    for (const term of alternative.terms)
      alternativesOfTerm.set(term, [...(alternativesOfTerm.get(term) ?? []), index])
  })
  // One Chinese term and nothing else (茶, 岷县): every match covers all of it. The common case, kept cheap.
  const whole = alternatives.length === 1 && alternatives[0]!.terms.length === 1
  const counts = new Array<number>(alternatives.length).fill(0)
  for (const result of results) {
    let coverage = 1
    let strong = true
    if (concept.kind === 'latin') {
      // Matched only through a typo: no indexed token starts with what was typed.
      strong = false
      for (const term of result.terms) {
        if (term.startsWith(concept.token) || term.startsWith(concept.folded)) {
          strong = true
          break
        }
      }
    } else if (!whole) {
      // Share of each alternative's terms that matched: how much of 马铃薯 (马铃, 铃薯, 马铃薯) is there.
      counts.fill(0)
      for (const term of result.queryTerms) {
        const indices = alternativesOfTerm.get(term)
        if (indices) for (const i of indices) counts[i]! += 1
      }
      coverage = 0
      for (let i = 0; i < alternatives.length; i++) {
        coverage = Math.max(coverage, counts[i]! / alternatives[i]!.terms.length)
      }
      strong = coverage >= MIN_HAN_COVERAGE
    }
    if (strong) anyStrong = true
    // MiniSearch multiplies the summed score by the number of query terms matched; undo that and weigh the coverage
    // instead, so a concept of five bigrams and one of a single place name are on the same scale.
    const score = (result.score / Math.max(1, result.queryTerms.length)) * coverage
    hits.set(result.id as string, { score, strong, match: result.match })
  }
  return { hits, anyStrong }
}

/**
 * Scores every document that matches at least one concept and keeps those that match enough of them: a weak match
 * counts only for a concept nobody matches strongly, and a document must match most of what the best one matches.
 */
function retrieve(state: State, concepts: readonly Concept[], mode: Mode): Retrieved[] {
  const allowed = mode === 'suggest' ? new Set<string>(SUGGEST_FIELDS) : undefined
  const searched = concepts.map((concept) => searchConcept(state, concept, mode, allowed))
  const counts = (hit: ConceptHit | undefined, conceptIndex: number) =>
    hit !== undefined && (hit.strong || !searched[conceptIndex]!.anyStrong)
  if (searched.length === 1) {
    const retrieved: Retrieved[] = []
    for (const [id, hit] of searched[0]!.hits)
      if (counts(hit, 0)) retrieved.push({ id, score: hit.score, hits: [hit] })
    return retrieved
  }
  const byId = new Map<string, Retrieved & { matched: number }>()
  searched.forEach(({ hits }, conceptIndex) => {
    for (const [id, hit] of hits) {
      let entry = byId.get(id)
      if (!entry) {
        entry = { id, score: 0, hits: [], matched: 0 }
        byId.set(id, entry)
      }
      entry.hits[conceptIndex] = hit
      entry.score += hit.score
      if (counts(hit, conceptIndex)) entry.matched += 1
    }
  })
  let best = 0
  for (const entry of byId.values()) best = Math.max(best, entry.matched)
  // "Most of what the best document matches": all of 2, 2 of 3, 3 of 4.
  const required = Math.max(1, Math.ceil((best * 2) / 3))
  const retrieved: Retrieved[] = []
  for (const entry of byId.values()) {
    if (entry.matched >= required)
      retrieved.push({ id: entry.id, score: entry.score * entry.matched, hits: entry.hits })
  }
  return retrieved
}

// ---------------------------------------------------------------------------------------------------------------
// Highlights

const HAN_RUN = /\p{Script=Han}+/gu

type PinyinForm = 'full' | 'folded' | 'initials'

function formOf(field: PinyinField): PinyinForm {
  if (field === 'nameInitials' || field === 'placeInitials') return 'initials'
  if (field === 'nameFolded' || field === 'placeFolded' || field === 'categoryFolded') return 'folded'
  return 'full'
}

/**
 * The characters of `text` whose pinyin spells what matched, in the given form: `typed` when the indexed token
 * starts with it (exact or prefix match), else the indexed token itself (a typo match). For each Han run and
 * starting character whose pinyin from there starts with that target, the syllables are taken until they cover it.
 */
function pinyinRanges(text: string, typed: string, indexTerm: string, form: PinyinForm): Range[] {
  const target = indexTerm.startsWith(typed) ? typed : indexTerm
  const render = (syllables: readonly string[]) => {
    const joined = syllables.map((s) => (form === 'initials' ? s[0] : s)).join('')
    return form === 'folded' ? foldPinyin(joined) : joined
  }
  const ranges: Range[] = []
  for (const run of text.matchAll(HAN_RUN)) {
    const chars = Array.from(run[0])
    const syllables = pinyinSyllables(run[0])
    const offsets = [run.index]
    for (const c of chars) offsets.push(offsets[offsets.length - 1]! + c.length)
    for (let i = 0; i < chars.length; i++) {
      let stop = i
      while (stop < chars.length && syllables[stop]) stop += 1
      if (stop === i || !render(syllables.slice(i, stop)).startsWith(target)) continue
      let end = i + 1
      while (end < stop && render(syllables.slice(i, end)).length < target.length) end += 1
      ranges.push({ start: offsets[i]!, end: offsets[end]! })
      i = end - 1
    }
  }
  return ranges
}

function highlightsOf(
  hit: Scored,
  conceptHits: readonly (ConceptHit | undefined)[],
  concepts: readonly Concept[],
) {
  const ranges = new Map<TextField, Range[]>()
  const add = (field: TextField, found: Range[]) => {
    if (found.length > 0) ranges.set(field, [...(ranges.get(field) ?? []), ...found])
  }
  const normalised = new Map<TextField, string>()
  const textOf = (field: TextField) => {
    let text = normalised.get(field)
    if (text === undefined) {
      text = normalizeText(hit.side.texts[field])
      normalised.set(field, text)
    }
    return text
  }
  conceptHits.forEach((conceptHit, conceptIndex) => {
    if (!conceptHit) return
    const concept = concepts[conceptIndex]!
    for (const [indexTerm, fields] of Object.entries(conceptHit.match)) {
      for (const field of fields) {
        if (!PINYIN_FIELD_SET.has(field)) {
          add(field as TextField, occurrences(textOf(field as TextField), indexTerm))
          continue
        }
        if (concept.kind !== 'latin') continue
        const pinyinField = field as PinyinField
        const form = formOf(pinyinField)
        const typed = form === 'folded' ? concept.folded : concept.token
        for (const source of PINYIN_SOURCE_FIELDS[pinyinField]) {
          add(source, pinyinRanges(textOf(source), typed, indexTerm, form))
        }
      }
    }
  })
  return highlightsFrom(hit.side.texts, ranges)
}

// ---------------------------------------------------------------------------------------------------------------
// Suggestions of regions

type RegionEntry = {
  code: string
  name: string
  core: string
  full: string
  folded: string
  initials: string
}

function regionEntry(code: string, name: string): RegionEntry {
  const syllables = Array.from(name.matchAll(HAN_RUN)).flatMap((m) => pinyinSyllables(m[0]))
  const full = syllables.join('')
  return {
    code,
    name,
    core: placeCore(name),
    full,
    folded: foldPinyin(full),
    initials: syllables.map((s) => s[0] ?? '').join(''),
  }
}

function regionsOf(side: SideRecord): { code: string; name: string }[] {
  const out = [{ code: side.originCode, name: side.texts.countyName }]
  const cityCode = `${side.originCode.slice(0, 4)}00`
  if (side.texts.cityName && cityCode !== side.originCode)
    out.push({ code: cityCode, name: side.texts.cityName })
  return out.filter((r) => r.name !== '')
}

/** Counts a product in (+1) or out (-1) of its county and city. */
function countRegions(state: State, side: SideRecord, delta: 1 | -1): void {
  for (const { code, name } of regionsOf(side)) {
    const known = state.regions.get(code)
    const products = (known?.products ?? 0) + delta
    if (products <= 0) state.regions.delete(code)
    else state.regions.set(code, { entry: known?.entry ?? regionEntry(code, name), products })
  }
}

/** Counties and cities the catalogue has products from, matched by the start of their name or its pinyin. */
function matchingRegions(state: State, prefix: string, limit: number): Suggestion[] {
  const typed = normalizeText(prefix).replace(/\s+/g, '')
  if (typed === '' || limit < 1) return []
  const latin = /^[a-z]+$/.test(typed)
  const folded = foldPinyin(typed)
  const out: Suggestion[] = []
  for (const { entry: region } of state.regions.values()) {
    const hit = latin
      ? region.folded.startsWith(folded) ||
        (typed.length >= MIN_INITIALS_PREFIX_LENGTH && region.initials.startsWith(typed))
      : region.name.startsWith(typed) || typed.startsWith(region.core)
    if (hit) out.push({ kind: 'region', text: region.name, code: region.code })
    if (out.length >= limit) break
  }
  return out
}

// ---------------------------------------------------------------------------------------------------------------

export type MiniSearchEngine = SearchEngine & {
  /** Replaces the whole index with these products; searches keep using the previous index until it is done. */
  build(sources: readonly SearchSource[]): Promise<void>
}

export function createMiniSearchEngine(): MiniSearchEngine {
  let live = emptyState()
  let ready = false
  // Builds and updates run one after another in call order, so an upsert issued during a rebuild lands on the new
  // index instead of being lost when it replaces the old one.
  let queue: Promise<unknown> = Promise.resolve()
  function serialized(task: () => Promise<void>): Promise<void> {
    const run = queue.then(task)
    queue = run.catch(() => undefined)
    return run
  }

  function upsertInto(state: State, source: SearchSource, side: SideRecord, document: SearchDocument): void {
    const previous = state.sides.get(source.sku)
    if (previous) {
      state.index.replace(document)
      countRegions(state, previous, -1)
    } else state.index.add(document)
    state.sides.set(source.sku, side)
    countRegions(state, side, 1)
  }

  function requireReady(): State {
    if (!ready) throw new SearchNotReadyError()
    return live
  }

  return {
    get ready() {
      return ready
    },

    build(sources) {
      return serialized(async () => {
        const next = emptyState()
        for (let i = 0; i < sources.length; i += BUILD_CHUNK) {
          const chunk = sources.slice(i, i + BUILD_CHUNK)
          const documents: SearchDocument[] = []
          for (const source of chunk) {
            if (next.sides.has(source.sku)) throw new Error(`duplicate sku ${source.sku} in the catalogue`)
            const side = sideRecordOf(source, next.nextSeq++)
            next.sides.set(source.sku, side)
            countRegions(next, side, 1)
            documents.push(toSearchDocument(source))
          }
          await next.index.addAllAsync(documents, { chunkSize: BUILD_CHUNK })
          await yieldToEventLoop()
        }
        live = next
        ready = true
      })
    },

    upsert(sources) {
      return serialized(async () => {
        // Everything is converted (and so validated) before anything changes: a bad record leaves the index as it was.
        const prepared = sources.map((source) => ({
          source,
          side: sideRecordOf(source, live.sides.get(source.sku)?.seq ?? live.nextSeq++),
          document: toSearchDocument(source),
        }))
        for (const { source, side, document } of prepared) upsertInto(live, source, side, document)
      })
    },

    remove(ids) {
      return serialized(async () => {
        for (const id of ids) {
          const side = live.sides.get(id)
          if (!side) continue
          live.index.discard(id)
          live.sides.delete(id)
          countRegions(live, side, -1)
        }
      })
    },

    async search(query: SearchQuery): Promise<SearchResult> {
      const state = requireReady()
      checkQuery(query)
      const accept = filterPredicate(query.filters)
      const text = query.q.slice(0, MAX_QUERY_LENGTH)
      if (text.trim() === '') {
        // Nothing typed: everything that passes the filters, in catalogue order.
        const all: Scored[] = []
        for (const [id, side] of state.sides) if (accept(side)) all.push({ id, score: 0, side })
        return finishResult(all, query, () => [])
      }
      const concepts = conceptsOf(text)
      const scored: (Scored & { hits: Retrieved['hits'] })[] = []
      for (const { id, score, hits } of retrieve(state, concepts, 'search')) {
        const side = state.sides.get(id)
        if (side && accept(side)) scored.push({ id, score, side, hits })
      }
      return finishResult(scored, query, (hit) => highlightsOf(hit, hit.hits, concepts))
    },

    async suggest(prefix: string, limit = DEFAULT_SUGGESTIONS): Promise<Suggestion[]> {
      const state = requireReady()
      if (!Number.isSafeInteger(limit) || limit < 1)
        throw new RangeError(`limit must be positive, got ${limit}`)
      const text = prefix.slice(0, MAX_QUERY_LENGTH)
      if (text.trim() === '') return []
      const ranked = retrieve(state, conceptsOf(text), 'suggest')
        .map(({ id, score }) => ({ id, score, side: state.sides.get(id) }))
        .filter((r): r is { id: string; score: number; side: SideRecord } => r.side !== undefined)
        .sort((a, b) => b.score - a.score || a.side.seq - b.side.seq)
      const products: Suggestion[] = []
      const names = new Set<string>()
      for (const { id, side } of ranked) {
        // A large catalogue sells one product in many packs: suggest each name once, with its best listing.
        if (names.has(side.texts.name)) continue
        names.add(side.texts.name)
        products.push({ kind: 'product', text: side.texts.name, id, slug: side.slug })
        if (products.length >= limit) break
      }
      // Up to two regions (at most half the list), after the products but never crowded out by them.
      const regions = matchingRegions(state, text, Math.min(2, Math.floor(limit / 2)))
      return [...products.slice(0, limit - regions.length), ...regions]
    },
  }
}
