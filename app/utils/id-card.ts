// 居民身份证号码 (Resident Identity Card number), GB 11643-1999, 18 digits:
//   1–6    address code (GB/T 2260)
//   7–14   birth date YYYYMMDD
//   15–17  sequence code
//   18     ISO 7064 MOD 11-2 check character ('0'–'9' or 'X')

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const
const CHECK_CHARS = '10X98765432'

// Birth dates on the card are Beijing calendar dates. Using the server's
// local zone would make "born today" valid or invalid depending on where the
// process runs; China has a fixed UTC+8 offset and no DST, so a constant
// offset is exact.
const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000

/** Check character for the first 17 digits of an ID card number. */
export function idCardCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) {
    throw new RangeError(`expected 17 digits, got ${JSON.stringify(first17)}`)
  }
  let sum = 0
  for (let i = 0; i < 17; i++) {
    sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]!
  }
  return CHECK_CHARS[sum % 11]!
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

// YYYYMMDD as a number, so calendar dates compare with plain < / >.
function beijingDateNumber(instant: Date): number {
  const shifted = new Date(instant.getTime() + BEIJING_OFFSET_MS)
  return shifted.getUTCFullYear() * 10000 + (shifted.getUTCMonth() + 1) * 100 + shifted.getUTCDate()
}

/**
 * Validates format, birth date (a real calendar date from 1900-01-01 up to
 * today in Beijing time) and the check character. Lowercase 'x' is rejected
 * so that one person cannot be stored under two spellings; normalise before
 * calling if user input may contain it.
 *
 * `today` exists for deterministic tests; production callers omit it.
 */
export function isValidIdCardNumber(s: string, today: Date = new Date()): boolean {
  if (!/^\d{17}[\dX]$/.test(s)) return false

  const year = Number(s.slice(6, 10))
  const month = Number(s.slice(10, 12))
  const day = Number(s.slice(12, 14))
  if (month < 1 || month > 12) return false
  if (day < 1 || day > daysInMonth(year, month)) return false
  const birth = year * 10000 + month * 100 + day
  if (birth < 19000101 || birth > beijingDateNumber(today)) return false

  return idCardCheckChar(s.slice(0, 17)) === s[17]
}

/**
 * Replaces all but the last 4 characters with '*', e.g.
 * "11010519491231002X" → "**************002X". The length is preserved so
 * the masked value still looks like an ID number to the reader. Does not
 * validate: masking is for display and must never throw on odd input.
 */
export function maskIdCardNumber(s: string): string {
  const visible = Math.min(4, s.length)
  return '*'.repeat(s.length - visible) + s.slice(s.length - visible)
}

/**
 * What is wrong with a typed ID number, for a message next to the field: its shape, its birth date (a real date
 * from 1900-01-01 up to `today` in Beijing), or its check character; null when it is valid.
 */
export function idCardNumberIssue(s: string, today: Date): 'format' | 'date' | 'check_digit' | null {
  if (!/^\d{17}[\dX]$/.test(s)) return 'format'
  if (idCardCheckChar(s.slice(0, 17)) !== s[17]) return 'check_digit'
  return isValidIdCardNumber(s, today) ? null : 'date'
}

/** What people type (spaces, a lowercase x, full-width digits) → the card's own spelling. */
export function normalizeIdCardNumber(raw: string): string {
  return raw
    .replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000-]/g, '')
    .replace(/[xX\uFF38\uFF58]$/, 'X')
}
