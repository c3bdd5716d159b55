import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseProductQuery, yuanToFen } from '../../app/domains/catalog/product-query'
import { fcParams } from '../support/fast-check'

describe('parseProductQuery', () => {
  it('treats empty form fields as no filter', () => {
    const { query, errors } = parseProductQuery(new URLSearchParams('q=&region=&category=&min=&max=&sort='))
    expect(errors).toEqual([])
    expect(query).toEqual({})
  })

  it('keeps the valid parameters when one is invalid, and names the invalid one', () => {
    const { query, errors } = parseProductQuery(new URLSearchParams('region=621100&min=abc&page=2'))
    expect(query).toMatchObject({ region: '621100', page: 2 })
    expect(errors.map((e) => e.param)).toEqual(['min'])
  })

  it('refuses a minimum above the maximum', () => {
    const { query, errors } = parseProductQuery(new URLSearchParams('min=30&max=20.5'))
    expect(errors).toEqual([{ param: 'min', message: 'min must not be above max' }])
    expect(query.max).toBe('20.5')
    expect(query.min).toBeUndefined()
  })

  it('ignores parameters a caller does not allow', () => {
    const { query, errors } = parseProductQuery(new URLSearchParams('min=abc&q=当归'), ['q'])
    expect(errors).toEqual([])
    expect(query).toEqual({ q: '当归' })
  })
})

describe('yuanToFen', () => {
  it('converts exactly, without floating point', () => {
    expect(yuanToFen('0.1')).toBe(10n)
    expect(yuanToFen('12.5')).toBe(1250n)
    expect(yuanToFen('12.05')).toBe(1205n)
    expect(yuanToFen('99999999.99')).toBe(9_999_999_999n)
  })

  it('round-trips every amount it accepts', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 9_999_999_999n }), (fen) => {
        const yuan = `${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`
        expect(yuanToFen(yuan)).toBe(fen)
      }),
      fcParams(),
    )
  })
})
