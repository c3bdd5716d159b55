import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatFen, parseYuan } from '../../app/utils/money'
import { fcParams } from '../support/fast-check'

/** parseYuan reads at most 13 digits of whole yuan (¥9,999,999,999,999.99), far above any payment. */
const MAX_PARSED_FEN = 10n ** 15n - 1n

describe('parseYuan', () => {
  it('reads amounts as people type them, exactly', () => {
    const cases: Array<[string, bigint]> = [
      ['0', 0n],
      ['0.00', 0n],
      ['88', 8800n],
      ['88.5', 8850n],
      ['88.05', 8805n],
      ['88.50', 8850n],
      ['0.01', 1n],
      ['¥88', 8800n],
      ['￥88', 8800n],
      ['¥ 1,234.56', 123_456n],
      ['1,234.5', 123_450n],
      ['1，234.5', 123_450n],
      ['12,345,678.90', 1_234_567_890n],
      ['  300  ', 30_000n],
      ['007', 700n],
      ['9999999999999.99', MAX_PARSED_FEN],
    ]
    for (const [text, fen] of cases) expect(parseYuan(text), text).toBe(fen)
  })

  it('refuses anything it would have to round or guess', () => {
    for (const text of [
      '',
      '  ',
      '¥',
      '1.234', // three decimals: never rounded to 1.23
      '0.005',
      '-5',
      '-¥5',
      '¥-5',
      '+5',
      '.5',
      '5.',
      '1e3',
      '0x10',
      'NaN',
      'abc',
      '12元',
      '1 234',
      '1.2.3',
      '12,34', // a decimal comma is not a thousands separator: ¥12.34 must not become ¥1,234
      '1,2,3',
      '1234,567',
      ',123',
      '123,',
      '10000000000000', // 14 digits of yuan
      '１２３', // full-width digits
    ])
      expect(parseYuan(text), JSON.stringify(text)).toBeNull()
  })

  it('reads back every amount formatFen prints, with or without the ¥', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.bigInt({ min: 0n, max: 1_000_000n }),
          fc.bigInt({ min: 0n, max: MAX_PARSED_FEN }),
          fc.constantFrom(0n, 1n, 99n, 100n, 101n, 99_999n, 100_000n, MAX_PARSED_FEN),
        ),
        (fen) => {
          const printed = formatFen(fen)
          expect(parseYuan(printed.replace('¥', ''))).toBe(fen)
          expect(parseYuan(printed)).toBe(fen)
          // Without the thousands separators too.
          expect(parseYuan(printed.replace('¥', '').replaceAll(',', ''))).toBe(fen)
        },
      ),
      fcParams(),
    )
  })

  it('never returns a value for three or more decimals', () => {
    fc.assert(
      fc.property(fc.nat(10_000_000), fc.stringMatching(/^[0-9]{3,6}$/), (yuan, decimals) => {
        expect(parseYuan(`${yuan}.${decimals}`)).toBeNull()
      }),
      fcParams(),
    )
  })
})
