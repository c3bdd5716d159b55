import type { Page } from '@playwright/test'
import sharp from 'sharp'
import { expectAccessible } from './axe'
import { expect, test } from './fixtures'

/**
 * The cooperative console's whole journey (issue 15), across five people: a cooperative admin lists a product with
 * two photos and submits it; the platform admin rejects it with a reason; the cooperative reads the reason, fixes
 * the listing and submits it again; the admin approves it; a consumer finds it by its pinyin with its photo and buys
 * it, finance confirms the transfer; the cooperative sees the paid order on its console.
 */

// Many sign-ins, two image uploads, a search index catching up and a checkout: room on a loaded machine.
test.describe.configure({ timeout: 240_000 })

/** Characters with one reading each, to give every run a product name (and pinyin) of its own. */
const syllables: Array<[string, string]> = [
  ['甲', 'jia'],
  ['丙', 'bing'],
  ['丁', 'ding'],
  ['庚', 'geng'],
  ['辛', 'xin'],
  ['壬', 'ren'],
  ['癸', 'gui'],
  ['卯', 'mao'],
  ['巳', 'si'],
  ['酉', 'you'],
]

function uniqueName(): { name: string; pinyin: string; sku: string } {
  const picked = Array.from({ length: 4 }, () => syllables[Math.floor(Math.random() * syllables.length)]!)
  return {
    name: `岷县当归${picked.map(([hanzi]) => hanzi).join('')}`,
    pinyin: `minxiandanggui${picked.map(([, reading]) => reading).join('')}`,
    sku: `E2E-${Date.now().toString(36).toUpperCase()}`,
  }
}

/** A small photo: a coloured square as a PNG. */
function photo(red: number, green: number, blue: number): Promise<Buffer> {
  return sharp({
    create: { width: 320, height: 240, channels: 3, background: { r: red, g: green, b: blue } },
  })
    .png()
    .toBuffer()
}

/** The review queue's card of this listing, on /admin/listings. */
function reviewCard(page: Page, name: string) {
  return page.getByTestId('review-item').filter({ has: page.getByRole('heading', { name }) })
}

