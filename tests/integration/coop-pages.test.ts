import { describe, expect, it } from 'vitest'
import { createSession } from '../../app/domains/accounts/sessions.server'
import { messages as en } from '../../app/messages/en'
import { messages as zh } from '../../app/messages/zh'
import { systemClock } from '../../app/utils/clock'
import type { MessageKey } from '../../app/utils/i18n'
import { startTestApp } from '../support/app-server'
import { demo, makeOrganization, productId } from '../support/coop'
import { openTestDatabase, testDbKind } from '../support/db'
import { sessionCookieFor } from '../support/session-cookie'

/**
 * The cooperative console's pages over HTTP, as a cooperative's admin opens them: a new cooperative sees a Chinese
 * empty state on every list, and every page reads in English when English is chosen.
 */
describe(`cooperative console pages (${testDbKind()})`, async () => {
  const handle = await openTestDatabase('seeded')
  const db = handle.db
  const { origin } = await startTestApp(handle)

  async function cookieFor(userId: string, orgId: string | null): Promise<string> {
    const { token } = await createSession(db, { userId, activeOrgId: orgId }, systemClock, {
      idleMinutes: 60,
      absoluteHours: 1,
    })
    return sessionCookieFor(token)
  }

  /** The page's text as a reader sees it (entities decoded), with its status. */
  async function page(path: string, cookie: string, lang: 'zh' | 'en' = 'zh') {
    const response = await fetch(`${origin}${path}`, {
      headers: { Cookie: `${cookie}; lang=${lang}` },
      redirect: 'manual',
    })
    const html = await response.text()
    const text = html
      .replace(/&#x27;|&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&')
    return { status: response.status, text }
  }

  const newcomer = await makeOrganization(db, { regionCode: '621126', admitted: true })
  const newcomerCookie = await cookieFor(newcomer.userId, newcomer.orgId)
  const minxianCookie = await cookieFor(demo.coopAdmin, demo.minxian)

  const emptyStates: Array<[string, MessageKey[]]> = [
    [
      '/coop',
      [
        'coop.home.toShip.empty',
        'coop.home.lowStock.empty',
        'coop.home.expiring.empty',
        'coop.home.listings.empty',
      ],
    ],
    ['/coop/products', ['coop.listings.empty']],
    ['/coop/orders', ['coop.orders.empty']],
    ['/coop/bases', ['base.empty']],
  ]

  it('shows a new cooperative a Chinese empty state on every list', async () => {
    for (const [path, keys] of emptyStates) {
      const { status, text } = await page(path, newcomerCookie)
      expect(status, path).toBe(200)
      for (const key of keys) expect(text, `${path}: ${key}`).toContain(zh[key])
    }
  })

  it('reads in English when English is chosen, and in Chinese otherwise', async () => {
    for (const [path, keys] of emptyStates) {
      const { status, text } = await page(path, newcomerCookie, 'en')
      expect(status, path).toBe(200)
      for (const key of keys) {
        expect(text, `${path}: ${key}`).toContain(en[key])
        expect(text, `${path}: ${key}`).not.toContain(zh[key])
      }
    }
    const product = productId('PRD030')
    for (const [path, key] of [
      [`/coop/products/${product}`, 'console.form.save'],
      [`/coop/products/${product}/stock`, 'console.stock.submit'],
      [`/coop/products/${product}/photos`, 'console.photos.title'],
      [`/coop/products/${product}/certifications`, 'console.certs.submit'],
      ['/coop/products/new', 'console.new.title'],
    ] as Array<[string, MessageKey]>) {
      const english = await page(path, minxianCookie, 'en')
      expect(english.status, path).toBe(200)
      expect(english.text, path).toContain(en[key])
      const chinese = await page(path, minxianCookie)
      expect(chinese.text, path).toContain(zh[key])
    }
  })

  it('tells someone who acts for no cooperative (or no unit) how to switch identity, with a 403', async () => {
    const consumer = await cookieFor(demo.consumer, null)
    const coop = await page('/coop', consumer)
    expect(coop.status).toBe(403)
    expect(coop.text).toContain(zh['console.notCoop.body'])
    expect(coop.text).toContain(zh['console.notCoop.switch'])
    // A cooperative's admin on the unit pages.
    const unit = await page('/unit', minxianCookie)
    expect(unit.status).toBe(403)
    expect(unit.text).toContain(zh['unit.notUnit.body'])
  })

  it('searches the shipping page: a refused search is said next to the box with a 400, keeping the chosen tab', async () => {
    const tooLong = await page(`/coop/fulfilment?state=shipped&q=${'X'.repeat(41)}`, minxianCookie)
    expect(tooLong.status).toBe(400)
    expect(tooLong.text).toContain(zh['fulfilment.search.invalid'].replace('{max}', '40'))
    expect(tooLong.text).toMatch(/aria-current="page"[^>]*>已发货</)
    expect(tooLong.text).toContain('aria-invalid="true"')
    // A search that finds nothing says so, with a way back to every order.
    const none = await page('/coop/fulfilment?q=NO-SUCH-ORDER', minxianCookie)
    expect(none.status).toBe(200)
    expect(none.text).toContain(zh['coop.orders.empty.filtered'])
    expect(none.text).toContain(zh['fulfilment.filter.clear'])
    // The newcomer, with no orders at all, reads the plain empty state.
    const empty = await page('/coop/fulfilment', newcomerCookie)
    expect(empty.text).toContain(zh['fulfilment.empty'])
    expect(empty.text).not.toContain(zh['coop.orders.empty.filtered'])
  })
})
