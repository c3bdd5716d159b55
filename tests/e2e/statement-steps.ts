import type { Page } from '@playwright/test'
import { expect } from './fixtures'

/**
 * Bank statement import (issue 18 item 5): a statement CSV in a common bank layout (preamble, header, lines), with
 * an extra column named by `layout` so that a test can ask for a layout never mapped before.
 */
export function statementCsv(
  lines: Array<{ amount: string; memo: string; payer?: string }>,
  layout: string,
): string {
  return [
    '户名,消费帮扶集市平台（演示）',
    `交易日期,借方发生额,贷方发生额,对方户名,摘要,${layout}`,
    ...lines.map((l) => `2026-12-05,,${l.amount.replace(/[¥,]/g, '')},${l.payer ?? '演示消费者'},${l.memo},`),
  ].join('\r\n')
}

/** Finance, signed in, uploads a statement file on /admin/payments/statements. */
export async function uploadStatement(page: Page, csv: string, name = 'statement.csv') {
  await page.goto('/admin/payments/statements')
  await page.getByLabel('流水文件').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv) })
  await page.getByRole('button', { name: '上传并预览' }).click()
}

/** On the mapping page of a new layout: the guesses are right; saving opens the preview. */
export async function saveGuessedMapping(page: Page) {
  await expect(page.getByRole('heading', { name: '指定各列' })).toBeVisible()
  await expect(page.getByLabel('贷方金额（收入）（必填）')).toHaveValue('2')
  await page.getByRole('button', { name: '保存并预览' }).click()
  await expect(page.getByRole('heading', { name: '匹配结果' })).toBeVisible()
}
