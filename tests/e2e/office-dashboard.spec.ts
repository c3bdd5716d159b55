import { seedUuid } from '../../db/seed/synthetic'
import { expect, test } from './fixtures'

/**
 * Office dashboard and 公示 (issue 19): the demo office's analyst opens the Fuzhou→Dingxi target's dashboard, sees
 * its districts, downloads a table as Excel, and the public notice opens for someone signed out.
 */
const year = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear()
const fzDx = seedUuid(`target:demo-${year}-fz-dx`)

test.describe.configure({ timeout: 120_000 })

test('an office analyst reads the dashboard, exports Excel, and anyone reads the 公示', async ({
  page,
  login,
}) => {
  await login('office@fuzhou.demo.example')
  await page.goto('/office')
  await page.getByRole('link', { name: '目标任务' }).first().click()
  await expect(page.getByRole('heading', { level: 2, name: '目标任务' })).toBeVisible()
  const name = `福州→定西 ${year}年消费帮扶（演示）`
  await page.getByRole('link', { name, exact: true }).click()
  await expect(page).toHaveURL(new RegExp(`/office/targets/${fzDx}$`))
  await expect(page.getByRole('heading', { level: 2, name })).toBeVisible()
  // The helped counties and the helping districts, as a table beside each chart.
  const helped = page.getByRole('table', { name: '按受帮扶县（区）' })
  await expect(helped.getByRole('rowheader', { name: '安定区' })).toBeVisible()
  const helping = page.getByRole('table', { name: '按帮扶地区' })
  await expect(helping.getByRole('rowheader').first()).toBeVisible()
  await expect(page.getByRole('img', { name: /累计完成与时间进度/ })).toBeVisible()

  // Filter to one county (a GET form: the URL carries it).
  await page.getByRole('combobox', { name: '受帮扶县（区）' }).selectOption({ label: '安定区' })
  await page.getByRole('button', { name: '筛选' }).click()
  await expect(page).toHaveURL(/helped=621102/)
  await expect(helped.locator('tbody tr')).toHaveCount(1)

  const downloading = page.waitForEvent('download')
  await page.getByTestId('table-byHelperRegion-xlsx').click()
  const download = await downloading
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/)

  // The printable 考核 summary carries the units behind on their reserved share, as the dashboard does.
  await page.goto(`/office/targets/${fzDx}/print`)
  await expect(page.getByRole('heading', { level: 2, name: `${name} 考核汇总` })).toBeVisible()
  await expect(
    page.getByRole('table', { name: '预留份额进度滞后的单位' }).getByRole('rowheader').first(),
  ).toBeVisible()

  // Signed out, the public notice shows the ledger head and how to check it.
  await page.context().clearCookies()
  await page.goto('/targets')
  await page.getByRole('link', { name: `查看公示：${name}` }).click()
  await expect(page.getByRole('heading', { level: 1, name: `${name} 公示` })).toBeVisible()
  await expect(page.getByTestId('gongshi-hash')).toHaveText(/^[0-9a-f]{64}$/)
  await expect(page.getByText(/npm run ledger:verify -- --expect \d+:[0-9a-f]{64}/).first()).toBeVisible()
})
