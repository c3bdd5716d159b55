import { expect, test } from '@playwright/test'

test('the product filters say what is wrong next to the field', async ({ page }) => {
  await page.goto('/products')
  await page.getByLabel('最低价（元）').fill('abc')
  await page.getByRole('button', { name: '筛选' }).click()
  await expect(page.getByRole('alert')).toHaveText('请输入不小于 0 的金额，最多两位小数')
  await expect(page.getByLabel('最低价（元）')).toHaveAttribute('aria-invalid', 'true')
  await page.getByLabel('省份').selectOption('330000')
  await expect(page).toHaveURL(/region=330000/)
  await expect(page.getByText(/^共 \d+ 种产品$/)).toBeVisible()
})
