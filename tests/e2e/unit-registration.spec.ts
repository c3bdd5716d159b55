import { makeUscc } from '../../app/utils/uscc'
import { expect, test } from './fixtures'

// Signing up hashes a password, and the journey signs in three people: give it room on a loaded machine.
test.describe.configure({ timeout: 120_000 })

test('a buyer signs up and registers a unit, a platform admin verifies it, and the buyer sees it verified', async ({
  page,
  login,
}, testInfo) => {
  const snap = async (name: string) => {
    const path = testInfo.outputPath(`${name}.png`)
    await page.screenshot({ path, fullPage: true })
    await testInfo.attach(name, { path, contentType: 'image/png' })
  }
  const stamp = Date.now().toString(36)
  const email = `buyer-${stamp}@example.test`
  const unitName = `端到端测试预算单位${stamp}`
  const digits = String(Date.now()).slice(-8)
  const uscc = makeUscc({ authority: '1', kind: '1', regionCode: '350102', orgBody8: digits })

  // 1. Sign up.
  await page.goto('/signup')
  await page.getByLabel('称呼').fill('测试采购员')
  await page.getByLabel('邮箱').fill(email)
  await page.getByLabel('密码', { exact: true }).fill('a-long-password')
  await page.getByLabel('再次输入密码').fill('a-long-password')
  await page.getByRole('button', { name: '注册' }).click()
  await expect(page.getByRole('heading', { level: 1, name: '账户概览' })).toBeVisible()

  // 2. Register a budget unit; a wrong check digit is caught next to the field first.
  await page.goto('/account/organizations')
  await page.getByRole('link', { name: '登记单位/合作社' }).first().click()
  await page.getByRole('radio', { name: /预算单位/ }).check()
  await page.getByLabel('单位全称').fill(unitName)
  const wrongCheck = uscc.slice(0, 17) + (uscc.endsWith('0') ? '1' : '0')
  await page.getByLabel('统一社会信用代码').fill(wrongCheck)
  await page.getByLabel('省份').selectOption('350000')
  await page.getByLabel('城市').selectOption('350100')
  await page.getByLabel('区县').selectOption('350102')
  await page.getByLabel('联系人').fill('测试联系人')
  await page.getByLabel('联系电话').fill('13800000000')
  await page.getByRole('button', { name: '提交登记' }).click()
  await expect(page.getByText('统一社会信用代码校验位不符，请逐位核对')).toBeVisible()
  await page.getByLabel('统一社会信用代码').fill(uscc)
  await page.getByRole('button', { name: '提交登记' }).click()
  await expect(page.getByText('登记已提交，请等待平台审核。审核结果会显示在这里。')).toBeVisible()
  const row = page.getByRole('row', { name: new RegExp(unitName) })
  await expect(row.getByText('待审核')).toBeVisible()
  await snap('1-registered')

  // 3. A platform admin verifies it.
  await login('admin@demo.example')
  await page.goto('/admin/organizations')
  await page.getByRole('button', { name: `通过“${unitName}”的认证` }).click()
  await expect(page.getByText(`已通过“${unitName}”的认证。`)).toBeVisible()
  await snap('2-admin-verified')

  // 4. The buyer sees it verified.
  await login(email, 'a-long-password')
  await page.goto('/account/organizations')
  await expect(page.getByRole('row', { name: new RegExp(unitName) }).getByText('已认证')).toBeVisible()
  await snap('3-buyer-sees-verified')
})
