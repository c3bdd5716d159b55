import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { safeRedirectPath } from '../../app/utils/redirect'
import { hasControlCharacters } from '../../app/utils/validation'
import { fcParams } from '../support/fast-check'

const origin = 'https://market.example'
const request = new Request(`${origin}/login?redirectTo=x`)

/** Where a browser on our page would go with this Location. */
function destination(location: string, from = `${origin}/login`): URL {
  return new URL(location, from)
}

describe('safeRedirectPath', () => {
  it('keeps same-origin paths, as the URL parser normalises them', () => {
    expect(safeRedirectPath('/products?category=tea#list', request)).toBe('/products?category=tea#list')
    expect(safeRedirectPath('/account/orders/1', request, '/account')).toBe('/account/orders/1')
    expect(safeRedirectPath('/products?category=茶叶', request)).toBe('/products?category=%E8%8C%B6%E5%8F%B6')
    expect(safeRedirectPath('/a/../checkout', request)).toBe('/checkout')
  })

  it('refuses other hosts however they are spelled', () => {
    for (const target of [
      'https://evil.example/',
      '//evil.example',
      '/\\evil.example',
      '\\\\evil.example',
      // Browsers drop tabs and line breaks from URLs: "/\t/evil.example" is "//evil.example".
      '/\t/evil.example/x',
      '/\n/evil.example',
      '/\r\n/evil.example',
      '/%09/evil.example',
      '/.//evil.example',
      '/%2e//evil.example',
      '/x/..//evil.example',
      ' //evil.example',
      '\u0000//evil.example',
      '/\u0085/evil.example',
      'javascript:alert(1)',
      'evil.example',
      `${origin}@evil.example/`,
      '',
      null,
      undefined,
      42,
    ]) {
      const result = safeRedirectPath(target, request, '/account')
      expect(destination(result).origin, JSON.stringify(target)).toBe(origin)
      if (target !== '/%09/evil.example') expect(result, JSON.stringify(target)).toBe('/account')
    }
  })

  it('never leads off our origin, nor carries a control character, for any input at all', () => {
    const tricky = fc.constantFrom(
      '/',
      '//',
      '\\',
      '/\\',
      '\t',
      '\n',
      '\r',
      '%09',
      '%2F',
      '%5C',
      '.',
      '..',
      '@',
      ':',
      '#',
      '?',
      'evil.example',
      'http:',
      'https://',
      '\u0000',
      '\u0085',
      '\u2028',
      ' ',
    )
    const piece = fc.oneof(tricky, fc.string({ unit: 'binary', maxLength: 6 }))
    const target = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.array(piece, { maxLength: 10 }).map((parts) => parts.join('')),
      fc.array(piece, { maxLength: 10 }).map((parts) => `/${parts.join('')}`),
    )
    fc.assert(
      fc.property(target, (value) => {
        const result = safeRedirectPath(value, request, '/fallback')
        expect(destination(result).origin).toBe(origin)
        // Resolved from any page of ours, not only the login page.
        expect(destination(result, `${origin}/a/b/c?d`).origin).toBe(origin)
        expect(result).toMatch(/^\/(?![/\\])/)
        expect(hasControlCharacters(result) || result.includes('\\')).toBe(false)
        // Accepted paths are already in the parser's form: checking again changes nothing.
        expect(safeRedirectPath(result, request, '/other')).toBe(result)
      }),
      fcParams(),
    )
  })
})
