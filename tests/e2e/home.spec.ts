import { expect, test } from './fixtures'

test('a visitor opens the home page and sees the Dingxi targets and products', async ({ page }, testInfo) => {
  await page.goto('/')
  await expect(page.getByRole('heading', { level: 1, name: '消费帮扶集市' })).toBeVisible()
  await expect(page.getByRole('heading', { name: /^福州→定西 \d{4}年消费帮扶（演示）$/ })).toBeVisible()
  await expect(page.getByRole('heading', { name: '定西马铃薯' })).toBeVisible()
  // Progress is counted from the ledger: a floored percentage on every demo target's bar.
  const bar = page.getByRole('progressbar', { name: /福州→定西 \d{4}年消费帮扶（演示）/ })
  await expect(bar).toHaveAttribute('aria-valuetext', /^(<0\.1|\d+(\.\d)?)%$/)
  // The demo year moves it believably: near the share of the year gone (issue 18), never stuck near 0.
  const shown = Number((await bar.getAttribute('aria-valuetext'))!.replace(/[<%]/g, ''))
  const shanghai = new Date(Date.now() + 8 * 3_600_000)
  const year = shanghai.getUTCFullYear()
  const dayOfYear = Math.floor((shanghai.getTime() - Date.UTC(year, 0, 1)) / 86_400_000) + 1
  const elapsed = (dayOfYear * 100) / ((Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1)) / 86_400_000)
  expect(shown).toBeGreaterThanOrEqual(Math.floor(elapsed * 0.85 * 10) / 10 - 0.1)
  expect(shown).toBeLessThanOrEqual(elapsed * 1.15 + 0.1)
  // Every target, demo and documented, is one click away.
  await page.getByRole('link', { name: /^全部 \d+ 个目标$/ }).click()
  await expect(page.getByRole('heading', { level: 2, name: '参考目标（有出处的历史目标）' })).toBeVisible()
  await page.goBack()
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

test('on a 390 × 844 phone the first product card is within the first screen of home', async ({
  page,
}, testInfo) => {
  await page.setViewportSize({ width: 390, height: 844 })
  await page.goto('/')
  const firstCard = page.getByRole('region', { name: '部分产品' }).getByRole('listitem').first()
  await expect(firstCard).toBeVisible()
  const box = await firstCard.boundingBox()
  expect(box, 'the first product card has a box').not.toBeNull()
  expect(box!.y).toBeLessThan(844)
  // Nothing is wider than the phone: no sideways scrolling of the page itself.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
  const path = testInfo.outputPath('home-phone.png')
  await page.screenshot({ path })
  await testInfo.attach('home on a phone', { path, contentType: 'image/png' })
})
