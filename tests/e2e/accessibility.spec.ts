import AxeBuilder from '@axe-core/playwright'
import { expect, type Page, test } from '@playwright/test'
import { logIn, logOut } from './session'

/**
 * Every page a buyer or finance goes through, checked by axe against WCAG 2.1 A and AA in the browser: labels,
 * names, contrast, landmarks, language. A violation is listed by rule and element, so a failure says what to fix.
 */
async function expectAccessible(page: Page, what: string) {
  const { violations } = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze()
  const found = violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  )
  expect.soft(found, `${what}: accessibility violations`).toEqual([])
}

// axe takes 1–3 s a page on a quiet machine and several times that on a loaded one: each test here visits many.
test.describe.configure({ timeout: 180_000 })

test('the storefront, cart, checkout, order and finance pages pass axe (WCAG 2.1 AA)', async ({ page }) => {
  await page.goto('/')
  await expectAccessible(page, 'home')
  await page.goto('/products')
  await expectAccessible(page, 'product list')
  await page.goto('/products/gaoyuanxiacai-qincai')
  await expectAccessible(page, 'product page')
  await page.getByRole('button', { name: '加入购物车' }).click()
  await expect(page.getByRole('heading', { level: 1, name: '购物车' })).toBeVisible()
  await expectAccessible(page, 'cart')

  await page.getByRole('link', { name: '登录后结算' }).click()
  await expectAccessible(page, 'login')
  await logIn(page, 'consumer@demo.example')
  await expect(page.getByRole('heading', { level: 1, name: '结算' })).toBeVisible()
  await page.getByRole('button', { name: '提交订单' }).click()
  await expect(page.getByLabel('详细地址')).toHaveAttribute('aria-invalid', 'true')
  await expectAccessible(page, 'checkout with field errors')

  await page.getByLabel('手机或固定电话').fill('13800001111')
  await page.getByLabel('省份').selectOption({ label: '福建省' })
  await page.getByLabel('城市').selectOption({ label: '福州市' })
  await page.getByLabel('区县').selectOption({ label: '鼓楼区' })
  await page.getByLabel('详细地址').fill('演示路 5 号')
  await page.getByRole('button', { name: '提交订单' }).click()
  await expect(page.getByTestId('order-status').first()).toHaveText('待付款')
  await expectAccessible(page, 'order page')
  await page.goto('/account/orders')
  await expectAccessible(page, 'my orders')
  await logOut(page)

  await page.goto('/login?redirectTo=/admin/payments')
  await logIn(page, 'finance@demo.example')
  await page.waitForURL((url) => url.pathname === '/admin/payments')
  await expectAccessible(page, 'finance payments')
})

test('the other public, account and admin pages pass axe (WCAG 2.1 AA)', async ({ page }) => {
  for (const [path, what] of [
    ['/about', 'about'],
    ['/search?q=马铃薯', 'search results'],
    ['/search?q=zzzzzz', 'search without results'],
    ['/regions/621126', 'county page'],
    ['/signup', 'sign-up'],
    ['/products?min=abc', 'product filters with an error'],
  ] as const) {
    await page.goto(path)
    await expectAccessible(page, what)
  }
  await page.goto('/')
  await page.getByRole('link', { name: /→/ }).first().click()
  await expectAccessible(page, 'pairing page')

  await page.goto('/login?redirectTo=/account')
  await logIn(page, 'coop@minxian.demo.example')
  await page.waitForURL((url) => url.pathname === '/account')
  for (const [path, what] of [
    ['/account', 'account'],
    ['/account/organizations', 'my organisations'],
    ['/account/organizations/new', 'register an organisation'],
    ['/account/security', 'security'],
  ] as const) {
    await page.goto(path)
    // The page itself, not the login page it would redirect to without a session.
    expect(new URL(page.url()).pathname).toBe(path)
    await expectAccessible(page, what)
  }
  await logOut(page)

  await page.goto('/login?redirectTo=/admin/organizations')
  await logIn(page, 'admin@demo.example')
  await page.waitForURL((url) => url.pathname === '/admin/organizations')
  for (const [path, what] of [
    ['/admin/organizations', 'verify organisations'],
    ['/admin/offices/new', 'create an office'],
    ['/admin/audit', 'audit log'],
  ] as const) {
    await page.goto(path)
    // The page itself, not the login page it would redirect to without a session.
    expect(new URL(page.url()).pathname).toBe(path)
    await expectAccessible(page, what)
  }
})
