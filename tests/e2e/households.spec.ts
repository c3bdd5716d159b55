import iconv from 'iconv-lite'
import type { Page, Response } from '@playwright/test'
import { seedUuid } from '../../db/seed/synthetic'
import { slugFromName } from '../../app/domains/catalog/slugs'
import { syntheticIdNumber, validIdNumbersIn, wrongCheckDigit } from '../support/households'
import { expect, test } from './fixtures'

// The journey signs in five times, imports, buys and ships: give it room on a loaded machine.
test.describe.configure({ timeout: 180_000 })

const prd030 = seedUuid('product:PRD030')
const productPage = `/products/${slugFromName('岷县当归')}`
const header = '户主姓名,所在区县,乡镇村,家庭人口,农户类别,利益联结方式,身份证号'
const ids = [
  syntheticIdNumber(501, '19660606'),
  syntheticIdNumber(502, '19720202'),
  syntheticIdNumber(503, '19810101'),
]

function gb18030(rows: string[]): { name: string; mimeType: string; buffer: Buffer } {
  return {
    name: '受益农户.csv',
    mimeType: 'text/csv',
    buffer: iconv.encode([header, ...rows].join('\r\n') + '\r\n', 'gb18030'),
  }
}

/** Every text answer the browser received during the journey (pages, data requests), for the ID capture. */
function captureResponses(page: Page): string[] {
  const bodies: string[] = []
  page.on('response', (response: Response) => {
    const type = response.headers()['content-type'] ?? ''
    if (!/text\/html|json|text\/x-script|turbo|text\/plain/.test(type)) return
    response
      .text()
      .then((text) => bodies.push(text))
      .catch(() => {})
  })
  return bodies
}

