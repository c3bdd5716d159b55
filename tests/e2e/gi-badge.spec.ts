import { expect, test } from './fixtures'

test('a product whose GI is only reported shows no GI badge', async ({ page }) => {
  await page.goto('/products/changshanhuyou')
  await expect(page.getByRole('heading', { level: 1, name: '常山胡柚' })).toBeVisible()
  await expect(page.getByText('地理标志产品', { exact: true })).toHaveCount(0)
})
