import { describe, expect, it } from 'vitest'
import { contentSecurityPolicy, crossSiteVerdict } from '../../server/request-hygiene'

const own = 'http://localhost:3000'
const base = {
  path: '/login',
  ownOrigin: own,
  hasSessionCookie: false,
  origin: undefined,
  secFetchSite: undefined,
}

describe('crossSiteVerdict', () => {
  it('lets every read through, whatever its headers', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS']) {
      expect(
        crossSiteVerdict({ ...base, method, origin: 'https://evil.example', secFetchSite: 'cross-site' }),
      ).toEqual({
        allowed: true,
      })
    }
  })

  it.each(['POST', 'PUT', 'PATCH', 'DELETE'])(
    'refuses a cross-site %s by Origin or by Sec-Fetch-Site',
    (method) => {
      expect(crossSiteVerdict({ ...base, method, origin: 'https://evil.example' })).toEqual({
        allowed: false,
        reason: 'origin',
      })
      expect(crossSiteVerdict({ ...base, method, origin: 'null' })).toEqual({
        allowed: false,
        reason: 'origin',
      })
      expect(crossSiteVerdict({ ...base, method, secFetchSite: 'cross-site' })).toEqual({
        allowed: false,
        reason: 'sec-fetch-site',
      })
      expect(crossSiteVerdict({ ...base, method, secFetchSite: 'same-site' })).toEqual({
        allowed: false,
        reason: 'sec-fetch-site',
      })
    },
  )

  it('refuses a POST that carries the session cookie without proving it comes from our pages', () => {
    expect(crossSiteVerdict({ ...base, method: 'POST', hasSessionCookie: true })).toEqual({
      allowed: false,
      reason: 'unproven',
    })
    expect(crossSiteVerdict({ ...base, method: 'POST', hasSessionCookie: true, origin: own })).toEqual({
      allowed: true,
    })
    expect(
      crossSiteVerdict({ ...base, method: 'POST', hasSessionCookie: true, secFetchSite: 'same-origin' }),
    ).toEqual({
      allowed: true,
    })
  })

  it('accepts same-origin posts, and posts without a session from clients that send no browser headers', () => {
    expect(crossSiteVerdict({ ...base, method: 'POST', origin: own, secFetchSite: 'same-origin' })).toEqual({
      allowed: true,
    })
    expect(crossSiteVerdict({ ...base, method: 'POST' })).toEqual({ allowed: true })
  })

  it('exempts only the Stripe webhook', () => {
    expect(
      crossSiteVerdict({ ...base, method: 'POST', path: '/webhooks/stripe', origin: 'https://evil.example' }),
    ).toEqual({ allowed: true })
    expect(
      crossSiteVerdict({
        ...base,
        method: 'POST',
        path: '/webhooks/stripe/',
        origin: 'https://evil.example',
      }),
    ).toMatchObject({ allowed: false })
  })
})

describe('contentSecurityPolicy', () => {
  it('allows only our scripts and the nonce, no framing, and forms posting to us', () => {
    const csp = contentSecurityPolicy('abc123', { development: false }) ?? ''
    expect(csp).toContain("script-src 'self' 'nonce-abc123'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toContain("form-action 'self'")
    expect(csp).not.toContain('unsafe-eval')
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/)
  })

  it('is relaxed only in development', () => {
    expect(contentSecurityPolicy('abc', { development: true })).toBeNull()
  })
})
