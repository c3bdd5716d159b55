import type { Page } from '@playwright/test'
import { expect } from './fixtures'

/**
 * From a cart with something in it: checks out to a delivery address in 福州市鼓楼区, pays by bank transfer, and
 * waits for the new order's page (待付款).
 */
export async function checkOutByTransfer(page: Page) {
  await page.goto('/checkout')
  await page.getByLabel('手机或固定电话').fill('13800001111')
  await page.getByLabel('省份').selectOption({ label: '福建省' })
  await page.getByLabel('城市').selectOption({ label: '福州市' })
  await page.getByLabel('区县').selectOption({ label: '鼓楼区' })
  await page.getByLabel('详细地址').fill('演示路 5 号')
  await page.getByRole('button', { name: '提交订单' }).click()
  await expect(page.getByTestId('order-status').first()).toHaveText('待付款')
}
