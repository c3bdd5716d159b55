import { seedUuid } from '../../db/seed/synthetic'
import { expectAccessible } from './axe'
import { expect, test } from './fixtures'

/**
 * Government procurement II (decision 022), in Chromium: a unit's on-account order is shipped by the cooperative
 * before any payment, partly accepted by the unit (验收), paid by transfer for the accepted amount and confirmed
 * by finance; the unit's plan and the 福州→定西 demo target move by exactly the accepted amount. The new pages and
 * actions pass axe on the way.
 */
test.describe.configure({ timeout: 240_000 })

const year = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear()
const fzDx = seedUuid(`target:demo-${year}-fz-dx`)

/** ¥1,234.50 → 123450 (fen), as the pages print amounts. */
const fenOf = (text: string) => {
  const [yuan, jiao = '00'] = text.replace(/[¥,\s]/g, '').split('.')
  return Number(yuan) * 100 + Number(jiao.padEnd(2, '0'))
}

test('a unit order is shipped, partly accepted, paid for the accepted amount; plan and target move by exactly that', async ({
  page,
  login,
}) => {
  const achieved = async () => {
    const response = await page.request.get(`/api/v1/targets/${fzDx}`)
    expect(response.ok()).toBe(true)
    const body = (await response.json()) as { progress: { state: string; achieved?: string } }
    return Number(body.progress.achieved ?? '0')
  }
  const targetBefore = await achieved()

  // The buyer asks for ten of a Minxian product; the approver approves: the order is placed on account.
  await login('buyer@gulou.demo.example')
  await page.goto(`/unit/plan?year=${year}`)
  const planBefore = fenOf((await page.getByTestId('plan-done').textContent())!)
  await page.goto('/unit/requisitions/new')
  await page.getByLabel('采购明细（每行：商品编码 数量）').fill('PRD030 10')
  await page.getByRole('button', { name: '预览' }).click()
  await expect(page.getByTestId('preview-summary')).toHaveText('共 1 行，全部可以下单。')
  await page.getByLabel('联系电话').fill('13800138000')
  await page.getByLabel('详细地址').fill('鼓楼区演示路 8 号 食堂')
  await page.getByLabel('采购单号（选填）').fill('GL-ACC-001')
  await page.getByRole('button', { name: '提交请购单' }).click()
  await page.waitForURL(/\/unit\/requisitions\/[0-9a-f-]{36}/)
  const requisitionUrl = new URL(page.url()).pathname
  await login('approver@gulou.demo.example')
  await page.goto(requisitionUrl)
  await page.getByRole('button', { name: '批准并下单' }).click()
  await expect(page.getByTestId('requisition-status')).toHaveText('已下单')
  const orderNumber = (await page.getByTestId('requisition-order').textContent())!.match(/XF\d{8}-\d{6}/)![0]

  // The cooperative ships it before any payment, and marks it delivered.
  await login('coop@minxian.demo.example')
  await page.goto('/coop/fulfilment')
  const card = page.getByTestId('seller-order').filter({ hasText: orderNumber })
  await expect(card).toContainText('对公挂账：验收后付款')
  await card.getByLabel('快递公司').fill('顺丰速运')
  await card.getByLabel('运单号').fill('SF1234567890')
  await card.getByRole('button', { name: `发货 ${orderNumber}` }).click()
  await expect(page.getByRole('status').filter({ hasText: '已发货' })).toBeVisible()
  // Shipped orders come after those still to ship, perhaps pages later: the cooperative finds it by its number.
  await page.getByRole('link', { name: '已发货', exact: true }).click()
  await page.getByRole('searchbox', { name: '订单号或运单号' }).fill(orderNumber)
  await page.getByRole('button', { name: '查找' }).click()
  await expect(page).toHaveURL(new RegExp(`state=shipped&q=${orderNumber}`))
  // The header's product search does not take the order number for a product search.
  await expect(page.getByRole('combobox', { name: '搜索产品' }).first()).toHaveValue('')
  await expect(page.getByTestId('seller-order')).toHaveCount(1)
  await expect(card).toContainText('顺丰速运 运单号 SF1234567890')
  await card.getByRole('button', { name: `标记 ${orderNumber} 已送达` }).click()
  await expect(page.getByRole('status').filter({ hasText: '已标记送达。' })).toBeVisible()

  // The unit accepts seven of the ten; the amount payable is known at once.
  await login('buyer@gulou.demo.example')
  await page.goto('/unit/orders')
  await page.getByRole('link', { name: orderNumber }).click()
  await expect(page.getByRole('heading', { level: 1, name: `订单 ${orderNumber}` })).toBeVisible()
  await expect(page.getByTestId('payable')).toHaveText('全部验收后确定')
  await expectAccessible(page, 'unit order awaiting acceptance')
  await page.getByLabel(/的验收数量（最多 10）/).fill('7')
  await page.getByLabel('验收备注（可选）').fill('三箱破损，拒收')
  await page.getByRole('button', { name: '确认验收（提交后不可更改）' }).click()
  await expect(page.getByRole('status')).toContainText('验收已记录。应付金额已确定')
  await expect(page.getByTestId('acceptance')).toContainText('拒收待合作社处理')
  const payable = fenOf((await page.getByTestId('payable').textContent())!)
  expect(payable).toBeGreaterThan(0)
  const reference = (await page.getByText(/^BT\d{14}$/).textContent())!.trim()
  await expectAccessible(page, 'unit order accepted')

  // The cooperative accepts the return of the three rejected.
  await login('coop@minxian.demo.example')
  await page.goto('/coop/fulfilment')
  const dispute = page.getByTestId('dispute').filter({ hasText: orderNumber })
  await expect(dispute).toContainText('× 3')
  await expectAccessible(page, 'fulfilment with a dispute')
  await dispute.getByRole('button', { name: '同意退货（退回库存）' }).click()
  await expect(page.getByRole('status')).toHaveText('已同意退货，拒收数量已退回库存。')

  // Finance confirms the transfer of the accepted amount (not the ordered one).
  await login('finance@demo.example')
  await page.goto(`/admin/payments?q=${reference}`)
  const row = page.getByTestId(`payment-${reference}`)
  const yuan = `${Math.floor(payable / 100)}.${String(payable % 100).padStart(2, '0')}`
  await row.getByLabel(/实际到账金额/).fill(yuan)
  await row.getByRole('button', { name: '确认到账' }).click()
  await expect(page.getByRole('status')).toHaveText(`已确认 ${reference} 到账，订单已付款。`)

  // The plan and the target move by exactly the accepted amount.
  expect(await achieved()).toBe(targetBefore + payable)
  await login('buyer@gulou.demo.example')
  await page.goto(`/unit/plan?year=${year}`)
  expect(fenOf((await page.getByTestId('plan-done').textContent())!)).toBe(planBefore + payable)
  await page.goto(`/unit/plan/print?year=${year}`)
  await expect(page.getByRole('heading', { level: 1, name: `${year} 年消费帮扶采购汇总` })).toBeVisible()
  await expectAccessible(page, 'printable purchase summary')
  const download = page.waitForEvent('download')
  await page.goto(`/unit/plan?year=${year}`)
  await page.getByRole('link', { name: '导出本年采购明细（Excel）' }).click()
  expect((await download).suggestedFilename()).toBe(`unit-purchases-${year}.xlsx`)
})
