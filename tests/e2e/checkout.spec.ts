import { expect, fillLoginForm, test } from './fixtures'

// Each journey signs in several times and places orders: give it room on a loaded machine.
test.describe.configure({ timeout: 120_000 })

// Two products of two different cooperatives (seeded: 安定区高原蔬菜… and 安定区特色食品加工第二…).
const cookies = '/products/malingshuquqi-shutiaoxiuxianshipin'
const celery = '/products/gaoyuanxiacai-qincai'

test('a consumer buys from two cooperatives by bank transfer, finance confirms, the order shows paid', async ({
  page,
  login,
}) => {
  // A visitor fills the cart before signing in.
  await page.goto(cookies)
  await page.getByLabel(/数量/).fill('2')
  await page.getByRole('button', { name: '加入购物车' }).click()
  await expect(page.getByRole('status')).toHaveText('已加入购物车。')
  await page.goto(celery)
  await page.getByRole('button', { name: '加入购物车' }).click()
  await expect(page.getByRole('heading', { level: 1, name: '购物车' })).toBeVisible()
  await expect(page.getByRole('region', { name: /发货方/ })).toHaveCount(2)
  await expect(page.getByText('将由 2 个合作社/企业分别发货')).toBeVisible()
  await expect(page.getByTestId('cart-link')).toHaveText('购物车（2）')

  // Checking out asks to sign in (the login form itself: this is the sign-in journey); the cart comes along.
  await page.getByRole('link', { name: '登录后结算' }).click()
  await fillLoginForm(page, 'consumer@demo.example')
  await expect(page.getByRole('heading', { level: 1, name: '结算' })).toBeVisible()
  const total = (await page.getByTestId('checkout-total').textContent())!.trim()

  // A bad phone number is refused next to its field, and nothing is ordered.
  await page.getByLabel('手机或固定电话').fill('12345')
  await page.getByLabel('省份').selectOption({ label: '福建省' })
  await page.getByLabel('城市').selectOption({ label: '福州市' })
  await page.getByLabel('区县').selectOption({ label: '鼓楼区' })
  await page.getByLabel('详细地址').fill('演示路 1 号 2 单元')
  await page.getByLabel('个人').check()
  await page.getByRole('button', { name: '提交订单' }).click()
  await expect(page.getByText('电话格式不正确：手机 11 位，或带区号的固定电话')).toBeVisible()
  await expect(page.getByLabel('手机或固定电话')).toHaveAttribute('aria-invalid', 'true')

  await page.getByLabel('手机或固定电话').fill('138 0000 1111')
  await page.getByRole('button', { name: '提交订单' }).click()
  await expect(page.getByRole('heading', { name: /^订单 XF\d{8}-\d{6}$/ })).toBeVisible()
  await expect(page.getByTestId('order-status').first()).toHaveText('待付款')
  await expect(page.getByTestId('payment-amount')).toHaveText(total)
  const reference = (await page.getByTestId('payment-reference').textContent())!.trim()
  expect(reference).toMatch(/^BT\d{14}$/)
  const orderUrl = new URL(page.url()).pathname
  await expect(page.getByText('个人：演示消费者')).toBeVisible()
  await expect(page.getByText('福建省 福州市 鼓楼区 演示路 1 号 2 单元')).toBeVisible()
  await expect(page.getByTestId('cart-link')).toHaveText('购物车')

  // Finance matches the statement: a short payment is flagged, the exact one confirms.
  await login('finance@demo.example')
  await page.goto('/admin/payments')
  const row = page.getByTestId(`payment-${reference}`)
  await row.getByLabel(/实际到账金额/).fill('1.00')
  await row.getByRole('button', { name: '确认到账' }).click()
  await expect(row.getByRole('alert')).toContainText('已标记待核对，未确认')
  await expect(row.getByText('金额不符', { exact: true })).toBeVisible()

  // The buyer is told what arrived, what is still owed and what to do.
  await login('consumer@demo.example')
  await page.goto(orderUrl)
  await expect(page.getByRole('heading', { name: '到账金额与应付金额不符' })).toBeVisible()
  await expect(page.getByTestId('flagged-received')).toHaveText('¥1.00')
  const owed = Math.round(Number(total.replace(/[¥,]/g, '')) * 100) - 100
  const owedText = `¥${Math.floor(owed / 100).toLocaleString('en-US')}.${String(owed % 100).padStart(2, '0')}`
  await expect(page.getByTestId('flagged-difference')).toHaveText(owedText)
  await expect(page.getByText(`请用同一付款附言 ${reference} 补转 ${owedText}`)).toBeVisible()

  await login('finance@demo.example')
  await page.goto('/admin/payments')
  await row.getByLabel(/实际到账金额/).fill(total)
  await row.getByRole('button', { name: '确认到账' }).click()
  await expect(page.getByRole('status')).toHaveText(`已确认 ${reference} 到账，订单已付款。`)

  // The consumer sees the order paid.
  await login('consumer@demo.example')
  await page.goto('/account/orders')
  await expect(page.getByTestId('order-status').first()).toHaveText('已付款')
  await page.getByRole('link', { name: /^XF/ }).first().click()
  await expect(page.getByTestId('order-timeline').locator('[aria-current="step"]')).toContainText('已付款')
  await expect(page.getByRole('heading', { name: '转账信息' })).toHaveCount(0)
  // What the payment did for households, now that it counts.
  await expect(page.getByTestId('order-impact')).toHaveText(/^本单已为 \d+ 户受益农户计入 ¥[\d,]+\.\d{2}$/)
})

test('a consumer cancels an unpaid order and its stock returns', async ({ page, login }) => {
  await login('consumer@demo.example')
  await page.goto(celery)
  const stockBefore = Number(await page.locator('dt:has-text("库存") + dd').textContent())
  await page.getByRole('button', { name: '加入购物车' }).click()
  await page.getByRole('link', { name: '去结算' }).click()
  await page.getByLabel('手机或固定电话').fill('0591-87654321')
  await page.getByLabel('省份').selectOption({ label: '福建省' })
  await page.getByLabel('城市').selectOption({ label: '福州市' })
  await page.getByLabel('区县').selectOption({ label: '鼓楼区' })
  await page.getByLabel('详细地址').fill('演示路 3 号')
  await page.getByRole('button', { name: '提交订单' }).click()
  await expect(page.getByTestId('order-status').first()).toHaveText('待付款')
  await page.goto(celery)
  await expect(page.locator('dt:has-text("库存") + dd')).toHaveText(String(stockBefore - 1))

  await page.goto('/account/orders')
  await page.getByRole('link', { name: /^XF/ }).first().click()
  page.once('dialog', (dialog) => void dialog.accept())
  await page.getByRole('button', { name: '取消订单' }).click()
  await expect(page.getByText('订单已取消。')).toBeVisible()
  await expect(page.getByTestId('order-status').first()).toHaveText('已取消')
  await page.goto(celery)
  await expect(page.locator('dt:has-text("库存") + dd')).toHaveText(String(stockBefore))
})
