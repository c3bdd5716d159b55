import { expect, test } from './fixtures'

test('a buyer types Chinese, a synonym, pinyin or initials and gets 定西马铃薯 among the first suggestions', async ({
  page,
}, testInfo) => {
  await page.goto('/')
  const box = page.getByRole('combobox', { name: '搜索产品' })
  for (const typed of ['tudou', '土豆', 'malingshu', 'dxmls']) {
    await box.fill(typed)
    const options = page.getByRole('listbox', { name: '搜索建议' }).getByRole('option')
    await expect(options.first(), typed).toBeVisible()
    const firstThree = (await options.allTextContents()).slice(0, 3)
    expect(firstThree, typed).toContain('定西马铃薯')
  }
  const path = testInfo.outputPath('suggestions.png')
  await page.screenshot({ path })
  await testInfo.attach('suggestions', { path, contentType: 'image/png' })

  // Keyboard: arrow down to a suggestion and Enter opens it.
  await box.fill('dxmls')
  await expect(page.getByRole('option', { name: '定西马铃薯' })).toBeVisible()
  await box.press('ArrowDown')
  await expect(page.getByRole('option', { name: '定西马铃薯' })).toHaveAttribute('aria-selected', 'true')
  await box.press('Enter')
  await expect(page.getByRole('heading', { level: 1, name: '定西马铃薯' })).toBeVisible()
})

test('the results page shows facet counts, highlights and a helpful empty state', async ({ page }) => {
  await page.goto('/')
  await page.getByRole('combobox', { name: '搜索产品' }).fill('当归')
  await page.getByRole('button', { name: '搜索', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: '搜索“当归”' })).toBeVisible()
  await expect(page.getByRole('link', { name: /岷县当归/ }).first()).toBeVisible()
  await expect(page.locator('mark', { hasText: '当归' }).first()).toBeVisible()
  await expect(
    page.getByRole('complementary', { name: '筛选结果' }).getByRole('link', { name: /中药材/ }),
  ).toBeVisible()

  await page.goto('/search?q=' + encodeURIComponent('火星陨石'))
  await expect(page.getByText('没有找到与“火星陨石”相关的产品。')).toBeVisible()
  // The header's box repeats the search it answered, ready to refine.
  await expect(page.getByRole('combobox', { name: '搜索产品' })).toHaveValue('火星陨石')
  await expect(page.getByRole('link', { name: '查看全部产品' })).toBeVisible()
})
