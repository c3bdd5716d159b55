import { expect, test } from './fixtures'

test('a visitor goes from the home page to a county and a product, reads it in English and switches back', async ({
  page,
}, testInfo) => {
  // Each page's screenshot is kept as an artifact in test-results/e2e-artifacts.
  const snap = async (name: string) => {
    const path = testInfo.outputPath(`${name}.png`)
    await page.screenshot({ path, fullPage: true })
    await testInfo.attach(name, { path, contentType: 'image/png' })
  }

  await page.goto('/')
  await expect(page.getByRole('heading', { level: 1, name: '消费帮扶集市' })).toBeVisible()
  await expect(
    page.getByRole('progressbar', { name: /福州→定西 \d{4}年消费帮扶（演示） 完成进度/ }),
  ).toBeVisible()
  await snap('1-home')

  // A product card's origin links to its county.
  await page.getByRole('link', { name: '定西市 安定区' }).first().click()
  await expect(page.getByRole('heading', { level: 1, name: '安定区' })).toBeVisible()
  await expect(page.getByRole('link', { name: '台江区 → 安定区' })).toBeVisible()
  await snap('2-county')

  await page.getByRole('link', { name: '定西马铃薯', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: '定西马铃薯' })).toBeVisible()
  await expect(page.getByText(/^每售出 1 件，¥\d+\.\d\d 计入 \d+ 户受益农户$/)).toBeVisible()
  await expect(page.getByText('地理标志产品', { exact: true })).toBeVisible()
  await snap('3-product-zh')

  await page.getByRole('button', { name: 'English' }).click()
  await expect(
    page.getByText(/^Each unit sold credits ¥\d+\.\d\d to \d+ beneficiary households$/),
  ).toBeVisible()
  await expect(page.getByRole('heading', { level: 1, name: '定西马铃薯' })).toBeVisible()
  await snap('4-product-en')

  // The choice persists across pages until switched back.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'All products' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'All products' })).toBeVisible()
  await page.getByRole('button', { name: '中文' }).click()
  await expect(page.getByRole('heading', { level: 1, name: '全部产品' })).toBeVisible()
  await snap('5-products-zh')
})
