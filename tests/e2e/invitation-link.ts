import { expect, type Page } from '@playwright/test'

/**
 * On the signed-in admin's page: opens the members page of the organisation named `org` from 我的单位, generates an
 * invitation link for the preselected role, and returns the link shown (once) on the page.
 */
export async function createInvitationLink(page: Page, org: string | RegExp): Promise<string> {
  await page.goto('/account/organizations')
  await page.getByRole('row', { name: org }).getByRole('link', { name: '成员管理' }).click()
  await expect(page.getByRole('heading', { level: 1, name: /· 成员/ })).toBeVisible()
  await page.getByRole('button', { name: '生成邀请链接' }).click()
  const link = page.getByLabel('邀请链接')
  await expect(link).toHaveValue(/\/invitations\/[A-Za-z0-9_-]{20,}$/)
  return link.inputValue()
}
