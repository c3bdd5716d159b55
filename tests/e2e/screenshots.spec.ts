import fs from 'node:fs'
import path from 'node:path'
import type { Page, TestInfo } from '@playwright/test'
import { expectAccessible } from './axe'
import { checkOutByTransfer } from './checkout-steps'
import { expect, test } from './fixtures'

/**
 * The visual check: the main pages on a 390 × 844 phone and a 1366 × 900 desktop, each saved as a screenshot
 * attached to the run's report (test-results/). With UPDATE_SCREENSHOTS=1 the phone shots also replace the README's
 * pictures in docs/screenshots/ (`UPDATE_SCREENSHOTS=1 npm run test:e2e -- tests/e2e/screenshots.spec.ts`).
 */
const phone = { width: 390, height: 844 }
const desktop = { width: 1366, height: 900 }
const readmeDir = path.resolve('docs/screenshots')

test.describe.configure({ timeout: 120_000 })

async function shoot(page: Page, testInfo: TestInfo, name: string, options: { readme?: boolean } = {}) {
  // Pictures drawn, fonts loaded: what a person would see once the page settles.
  await page.evaluate(() => document.fonts.ready.then(() => undefined))
  await expect
    .poll(() =>
      page.evaluate(() =>
        [...document.images]
          .filter((img) => img.getBoundingClientRect().top < window.innerHeight)
          .every((img) => img.complete && img.naturalWidth > 0),
      ),
    )
    .toBe(true)
  const file = testInfo.outputPath(`${name}.png`)
  await page.screenshot({ path: file })
  await testInfo.attach(name, { path: file, contentType: 'image/png' })
  if (options.readme && process.env.UPDATE_SCREENSHOTS === '1') {
    fs.mkdirSync(readmeDir, { recursive: true })
    fs.copyFileSync(file, path.join(readmeDir, `${name}.png`))
  }
}

/** Nothing wider than the window: no sideways scrolling of the page itself. */
async function expectNoSidewaysScroll(page: Page, width: number) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width)
}

for (const [label, size] of [
  ['phone', phone],
  ['desktop', desktop],
] as const) {
  test(`home and a product page on a ${label} (${size.width} × ${size.height})`, async ({
    page,
  }, testInfo) => {
    await page.setViewportSize(size)
    await page.goto('/')
    await expect(page.getByRole('combobox', { name: '搜索产品' }).first()).toBeInViewport()
    const firstCard = page.getByRole('region', { name: '部分产品' }).getByRole('listitem').first()
    await expect(firstCard).toBeInViewport()
    await expectNoSidewaysScroll(page, size.width)
    await shoot(page, testInfo, `home-${label}`, { readme: label === 'phone' })

    await page.goto('/products/dingximalingshu')
    await expect(page.getByRole('heading', { level: 1, name: '定西马铃薯' })).toBeVisible()
    // On a phone, the buy bar at the bottom of the screen (the buy box is further down); on a desktop, the buy box
    // beside the picture (the bar is not shown).
    await expect(page.getByRole('button', { name: '加入购物车' })).toHaveCount(label === 'phone' ? 2 : 1)
    await expect(page.getByRole('button', { name: '加入购物车' }).last()).toBeInViewport()
    await expectNoSidewaysScroll(page, size.width)
    await shoot(page, testInfo, `product-${label}`, { readme: label === 'phone' })
    await expectAccessible(page, `product page on a ${label}`)
  })
}

test('an order page on a phone, as the buyer sees it while the transfer is awaited', async ({
  page,
  login,
}, testInfo) => {
  await login('consumer@demo.example')
  await page.setViewportSize(phone)
  await page.goto('/products/dingximalingshu')
  // The phone's buy bar adds the minimum quantity.
  await page.getByRole('button', { name: '加入购物车' }).last().click()
  await expect(page.getByRole('heading', { level: 1, name: '购物车' })).toBeVisible()
  await checkOutByTransfer(page)
  await expectNoSidewaysScroll(page, phone.width)
  await shoot(page, testInfo, 'order-phone', { readme: true })
})
