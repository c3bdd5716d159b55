import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { seedUuid } from '../../db/seed/synthetic'
import { createSession } from '../../app/domains/accounts/sessions.server'
import { sessionCookieFor } from '../support/session-cookie'
import { systemClock } from '../../app/utils/clock'
import { startTestApp } from '../support/app-server'
import { openTestDatabase, testDbKind } from '../support/db'

/**
 * Error pages through the real app: a 404 or a 403 inside a page keeps the site's frame (header, navigation,
 * language switch), says its status in the title and in an h1, in the visitor's language, with a way on.
 */
describe(`error pages (${testDbKind()})`, async () => {
  const handle = await openTestDatabase('seeded')
  const errorLog: string[] = []
  const { origin } = await startTestApp(handle, { logError: (line) => errorLog.push(line) })

  afterEach(() => {
    // A 403 or a 404 is the visitor's mistake, not ours: nothing is logged as an error.
    expect(errorLog.splice(0), 'errors logged by the app').toEqual([])
  })

  async function consumerCookie(): Promise<string> {
    const { token } = await createSession(
      handle.db,
      { userId: seedUuid('user:consumer@demo.example'), activeOrgId: null },
      systemClock,
      { idleMinutes: 60, absoluteHours: 1 },
    )
    return sessionCookieFor(token)
  }

  async function page(path: string, cookies: string[] = []) {
    const response = await fetch(`${origin}${path}`, { headers: { Cookie: cookies.join('; ') } })
    const html = await response.text()
    return { status: response.status, html }
  }

  /** The visible text of the first element matching `open` (an opening tag's start, e.g. `<h1`). */
  function textOf(html: string, tag: string): string | null {
    const match = new RegExp(`<${tag}[^>]*>([\\s\\S]*?)</${tag}>`).exec(html)
    return match
      ? match[1]!
          .replace(/<!-- -->/g, '')
          .replace(/<[^>]+>/g, ' ')
          .replace(/\s+/g, ' ')
          .trim()
      : null
  }

  function navigationLabels(html: string): string[] {
    return [...html.matchAll(/<nav[^>]*aria-label="([^"]*)"/g)].map((m) => m[1]!)
  }

  /** The site's frame: the header with the main navigation and the language switch. */
  function expectSiteFrame(html: string, mainNavigation: string) {
    expect(html).toContain('<header')
    expect(navigationLabels(html)).toContain(mainNavigation)
    expect(html).toMatch(/<form[^>]*action="\/language"/)
  }

  it('an unknown product is a 404 inside the storefront frame, in Chinese by default', async () => {
    const { status, html } = await page('/products/no-such-slug')
    expect(status).toBe(404)
    expectSiteFrame(html, '主导航')
    expect(html).toContain('<html lang="zh-CN"')
    expect(textOf(html, 'title')).toBe('404 · 消费帮扶集市')
    expect(textOf(html, 'h1')).toBe('404 页面不存在')
    expect(html).toContain('role="alert"')
    expect(html).toMatch(/<a[^>]*href="\/"[^>]*>返回首页<\/a>/)
  })

  it('and in English with the language cookie', async () => {
    const { status, html } = await page('/products/no-such-slug', ['lang=en'])
    expect(status).toBe(404)
    expectSiteFrame(html, 'Main')
    expect(html).toContain('<html lang="en"')
    expect(textOf(html, 'h1')).toBe('404 Page not found')
    expect(html).toMatch(/<a[^>]*href="\/"[^>]*>Back to the home page<\/a>/)
    expect(html).not.toContain('页面不存在')
  })

  it('administration refused to a consumer is a 403 in the site frame, with the ways to another identity', async () => {
    const cookie = await consumerCookie()
    const { status, html } = await page('/admin/payments', [cookie])
    expect(status).toBe(403)
    expectSiteFrame(html, '主导航')
    // The header still knows who is signed in.
    expect(html).toContain('演示消费者')
    expect(textOf(html, 'title')).toBe('403 · 消费帮扶集市')
    expect(textOf(html, 'h1')).toBe('403 无权访问')
    // Not the administration's own navigation: the visitor is not let into that section.
    expect(navigationLabels(html)).not.toContain('管理导航')
    expect(html).toMatch(/<a[^>]*href="\/account"[^>]*>切换所代表的单位<\/a>/)
    expect(html).toMatch(/<a[^>]*href="\/login\?redirectTo=%2Fadmin%2Fpayments"[^>]*>用其他账户登录<\/a>/)

    const english = await page('/admin/payments', [cookie, 'lang=en'])
    expect(english.status).toBe(403)
    expect(textOf(english.html, 'h1')).toBe('403 No access')
    expect(english.html).toMatch(/<a[^>]*href="\/account"[^>]*>Switch the organisation you act for<\/a>/)
  })

  it('an order that does not exist is a 404 inside the account section, its navigation kept', async () => {
    const cookie = await consumerCookie()
    const { status, html } = await page(`/account/orders/${randomUUID()}`, [cookie])
    expect(status).toBe(404)
    expectSiteFrame(html, '主导航')
    expect(navigationLabels(html)).toContain('账户导航')
    expect(textOf(html, 'h1')).toBe('404 页面不存在')

    const english = await page(`/account/orders/${randomUUID()}`, [cookie, 'lang=en'])
    expect(navigationLabels(english.html)).toContain('Account navigation')
    expect(textOf(english.html, 'h1')).toBe('404 Page not found')
  })

  it('a URL no route matches gets the minimal page of the root, still in the visitor’s language', async () => {
    const chinese = await page('/no-such-page')
    expect(chinese.status).toBe(404)
    expect(textOf(chinese.html, 'h1')).toBe('404 页面不存在')
    expect(textOf(chinese.html, 'title')).toBe('404 · 消费帮扶集市')
    const english = await page('/no-such-page', ['lang=en'])
    expect(english.html).toContain('<html lang="en"')
    expect(textOf(english.html, 'h1')).toBe('404 Page not found')
  })

  it('a refused form says why, in the page of the layout it was sent to', async () => {
    const response = await fetch(`${origin}/cart`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: origin, 'Sec-Fetch-Site': 'same-origin' },
      body: '{}',
    })
    const html = await response.text()
    expect(response.status).toBe(415)
    expectSiteFrame(html, '主导航')
    expect(textOf(html, 'h1')).toBe('415 无法读取提交的内容')
    expect(html).toContain('原因：请以表单提交')
  })
})
