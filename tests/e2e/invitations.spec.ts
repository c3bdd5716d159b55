import { expect, test } from './fixtures'
import { createInvitationLink } from './invitation-link'

// Signing up and accepting start several requests that hash a password: give the journey room on a loaded machine.
test.describe.configure({ timeout: 120_000 })

test('a unit admin invites a new colleague by link; the colleague signs up, accepts and appears in the members list', async ({
  page,
  login,
  browser,
}) => {
  const unit = '鼓楼区演示预算单位（演示）'
  await login('unit-admin@gulou.demo.example')
  const link = await createInvitationLink(page, /鼓楼区演示预算单位/)
  await expect(page.getByText('此链接只显示这一次。')).toBeVisible()
  // Not bound to anyone: whoever holds the link may accept it, once.
  const pending = page.getByRole('region', { name: '待接受的邀请' })
  await expect(pending.getByRole('row', { name: /持链接者/ }).first()).toBeVisible()

  // The colleague, in a browser of their own, has no account yet: the link asks them to sign in, and from there
  // they sign up and come back to the invitation.
  const colleagueContext = await browser.newContext()
  try {
    const colleague = await colleagueContext.newPage()
    await colleague.goto(link)
    await expect(colleague.getByRole('heading', { level: 1, name: '登录' })).toBeVisible()
    await colleague.getByRole('main').getByRole('link', { name: '注册个人账户' }).click()
    const stamp = Date.now().toString(36)
    await colleague.getByLabel('称呼').fill('受邀同事')
    await colleague.getByLabel('邮箱').fill(`invitee-${stamp}@example.test`)
    await colleague.getByLabel('密码', { exact: true }).fill('a-long-password')
    await colleague.getByLabel('再次输入密码').fill('a-long-password')
    await colleague.getByRole('button', { name: '注册' }).click()

    await expect(colleague.getByRole('heading', { level: 1, name: '加入单位邀请' })).toBeVisible()
    await expect(colleague.getByText('受邀同事，你被邀请加入以下单位：')).toBeVisible()
    await expect(colleague.getByText(unit, { exact: true })).toBeVisible()
    await expect(colleague.getByText('采购员', { exact: true })).toBeVisible()
    await colleague.getByRole('button', { name: '接受邀请' }).click()

    // Now a member: the organisation is in their list, with the role the link carried.
    await colleague.waitForURL((url) => url.pathname === '/account/organizations')
    await expect(colleague.getByRole('row', { name: new RegExp(unit) })).toContainText('采购员')

    // The link was for one use only.
    await colleague.goto(link)
    await expect(colleague.getByText('此邀请已被使用。每个邀请链接只能使用一次。')).toBeVisible()
  } finally {
    await colleagueContext.close()
  }

  // The admin sees the new colleague among the members.
  await page.reload()
  await expect(page.getByRole('row', { name: /受邀同事/ })).toBeVisible()
})
