import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { isInSubtree, isRegionCode, regionLevelOf, subtreePrefix } from '../../app/domains/regions/codes'
import { fcParams } from '../support/fast-check'

const codeArb = fc.stringMatching(/^[1-9]\d{5}$/)
const provinceArb = fc.stringMatching(/^[1-9]\d$/).map((p) => `${p}0000`)
const cityArb = fc.stringMatching(/^[1-9]\d(?:0[1-9]|[1-9]\d)$/).map((p) => `${p}00`)
const countyArb = fc.stringMatching(/^[1-9]\d{3}(?:0[1-9]|[1-9]\d)$/)

describe('isRegionCode', () => {
  it('accepts six digits not starting with 0', () => {
    expect(isRegionCode('420000')).toBe(true)
    expect(isRegionCode('429004')).toBe(true)
    expect(isRegionCode('000000')).toBe(false)
    expect(isRegionCode('042000')).toBe(false)
    expect(isRegionCode('42000')).toBe(false)
    expect(isRegionCode('4200000')).toBe(false)
    expect(isRegionCode('42000a')).toBe(false)
    expect(isRegionCode('４２００００')).toBe(false) // full-width digits
    expect(isRegionCode(' 420000')).toBe(false)
    expect(isRegionCode('420000\n')).toBe(false)
  })
})

describe('regionLevelOf / subtreePrefix', () => {
  it('classifies by trailing zeros', () => {
    expect(regionLevelOf('420000')).toBe('province')
    expect(regionLevelOf('420100')).toBe('city')
    expect(regionLevelOf('420102')).toBe('county')
    expect(regionLevelOf('110000')).toBe('province')
    expect(regionLevelOf('110100')).toBe('city')
    expect(regionLevelOf('110101')).toBe('county')
    // 仙桃市: county-level, administered directly by 湖北省.
    expect(regionLevelOf('429004')).toBe('county')
    expect(regionLevelOf('429000')).toBe('city')
  })

  it('returns the prefix for each level', () => {
    expect(subtreePrefix('420000')).toBe('42')
    expect(subtreePrefix('420100')).toBe('4201')
    expect(subtreePrefix('420102')).toBe('420102')
    expect(subtreePrefix('429004')).toBe('429004')
  })

  it('throws on malformed codes', () => {
    expect(() => regionLevelOf('000000')).toThrow(RangeError)
    expect(() => regionLevelOf('4200')).toThrow(RangeError)
    expect(() => subtreePrefix('abcdef')).toThrow(RangeError)
  })

  it('agrees with the generators for each level', () => {
    fc.assert(
      fc.property(provinceArb, cityArb, countyArb, (p, c, k) => {
        expect(regionLevelOf(p)).toBe('province')
        expect(regionLevelOf(c)).toBe('city')
        expect(regionLevelOf(k)).toBe('county')
        expect(subtreePrefix(p)).toHaveLength(2)
        expect(subtreePrefix(c)).toHaveLength(4)
        expect(subtreePrefix(k)).toBe(k)
      }),
      fcParams(),
    )
  })
})

describe('isInSubtree', () => {
  it('places 省直辖县级行政区 under their province by prefix', () => {
    expect(isInSubtree('429004', '420000')).toBe(true)
    expect(isInSubtree('429004', '429000')).toBe(true)
    expect(isInSubtree('429004', '420100')).toBe(false)
  })

  it('handles ordinary hierarchy', () => {
    expect(isInSubtree('420102', '420100')).toBe(true)
    expect(isInSubtree('420102', '420000')).toBe(true)
    expect(isInSubtree('420100', '420000')).toBe(true)
    expect(isInSubtree('420000', '420000')).toBe(true)
    expect(isInSubtree('420000', '420100')).toBe(false)
    expect(isInSubtree('420100', '420102')).toBe(false)
    expect(isInSubtree('430102', '420000')).toBe(false)
    expect(isInSubtree('110101', '110000')).toBe(true)
  })

  it('returns false for a malformed code and throws for a malformed root', () => {
    expect(isInSubtree('42', '420000')).toBe(false)
    expect(isInSubtree('42010x', '420000')).toBe(false)
    expect(isInSubtree('4201021', '420100')).toBe(false)
    expect(() => isInSubtree('420102', '42')).toThrow(RangeError)
  })

  it('every code is in its own subtree and in its province subtree', () => {
    fc.assert(
      fc.property(codeArb, (code) => {
        expect(isInSubtree(code, code)).toBe(true)
        expect(isInSubtree(code, `${code.slice(0, 2)}0000`)).toBe(true)
      }),
      fcParams(),
    )
  })

  it('is transitive and matches shared-prefix semantics', () => {
    fc.assert(
      fc.property(codeArb, codeArb, codeArb, (a, b, c) => {
        if (isInSubtree(a, b) && isInSubtree(b, c)) expect(isInSubtree(a, c)).toBe(true)
        expect(isInSubtree(a, b)).toBe(a.startsWith(subtreePrefix(b)))
      }),
      fcParams(),
    )
  })

  it('puts a county under its city and province', () => {
    fc.assert(
      fc.property(countyArb, (county) => {
        expect(isInSubtree(county, `${county.slice(0, 4)}00`)).toBe(true)
        expect(isInSubtree(county, `${county.slice(0, 2)}0000`)).toBe(true)
        expect(isInSubtree(`${county.slice(0, 4)}00`, county)).toBe(false)
      }),
      fcParams(),
    )
  })
})
