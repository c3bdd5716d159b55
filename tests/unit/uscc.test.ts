import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { isValidUscc, makeUscc, orgCodeCheckChar, usccCheckChar } from '../../app/utils/uscc'
import { fcParams } from '../support/fast-check'

const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
// Published sample codes; both also satisfy the embedded GB 11714 check.
const SAMPLES = ['91350100M000100Y43', '91110000600037341L'] as const

const replaceAt = (s: string, i: number, c: string): string => s.slice(0, i) + c + s.slice(i + 1)

const charArb = fc.constantFrom(...CHARSET.split(''))
const digitArb = fc.constantFrom(...'0123456789'.split(''))
const partsArb = fc.record({
  authority: charArb,
  kind: charArb,
  regionCode: fc.array(digitArb, { minLength: 6, maxLength: 6 }).map((d) => d.join('')),
  orgBody8: fc.array(charArb, { minLength: 8, maxLength: 8 }).map((d) => d.join('')),
})

describe('usccCheckChar', () => {
  it('reproduces the check character of the published samples', () => {
    for (const code of SAMPLES) {
      expect(usccCheckChar(code.slice(0, 17))).toBe(code[17])
    }
  })

  it('throws on characters outside the charset or wrong length', () => {
    expect(() => usccCheckChar('91350100I000100Y4')).toThrow(RangeError)
    expect(() => usccCheckChar('91350100m000100Y4')).toThrow(RangeError)
    expect(() => usccCheckChar('91350100M000100Y')).toThrow(RangeError)
    expect(() => usccCheckChar('91350100M000100Y43')).toThrow(RangeError)
  })
})

describe('orgCodeCheckChar (GB 11714)', () => {
  it('matches the organization codes embedded in the samples', () => {
    expect(orgCodeCheckChar('M000100Y')).toBe('4')
    expect(orgCodeCheckChar('60003734')).toBe('1')
  })

  it('maps 10 to X and 11 to 0', () => {
    // Textbook example D2143569-X: sum 199, 11 - 199 % 11 = 10.
    expect(orgCodeCheckChar('D2143569')).toBe('X')
    // Sum 0 → 11 → '0'.
    expect(orgCodeCheckChar('00000000')).toBe('0')
  })

  it('accepts any uppercase letter but rejects other input', () => {
    expect(orgCodeCheckChar('IOZSV000')).toMatch(/^[0-9X]$/)
    expect(() => orgCodeCheckChar('d2143569')).toThrow(RangeError)
    expect(() => orgCodeCheckChar('D214356')).toThrow(RangeError)
    expect(() => orgCodeCheckChar('D2143569X')).toThrow(RangeError)
  })
})

describe('isValidUscc', () => {
  it('accepts the published samples', () => {
    for (const code of SAMPLES) expect(isValidUscc(code)).toBe(true)
  })

  it('rejects every single-character substitution of the samples', () => {
    // 31 is prime and no weight is 0 mod 31, so any substitution is detected.
    for (const code of SAMPLES) {
      for (let i = 0; i < 18; i++) {
        for (const c of CHARSET) {
          if (c !== code[i]) expect(isValidUscc(replaceAt(code, i, c)), `${i}:${c}`).toBe(false)
        }
      }
    }
  })

  it('rejects lowercase, wrong length and excluded letters', () => {
    expect(isValidUscc('91350100m000100y43')).toBe(false)
    expect(isValidUscc('91110000600037341l')).toBe(false)
    expect(isValidUscc('91350100M000100Y4')).toBe(false)
    expect(isValidUscc('91350100M000100Y433')).toBe(false)
    expect(isValidUscc('')).toBe(false)
    expect(isValidUscc(' 91350100M000100Y43')).toBe(false)
    for (const bad of 'IOZSV') {
      expect(isValidUscc(replaceAt('91350100M000100Y43', 8, bad))).toBe(false)
      expect(isValidUscc(replaceAt('91110000600037341L', 17, bad))).toBe(false)
    }
  })

  it('rejects a letter in the region code even with a matching check char', () => {
    const first17 = '91A50100M000100Y4'
    expect(isValidUscc(first17 + usccCheckChar(first17))).toBe(false)
  })

  it('does not require the embedded GB 11714 check to hold', () => {
    // Same as the first sample but position 17 changed, then re-checked.
    const first17 = '91350100M000100Y7'
    expect(orgCodeCheckChar('M000100Y')).not.toBe('7')
    expect(isValidUscc(first17 + usccCheckChar(first17))).toBe(true)
  })

  it('detects adjacent transpositions', () => {
    fc.assert(
      fc.property(partsArb, fc.integer({ min: 0, max: 16 }), (parts, i) => {
        const code = makeUscc(parts)
        fc.pre(code[i] !== code[i + 1])
        const swapped = code.slice(0, i) + code[i + 1]! + code[i]! + code.slice(i + 2)
        expect(isValidUscc(swapped)).toBe(false)
      }),
      fcParams(),
    )
  })
})

describe('makeUscc', () => {
  it('rebuilds the published samples from their parts', () => {
    expect(makeUscc({ authority: '9', kind: '1', regionCode: '350100', orgBody8: 'M000100Y' })).toBe(
      SAMPLES[0],
    )
    expect(makeUscc({ authority: '9', kind: '1', regionCode: '110000', orgBody8: '60003734' })).toBe(
      SAMPLES[1],
    )
  })

  it('rejects malformed parts', () => {
    const ok = { authority: '9', kind: '1', regionCode: '350100', orgBody8: 'M000100Y' }
    expect(() => makeUscc({ ...ok, authority: '' })).toThrow(RangeError)
    expect(() => makeUscc({ ...ok, authority: '91' })).toThrow(RangeError)
    expect(() => makeUscc({ ...ok, kind: 'I' })).toThrow(RangeError)
    expect(() => makeUscc({ ...ok, regionCode: '35010' })).toThrow(RangeError)
    expect(() => makeUscc({ ...ok, regionCode: '3501A0' })).toThrow(RangeError)
    expect(() => makeUscc({ ...ok, orgBody8: 'M000100' })).toThrow(RangeError)
    expect(() => makeUscc({ ...ok, orgBody8: 'm000100Y' })).toThrow(RangeError)
    expect(() => makeUscc({ ...ok, orgBody8: 'O000100Y' })).toThrow(RangeError)
  })

  it('always produces a valid code with a valid embedded organization code', () => {
    fc.assert(
      fc.property(partsArb, (parts) => {
        const code = makeUscc(parts)
        expect(code).toHaveLength(18)
        expect(isValidUscc(code)).toBe(true)
        expect(code.slice(0, 16)).toBe(`${parts.authority}${parts.kind}${parts.regionCode}${parts.orgBody8}`)
        expect(code[16]).toBe(orgCodeCheckChar(parts.orgBody8))
      }),
      fcParams(),
    )
  })

  it('generated codes stop validating after any single substitution', () => {
    fc.assert(
      fc.property(partsArb, fc.integer({ min: 0, max: 17 }), charArb, (parts, i, c) => {
        const code = makeUscc(parts)
        fc.pre(code[i] !== c)
        expect(isValidUscc(replaceAt(code, i, c))).toBe(false)
      }),
      fcParams(),
    )
  })
})
