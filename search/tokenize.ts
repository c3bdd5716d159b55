import { pinyin } from 'pinyin-pro'

/**
 * Text → tokens for the search engines, and the pinyin forms derived from Chinese text.
 *
 * Chinese has no spaces, so a CJK run is indexed three ways (docs/toolchain.md, "Search"):
 * - Intl.Segmenter('zh') words: finds dictionary words such as 马铃薯 and 当归;
 * - character bigrams: the segmenter splits place names (定|西, 岷|县) and some product words (粉|条, 党|参) into
 *   single characters, so bigrams are what makes 定西 or 党参 findable at all;
 * - single characters, only where asked (short fields), so that a one-character query (茶, 鱼) finds something.
 * Latin letters and digits become lower-cased tokens; a pack size such as 500g or 2.5kg stays one token.
 */

/** The most characters of a query that are looked at; a product query is a few words, more is noise or abuse. */
export const MAX_QUERY_LENGTH = 128

/** Full-width forms (５００ｇ, ＡＢＣ) and compatibility characters folded, then lower-cased. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase()
}

export type Piece = { kind: 'han'; text: string } | { kind: 'latin'; text: string }

// A Han run, or a run of letters/digits of any other script with decimal parts kept (2.5kg). Han characters are
// letters too, hence the negative lookahead in the second branch.
const PIECE =
  /(\p{Script=Han}+)|((?:(?!\p{Script=Han})[\p{L}\p{N}])+(?:\.(?:(?!\p{Script=Han})[\p{L}\p{N}])+)*)/gu

/** Splits normalised text into Han runs and latin/digit tokens; punctuation and spaces separate pieces. */
export function splitPieces(text: string): Piece[] {
  const pieces: Piece[] = []
  for (const match of normalizeText(text).matchAll(PIECE)) {
    if (match[1] !== undefined) pieces.push({ kind: 'han', text: match[1] })
    else if (match[2] !== undefined) pieces.push({ kind: 'latin', text: match[2] })
  }
  return pieces
}

// Intl.Segmenter exists in every supported Node.js (full ICU is the default); without it bigrams still work.
const segmenter =
  typeof Intl.Segmenter === 'function' ? new Intl.Segmenter('zh', { granularity: 'word' }) : undefined

/** Dictionary words of a Han run as Intl.Segmenter finds them (single characters included). */
export function segmentWords(run: string): string[] {
  if (!segmenter) return []
  const words: string[] = []
  for (const { segment, isWordLike } of segmenter.segment(run)) if (isWordLike) words.push(segment)
  return words
}

function characters(run: string): string[] {
  // Code points, not UTF-16 units: CJK extension B and later characters are surrogate pairs.
  return Array.from(run)
}

function bigrams(chars: readonly string[]): string[] {
  const out: string[] = []
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!)
  return out
}

/**
 * Index tokens of a Han run: every bigram, segmenter words of three or more characters (a two-character word
 * is already a bigram, a one-character word a unigram) and, with `unigrams`, every character.
 */
function hanIndexTokens(run: string, unigrams: boolean): string[] {
  const chars = characters(run)
  const tokens = bigrams(chars)
  for (const word of segmentWords(run)) if (characters(word).length >= 3) tokens.push(word)
  if (unigrams || chars.length === 1) tokens.push(...chars)
  return tokens
}

/**
 * Index tokens of a text field. Repeated tokens are kept on purpose: term frequency is part of the score.
 * `unigrams` is for short fields (names, places, categories), where a one-character query should match.
 */
export function tokenize(text: string, options: { unigrams: boolean }): string[] {
  const tokens: string[] = []
  for (const piece of splitPieces(text)) {
    if (piece.kind === 'latin') tokens.push(piece.text)
    else tokens.push(...hanIndexTokens(piece.text, options.unigrams))
  }
  return tokens
}

/**
 * Query terms of one Han run: its bigrams plus longer segmenter words, or the character itself for a
 * one-character run. Single characters of a longer run are left out: 县 or 西 alone would match half the catalogue
 * and the bigrams already cover them.
 */
export function hanQueryTerms(run: string): string[] {
  const chars = characters(run)
  if (chars.length === 1) return [run]
  const terms = new Set(bigrams(chars))
  for (const word of segmentWords(run)) if (characters(word).length >= 3) terms.add(word)
  return [...terms]
}

// ---------------------------------------------------------------------------------------------------------------
// Pinyin

/**
 * Place names that pinyin-pro 3.29.4 reads with the wrong one of a character's readings (checked one by one:
 * 莲都 gives "lian dou", 单县 "dan xian", …). A buyer types the local reading.
 */
const PINYIN_OVERRIDES: Readonly<Record<string, readonly string[]>> = {
  莲都: ['lian', 'du'],
  宁都: ['ning', 'du'],
  单县: ['shan', 'xian'],
  乐亭: ['lao', 'ting'],
  乐清: ['yue', 'qing'],
  涡阳: ['guo', 'yang'],
  蔚县: ['yu', 'xian'],
  洪洞: ['hong', 'tong'],
  浚县: ['xun', 'xian'],
}

const SYLLABLE = /^[a-z]+$/

/**
 * Toneless pinyin of each character of a Han run, ü written as v (what a keyboard can type). A character pinyin-pro
 * does not know gives an empty string, so positions still line up with the run's characters.
 */
export function pinyinSyllables(run: string): string[] {
  const chars = characters(run)
  const syllables = pinyin(run, { toneType: 'none', type: 'array', v: true }).map((s) =>
    SYLLABLE.test(s) ? s : '',
  )
  // pinyin-pro returns one entry per character for Han input; if that ever changes, fall back to per character.
  const aligned =
    syllables.length === chars.length
      ? syllables
      : chars.map((c) => {
          const s = pinyin(c, { toneType: 'none', v: true })
          return SYLLABLE.test(s) ? s : ''
        })
  for (const [word, reading] of Object.entries(PINYIN_OVERRIDES)) {
    let from = run.indexOf(word)
    while (from !== -1) {
      const at = characters(run.slice(0, from)).length
      reading.forEach((s, k) => (aligned[at + k] = s))
      from = run.indexOf(word, from + word.length)
    }
  }
  return aligned
}

/**
 * Folds the pinyin misspellings buyers make so that the indexed and the typed pinyin meet: zh/ch/sh → z/c/s and
 * -ng → -n (speakers of southern Mandarin and Wu merge them: dangui for danggui, zangxian for zhangxian), and ü
 * (typed v or u) → u. Applied to whole joined strings on both sides, so it must be idempotent: /ng+/ folds the
 * "ngg" of xianggu in one go, otherwise xianggu → xiangu while the misspelt xiangu → xianu.
 */
export function foldPinyin(text: string): string {
  return text
    .replace(/([zcs])h+/g, '$1')
    .replace(/ng+/g, 'n')
    .replace(/[vü]/g, 'u')
}

// The shape of one toneless pinyin syllable (initial + final), loose enough for the folded and v/u spellings.
const ONE_SYLLABLE =
  /^(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?(?:a|ai|an|ang|ao|e|ei|en|eng|er|i|ia|ian|iang|iao|ie|in|ing|iong|iu|o|ong|ou|u|ua|uai|uan|uang|ue|ui|un|uo|v|ve|ü|üe)$/

/** Whether a latin token is a single pinyin syllable (ding, xi, lv), as typed by someone spacing out a word. */
export function isPinyinSyllable(token: string): boolean {
  return ONE_SYLLABLE.test(token)
}
