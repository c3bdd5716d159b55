// Money is held as integer fen (1 yuan = 100 fen) in `bigint`. Sales totals
// across a whole province easily exceed 2^53 fen, and any float step
// (toFixed, parseFloat, division) can round a displayed figure *up*, which
// for publicly reported targets would overstate what has actually been sold.
// Everything below therefore uses bigint arithmetic only.

import type { Locale } from './i18n'

const FEN_PER_YUAN = 100n
// Thresholds and display steps, all in fen.
const FEN_PER_WAN = 1_000_000n // 1万元
const FEN_PER_YI = 10_000_000_000n // 1亿元
// "2 decimals" of 万 / 亿 means the smallest shown unit is 0.01万 / 0.01亿.
const WAN_HUNDREDTH = FEN_PER_WAN / 100n
const YI_HUNDREDTH = FEN_PER_YI / 100n

// Callers often hold amounts as JS numbers (form input, JSON). Silently
// accepting 1.5 or 2**60 would lose precision before we even start, so
// anything that is not an exactly representable integer is refused.
function toBigIntAmount(value: bigint | number, name: string): bigint {
  if (typeof value === 'bigint') return value
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`${name} must be a safe integer, got ${String(value)}`)
  }
  return BigInt(value)
}

function absBig(value: bigint): bigint {
  return value < 0n ? -value : value
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

function twoDigits(value: bigint): string {
  return value.toString().padStart(2, '0')
}

// Formats a non-negative count of hundredths as "1,234.56".
function hundredths(value: bigint): string {
  return `${groupThousands((value / 100n).toString())}.${twoDigits(value % 100n)}`
}

/**
 * Exact amount, e.g. 123456n → "¥1,234.56", -123456n → "-¥1,234.56".
 * `locale` is accepted so call sites can pass it uniformly alongside
 * formatAmountShort; the exact form reads the same in both languages.
 */
export function formatFen(fen: bigint | number, locale: Locale = 'zh'): string {
  void locale
  const value = toBigIntAmount(fen, 'fen')
  const sign = value < 0n ? '-' : ''
  return `${sign}¥${hundredths(absBig(value))}`
}

/**
 * Compact form for large sums (dashboards, target progress).
 *
 * Values are truncated toward zero, never rounded: a target of 2亿元 that is
 * one fen short must not be shown as reached. Negative amounts (refunds,
 * reversals) are formatted as the mirror image of their absolute value.
 *
 * zh: ≥ 1亿元 → "2.00亿元", ≥ 1万元 → "3,000.00万元", otherwise exact.
 * en: ≥ ¥10,000 → whole yuan "¥200,000,000", otherwise exact. English
 *     readers have no 万/亿 units, and a raw yuan figure with separators is
 *     clearer than "2.00 hundred million".
 */
export function formatAmountShort(fen: bigint | number, locale: Locale): string {
  const value = toBigIntAmount(fen, 'fen')
  const magnitude = absBig(value)
  const sign = value < 0n ? '-' : ''

  if (locale === 'zh') {
    if (magnitude >= FEN_PER_YI) {
      return `${sign}${hundredths(magnitude / YI_HUNDREDTH)}亿元`
    }
    if (magnitude >= FEN_PER_WAN) {
      return `${sign}${hundredths(magnitude / WAN_HUNDREDTH)}万元`
    }
    return formatFen(value, locale)
  }

  if (magnitude >= FEN_PER_WAN) {
    return `${sign}¥${groupThousands((magnitude / FEN_PER_YUAN).toString())}`
  }
  return formatFen(value, locale)
}

/**
 * Share of `whole` taken by `part`, as a percentage string truncated to
 * `decimals` places, e.g. "99.9%". Truncation matters for progress bars:
 * 199,999,999 of 200,000,000 has not reached 100% and must not say so.
 * A negative ratio is truncated toward zero (mirror of the positive case),
 * and a result that truncates to zero is printed without a minus sign.
 * Returns "—" when `whole` is 0, because there is no meaningful ratio.
 */
export function percentFloor(part: bigint | number, whole: bigint | number, decimals = 1): string {
  if (!Number.isSafeInteger(decimals) || decimals < 0) {
    throw new RangeError(`decimals must be a non-negative integer, got ${String(decimals)}`)
  }
  const p = toBigIntAmount(part, 'part')
  const w = toBigIntAmount(whole, 'whole')
  if (w === 0n) return '—'

  const scale = 10n ** BigInt(decimals)
  const scaled = (absBig(p) * 100n * scale) / absBig(w)
  const integer = (scaled / scale).toString()
  const body = decimals === 0 ? integer : `${integer}.${(scaled % scale).toString().padStart(decimals, '0')}`
  const negative = p < 0n !== w < 0n && scaled !== 0n
  return `${negative ? '-' : ''}${body}%`
}

/**
 * A progress figure as people read it: floored like percentFloor, but a positive amount too small to reach the first
 * decimal reads "<0.1%" rather than a bare "0.0%" that says nothing happened.
 */
export function progressPercent(part: bigint | number, whole: bigint | number): string {
  const shown = percentFloor(part, whole)
  const p = toBigIntAmount(part, 'part')
  return shown === '0.0%' && p > 0n ? '<0.1%' : shown
}

// Ties must not depend on the order rows happen to come back from the
// database, otherwise re-running a split could move a fen between
// households. Keys give a stable, data-derived order instead.
function compareKeys(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') {
    return a < b ? -1 : a > b ? 1 : 0
  }
  if (typeof a === 'string' && typeof b === 'string') {
    // Relational operators on strings compare UTF-16 code units, which is
    // locale-independent, unlike localeCompare.
    return a < b ? -1 : a > b ? 1 : 0
  }
  // Mixed key types only arise with K = string | number; any fixed rule
  // keeps the result deterministic.
  return typeof a === 'number' ? -1 : 1
}

