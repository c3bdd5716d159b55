import { expect, test } from './fixtures'

// Ten sign-ins through the form, each hashing a password: give the test room on a loaded machine.
test.describe.configure({ timeout: 120_000 })

// The login form itself (the other specs sign in by cookie, tests/e2e/fixtures.ts): the demo accounts of the README;
// every one must be able to sign in with the published password.
const demoAccounts = [
  ['consumer@demo.example', '演示消费者', null],
  ['buyer@gulou.demo.example', '演示采购员', '鼓楼区演示预算单位（演示）'],
  ['approver@gulou.demo.example', '演示审批人', '鼓楼区演示预算单位（演示）'],
  ['unit-admin@gulou.demo.example', '演示单位管理员', '鼓楼区演示预算单位（演示）'],
  ['coop@minxian.demo.example', '演示合作社管理员', '岷县农特产品农民专业合作社（演示）'],
  ['coop-staff@minxian.demo.example', '演示合作社员工', '岷县农特产品农民专业合作社（演示）'],
  ['office@fuzhou.demo.example', '演示分析员', '福州市东西部协作工作机构（演示）'],
  ['office-admin@fuzhou.demo.example', '演示机构管理员', '福州市东西部协作工作机构（演示）'],
  ['finance@demo.example', '演示平台财务', '消费帮扶平台运营方（演示）'],
  ['admin@demo.example', '演示平台管理员', '消费帮扶平台运营方（演示）'],
] as const

test('every demo account signs in and out', async ({ page }) => {
  for (const [email, name, organisation] of demoAccounts) {
    await page.goto('/login')
    await page.getByLabel('邮箱或手机号').fill(email)
    await page.getByLabel('密码').fill('demo-password')
    await page.getByRole('button', { name: '登录' }).click()
    await expect(page.getByRole('heading', { level: 1, name: '账户概览' }), email).toBeVisible()
    const overview = page.getByRole('main')
    await expect(overview.getByText(name, { exact: true }), email).toBeVisible()
    // Members of one organisation act for it right away; the consumer acts as a consumer.
    await expect(
      overview.getByText(organisation ?? '个人消费者', { exact: true }).first(),
      email,
    ).toBeVisible()
    await page.getByRole('button', { name: '退出登录' }).click()
    await expect(page.getByRole('link', { name: '登录' }), email).toBeVisible()
  }
})

test('a wrong password gets the same message as an unknown account', async ({ page }) => {
  await page.goto('/login')
  await page.getByLabel('邮箱或手机号').fill('buyer@gulou.demo.example')
  await page.getByLabel('密码').fill('not-the-password')
  await page.getByRole('button', { name: '登录' }).click()
  await expect(page.getByRole('alert')).toHaveText('账号或密码错误')
  await page.getByLabel('邮箱或手机号').fill('nobody@demo.example')
  await page.getByLabel('密码').fill('not-the-password')
  await page.getByRole('button', { name: '登录' }).click()
  await expect(page.getByRole('alert')).toHaveText('账号或密码错误')
})
