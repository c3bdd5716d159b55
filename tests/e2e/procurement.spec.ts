import { expect, test } from './fixtures'

/**
 * Government procurement (issue 16), in Chromium: a unit buyer pastes ten lines, two are flagged, fixes them and
 * submits over the spending limit; the unit's approver approves; the requisition becomes an order.
 */
test.describe.configure({ timeout: 120_000 })

const lines = (last: [string, string]) =>
  [
    'PRD001\t5',
    'PRD002,5',
    'PRD003 5',
    'ＰＲＤ００４　５',
    'PRD005\t5',
    'PRD006\t5',
    'PRD007\t5',
    'PRD008\t5',
    last.join('\t'),
    'PRD010\t0',
  ].join('\n')

test('a buyer’s requisition over the limit is approved by the unit’s approver and becomes an order', async ({
  page,
  login,
}) => {
  await login('buyer@gulou.demo.example')
  await page.goto('/checkout')
  // Acting for the unit, the consumer checkout sends the buyer to the unit's ordering page.
  await expect(page.getByRole('alert')).toContainText('不能使用个人结算')
  await page.getByRole('link', { name: '去单位采购：新建请购单' }).click()
  await expect(page.getByRole('heading', { level: 1, name: '新建请购单' })).toBeVisible()

  const box = page.getByLabel('采购明细（每行：商品编码 数量）')
  await box.fill(lines(['PRD999', '5']))
  await page.getByRole('button', { name: '预览' }).click()
  await expect(page.getByTestId('preview-summary')).toHaveText('共 10 行，2 行有问题。')
  const flagged = page.locator('[data-testid="preview-line"]:not([data-problem=""])')
  await expect(flagged).toHaveCount(2)
  await expect(flagged.nth(0)).toContainText('没有这个商品编码')
  await expect(flagged.nth(1)).toContainText('数量应为 1–99999 的整数')

  // Fixed: a known SKU, a real quantity.
  await box.fill(lines(['PRD009', '5']).replace('PRD010\t0', 'PRD010\t5'))
  await page.getByRole('button', { name: '预览' }).click()
  await expect(page.getByTestId('preview-summary')).toHaveText('共 10 行，全部可以下单。')
  await expect(page.getByText(/提交后需审批/)).toBeVisible()

  await page.getByLabel('联系电话').fill('13800138000')
  await page.getByLabel('详细地址').fill('鼓楼区演示路 8 号 食堂')
  await page.getByLabel('采购单号（选填）').fill('GL-2026-017')
  await page.getByRole('button', { name: '提交请购单' }).click()
  await page.waitForURL(/\/unit\/requisitions\/[0-9a-f-]{36}\?submitted=pending_approval/)
  const requisitionUrl = new URL(page.url()).pathname
  await expect(page.getByTestId('requisition-status')).toHaveText('待审批')

  await login('approver@gulou.demo.example')
  await page.goto('/account/notifications')
  await expect(page.getByTestId('notification').first()).toContainText('等待您审批')
  await page.goto(requisitionUrl)
  await page.getByLabel('审批意见').fill('同意，按采购计划执行')
  await page.getByRole('button', { name: '批准并下单' }).click()
  await expect(page.getByRole('status').filter({ hasText: '已批准，订单已生成。' })).toBeVisible()
  await expect(page.getByTestId('requisition-status')).toHaveText('已下单')
  await expect(page.getByTestId('requisition-history')).toContainText('同意，按采购计划执行')

  await login('buyer@gulou.demo.example')
  await page.goto(requisitionUrl)
  await expect(page.getByTestId('requisition-status')).toHaveText('已下单')
  await expect(page.getByTestId('requisition-order')).toContainText(/XF\d{8}-\d{6}/)
  // Told in the header and the notification list; the order is the buyer's, for the unit.
  await expect(page.getByTestId('notifications-link')).toHaveText(/通知（\d+）/)
  await page.getByTestId('requisition-order').getByRole('link').click()
  await expect(page.getByTestId('order-timeline')).toContainText('对公结算：单位验收后付款')
  await page.goto('/unit/orders')
  await expect(page.getByTestId('unit-order').filter({ hasText: 'GL-2026-017' })).toBeVisible()
})

test('an uploaded CSV in GB18030 fills the box with its lines and is previewed', async ({ page, login }) => {
  await login('buyer@gulou.demo.example')
  await page.goto('/unit/requisitions/new')
  // 商品编码,数量 / PRD001,6 / PRD002,4 in GB18030, as Excel on Chinese Windows saves a CSV.
  const gb18030 = Buffer.from('c9ccc6b7b1e0c2eb2ccafdc1bf0a5052443030312c360a5052443030322c340a', 'hex')
  await page.getByLabel('或上传文件（CSV 或 XLSX，最大 5 MB）').setInputFiles({
    name: '请购.csv',
    mimeType: 'text/csv',
    buffer: gb18030,
  })
  await page.getByRole('button', { name: '预览' }).click()
  await expect(page.getByTestId('preview-summary')).toHaveText('共 2 行，全部可以下单。')
  await expect(page.getByLabel('采购明细（每行：商品编码 数量）')).toHaveValue('PRD001 6\nPRD002 4')
  await expect(page.getByText('已读取文件「请购.csv」')).toBeVisible()
})
