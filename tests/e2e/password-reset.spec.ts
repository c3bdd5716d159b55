import { expect, test } from './fixtures'

// Signing up and resetting each hash a password: room for a loaded machine.
test.describe.configure({ timeout: 120_000 })

test('a user who forgot the password resets it by email link (read from the demo outbox) and signs in with the new one', async ({
  page,
  login,
}) => {
  const stamp = Date.now().toString(36)
  const email = `forgetful-${stamp}@example.test`

  await page.goto('/signup')
  await page.getByLabel('称呼').fill('健忘的测试用户')
  await page.getByLabel('邮箱').fill(email)
  await page.getByLabel('密码', { exact: true }).fill('the-old-password')
  await page.getByLabel('再次输入密码').fill('the-old-password')
  await page.getByRole('button', { name: '注册' }).click()
  await expect(page.getByRole('heading', { level: 1, name: '账户概览' })).toBeVisible()
  await page.context().clearCookies()

  await page.goto('/login')
  await page.getByRole('link', { name: '忘记密码？' }).click()
  // On a loaded machine the page may still be hydrating: check what was typed is still there before sending.
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible()
  await page.getByLabel('邮箱或手机号').fill('not-an-address')
  await expect(page.getByLabel('邮箱或手机号')).toHaveValue('not-an-address')
  await page.getByRole('button', { name: '发送' }).click()
  await expect(page.getByText('请输入邮箱或 11 位手机号')).toBeVisible()
  await page.getByLabel('邮箱或手机号').fill(email)
  await page.getByRole('button', { name: '发送' }).click()
  await expect(page.getByRole('status')).toContainText(`如果 ${email} 已注册`)

  // Demo mode: the message waits in the outbox, which platform admins read.
  await login('admin@demo.example')
  await page.goto('/admin/outbox')
  const message = page.getByRole('listitem').filter({ hasText: email }).first()
  const body = await message.locator('pre').innerText()
  const link = /https?:\/\/\S+\/reset-password\/[A-Za-z0-9_-]{43}/.exec(body)?.[0]
  expect(link, body).toBeTruthy()
  await page.context().clearCookies()

  await page.goto(new URL(link!).pathname)
  await page.getByLabel('新密码', { exact: true }).fill('the-new-password')
  await page.getByLabel('再次输入新密码').fill('not the same')
  await page.getByRole('button', { name: '设置新密码' }).click()
  await expect(page.getByText('两次输入的密码不一致')).toBeVisible()
  await page.getByLabel('新密码', { exact: true }).fill('the-new-password')
  await page.getByLabel('再次输入新密码').fill('the-new-password')
  await page.getByRole('button', { name: '设置新密码' }).click()
  await expect(page.getByRole('status')).toContainText('密码已重置')

  await page.getByLabel('邮箱或手机号').fill(email)
  await page.getByLabel('密码').fill('the-new-password')
  await page.getByRole('button', { name: '登录' }).click()
  await expect(page.getByRole('heading', { level: 1, name: '账户概览' })).toBeVisible()

  // The link was used: opening it again says so.
  await page.goto(new URL(link!).pathname)
  await expect(page.getByRole('alert')).toContainText('无效、已用过或已过期')
})
