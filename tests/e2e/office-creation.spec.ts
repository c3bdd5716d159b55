import { expect, test } from './fixtures'

test('a platform admin creates an office, choosing its jurisdiction by region name', async ({
  page,
  login,
}) => {
  await login('admin@demo.example')
  await page.goto('/admin/offices/new')
  await page.getByLabel('机构名称').fill('测试市东西部协作工作机构（演示）')
  const where = page.getByRole('group', { name: '机构所在地区' })
  await where.getByLabel('省份').selectOption({ label: '福建省' })
  await where.getByLabel('城市').selectOption({ label: '福州市' })

  const area = page.getByRole('group', { name: '管辖范围' })
  await expect(area.getByText('还没有添加地区。')).toBeVisible()
  await area.getByLabel('省份').selectOption({ label: '福建省' })
  await area.getByLabel('城市').selectOption({ label: '福州市' })
  await area.getByRole('button', { name: '添加“福州市”' }).click()
  await area.getByLabel('省份').selectOption({ label: '甘肃省' })
  await area.getByLabel('城市').selectOption({ label: '定西市' })
  await area.getByLabel('区县').selectOption({ label: '岷县' })
  await area.getByRole('button', { name: '添加“岷县”' }).click()
  // A mistake, undone: 岷县 is inside 定西市, which is what was meant.
  await area.getByRole('button', { name: '移除“岷县”' }).click()
  await area.getByLabel('区县').selectOption({ label: '请选择' })
  await area.getByRole('button', { name: '添加“定西市”' }).click()
  await expect(area.getByRole('list', { name: '已添加的地区' }).getByRole('listitem')).toHaveText([
    /福州市/,
    /定西市/,
  ])

  await page.getByRole('button', { name: '创建机构' }).click()
  const done = page.getByRole('status')
  await expect(done).toContainText('已创建“测试市东西部协作工作机构（演示）”')
  await expect(done).toContainText('管辖范围：福州市、定西市')
  // Names, never codes.
  await expect(done).not.toContainText('350100')
})
