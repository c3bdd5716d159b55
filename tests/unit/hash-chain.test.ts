import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  type CanonicalInput,
  canonicalJson,
  chainHash,
  GENESIS_HASH,
  toJsonValue,
} from '../../app/services/hash-chain/index.server'
import { fcParams } from '../support/fast-check'

/** Any value canonicalJson accepts: integers (numbers and bigints), strings, booleans, null, dates, arrays, objects. */
const canonicalValue: fc.Arbitrary<CanonicalInput> = fc.letrec<{ value: CanonicalInput }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.string(),
    fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
    fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }),
    fc.date({
      min: new Date('1970-01-01T00:00:00Z'),
      max: new Date('2999-12-31T23:59:59Z'),
      noInvalidDate: true,
    }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 5 }),
  ),
})).value

/** The same value with the keys of every object inserted in another order, picked by `picks`. */
function reorderKeys(value: CanonicalInput, picks: number[], cursor = { i: 0 }): CanonicalInput {
  if (value === null || typeof value !== 'object' || value instanceof Date) return value
  if (Array.isArray(value)) return value.map((item: CanonicalInput) => reorderKeys(item, picks, cursor))
  const remaining = Object.keys(value)
  // No prototype: a '__proto__' key is an ordinary key here, as in JSON.
  const result = Object.create(null) as Record<string, CanonicalInput>
  while (remaining.length > 0) {
    const pick = (picks[cursor.i++ % picks.length] ?? 0) % remaining.length
    const [key] = remaining.splice(pick, 1)
    result[key!] = reorderKeys((value as Record<string, CanonicalInput>)[key!]!, picks, cursor)
  }
  return result
}

describe('canonicalJson', () => {
  it('sorts keys at every depth, writes integers and bigints as decimal strings, dates as ISO UTC, no spaces', () => {
    const value = {
      zeta: [3, { b: true, a: null }],
      alpha: { y: 12345678901234567890n, x: 'text with spaces' },
      at: new Date('2026-06-15T12:00:00+08:00'),
      neg: -7,
    }
    expect(canonicalJson(value)).toBe(
      '{"alpha":{"x":"text with spaces","y":"12345678901234567890"},"at":"2026-06-15T04:00:00.000Z",' +
        '"neg":"-7","zeta":["3",{"a":null,"b":true}]}',
    )
    expect(canonicalJson(-0)).toBe('"0"')
    expect(canonicalJson(5)).toBe(canonicalJson(5n))
    expect(canonicalJson('引号"与\\反斜杠')).toBe(JSON.stringify('引号"与\\反斜杠'))
  })

  it('refuses floats, NaN, infinities, unsafe integers, undefined and anything that is not plain JSON', () => {
    const refused: unknown[] = [
      1.5,
      NaN,
      Infinity,
      -Infinity,
      2 ** 53,
      undefined,
      { amount: 0.1 },
      { nested: [1, { deep: undefined }] },
      [undefined],
      new Date(Number.NaN),
      new Map(),
      () => 1,
      Symbol('s'),
    ]
    for (const value of refused) {
      expect(() => canonicalJson(value as CanonicalInput), String(value)).toThrow(RangeError)
      expect(() => toJsonValue(value as CanonicalInput), String(value)).toThrow(RangeError)
    }
    const circular: Record<string, unknown> = {}
    circular.self = circular
    expect(() => canonicalJson(circular as CanonicalInput)).toThrow(RangeError)
    // The same object twice, side by side, is no cycle.
    const shared = { n: 1 }
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"n":"1"},"b":{"n":"1"}}')
  })

  it('does not depend on the order in which keys were inserted', () => {
    fc.assert(
      fc.property(canonicalValue, fc.array(fc.nat(), { minLength: 1, maxLength: 20 }), (value, picks) => {
        expect(canonicalJson(reorderKeys(value, picks))).toBe(canonicalJson(value))
      }),
      fcParams(),
    )
  })

  it('is valid JSON, and gives the same text for the value as stored in jsonb (toJsonValue)', () => {
    fc.assert(
      fc.property(canonicalValue, (value) => {
        const text = canonicalJson(value)
        expect(() => JSON.parse(text) as unknown).not.toThrow()
        const stored = JSON.parse(JSON.stringify(toJsonValue(value))) as CanonicalInput
        expect(canonicalJson(stored)).toBe(text)
      }),
      fcParams(),
    )
  })

  it('writes an integer the same whether it is a number or a bigint', () => {
    fc.assert(
      fc.property(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (n) => {
        expect(canonicalJson({ n })).toBe(canonicalJson({ n: BigInt(n) }))
      }),
      fcParams(),
    )
  })
})

describe('chainHash', () => {
  it('is sha256 of the previous hash and the canonical payload, from 64 zeros at the start', () => {
    const payload = { seq: 1, action: 'organization.verified' }
    const expected = createHash('sha256')
      .update(`${'0'.repeat(64)}{"action":"organization.verified","seq":"1"}`)
      .digest('hex')
    expect(GENESIS_HASH).toBe('0'.repeat(64))
    expect(chainHash('', payload)).toBe(expected)
    expect(chainHash(GENESIS_HASH, payload)).toBe(expected)
    expect(chainHash(expected, payload)).not.toBe(expected)
    expect(chainHash('', { ...payload, seq: 2 })).not.toBe(expected)
    expect(chainHash('', { action: 'organization.verified', seq: 1n })).toBe(expected)
  })
})