test('an admin imports a GB18030 roster, links households to a product, a sale is shipped, received and credited to the fen', async ({
  page,
  login,
  request,
}) => {
  const captured = captureResponses(page)

  // 1. Import: two bad rows are listed with their lines and nothing is imported; the fixed file imports.
  await login('coop@minxian.demo.example')
  await page.goto('/coop/households/import')
  const good = [
    `测*甲,岷县,梅川镇演示村,4,脱贫户,订单收购,${ids[0]}`,
    `测*乙,岷县,西江镇演示村,3,防止返贫监测对象,务工就业,${ids[1]}`,
  ]
  const third = `测*丙,岷县,十里镇演示村,2,脱贫户,入股分红,${ids[2]}`
  await page
    .getByLabel('CSV 文件')
    .setInputFiles(
      gb18030([
        good[0]!,
        `测*乙,岷县,西江镇演示村,25,防止返贫监测对象,务工就业,${ids[1]}`,
        good[1]!.replace(ids[1]!, ids[2]!),
        `测*丙,岷县,十里镇演示村,2,脱贫户,入股分红,${wrongCheckDigit(ids[2]!)}`,
      ]),
    )
  await page.getByRole('button', { name: '检查' }).click()
  await expect(page.getByTestId('import-problem')).toHaveCount(2)
  await expect(page.getByTestId('import-problem').nth(0)).toContainText('第 3 行')
  await expect(page.getByTestId('import-problem').nth(0)).toContainText('家庭人口须为 1 至 20 之间的整数')
  await expect(page.getByTestId('import-problem').nth(1)).toContainText('第 5 行')
  await expect(page.getByTestId('import-problem').nth(1)).toContainText('校验位不正确')
  await page.getByLabel('CSV 文件').setInputFiles(gb18030([...good, third]))
  await page.getByRole('button', { name: '导入' }).click()
  await expect(page.getByTestId('import-status')).toHaveText('已导入 3 户。')

  // 2. Link them to 岷县当归 with weights 1, 2, 3 (its earlier households removed) and ¥6.00 a unit.
  await page.goto(`/coop/products/${prd030}/beneficiaries`)
  const remove = page.getByRole('button', { name: /^移除 HH-/ })
  while ((await remove.count()) > 0) {
    const before = await remove.count()
    await remove.first().click()
    await expect(remove).toHaveCount(before - 1)
  }
  const codes: string[] = []
  for (const [name, weight] of [
    ['测*甲', '1'],
    ['测*乙', '2'],
    ['测*丙', '3'],
  ] as const) {
    const code = await page.locator('#household-candidates option', { hasText: name }).getAttribute('value')
    codes.push(code!)
    await page.getByLabel('农户编号').fill(code!)
    await page.getByLabel('权重', { exact: true }).fill(weight)
    await page.getByRole('button', { name: '关联', exact: true }).click()
    await expect(page.getByTestId('beneficiary')).toHaveCount(codes.length)
  }
  await expect(page.getByTestId('beneficiary')).toHaveCount(3)
  await page.getByLabel('规则类型').selectOption({ label: '按件固定金额' })
  await page.getByLabel('每件金额（元）').fill('6.00')
  await page.getByRole('button', { name: '保存规则' }).click()
  await expect(page.getByTestId('current-rule')).toHaveText('每件 ¥6.00（不超过该笔金额）')

  // 3. A consumer buys one; finance confirms the transfer.
  await login('consumer@demo.example')
  await page.goto(productPage)
  await expect(page.getByTestId('impact-line')).toHaveText('每售出 1 件，¥6.00 计入 3 户受益农户')
  await page.getByRole('button', { name: '加入购物车' }).click()
  await expect(page.getByRole('status')).toHaveText('已加入购物车。')
  await page.goto('/checkout')
  await page.getByLabel('手机或固定电话').fill('138 0000 2222')
  await page.getByLabel('省份').selectOption({ label: '福建省' })
  await page.getByLabel('城市').selectOption({ label: '福州市' })
  await page.getByLabel('区县').selectOption({ label: '鼓楼区' })
  await page.getByLabel('详细地址').fill('演示路 8 号')
  await page.getByRole('button', { name: '提交订单' }).click()
  const heading = page.getByRole('heading', { name: /^订单 XF\d{8}-\d{6}$/ })
  await expect(heading).toBeVisible()
  const orderNumber = (await heading.textContent())!.replace('订单', '').trim()
  const orderUrl = new URL(page.url()).pathname
  const total = (await page.getByTestId('payment-amount').textContent())!.trim()
  const reference = (await page.getByTestId('payment-reference').textContent())!.trim()
  await login('finance@demo.example')
  await page.goto('/admin/payments')
  const row = page.getByTestId(`payment-${reference}`)
  await row.getByLabel(/实际到账金额/).fill(total)
  await row.getByRole('button', { name: '确认到账' }).click()
  await expect(page.getByRole('status')).toHaveText(`已确认 ${reference} 到账，订单已付款。`)

  // 4. The cooperative ships it.
  await login('coop@minxian.demo.example')
  await page.goto('/coop/fulfilment')
  const card = page.getByTestId('seller-order').filter({ hasText: orderNumber })
  await card.getByLabel('快递公司').fill('中国邮政')
  await card.getByLabel('运单号').fill('EMS20261206')
  await card.getByRole('button', { name: `发货 ${orderNumber}` }).click()
  await expect(page.getByRole('status')).toHaveText('已发货，买家可在订单页看到运单号。')

  // 5. The consumer sees it shipped and confirms receipt.
  await login('consumer@demo.example')
  await page.goto(orderUrl)
  await expect(page.getByTestId('fulfilment')).toContainText('已发货：中国邮政 运单号 EMS20261206')
  await page.getByRole('button', { name: '确认收货' }).click()
  await expect(page.getByRole('status')).toHaveText('已确认收货，谢谢！')
  await expect(page.getByTestId('fulfilment')).toContainText('已确认收货')

  // 6. The household report shows each household's credit to the fen.
  await login('coop@minxian.demo.example')
  await page.goto('/coop/reports')
  const report = page.getByTestId('household-report')
  for (const [i, amount] of ['¥1.00', '¥2.00', '¥3.00'].entries()) {
    await expect(report.getByRole('row').filter({ hasText: codes[i]! })).toContainText(amount)
  }

  // No valid ID number in any answer the browser got, nor in the search documents the API serves.
  const search = await request.get('/api/v1/products?q=%E5%B2%B7%E5%8E%BF')
  captured.push(await search.text())
  expect(captured.length).toBeGreaterThan(10)
  const joined = captured.join('\n')
  expect(joined).toContain('测*甲')
  expect(validIdNumbersIn(joined)).toEqual([])
})
