import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { queryRows } from '../../db/client.server'
import { seedUuid } from '../../db/seed/synthetic'
import { auditHead } from '../../app/domains/audit/audit.server'
import { createSession } from '../../app/domains/accounts/sessions.server'
import { systemClock } from '../../app/utils/clock'
import { routePath, startTestApp } from '../support/app-server'
import { openTestDatabase, testDbKind } from '../support/db'
import { sessionCookieFor } from '../support/session-cookie'

const evil = 'https://evil.example'

describe(`cross-site requests (${testDbKind()})`, async () => {
  const handle = await openTestDatabase('seeded')
  const db = handle.db
  const { origin, build } = await startTestApp(handle)
  // A signed-in platform admin: the victim whose cookie a forged request would carry.
  const { token } = await createSession(
    db,
    { userId: seedUuid('user:admin@demo.example'), activeOrgId: seedUuid('org:platform') },
    systemClock,
    { idleMinutes: 60, absoluteHours: 1 },
  )
  const cookie = await sessionCookieFor(token)

  const params = {
    slug: 'dingximalingshu',
    orgId: seedUuid('org:gulou-unit'),
    token: 'x'.repeat(43),
    id: 'EW-FZ-DX',
    code: '621126',
    orderId: seedUuid('test:no-such-order'),
    productId: seedUuid('test:no-such-product'),
    requisitionId: seedUuid('test:no-such-requisition'),
    // Bank statement import (issue 18 item 5).
    importId: seedUuid('test:no-such-statement-import'),
  }
  const actionRoutes = Object.entries(build.routes)
    .filter(([, route]) => typeof route.module.action === 'function')
    .map(([id, route]) => ({ id, path: routePath(build, id, params), index: Boolean(route.index) }))

  /** What a forged request could change: every table's row count (and with it the audit log's length). */
  async function tableCounts(): Promise<Record<string, number>> {
    const tables = await queryRows<{ table_name: string }>(
      db,
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    )
    const counts: Record<string, number> = {}
    for (const { table_name } of tables) {
      const [row] = await queryRows<{ n: unknown }>(
        db,
        sql`select count(*) as n from ${sql.identifier(table_name)}`,
      )
      counts[table_name] = Number(row?.n)
    }
    return counts
  }

  /** The three ways a Remix 2 action can be reached: a document POST, a single-fetch .data POST, a legacy ?_data POST. */
  function targets(route: { id: string; path: string; index: boolean }) {
    const base = route.path === '/' ? '/_root' : route.path
    const index = route.index ? '?index' : ''
    return [
      `${route.path}${index}`,
      `${base}.data${index}`,
      `${route.path}${index ? `${index}&` : '?'}_data=${encodeURIComponent(route.id)}`,
    ]
  }

  it('covers every route that exports an action', () => {
    expect(actionRoutes.map((r) => r.id)).toEqual(
      expect.arrayContaining([
        'routes/_storefront.login',
        'routes/admin.organizations',
        'routes/account.switch',
      ]),
    )
  })

  it('refuses every forged POST with 403 and changes nothing', async () => {
    const before = await tableCounts()
    const headBefore = await auditHead(db)
    const forgeries: Array<Record<string, string>> = [
      { Origin: evil, Cookie: cookie },
      { 'Sec-Fetch-Site': 'cross-site', Cookie: cookie },
      { Origin: evil },
      { 'Sec-Fetch-Site': 'cross-site' },
      // The cookie alone, without any proof of where the request comes from.
      { Cookie: cookie },
    ]
    const body = new URLSearchParams({
      intent: 'verify',
      orgId: params.orgId,
      lang: 'en',
      identifier: 'admin@demo.example',
      password: 'demo-password',
      role: 'unit_buyer',
    })
    for (const route of actionRoutes) {
      for (const url of targets(route)) {
        for (const headers of forgeries) {
          const response = await fetch(`${origin}${url}`, {
            method: 'POST',
            redirect: 'manual',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
            body,
          })
          expect(response.status, `${url} with ${Object.keys(headers).join('+')}`).toBe(403)
          expect(response.headers.get('set-cookie'), url).toBeNull()
        }
      }
    }
    expect(await tableCounts()).toEqual(before)
    expect(await auditHead(db)).toEqual(headBefore)
  })

  it('still accepts the same posts from our own pages', async () => {
    const language = await fetch(`${origin}/language`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin, Cookie: cookie },
      body: new URLSearchParams({ lang: 'en', redirectTo: '/products' }),
    })
    expect(language.status).toBe(302)
    expect(language.headers.get('location')).toBe('/products')
    expect(language.headers.get('set-cookie')).toContain('lang=en')

    const login = await fetch(`${origin}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: origin,
        'Sec-Fetch-Site': 'same-origin',
      },
      body: new URLSearchParams({ identifier: 'consumer@demo.example', password: 'demo-password' }),
    })
    expect(login.status).toBe(302)
    expect(login.headers.get('set-cookie')).toMatch(
      /^xfbf_session=[^;]+; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax/,
    )
  })

  it('sends the security headers, with a fresh CSP nonce per response that the page scripts carry', async () => {
    const first = await fetch(`${origin}/`)
    const second = await fetch(`${origin}/`)
    const csp = first.headers.get('content-security-policy') ?? ''
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1]
    expect(nonce).toBeDefined()
    expect(second.headers.get('content-security-policy')).not.toContain(nonce!)
    expect(first.headers.get('x-frame-options')).toBe('DENY')
    expect(first.headers.get('x-content-type-options')).toBe('nosniff')
    expect(first.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
    const html = await first.text()
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])
    expect(scripts.length).toBeGreaterThan(0)
    for (const script of scripts) {
      if (!/\bsrc=/.test(script)) expect(script).toContain(`nonce="${nonce}"`)
    }
  })
})
