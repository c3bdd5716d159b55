import { sql } from 'drizzle-orm'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { queryRows } from '../../db/client.server'
import { organizations } from '../../db/schema/organizations'
import { seedUuid } from '../../db/seed/synthetic'
import { createSession } from '../../app/domains/accounts/sessions.server'
import { systemClock } from '../../app/utils/clock'
import { startTestApp } from '../support/app-server'
import { openTestDatabase, testDbKind } from '../support/db'
import { makeBuyable, seededProductId } from '../support/shopping'
import { sessionCookieFor } from '../support/session-cookie'

/**
 * The request boundary probed from outside, as an attacker and a careless client would: each case here answered
 * wrongly before (an off-site redirect, a 500, a stack trace, a token or a password hash in the log).
 */
describe(`the request boundary (${testDbKind()})`, async () => {
  const handle = await openTestDatabase('seeded')
  const db = handle.db
  const accessLog: string[] = []
  const errorLog: string[] = []
  // Started as `tsx server.ts` would be without NODE_ENV: the answers must not depend on it.
  const { origin } = await startTestApp(handle, {
    withoutNodeEnv: true,
    log: (line) => accessLog.push(line),
    logError: (line) => errorLog.push(line),
  })
  const sameOrigin = { Origin: origin, 'Sec-Fetch-Site': 'same-origin' }

  afterEach(() => {
    // A server error no test asked for is a defect, as a console.error is.
    expect(errorLog.splice(0), 'errors logged by the app').toEqual([])
  })

  async function signIn(email: string, activeOrg?: string): Promise<string> {
    const { token } = await createSession(
      db,
      { userId: seedUuid(`user:${email}`), activeOrgId: activeOrg ? seedUuid(activeOrg) : null },
      systemClock,
      { idleMinutes: 60, absoluteHours: 1 },
    )
    return sessionCookieFor(token)
  }

  function post(path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
    return fetch(`${origin}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...sameOrigin, ...headers },
      body: new URLSearchParams(form),
    })
  }

  /** Where a browser would land: the Location resolved against the page that posted. */
  function landing(response: Response): string | null {
    const location = response.headers.get('location')
    return location === null ? null : new URL(location, `${origin}/login`).origin
  }

  const tricks = [
    '/\t/evil.example/x',
    '/\n/evil.example/x',
    '/\r/evil.example/x',
    '/.//evil.example/x',
    '//evil.example/x',
    '/\\evil.example/x',
    'https://evil.example/x',
  ]

  describe('redirect targets', () => {
    it('a tampered login link leads back to our own site after signing in', async () => {
      const page = await fetch(`${origin}/login?redirectTo=%2F%09%2Fevil.example%2Fx`)
      // The login form's own field (the header's language switch carries one too).
      const loginForm = (await page.text()).split('<form').find((form) => form.includes('name="identifier"'))
      const hidden = /name="redirectTo" value="([^"]*)"/.exec(loginForm ?? '')?.[1]
      expect(hidden).toBeDefined()
      const login = await post('/login', {
        identifier: 'consumer@demo.example',
        password: 'demo-password',
        redirectTo: hidden!,
      })
      expect(login.status).toBe(302)
      expect(landing(login)).toBe(origin)
    })

    it('login, sign-up, the cart, switching organisation and the language switch never lead off-site', async () => {
      await makeBuyable(db, ['PRD005'])
      const product = seededProductId('PRD005')
      const shopper = await signIn('consumer@demo.example')
      expect(
        (await post('/cart', { intent: 'add', productId: product, qty: '1' }, { Cookie: shopper })).status,
      ).toBe(302)
      let n = 0
      for (const redirectTo of tricks) {
        const label = JSON.stringify(redirectTo)
        const answers = [
          await post('/login', {
            identifier: 'consumer@demo.example',
            password: 'demo-password',
            redirectTo,
          }),
          await post('/signup', {
            displayName: '跳转测试',
            email: `redirect-${n++}@example.com`,
            password: 'long enough',
            passwordConfirm: 'long enough',
            redirectTo,
          }),
          await post(
            '/cart',
            { intent: 'set', productId: product, qty: '2', redirectTo },
            { Cookie: shopper },
          ),
          await post(
            '/account/switch',
            { orgId: '', redirectTo },
            { Cookie: await signIn('buyer@gulou.demo.example', 'org:gulou-unit') },
          ),
          await post('/language', { lang: 'en', redirectTo }),
        ]
        // Each must have got as far as the redirect: none was refused for anything but the target.
        for (const answer of answers.slice(2)) {
          if (!/[\t\n\r]/.test(redirectTo)) expect(answer.status, `${answer.url} ${label}`).toBe(302)
        }
        for (const answer of answers) {
          expect(answer.status, `${answer.url} ${label}`).toBeLessThan(500)
          // Refused (4xx), or sent somewhere on our own origin.
          if (answer.status >= 300 && answer.status < 400)
            expect(landing(answer), `${answer.url} ${label}`).toBe(origin)
          else expect(answer.status, `${answer.url} ${label}`).toBeGreaterThanOrEqual(400)
        }
      }
      // A signed-in visitor of the login page is redirected at once: the same rule applies.
      for (const redirectTo of tricks) {
        const answer = await fetch(`${origin}/login?redirectTo=${encodeURIComponent(redirectTo)}`, {
          redirect: 'manual',
          headers: { Cookie: shopper },
        })
        expect(answer.status).toBe(302)
        expect(landing(answer), JSON.stringify(redirectTo)).toBe(origin)
      }
    })

    it('a line break in a target is no server error and no header injection', async () => {
      for (const query of ['%2F%0A%2Fevil.example', '%2F%0D%0ASet-Cookie:%20x=1', '%2F%0Devil']) {
        const cookie = await signIn('consumer@demo.example')
        const answer = await fetch(`${origin}/login?redirectTo=${query}`, {
          redirect: 'manual',
          headers: { Cookie: cookie },
        })
        expect(answer.status, query).toBe(302)
        expect(landing(answer)).toBe(origin)
        expect(answer.headers.get('set-cookie') ?? '').not.toContain('x=1')
      }
    })
  })

  describe('NUL bytes and other control characters', () => {
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

    it('are refused with a 4xx wherever they come in, and nothing is written', async () => {
      await makeBuyable(db, ['PRD005'])
      const consumer = await signIn('consumer@demo.example')
      const admin = await signIn('admin@demo.example', 'org:platform')
      const finance = await signIn('finance@demo.example', 'org:platform')
      // A cart to check out, so that a bad field is all that stands between the form and an order.
      expect(
        (
          await post(
            '/cart',
            { intent: 'add', productId: seededProductId('PRD005'), qty: '1' },
            { Cookie: consumer },
          )
        ).status,
      ).toBe(302)
      const pending = seedUuid('test:pending-org-nul')
      await db
        .insert(organizations)
        .values({ id: pending, kind: 'gov_unit', name: '待审核测试单位', regionCode: '350102' })
        .onConflictDoNothing()
      const before = await tableCounts()

      const checkout = {
        recipient: '张三',
        phone: '13800138000',
        regionCode: '350102',
        address: '福州市鼓楼区演示路1号',
        invoiceKind: 'company',
        invoiceTitle: '演示公司',
        taxId: '91350100M000100Y43',
      }
      const posts: Array<[string, Record<string, string>, string | null]> = [
        [
          '/signup',
          {
            displayName: '张\u0000三',
            email: 'nul@example.com',
            password: 'long enough',
            passwordConfirm: 'long enough',
          },
          null,
        ],
        [
          '/signup',
          {
            displayName: '张\u001b三',
            email: 'esc@example.com',
            password: 'long enough',
            passwordConfirm: 'long enough',
          },
          null,
        ],
        ['/login', { identifier: 'consumer@demo.example\u0000', password: 'demo-password' }, null],
        ['/login', { identifier: 'consumer\u0085@demo.example', password: 'demo-password' }, null],
        ['/checkout', { ...checkout, recipient: '张\u0000三' }, consumer],
        ['/checkout', { ...checkout, address: '福州市\u0000鼓楼区演示路1号' }, consumer],
        ['/checkout', { ...checkout, invoiceTitle: '演示\u0000公司' }, consumer],
        ['/checkout', { ...checkout, recipient: '张\u0007三' }, consumer],
        [
          '/account/organizations/new',
          {
            kind: 'gov_unit',
            name: '演示\u0000单位',
            uscc: '91350100M000100Y43',
            regionCode: '350102',
            contactName: '李四',
            contactPhone: '0591-12345678',
          },
          consumer,
        ],
        ['/admin/organizations', { intent: 'reject', orgId: pending, reason: '材料\u0000不全' }, admin],
        ['/admin/organizations', { intent: 'reject', orgId: pending, reason: '材料\u001b不全' }, admin],
      ]
      for (const [path, form, cookie] of posts) {
        const answer = await post(path, form, cookie ? { Cookie: cookie } : {})
        const label = `${path} ${JSON.stringify(form)}`
        expect(answer.status, label).toBeGreaterThanOrEqual(400)
        expect(answer.status, label).toBeLessThan(500)
      }

      const gets: Array<[string, string | null]> = [
        ['/products/%00', null],
        ['/pairings/%00', null],
        ['/regions/%00', null],
        ['/search?q=%00', null],
        ['/products?q=%00', null],
        ['/search/suggest?q=%00', null],
        ['/api/v1/products?q=%00', null],
        ['/api/v1/targets/%00', null],
        ['/admin/payments?q=%00', finance],
        ['/account/orders/%00', consumer],
        ['/invitations/%00', consumer],
      ]
      for (const [path, cookie] of gets) {
        const answer = await fetch(`${origin}${path}`, cookie ? { headers: { Cookie: cookie } } : {})
        expect(answer.status, path).toBeGreaterThanOrEqual(400)
        expect(answer.status, path).toBeLessThan(500)
      }
      const api = await fetch(`${origin}/api/v1/products/%00`)
      expect(api.status).toBe(404)
      expect(await api.json()).toEqual({ error: { param: 'slug', message: expect.any(String) } })

      expect(await tableCounts()).toEqual(before)
    })

    it('shows the reason next to the field of a form rendered again', async () => {
      const answer = await post('/signup', {
        displayName: '张\u001b三',
        email: 'esc-message@example.com',
        password: 'long enough',
        passwordConfirm: 'long enough',
      })
      expect(answer.status).toBe(400)
      expect(await answer.text()).toContain('控制字符')
    })
  })

  describe('malformed requests', () => {
    it('a form action answers a body that is not a form with 415, and a broken one with 400', async () => {
      for (const path of ['/login', '/signup', '/cart', '/language']) {
        const json = await fetch(`${origin}${path}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...sameOrigin },
          body: JSON.stringify({ identifier: 'consumer@demo.example' }),
        })
        expect(json.status, `${path} JSON`).toBe(415)
        expect(await json.text(), `${path} JSON`).toContain('application/x-www-form-urlencoded')

        const untyped = await fetch(`${origin}${path}`, {
          method: 'POST',
          headers: sameOrigin,
          body: new Blob(['identifier=x']),
        })
        expect(untyped.status, `${path} without a type`).toBe(415)

        const broken = await fetch(`${origin}${path}`, {
          method: 'POST',
          headers: { 'Content-Type': 'multipart/form-data; boundary=zzz', ...sameOrigin },
          body: '--zzz\r\nContent-Disposition: form-data; name="identifier"\r\n\r\nunterminated',
        })
        expect(broken.status, `${path} broken multipart`).toBe(400)
        expect(await broken.text(), `${path} broken multipart`).toContain('The form could not be read')
      }
    })

    it('legacy ?_data requests get a 400 that says why', async () => {
      const anonymous = await fetch(`${origin}/login?_data=routes/_storefront.login`)
      expect(anonymous.status).toBe(400)
      expect(await anonymous.text()).toContain('single fetch')
      const admin = await fetch(`${origin}/admin/audit?_data=routes/admin`, {
        headers: { Cookie: await signIn('admin@demo.example', 'org:platform') },
      })
      expect(admin.status).toBe(400)
    })

    it('a POST to /healthz is a 405 in JSON', async () => {
      const answer = await fetch(`${origin}/healthz`, { method: 'POST', headers: sameOrigin })
      expect(answer.status).toBe(405)
      expect(answer.headers.get('allow')).toBe('GET, HEAD')
      const body = (await answer.json()) as { status: string; error: string }
      expect(body.status).toBe('error')
      expect(body.error).toContain('use GET')
    })
  })

  describe('errors and logs', () => {
    it('a malformed URL is a plain 400, never a stack trace, whatever NODE_ENV is', async () => {
      for (const path of ['/products/%FF', '/%E0%A4%A', '/assets/%FF.js']) {
        const answer = await fetch(`${origin}${path}`)
        const body = await answer.text()
        expect(answer.status, path).toBe(400)
        expect(body, path).not.toMatch(/\bat \S+ \(|URIError|node_modules|<pre>/)
      }
    })

    it('a failure of ours is a generic 500 page, logged once without the statement’s parameters', async () => {
      const cookie = await signIn('consumer@demo.example')
      const token = cookie.split('=')[1]!
      await db.execute(sql`alter table sessions rename to sessions_moved_away`)
      try {
        const answer = await fetch(`${origin}/`, { headers: { Cookie: cookie } })
        const body = await answer.text()
        expect(answer.status).toBe(500)
        expect(body).toContain('Something went wrong')
        expect(body).not.toMatch(/\bat \S+ \(|Failed query|sessions|node_modules/)
      } finally {
        await db.execute(sql`alter table sessions_moved_away rename to sessions`)
      }
      const logged = errorLog.splice(0)
      expect(logged).toHaveLength(1)
      expect(logged[0]).toContain('SQLSTATE 42P01')
      expect(logged[0]).not.toContain('params')
      expect(logged[0]).not.toContain(token)
      // The session lookup's parameter is the token's sha256.
      expect(logged[0]).not.toMatch(/[0-9a-f]{64}/)
    })

    it('a database error in an action is logged with its SQLSTATE but none of the values (a password hash)', async () => {
      // A constraint only this test trips: the sign-up's INSERT fails the way a NUL byte made it fail.
      await db.execute(
        sql`alter table users add constraint boundary_test_probe check (display_name <> '数据库错误探针')`,
      )
      const spy = vi.spyOn(console, 'error').mockImplementation(() => {})
      try {
        const answer = await post('/signup', {
          displayName: '数据库错误探针',
          email: 'log-probe@example.com',
          mobile: '13912345678',
          password: 'Probe-Secret-Passw0rd',
          passwordConfirm: 'Probe-Secret-Passw0rd',
        })
        expect(answer.status).toBe(500)
        const logged = spy.mock.calls.map((args) =>
          args.map((a) => (typeof a === 'string' ? a : String(a))).join(' '),
        )
        expect(logged).toHaveLength(1)
        expect(logged[0]).toContain('23514')
        expect(logged[0]).toContain('insert into "users"')
        for (const value of [
          'log-probe@example.com',
          '13912345678',
          '数据库错误探针',
          '$argon2',
          'Probe-Secret',
          'params',
        ]) {
          expect(logged[0], value).not.toContain(value)
        }
      } finally {
        spy.mockClear()
        await db.execute(sql`alter table users drop constraint boundary_test_probe`)
      }
    })

    it('the access log names the route pattern, never an invitation token', async () => {
      const token = 'Abc123_-'.repeat(5) + 'xyz'
      const cookie = await signIn('consumer@demo.example')
      accessLog.splice(0)
      await fetch(`${origin}/invitations/${token}`, { headers: { Cookie: cookie } })
      await fetch(`${origin}/invitations/${token}`, { redirect: 'manual' })
      await fetch(`${origin}/invitations/${token}.data`, { headers: { Cookie: cookie } })
      await post(`/invitations/${token}`, { intent: 'accept' }, { Cookie: cookie })
      await fetch(`${origin}/invitations/${token}/no-such-page`, { headers: { Cookie: cookie } })
      await fetch(`${origin}/products/dingximalingshu?q=secret-search`)
      const lines = accessLog.splice(0)
      expect(lines).toHaveLength(6)
      for (const line of lines) {
        expect(line).not.toContain(token)
        expect(line).not.toContain('secret-search')
      }
      expect(lines[0]).toMatch(/^GET \/invitations\/:token 404 /)
      expect(lines[1]).toMatch(/^GET \/invitations\/:token 302 /)
      expect(lines[2]).toMatch(/^GET \/invitations\/:token\.data /)
      expect(lines[3]).toMatch(/^POST \/invitations\/:token 404 /)
      expect(lines[4]).toMatch(/^GET \/invitations\/:redacted\/no-such-page 404 /)
      expect(lines[5]).toMatch(/^GET \/products\/:slug 200 /)
    })
  })
})
