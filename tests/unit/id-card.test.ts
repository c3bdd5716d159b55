import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { idCardCheckChar, isValidIdCardNumber, maskIdCardNumber } from '../../app/utils/id-card'
import { fcParams } from '../support/fast-check'

// The well-known sample from GB 11643-1999; every other number here is
// computed (by hand once, and by idCardCheckChar in the generators).
const SAMPLE = '11010519491231002X'
// Fixed "today" so date-boundary tests do not depend on when they run.
// 2025-06-15 00:00 Beijing time = 2025-06-14T16:00Z.
const TODAY = new Date('2025-06-14T16:00:00Z')

const withCheck = (first17: string): string => first17 + idCardCheckChar(first17)
const replaceAt = (s: string, i: number, c: string): string => s.slice(0, i) + c + s.slice(i + 1)

describe('idCardCheckChar', () => {
  it('computes the check character', () => {
    expect(idCardCheckChar('11010519491231002')).toBe('X')
    expect(idCardCheckChar('11010519491231003')).toBe('8')
    expect(idCardCheckChar('11010119000101001')).toBe('4')
    expect(idCardCheckChar('42900420000229001')).toBe('2')
    expect(idCardCheckChar('44030620240229123')).toBe('7')
  })

  it('throws on non-digits or wrong length', () => {
    expect(() => idCardCheckChar('1101051949123100')).toThrow(RangeError)
    expect(() => idCardCheckChar('11010519491231002X')).toThrow(RangeError)
    expect(() => idCardCheckChar('1101051949123100A')).toThrow(RangeError)
  })
})

describe('isValidIdCardNumber', () => {
  it('accepts the sample and computed numbers', () => {
    expect(isValidIdCardNumber(SAMPLE)).toBe(true)
    expect(isValidIdCardNumber('110105194912310038')).toBe(true)
    expect(isValidIdCardNumber('110101190001010014')).toBe(true)
    expect(isValidIdCardNumber('429004200002290012')).toBe(true)
    expect(isValidIdCardNumber('440306202402291237', TODAY)).toBe(true)
  })

  it('rejects lowercase x, wrong length and non-digits', () => {
    expect(isValidIdCardNumber('11010519491231002x')).toBe(false)
    expect(isValidIdCardNumber('11010519491231002')).toBe(false)
    expect(isValidIdCardNumber('11010519491231002X0')).toBe(false)
    expect(isValidIdCardNumber('1101051949123100X2')).toBe(false)
    expect(isValidIdCardNumber('')).toBe(false)
  })

  it('rejects a wrong check character', () => {
    expect(isValidIdCardNumber('110105194912310020')).toBe(false)
    expect(isValidIdCardNumber('11010519491231003X')).toBe(false)
  })

  it('validates the birth date', () => {
    const at = (date: string): boolean => isValidIdCardNumber(withCheck(`110105${date}001`), TODAY)
    expect(at('19000101')).toBe(true)
    expect(at('18991231')).toBe(false)
    expect(at('20000229')).toBe(true) // divisible by 400
    expect(at('19000229')).toBe(false) // divisible by 100, not 400
    expect(at('20240229')).toBe(true)
    expect(at('20230229')).toBe(false)
    expect(at('20230431')).toBe(false)
    expect(at('20231131')).toBe(false)
    expect(at('20231231')).toBe(true)
    expect(at('20231301')).toBe(false)
    expect(at('20230001')).toBe(false)
    expect(at('20230100')).toBe(false)
    expect(at('20230132')).toBe(false)
    expect(at('20250615')).toBe(true) // today
    expect(at('20250616')).toBe(false) // tomorrow
    expect(at('99991231')).toBe(false)
  })

  it('uses the Beijing calendar date for "today"', () => {
    const number = withCheck('11010520250615001')
    // 15:59Z on the 14th is still 23:59 on the 14th in Beijing.
    expect(isValidIdCardNumber(number, new Date('2025-06-14T15:59:59Z'))).toBe(false)
    expect(isValidIdCardNumber(number, new Date('2025-06-14T16:00:00Z'))).toBe(true)
  })

  it('defaults "today" to now', () => {
    expect(isValidIdCardNumber(withCheck('11010520991231001'))).toBe(false)
  })

  const birthDateArb = fc
    .date({
      min: new Date('1900-01-01T00:00:00Z'),
      max: new Date('2025-06-14T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10).replaceAll('-', ''))
  const validArb = fc
    .tuple(fc.stringMatching(/^[1-9]\d{5}$/), birthDateArb, fc.stringMatching(/^\d{3}$/))
    .map(([region, birth, seq]) => withCheck(region + birth + seq))

  it('accepts every generated number with a real birth date', () => {
    fc.assert(
      fc.property(validArb, (id) => {
        expect(isValidIdCardNumber(id, TODAY)).toBe(true)
      }),
      fcParams(),
    )
  })

  it('detects any single-character substitution', () => {
    // 11 is prime and no weight is 0 mod 11, so one changed digit always
    // changes the checksum (it may still fail earlier, on the date).
    fc.assert(
      fc.property(
        validArb,
        fc.integer({ min: 0, max: 17 }),
        fc.constantFrom(...'0123456789X'),
        (id, i, c) => {
          fc.pre(id[i] !== c)
          expect(isValidIdCardNumber(replaceAt(id, i, c), TODAY)).toBe(false)
        },
      ),
      fcParams(),
    )
  })
})

describe('maskIdCardNumber', () => {
  it('keeps only the last 4 characters', () => {
    expect(maskIdCardNumber(SAMPLE)).toBe('**************002X')
    expect(maskIdCardNumber('110105194912310038')).toBe('**************0038')
  })

  it('never throws and never reveals more than 4 characters', () => {
    expect(maskIdCardNumber('')).toBe('')
    expect(maskIdCardNumber('12')).toBe('12')
    expect(maskIdCardNumber('12345')).toBe('*2345')
    fc.assert(
      fc.property(fc.string(), (s) => {
        const masked = maskIdCardNumber(s)
        expect(masked).toHaveLength(s.length)
        expect(masked.slice(-4)).toBe(s.slice(-4))
        expect(masked.slice(0, Math.max(0, s.length - 4))).toMatch(/^\**$/)
      }),
      fcParams(),
    )
  })
})
