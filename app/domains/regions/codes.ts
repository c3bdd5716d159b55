// GB/T 2260 administrative division codes: six digits, where digits 1–2
// name the province-level unit, 3–4 the prefecture (city) level and 5–6 the
// county level. A level is "absent" when its digits are 00.
//
// Hierarchy is derived purely from the digits, never from a lookup table.
// That places 省直辖县级行政区 correctly: e.g. 429004 仙桃市 is a county-level
// unit administered directly by 湖北省 with no prefecture above it, and its
// code only shares the "42" prefix with 420000 (its middle digits 90 are a
// grouping, not a real city). By prefix it belongs to province 420000, which
// is exactly where its sales should roll up. The same holds for
// municipalities: 110101 东城区 sits under 110100 市辖区 and 110000 北京市.

export type RegionLevel = 'province' | 'city' | 'county'

const REGION_CODE = /^[1-9]\d{5}$/

/** True for a syntactically valid six-digit code (first digit 1–9). */
export function isRegionCode(s: string): boolean {
  return REGION_CODE.test(s)
}

function assertRegionCode(code: string): void {
  if (!isRegionCode(code)) {
    throw new RangeError(`not a region code: ${JSON.stringify(code)}`)
  }
}

/**
 * Level implied by trailing zeros. Throws on malformed input because
 * classifying garbage (e.g. "000000" as a province) would silently widen a
 * subtree filter to everything.
 */
export function regionLevelOf(code: string): RegionLevel {
  assertRegionCode(code)
  if (code.endsWith('0000')) return 'province'
  if (code.endsWith('00')) return 'city'
  return 'county'
}

/** Prefix shared by every code in the subtree rooted at `code`. */
export function subtreePrefix(code: string): string {
  switch (regionLevelOf(code)) {
    case 'province':
      return code.slice(0, 2)
    case 'city':
      return code.slice(0, 4)
    case 'county':
      return code
  }
}

/**
 * Whether `code` lies in the subtree rooted at `rootCode` (a code is in its
 * own subtree). A malformed `code` is simply not in any subtree, so this
 * returns false; a malformed `rootCode` is a programming error and throws.
 */
export function isInSubtree(code: string, rootCode: string): boolean {
  const prefix = subtreePrefix(rootCode)
  return isRegionCode(code) && code.startsWith(prefix)
}

/**
 * The province, city and county a code names, '' where the code stops above a level: 621126 → 620000, 621100,
 * 621126; 441900 东莞市 → 440000, 441900, ''. A malformed code names none. This is how a region picker shows a
 * previous choice again.
 */
export function regionLevels(code: string | null | undefined): {
  province: string
  city: string
  county: string
} {
  if (!code || !isRegionCode(code)) return { province: '', city: '', county: '' }
  const province = `${code.slice(0, 2)}0000`
  const city = code === province ? '' : `${code.slice(0, 4)}00`
  const county = code === province || code === city ? '' : code
  return { province, city, county }
}
