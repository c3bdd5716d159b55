import type { Page } from '@playwright/test'
import { seedUuid } from '../../db/seed/synthetic'
import { expectAccessible } from './axe'
import { checkOutByTransfer } from './checkout-steps'
import { expect, test } from './fixtures'

/**
 * Office dashboard II (decision 024): an office admin splits the Fuzhou→Dingxi target with a sub-target of its own;
 * a consumer's paid order moves the public 公示 total by exactly its amount, and the order's ledger receipt shows a
 * seq and hash that the 公示 page's head covers.
 */
const year = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear()
const fzDx = seedUuid(`target:demo-${year}-fz-dx`)
const parentName = `福州→定西 ${year}年消费帮扶（演示）`
const celery = '/products/gaoyuanxiacai-qincai'

test.describe.configure({ timeout: 150_000 })

/** "¥1,234.56 · 12.3%" → 123456 fen (the exact amount the 公示 page shows first). */
function fenOf(text: string): number {
  const match = /¥([\d,]+)\.(\d{2})/.exec(text)
  if (!match) throw new Error(`no amount in ${text}`)
  return Number(match[1]!.replaceAll(',', '')) * 100 + Number(match[2])
}

async function publicTotal(page: Page): Promise<number> {
  await page.goto(`/targets/${fzDx}/gongshi`)
  return fenOf((await page.getByTestId('gongshi-progress').textContent()) ?? '')
}

test.describe('without JavaScript (the form works as plain HTML)', () => {
  test.use({ javaScriptEnabled: false })

  test('an office admin creates a sub-target of the Fuzhou→Dingxi target', async ({ page, login }) => {
    await login('office-admin@fuzhou.demo.example')
    await page.goto('/office/targets')
    await page.getByRole('link', { name: '新建目标任务' }).click()
    await expect(page.getByRole('heading', { level: 2, name: '新建目标任务' })).toBeVisible()
    const name = `鼓楼区→安定区 专项 ${Date.now() % 100000}`
    await page.getByLabel('目标名称').fill(name)
    await page.getByLabel('受帮扶地区代码').fill('621102')
    await page.getByLabel('帮扶地区代码', { exact: true }).fill('350102')
    // Too much for what the parent has left: refused next to the goal.
    await page.getByLabel('目标值').fill('60000000')
    await page
      .getByLabel('上级目标')
      .selectOption({ label: `${parentName}（${year}-01-01 — ${year}-12-31）` })
    await page.getByRole('button', { name: '创建目标' }).click()
    await expect(page.getByText('同一上级目标下各分解目标之和将超过上级目标。')).toBeVisible()
    await page.getByLabel('目标值').fill('10000000')
    await page.getByRole('button', { name: '创建目标' }).click()
    await expect(page.getByRole('heading', { level: 2, name: '目标任务' })).toBeVisible()
    const parent = page.getByTestId('office-target').filter({ hasText: parentName })
    const row = parent.getByTestId('office-subtarget').filter({ hasText: name })
    await expect(row).toBeVisible()
    await expect(row.getByRole('link', { name: '编辑' })).toBeVisible()

    // Anyone finds it among the public targets, with its 公示.
    await page.context().clearCookies()
    await page.goto('/targets')
    const offices = page.getByRole('region', { name: '各地帮扶工作机构设定的目标' })
    await offices.getByRole('link', { name: `查看公示：${name}` }).click()
    await expect(page.getByRole('heading', { level: 1, name: `${name} 公示` })).toBeVisible()
  })
})

test('the office’s target pages pass axe', async ({ page, login }) => {
  await login('office-admin@fuzhou.demo.example')
  await page.goto('/office/targets/new')
  await expect(page.getByRole('heading', { level: 2, name: '新建目标任务' })).toBeVisible()
  await expectAccessible(page, 'new office target')
  await page.getByRole('button', { name: '创建目标' }).click()
  await expect(page.getByText('请填写目标名称（2–60个字）。')).toBeVisible()
  await expectAccessible(page, 'new office target with errors')
  // The edit page of a target saved just now (nothing counted yet: the whole form).
  const name = `axe 检查目标 ${Date.now() % 100000}`
  await page.getByLabel('目标名称').fill(name)
  await page.getByLabel('目标值').fill('1000')
  const [province, city, county] = ['福建省', '福州市', '鼓楼区']
  const helping = page.getByRole('group', { name: '帮扶地区', exact: true })
  await helping.getByLabel('省份').selectOption({ label: province })
  await helping.getByLabel('城市').selectOption({ label: city })
  await helping.getByLabel('区县').selectOption({ label: county })
  await helping.getByRole('button', { name: /添加/ }).click()
  await page.getByRole('button', { name: '创建目标' }).click()
  await expect(page.getByRole('heading', { level: 2, name: '目标任务' })).toBeVisible()
  await page
    .getByTestId('office-target')
    .filter({ hasText: name })
    .getByRole('link', { name: '编辑' })
    .click()
  await expect(page.getByRole('heading', { level: 2, name: '编辑目标任务' })).toBeVisible()
  await expect(page.getByLabel('目标名称')).toHaveValue(name)
  await expectAccessible(page, 'edit office target')
})

test('a consumer’s paid order moves the 公示 total by its amount, and its receipt is covered by the head', async ({
  page,
  login,
}) => {
  const before = await publicTotal(page)

  await login('consumer@demo.example')
  await page.goto(celery)
  await page.getByRole('button', { name: '加入购物车' }).click()
  await expect(page.getByRole('heading', { level: 1, name: '购物车' })).toBeVisible()
  await checkOutByTransfer(page)
  const orderUrl = new URL(page.url()).pathname
  const amount = (await page.getByTestId('payment-amount').textContent())!.trim()
  const reference = (await page.getByTestId('payment-reference').textContent())!.trim()

  await login('finance@demo.example')
  await page.goto('/admin/payments')
  const row = page.getByTestId(`payment-${reference}`)
  await row.getByLabel(/实际到账金额/).fill(amount)
  await row.getByRole('button', { name: '确认到账' }).click()
  await expect(page.getByRole('status')).toHaveText(`已确认 ${reference} 到账，订单已付款。`)

  await login('consumer@demo.example')
  await page.goto(orderUrl)
  const receipt = page.getByRole('table', { name: '台账回执' })
  await expect(receipt).toBeVisible()
  await expect(page.getByTestId('receipt-counted')).toHaveText(amount)
  const seqs = (await page.getByTestId('receipt-seq').allTextContents()).map(Number)
  const hashes = await page.getByTestId('receipt-hash').allTextContents()
  expect(hashes.every((h) => /^[0-9a-f]{64}$/.test(h.trim()))).toBe(true)
  const lastSeq = Math.max(...seqs)
  await expect(page.getByTestId('receipt-command')).toHaveText(
    `npm run ledger:verify -- --expect ${lastSeq}:${hashes[seqs.indexOf(lastSeq)]!.trim()}`,
  )
  await expectAccessible(page, 'order with a ledger receipt')

  // Signed out: the public total moved by exactly the order's amount, and the head covers the receipt's entries.
  await page.context().clearCookies()
  const after = await publicTotal(page)
  expect(after - before).toBe(fenOf(amount))
  const headSeq = Number(await page.getByTestId('gongshi-seq').textContent())
  expect(headSeq).toBeGreaterThanOrEqual(lastSeq)
  await expect(page.getByRole('table', { name: '每日公布的台账头' })).toBeVisible()
})
