import { expect, test } from './fixtures'

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

test('on a phone the filters wait in a drawer behind one button, and the products come first', async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 })
  await page.goto('/products')
  const drawerButton = page.getByRole('button', { name: /^筛选(（\d+）)?$/, expanded: false })
  await expect(drawerButton).toBeVisible()
  await expect(page.getByLabel('分类')).toBeHidden()
  const firstCard = page
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { level: 3 }) })
    .first()
  await expect(firstCard).toBeInViewport()

  await drawerButton.click()
  await expect(page.getByRole('button', { name: '筛选', expanded: true })).toBeVisible()
  await page.getByLabel('分类').selectOption('蔬菜')
  await expect(page).toHaveURL(/category=/)
  // Still open for the next filter; the button counts the filter in force and closes the drawer over the list.
  await page.getByRole('button', { name: '筛选（1）', expanded: true }).click()
  await expect(page.getByLabel('分类')).toBeHidden()
  await expect(firstCard).toBeInViewport()

  // A mistake opens the drawer by itself, with the message next to the field.
  await page.goto('/products?min=abc')
  await expect(page.getByLabel('最低价（元）')).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByLabel('最低价（元）')).toBeVisible()
})
