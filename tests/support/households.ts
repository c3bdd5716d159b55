import { idCardCheckChar } from '../../app/utils/id-card'

/**
 * A synthetic ID number with a valid check character: address code, birth date and a sequence number chosen by the
 * test. It names nobody; tests use it only to see that the app accepts, protects and finds duplicates of it.
 */
export function syntheticIdNumber(serial: number, birth = '19700101', region = '621126'): string {
  const first17 = `${region}${birth}${String(serial % 1000).padStart(3, '0')}`
  return first17 + idCardCheckChar(first17)
}

/** The same number with its check character changed to a wrong one. */
export function wrongCheckDigit(idNumber: string): string {
  const right = idNumber[17]
  const wrong = right === '0' ? '1' : '0'
  return idNumber.slice(0, 17) + wrong
}

/** A household form as a browser posts it; override what a test is about. */
export function householdForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    headName: '王小明',
    regionCode: '621126',
    village: '梅川镇演示村',
    members: '4',
    status: '脱贫户',
    linkage: '订单收购',
    idNumber: '',
    ...overrides,
  }
}

/** Every valid 18-character ID number (GB 11643 check character) in a text. */
export function validIdNumbersIn(text: string): string[] {
  const found: string[] = []
  for (const match of text.matchAll(/(?<![0-9A-Za-z])\d{17}[\dX](?![0-9A-Za-z])/g)) {
    const s = match[0]
    const month = Number(s.slice(10, 12))
    const day = Number(s.slice(12, 14))
    if (month < 1 || month > 12 || day < 1 || day > 31) continue
    if (idCardCheckChar(s.slice(0, 17)) === s[17]) found.push(s)
  }
  return found
}
