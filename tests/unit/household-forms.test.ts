import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { householdSchema, maskHeadName, percentToBasisPoints, yuanToFen } from '~/domains/households'
import { normalizeIdCardNumber } from '~/utils/id-card'
import { fcParams } from '../support/fast-check'
import { householdForm, syntheticIdNumber, validIdNumbersIn, wrongCheckDigit } from '../support/households'

describe('household forms', () => {
  it('masks a head of household’s name, and masking twice changes nothing', () => {
    expect(maskHeadName('张三丰')).toBe('张*丰')
    expect(maskHeadName('李四')).toBe('李*')
    expect(maskHeadName('欧阳娜娜')).toBe('欧*娜')
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }), (name) => {
        const once = maskHeadName(name)
        expect(maskHeadName(once)).toBe(once)
      }),
      fcParams(),
    )
  })

  it('reads percentages as basis points and yuan as fen exactly (no float on the way)', () => {
    expect(percentToBasisPoints('5')).toBe(500)
    expect(percentToBasisPoints('2.5%')).toBe(250)
    expect(percentToBasisPoints('100')).toBe(10_000)
    expect(percentToBasisPoints('100.01')).toBeNull()
    expect(percentToBasisPoints('1e2')).toBeNull()
    expect(yuanToFen('1.5')).toBe(150n)
    expect(yuanToFen('-1')).toBeNull()
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (bp) => {
        expect(percentToBasisPoints((bp / 100).toFixed(2))).toBe(bp)
        expect(percentToBasisPoints(`${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, '0')}`)).toBe(bp)
      }),
      fcParams(),
    )
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 999_999_999n }), (fen) => {
        expect(yuanToFen(`${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`)).toBe(fen)
      }),
      fcParams(),
    )
  })

  it('accepts an ID number with its check character, as people type it, and refuses a wrong one', () => {
    const id = syntheticIdNumber(7, '19880808')
    expect(normalizeIdCardNumber(` ${id.slice(0, 6)} ${id.slice(6).toLowerCase()} `)).toBe(id)
    expect(householdSchema.safeParse(householdForm({ idNumber: id })).success).toBe(true)
    const wrong = householdSchema.safeParse(householdForm({ idNumber: wrongCheckDigit(id) }))
    expect(wrong.success).toBe(false)
    expect(validIdNumbersIn(`x ${id} y ${wrongCheckDigit(id)}`)).toEqual([id])
  })
})
