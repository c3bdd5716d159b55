import { expect, test } from '@playwright/test'

test('a visitor opens the home page and sees the Dingxi targets and products', async ({ page }, testInfo) => {
  await page.goto('/')
  await expect(page.getByRole('heading', { level: 1, name: '消费帮扶集市' })).toBeVisible()
  await expect(page.getByRole('heading', { name: /^福州→定西 \d{4}年消费帮扶（演示）$/ })).toBeVisible()
  await expect(page.getByRole('heading', { name: '定西马铃薯' })).toBeVisible()
  // Progress is unknown until the sales ledger exists: a dash, never a made-up figure.
  await expect(page.getByText('销售台账上线后显示进度').first()).toBeAttached()
  const path = testInfo.outputPath('home.png')
  await page.screenshot({ path, fullPage: true })
  await testInfo.attach('home', { path, contentType: 'image/png' })
})
