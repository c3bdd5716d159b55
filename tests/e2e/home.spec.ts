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
