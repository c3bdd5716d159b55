import { expect, test } from '@playwright/test'

test('a visitor opens the home page and sees the Dingxi targets and products', async ({ page }, testInfo) => {
  await page.goto('/')
  await expect(page.getByRole('heading', { level: 1, name: '消费帮扶集市' })).toBeVisible()
  await expect(page.getByRole('heading', { name: /^福州→定西 \d{4}年消费帮扶（演示）$/ })).toBeVisible()
  await expect(page.getByRole('heading', { name: '定西马铃薯' })).toBeVisible()
  // Progress is counted from the ledger: a floored percentage on every demo target's bar.
  const bar = page.getByRole('progressbar', { name: /福州→定西 \d{4}年消费帮扶（演示）/ })
  await expect(bar).toHaveAttribute('aria-valuetext', /^\d+(\.\d)?%$/)
  const path = testInfo.outputPath('home.png')
  await page.screenshot({ path, fullPage: true })
  await testInfo.attach('home', { path, contentType: 'image/png' })
})

test('every product card shows a picture: its photo, or its category illustration marked 示意图, never a broken box', async ({
  page,
}) => {
  await page.goto('/products')
  const cards = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3 }) })
  await expect(cards.first()).toBeVisible()
  const count = await cards.count()
  expect(count).toBeGreaterThan(3)
  for (let i = 0; i < count; i++) {
    const picture = cards.nth(i).getByRole('img').first()
    await picture.scrollIntoViewIfNeeded()
    await expect(picture).toBeVisible()
    // Loaded, not broken: a decoded image has a natural width.
    await expect
      .poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0))
      .toBe(true)
    const src = await picture.getAttribute('src')
    if (src?.startsWith('/illustrations/')) await expect(picture).toHaveAttribute('alt', /（示意图）$/)
  }
})
