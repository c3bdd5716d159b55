import { checkOutByTransfer } from './checkout-steps'
import { expect, test } from './fixtures'
import { saveGuessedMapping, statementCsv, uploadStatement } from './statement-steps'

test.describe.configure({ timeout: 120_000 })

const celery = '/products/gaoyuanxiacai-qincai'

test('finance imports a bank statement, confirms the matched transfer, and the order shows paid', async ({
  page,
  login,
}) => {
  // A consumer orders and is told to transfer the amount with a reference.
  await login('consumer@demo.example')
  await page.goto(celery)
  await page.getByRole('button', { name: '加入购物车' }).click()
  await expect(page.getByRole('heading', { level: 1, name: '购物车' })).toBeVisible()
  await checkOutByTransfer(page)
  const reference = (await page.getByTestId('payment-reference').textContent())!.trim()
  const amount = (await page.getByTestId('payment-amount').textContent())!.trim()
  const orderUrl = new URL(page.url()).pathname

  // The statement: the transfer (reference typed in lower case inside other words), a stranger's, a debit.
  const csv = statementCsv(
    [
      { amount, memo: `货款 ${reference.toLowerCase()} 谢谢` },
      { amount: '12.34', memo: '往来款', payer: '演示公司' },
    ],
    `导出${Date.now()}`,
  ).concat('\r\n2026-12-05,500.00,,演示供应商,货款,')

  await login('finance@demo.example')
  await page.goto('/admin/payments')
  await page.getByRole('link', { name: '导入银行流水' }).click()
  await expect(page.getByRole('heading', { name: '导入银行流水' })).toBeVisible()
  // A file that is no statement is refused next to the file field.
  await uploadStatement(page, '姓名,电话,地址\r\n王五,13800138000,演示路\r\n', 'roster.csv')
  await expect(page.getByRole('alert')).toContainText('没有贷方（收入）金额列')
  await expect(page.getByLabel('流水文件')).toHaveAttribute('aria-invalid', 'true')

  await uploadStatement(page, csv)
  await saveGuessedMapping(page)
  await expect(page.getByTestId('group-matched')).toContainText(amount)
  await expect(page.getByTestId('group-unknown')).toContainText('¥12.34')
  await expect(page.getByText(/支出（借方）1 笔，合计 ¥500\.00，已忽略/)).toBeVisible()
  await page.getByRole('button', { name: new RegExp(`确认全部 1 笔相符到账`) }).click()
  await expect(page.getByTestId('statement-done')).toHaveText('已确认 1 笔到账。')
  await expect(page.getByText('没有金额相符、待确认的到账。')).toBeVisible()

  // The same statement again: its layout is remembered, and nothing is confirmed twice.
  await uploadStatement(page, csv)
  await expect(page.getByRole('heading', { name: '匹配结果' })).toBeVisible()
  await expect(page.getByText('这笔流水已导入并确认过')).toBeVisible()

  // The consumer sees the order paid.
  await login('consumer@demo.example')
  await page.goto(orderUrl)
  await expect(page.getByTestId('order-status').first()).toHaveText('已付款')
})

test('finance finds the demo’s late-paying units under 已逾期', async ({ page, login }) => {
  await login('finance@demo.example')
  await page.goto('/admin/payments')
  await page.getByRole('link', { name: '已逾期', exact: true }).click()
  await expect(page).toHaveURL(/filter=overdue/)
  const flagged = page.getByTestId('overdue')
  await expect(flagged.first()).toBeVisible()
  // Every transfer the tab lists is flagged overdue.
  expect(await flagged.count()).toBe(await page.locator('tr[data-testid^="payment-"]').count())
})
