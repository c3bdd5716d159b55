import type { ServerBuild } from '@remix-run/node'
import { describe, expect, it } from 'vitest'
import { loggedPath, redactPath, routePatterns } from '../../server/route-patterns'

const route = (path: string | undefined, parentId?: string, index?: boolean) => ({
  id: '',
  path,
  parentId,
  index,
  module: {},
})

const build = {
  routes: {
    root: route(''),
    'routes/_storefront': route(undefined, 'root'),
    'routes/_storefront._index': route(undefined, 'routes/_storefront', true),
    'routes/_storefront.products.$slug': route('products/:slug', 'routes/_storefront'),
    'routes/_storefront.products.new': route('products/new', 'routes/_storefront'),
    'routes/invitations.$token': route('invitations/:token', 'root'),
    'routes/account': route('account', 'root'),
    'routes/account.organizations.$orgId.members': route('organizations/:orgId/members', 'routes/account'),
  },
} as unknown as ServerBuild

describe('the access log’s paths', () => {
  const patterns = routePatterns(build)

  it('are the patterns of the routes that serve them, static segments first', () => {
    expect(loggedPath('/', patterns)).toBe('/')
    expect(loggedPath('/products/dingximalingshu', patterns)).toBe('/products/:slug')
    expect(loggedPath('/products/new', patterns)).toBe('/products/new')
    expect(loggedPath('/Invitations/s3cr3t-t0ken/', patterns)).toBe('/invitations/:token')
    expect(loggedPath('/account/organizations/6f1c/members', patterns)).toBe(
      '/account/organizations/:orgId/members',
    )
    expect(loggedPath('/invitations/s3cr3t-t0ken.data', patterns)).toBe('/invitations/:token.data')
    expect(loggedPath('/_root.data', patterns)).toBe('/_root.data')
  })

  it('redact token-like segments where no route matches', () => {
    const token = 'q3M0bVx8yZ2kLrT5wN7aPc1dEf4gHi6jKl9mNo0pQrs'
    expect(loggedPath(`/invitations/${token}/extra`, patterns)).toBe('/invitations/:redacted/extra')
    expect(loggedPath(`/invitations/${token}`, null)).toBe('/invitations/:redacted')
    expect(redactPath('/assets/entry.client-BWfYUU1A.js')).toBe('/assets/entry.client-BWfYUU1A.js')
    expect(redactPath('/favicon.ico')).toBe('/favicon.ico')
    expect(redactPath('/reset/ab12cd34ef56ab12cd34')).toBe('/reset/:redacted')
  })
})