function toWeight(weight: number | bigint, index: number): bigint {
  if (typeof weight === 'bigint') {
    if (weight < 0n) throw new RangeError(`weight at index ${index} is negative`)
    return weight
  }
  if (!Number.isSafeInteger(weight) || weight < 0) {
    throw new RangeError(
      `weight at index ${index} must be a non-negative safe integer, got ${String(weight)}`,
    )
  }
  return BigInt(weight)
}

/**
 * Hamilton / largest-remainder apportionment of an integer `total` (usually
 * fen) by integer weights, so that proceeds credited to households always add
 * up to exactly what was received — no fen created or lost.
 *
 * Each share gets floor(total·w/W) or one more; the leftover units go to the
 * largest remainders, ties broken by key ascending (then input position, only
 * for duplicate keys). Output is in input order. A zero-weight share never
 * receives a unit, since leftover units always go to non-zero remainders.
 *
 * A negative total splits |total| and negates, so a reversal of a split is
 * the exact mirror of the original and nets every share to zero.
 */
export function splitLargestRemainder<K extends string | number>(
  total: bigint,
  shares: ReadonlyArray<{ key: K; weight: number | bigint }>,
): Array<{ key: K; amount: bigint }> {
  if (shares.length === 0) {
    if (total === 0n) return []
    throw new RangeError('cannot split a non-zero total among no shares')
  }

  const weights = shares.map((share, index) => toWeight(share.weight, index))
  const weightSum = weights.reduce((sum, w) => sum + w, 0n)
  if (weightSum === 0n) {
    throw new RangeError('weights must have a positive sum')
  }

  const negative = total < 0n
  const magnitude = absBig(total)

  const amounts = weights.map((w) => (magnitude * w) / weightSum)
  // Remainders share the denominator weightSum, so comparing numerators
  // compares the fractional parts exactly.
  const remainders = weights.map((w) => (magnitude * w) % weightSum)
  const allocated = amounts.reduce((sum, a) => sum + a, 0n)
  // Always < shares.length, so converting to number is safe.
  const leftover = Number(magnitude - allocated)

  if (leftover > 0) {
    const order = shares.map((_, index) => index)
    order.sort((i, j) => {
      const ri = remainders[i]!
      const rj = remainders[j]!
      if (ri !== rj) return ri > rj ? -1 : 1
      return compareKeys(shares[i]!.key, shares[j]!.key) || i - j
    })
    for (let n = 0; n < leftover; n++) {
      const index = order[n]!
      amounts[index] = amounts[index]! + 1n
    }
  }

  return shares.map((share, index) => {
    const amount = amounts[index]!
    return { key: share.key, amount: negative ? -amount : amount }
  })
}

/**
 * A yuan amount as typed by a person ("1,234.5", "¥88", "100.00") → fen. Null for anything that is not a
 * non-negative amount with at most two decimals (commas only between groups of three digits) — never rounded or
 * guessed, since a confirmed payment must match exactly.
 */
export function parseYuan(text: string): bigint | null {
  const cleaned = text
    .trim()
    .replace(/^[¥￥]\s*/, '')
    .replaceAll('，', ',')
  // Commas only as thousands separators: "12,34" (a decimal comma) must not be read as 1,234.
  const match = cleaned.match(/^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/)
  if (!match) return null
  const yuan = match[1]!.replaceAll(',', '')
  if (yuan.length > 13) return null
  return BigInt(yuan) * FEN_PER_YUAN + BigInt((match[2] ?? '').padEnd(2, '0'))
}

/**
 * The counting word of a sales unit, for phrases like 「满 10 箱，每箱 ¥23.75」: the pack after a slash (5kg/箱 → 箱),
 * a unit that is itself a counting word (箱, 只(约1.5kg) → 只), and 份 for a bare weight or volume (500g → 份), which
 * cannot be counted as such.
 */
export function unitCounter(unit: string): string {
  const bare = unit.replace(/[(（][^)）]*[)）]/g, '').trim()
  const pack = bare.includes('/') ? bare.slice(bare.lastIndexOf('/') + 1).trim() : bare
  return /^[\u4e00-\u9fff]{1,2}$/.test(pack) ? pack : '份'
}

// Office dashboard and 公示 (issue 19).
/**
 * Fen as a plain decimal number of yuan, e.g. 123456n → "1234.56", -5n → "-0.05": no symbol, no grouping, what a
 * spreadsheet reads as a number (CSV and XLSX exports).
 */
export function fenToYuanPlain(fen: bigint | number): string {
  const value = toBigIntAmount(fen, 'fen')
  const sign = value < 0n ? '-' : ''
  const abs = absBig(value)
  return `${sign}${(abs / FEN_PER_YUAN).toString()}.${twoDigits(abs % FEN_PER_YUAN)}`
}
