// 统一社会信用代码 (Unified Social Credit Code), GB 32100-2015.
//
// Layout (1-based positions):
//   1      登记管理部门代码 (registration authority)
//   2      机构类别代码 (entity kind)
//   3–8    登记管理机关行政区划码 (GB/T 2260 region code)
//   9–17   主体标识码 = 组织机构代码 (GB 11714: 8 body chars + check char)
//   18     校验码 (mod-31 check over positions 1–17)

// I, O, Z, S and V are excluded by the standard because they are easily
// confused with 1, 0, 2, 5 and U when read aloud or handwritten.
const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const

const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const

// Uppercase only: the code is printed in uppercase on licences, and
// accepting lowercase would let the same entity be stored under two spellings.
const USCC_PATTERN = /^[0-9A-HJ-NPQRTUWXY]{18}$/

function usccValue(char: string, position: number): number {
  const value = USCC_CHARSET.indexOf(char)
  if (char.length !== 1 || value < 0) {
    throw new RangeError(`invalid USCC character ${JSON.stringify(char)} at position ${position}`)
  }
  return value
}

/** Check character (position 18) for the first 17 characters of a USCC. */
export function usccCheckChar(first17: string): string {
  if (first17.length !== 17) {
    throw new RangeError(`expected 17 characters, got ${first17.length}`)
  }
  let sum = 0
  for (let i = 0; i < 17; i++) {
    sum += usccValue(first17[i]!, i + 1) * USCC_WEIGHTS[i]!
  }
  return USCC_CHARSET[(31 - (sum % 31)) % 31]!
}

/**
 * GB 11714 organization-code check character for an 8-character body
 * (digits or uppercase letters, A=10 … Z=35). Result is '0'–'9' or 'X'.
 */
export function orgCodeCheckChar(body8: string): string {
  if (!/^[0-9A-Z]{8}$/.test(body8)) {
    throw new RangeError(
      `organization code body must be 8 digits/uppercase letters, got ${JSON.stringify(body8)}`,
    )
  }
  let sum = 0
  for (let i = 0; i < 8; i++) {
    const code = body8.charCodeAt(i)
    // '0'–'9' are 48–57; 'A' is 65, and the standard assigns A=10, hence 55.
    const value = code <= 57 ? code - 48 : code - 55
    sum += value * ORG_WEIGHTS[i]!
  }
  const check = 11 - (sum % 11)
  if (check === 10) return 'X'
  if (check === 11) return '0'
  return String(check)
}

/**
 * Structural validity of a USCC: uppercase charset, 6-digit region code and
 * the mod-31 check character.
 *
 * The embedded GB 11714 check (position 17) is deliberately NOT enforced:
 * codes actually issued to some entities (e.g. ones whose 主体标识码 was
 * assigned rather than carried over from an old organization code) do not
 * satisfy it, and rejecting a registered entity's real code would block it
 * from onboarding. Use orgCodeCheckChar if a stricter check is wanted.
 */
export function isValidUscc(code: string): boolean {
  if (!USCC_PATTERN.test(code)) return false
  if (!/^\d{6}$/.test(code.slice(2, 8))) return false
  return usccCheckChar(code.slice(0, 17)) === code[17]
}

/**
 * Builds a valid USCC from its parts: computes the GB 11714 check character
 * for the organization body, then the GB 32100 check character. Mainly for
 * fixtures and seed data, so that generated codes pass the same validation
 * as real ones.
 */
export function makeUscc(parts: {
  authority: string
  kind: string
  regionCode: string
  orgBody8: string
}): string {
  const { authority, kind, regionCode, orgBody8 } = parts
  if (authority.length !== 1 || !USCC_CHARSET.includes(authority)) {
    throw new RangeError(`invalid authority code ${JSON.stringify(authority)}`)
  }
  if (kind.length !== 1 || !USCC_CHARSET.includes(kind)) {
    throw new RangeError(`invalid kind code ${JSON.stringify(kind)}`)
  }
  if (!/^\d{6}$/.test(regionCode)) {
    throw new RangeError(`region code must be 6 digits, got ${JSON.stringify(regionCode)}`)
  }
  // GB 11714 alone would allow I/O/Z/S/V in the body, but inside a USCC
  // every character must come from the USCC charset.
  if (!/^[0-9A-HJ-NPQRTUWXY]{8}$/.test(orgBody8)) {
    throw new RangeError(`invalid organization code body ${JSON.stringify(orgBody8)}`)
  }
  const first17 = `${authority}${kind}${regionCode}${orgBody8}${orgCodeCheckChar(orgBody8)}`
  return first17 + usccCheckChar(first17)
}
