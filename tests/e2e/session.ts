import { expect, type Page } from '@playwright/test'

/** Signs in on the login page already open; demo accounts share one password. */
export async function logIn(page: Page, identifier: string, password = 'demo-password') {
  await page.getByLabel('邮箱或手机号').fill(identifier)
  await page.getByLabel('密码').fill(password)
  await page.getByRole('button', { name: '登录' }).click()
}

/** Signs out and waits until the header offers 登录 again (so that the next navigation cannot cut it short). */
export async function logOut(page: Page) {
  await page.getByRole('button', { name: '退出登录' }).click()
  await expect(page.getByRole('link', { name: '登录' })).toBeVisible()
}
