import type { Locator, Page } from '@playwright/test'
import { expect, test } from './fixtures'

/**
 * The browser fetches the messages of the page's language only (app/entry.client.tsx), hydrates with them without
 * a mismatch, and fetches the other language's after the switch reloads the document. The error page, rendered
 * inside the site's frame, hydrates too: its links navigate in the client.
 */
const chineseChunk = /\/assets\/zh-[\w-]+\.js$/
const englishChunk = /\/assets\/en-[\w-]+\.js$/

/**
 * A client-side navigation (single fetch asks for `.data`): proof that the page has hydrated. The click waits until
 * React has taken over the link: on a loaded machine the page can be visible well before then, and a click on it
 * would be the browser's own navigation.
 */
async function navigateInClient(page: Page, link: Locator) {
  await expect
    .poll(
      () => link.evaluate((element) => Object.keys(element).some((key) => key.startsWith('__reactProps'))),
      {
        timeout: 20_000,
      },
    )
    .toBe(true)
  await Promise.all([
    page.waitForRequest((request) => new URL(request.url()).pathname.endsWith('.data')),
    link.click(),
  ])
}

test('a Chinese page loads only the Chinese messages, an English one only the English', async ({ page }) => {
  const scripts: string[] = []
  const problems: string[] = []
  page.on('request', (request) => {
    if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname)
  })
  page.on('pageerror', (error) => problems.push(error.message))
  page.on('console', (message) => {
    // The error page's own 404 is reported by the browser as a failed resource; anything else is a defect
    // (a hydration mismatch is reported here).
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      problems.push(message.text())
    }
  })

  await page.goto('/products/no-such-slug')
  await expect(page.getByRole('heading', { level: 1, name: '404 页面不存在' })).toBeVisible()
  await expect(page.getByRole('navigation', { name: '主导航' })).toBeVisible()
  await expect(page).toHaveTitle('404 · 消费帮扶集市')
  await navigateInClient(page, page.getByRole('link', { name: '返回首页' }))
  await expect(page.getByRole('heading', { level: 1, name: '消费帮扶集市' })).toBeVisible()
  expect(scripts.filter((path) => chineseChunk.test(path))).toHaveLength(1)
  expect(scripts.filter((path) => englishChunk.test(path))).toEqual([])

  // The switch posts a whole document; the new page loads the English messages and not the Chinese ones.
  scripts.length = 0
  await page.getByRole('button', { name: 'English' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Consumption-Aid Market' })).toBeVisible()
  await navigateInClient(
    page,
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'All products' }),
  )
  await expect(page.getByRole('heading', { level: 1, name: 'All products' })).toBeVisible()
  expect(scripts.filter((path) => englishChunk.test(path))).toHaveLength(1)
  expect(scripts.filter((path) => chineseChunk.test(path))).toEqual([])

  expect(problems).toEqual([])
})
