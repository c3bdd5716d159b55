import { expect, test } from './fixtures'

test('a cart quantity is saved as it changes, with no update button to press', async ({ page }) => {
  await page.goto('/products/gaoyuanxiacai-qincai')
  await page.getByRole('button', { name: '加入购物车' }).click()
  await expect(page.getByRole('heading', { level: 1, name: '购物车' })).toBeVisible()
  // The line shows the product's picture (here its category's illustration, marked 示意图), loaded.
  const picture = page.getByRole('img', { name: /芹菜/ })
  await expect(picture).toBeVisible()
  await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.naturalWidth > 0)).toBe(true)
  const total = page.getByTestId('cart-total')
  const before = (await total.textContent())!.trim()
  const qty = page.getByRole('spinbutton', { name: /数量/ })
  await qty.fill('3')
  // The line and the total follow without any click; the field keeps what was typed and its focus.
  await expect(total).not.toHaveText(before)
  await expect(qty).toHaveValue('3')
  await expect(qty).toBeFocused()
  // The button stays for keyboard and screen-reader users, out of sight.
  await expect(page.getByRole('button', { name: '更新' })).toHaveClass(/sr-only/)
  // The quantity was saved, not only shown: a reload keeps it.
  await page.reload()
  await expect(page.getByRole('spinbutton', { name: /数量/ })).toHaveValue('3')
})