test('a cooperative lists a product, review rejects then approves it, a consumer finds it by pinyin and buys it', async ({
  page,
  login,
}) => {
  const { name, pinyin, sku } = uniqueName()

  // The cooperative's admin creates the listing as a draft…
  await login('coop@minxian.demo.example')
  await page.goto('/coop/products/new')
  await page.getByLabel('商品名称').fill(name)
  await page.getByLabel('类别').selectOption({ label: '中药材' })
  const origin = page.getByLabel('产地（区县）')
  if ((await origin.inputValue()) === '') await origin.selectOption({ label: '岷县' })
  await page.getByLabel('价格（元）').fill('36.80')
  await page.getByLabel('销售单位').fill('袋')
  await page.getByLabel('起订量').fill('1')
  await page.getByLabel('商品编码（SKU）').fill(sku)
  await page.getByLabel('初始库存').fill('50')
  await page.getByLabel('商品介绍').fill('岷县当归，切片晒干，每袋 250 克。')
  await page.getByRole('button', { name: '保存为草稿' }).click()
  await page.waitForURL(/\/coop\/products\/[0-9a-f-]{36}/)
  const productPath = new URL(page.url()).pathname

  // … with two photos …
  await page.goto(`${productPath}/photos`)
  await page.getByLabel('选择照片（可多选）').setInputFiles([
    { name: 'front.png', mimeType: 'image/png', buffer: await photo(200, 60, 40) },
    { name: 'back.png', mimeType: 'image/png', buffer: await photo(40, 120, 200) },
  ])
  await page.getByRole('button', { name: '上传' }).click()
  await expect(page.getByRole('img', { name: new RegExp(`^${name} 的第 \\d 张照片$`) })).toHaveCount(2)

  // … and submits it for review.
  await page.goto(productPath)
  await page.getByRole('button', { name: '提交审核' }).click()
  await expect(page.getByText('已提交审核。审核结果会显示在商品列表中。')).toBeVisible()

  // The platform admin sees it in the queue with its cover, and rejects it with a reason.
  await login('admin@demo.example')
  await page.goto('/admin/listings')
  const card = reviewCard(page, name)
  await expect(card.getByRole('img', { name: `${name}的封面图片` })).toBeVisible()
  await expect(card.getByText('¥36.80 / 袋')).toBeVisible()
  await expectAccessible(page, 'review queue with a listing')
  // Without a reason the rejection is refused next to the field.
  await card.getByRole('button', { name: `驳回「${name}」` }).click()
  await expect(card.getByText('请填写驳回理由，便于合作社修改')).toBeVisible()
  await card.getByLabel(/驳回理由/).fill('请补充每袋净含量和产地证明')
  await card.getByRole('button', { name: `驳回「${name}」` }).click()
  await expect(page.getByRole('status')).toHaveText('已驳回，合作社会看到驳回理由。')
  await expect(reviewCard(page, name)).toHaveCount(0)

  // The cooperative reads the reason, fixes the listing and submits it again.
  await login('coop@minxian.demo.example')
  await page.goto(productPath)
  await expect(page.getByText('请补充每袋净含量和产地证明')).toBeVisible()
  await page.getByLabel('商品介绍').fill('岷县当归，切片晒干，每袋净含量 250 克；产地证明编号 MX-2026-18。')
  await page.getByRole('button', { name: '保存修改' }).click()
  await expect(page.getByText('商品已保存。')).toBeVisible()
  await page.getByRole('button', { name: '提交审核' }).click()
  await expect(page.getByText('已提交审核。审核结果会显示在商品列表中。')).toBeVisible()

  // The admin approves it.
  await login('admin@demo.example')
  await page.goto('/admin/listings')
  await reviewCard(page, name)
    .getByRole('button', { name: `审核通过「${name}」` })
    .click()
  await expect(page.getByRole('status')).toHaveText('已审核通过，商品已上架。')

  // A consumer finds it by its pinyin, with its photo (the search index catches up within seconds).
  await login('consumer@demo.example')
  await expect(async () => {
    await page.goto(`/search?q=${pinyin}`)
    await expect(page.getByRole('link', { name })).toBeVisible({ timeout: 1_000 })
  }).toPass({ timeout: 30_000 })
  await expect(page.getByRole('img', { name }).first()).toBeVisible()
  await page.getByRole('link', { name }).first().click()
  await page.getByRole('button', { name: '加入购物车' }).click()
  await expect(page.getByRole('heading', { level: 1, name: '购物车' })).toBeVisible()
  await page.getByRole('link', { name: '去结算' }).click()
  await page.getByLabel('手机或固定电话').fill('13800002222')
  await page.getByLabel('省份').selectOption({ label: '福建省' })
  await page.getByLabel('城市').selectOption({ label: '福州市' })
  await page.getByLabel('区县').selectOption({ label: '鼓楼区' })
  await page.getByLabel('详细地址').fill('演示路 8 号')
  await page.getByRole('button', { name: '提交订单' }).click()
  const heading = page.getByRole('heading', { name: /^订单 XF\d{8}-\d{6}$/ })
  await expect(heading).toBeVisible()
  const orderNumber = (await heading.textContent())!.replace('订单', '').trim()
  const total = (await page.getByTestId('payment-amount').textContent())!.trim()
  const reference = (await page.getByTestId('payment-reference').textContent())!.trim()

  // Finance confirms the transfer.
  await login('finance@demo.example')
  await page.goto('/admin/payments')
  const row = page.getByTestId(`payment-${reference}`)
  await row.getByLabel(/实际到账金额/).fill(total)
  await row.getByRole('button', { name: '确认到账' }).click()
  await expect(page.getByRole('status')).toHaveText(`已确认 ${reference} 到账，订单已付款。`)

  // The cooperative sees the paid order on its console.
  await login('coop@minxian.demo.example')
  await page.goto('/coop/orders')
  const order = page.getByRole('row').filter({ hasText: orderNumber })
  await expect(order).toBeVisible()
  await expect(order).toContainText(name)
  await expect(order).toContainText('已付款')
})
