import type { Page } from '@playwright/test'
import { expectAccessible } from './axe'
import { checkOutByTransfer } from './checkout-steps'
import { expect, test } from './fixtures'
import { seedUuid } from '../../db/seed/synthetic'
import { createInvitationLink } from './invitation-link'
// Bank statement import (issue 18 item 5).
import { saveGuessedMapping, statementCsv, uploadStatement } from './statement-steps'

/**
 * Every page of the app, one test each, checked by axe against WCAG 2.1 A and AA (see ./axe.ts). A page that needs
 * someone signed in names the demo account; `open` brings the page into the state to check.
 */
type PageCheck = { what: string; as?: string; open: (page: Page) => Promise<void> }

/** Goes to a path and makes sure it is that page — not the login page it would redirect to without a session. */
const visit = (path: string) => async (page: Page) => {
  await page.goto(path)
  expect(new URL(page.url()).pathname).toBe(new URL(path, 'http://x').pathname)
}

const celery = '/products/gaoyuanxiacai-qincai'
const prd030 = seedUuid('product:PRD030')
// Office dashboard and 公示 (issue 19): this year's demo target (the seed names it after the year it runs in).
const fzDx = seedUuid(`target:demo-${new Date(Date.now() + 8 * 3_600_000).getUTCFullYear()}-fz-dx`)

async function celeryInCart(page: Page) {
  await page.goto(celery)
  await page.getByRole('button', { name: '加入购物车' }).click()
  await expect(page.getByRole('heading', { level: 1, name: '购物车' })).toBeVisible()
}

const pages: PageCheck[] = [
  // The storefront, as a visitor.
  { what: 'home', open: visit('/') },
  { what: 'product list', open: visit('/products') },
  { what: 'product filters with an error', open: visit('/products?min=abc') },
  { what: 'product page', open: visit(celery) },
  { what: 'county page', open: visit('/regions/621126') },
  {
    what: 'pairing page',
    open: async (page) => {
      await page.goto('/')
      await page.getByRole('link', { name: /→/ }).first().click()
      await page.waitForURL(/\/pairings\//)
    },
  },
  { what: 'search results', open: visit('/search?q=马铃薯') },
  { what: 'search without results', open: visit('/search?q=zzzzzz') },
  { what: 'about', open: visit('/about') },
  { what: 'targets', open: visit('/targets') },
  { what: 'cart', open: celeryInCart },
  { what: 'login', open: visit('/login?redirectTo=%2Fcheckout') },
  { what: 'sign-up', open: visit('/signup') },
  { what: 'forgotten password', open: visit('/forgot-password') },
  { what: 'reset with a code', open: visit('/reset-password?mobile=13900000001&sent=1') },
  { what: 'expired reset link', open: visit(`/reset-password/${'A'.repeat(43)}`) },
  // Error pages, inside the site's frame.
  {
    what: 'not-found page',
    open: async (page) => {
      const answer = await page.goto('/products/no-such-product')
      expect(answer?.status()).toBe(404)
    },
  },
  {
    what: 'forbidden page',
    as: 'consumer@demo.example',
    open: async (page) => {
      const answer = await page.goto('/admin/organizations')
      expect(answer?.status()).toBe(403)
    },
  },

  // Buying, as the demo consumer.
  {
    what: 'checkout with field errors',
    as: 'consumer@demo.example',
    open: async (page) => {
      await celeryInCart(page)
      await page.goto('/checkout')
      await page.getByRole('button', { name: '提交订单' }).click()
      await expect(page.getByLabel('详细地址')).toHaveAttribute('aria-invalid', 'true')
    },
  },
  {
    what: 'order page',
    as: 'consumer@demo.example',
    open: async (page) => {
      await celeryInCart(page)
      await checkOutByTransfer(page)
    },
  },
  { what: 'my orders', as: 'consumer@demo.example', open: visit('/account/orders') },

  // The account pages, as a cooperative's admin.
  { what: 'account', as: 'coop@minxian.demo.example', open: visit('/account') },
  { what: 'my organisations', as: 'coop@minxian.demo.example', open: visit('/account/organizations') },
  {
    what: 'register an organisation',
    as: 'coop@minxian.demo.example',
    open: visit('/account/organizations/new'),
  },
  { what: 'security', as: 'coop@minxian.demo.example', open: visit('/account/security') },

  // Members and invitations: a unit's admin with a fresh invitation link on the page, and the invited user.
  {
    what: 'members page with a new invitation link',
    as: 'unit-admin@gulou.demo.example',
    open: async (page) => {
      await createInvitationLink(page, /鼓楼区演示预算单位/)
    },
  },

  // Platform administration.
  { what: 'finance payments', as: 'finance@demo.example', open: visit('/admin/payments') },
  // Bank statement import (issue 18 item 5): the upload page with a refused file, a new layout's column mapping,
  // and the preview.
  {
    what: 'statement upload with a file error',
    as: 'finance@demo.example',
    open: async (page) => {
      await uploadStatement(page, '姓名,电话,地址\r\n王五,13800138000,演示路\r\n', 'roster.csv')
      await expect(page.getByRole('alert')).toBeVisible()
    },
  },
  {
    what: 'statement column mapping',
    as: 'finance@demo.example',
    open: async (page) => {
      await uploadStatement(page, statementCsv([{ amount: '12.34', memo: '往来款' }], `导出${Date.now()}`))
      await expect(page.getByRole('heading', { name: '指定各列' })).toBeVisible()
    },
  },
  {
    what: 'statement preview',
    as: 'finance@demo.example',
    open: async (page) => {
      await uploadStatement(
        page,
        statementCsv(
          [
            { amount: '12.34', memo: '往来款' },
            { amount: '56.00', memo: 'BT20990101000001' },
          ],
          `导出${Date.now()}`,
        ),
      )
      await saveGuessedMapping(page)
    },
  },
  { what: 'verify organisations', as: 'admin@demo.example', open: visit('/admin/organizations') },
  { what: 'create an office', as: 'admin@demo.example', open: visit('/admin/offices/new') },
  { what: 'audit log', as: 'admin@demo.example', open: visit('/admin/audit') },
  { what: 'outbox', as: 'admin@demo.example', open: visit('/admin/outbox') },

  // The cooperative console, as the Minxian cooperative's admin (PRD030 is one of its products).
  { what: 'console home', as: 'coop@minxian.demo.example', open: visit('/coop') },
  { what: 'console products', as: 'coop@minxian.demo.example', open: visit('/coop/products') },
  {
    what: 'new listing with field errors',
    as: 'coop@minxian.demo.example',
    open: async (page) => {
      await visit('/coop/products/new')(page)
      await page.getByRole('button', { name: '保存为草稿' }).click()
      await expect(page.getByLabel('商品名称')).toHaveAttribute('aria-invalid', 'true')
    },
  },
  { what: 'edit listing', as: 'coop@minxian.demo.example', open: visit(`/coop/products/${prd030}`) },
  { what: 'stock', as: 'coop@minxian.demo.example', open: visit(`/coop/products/${prd030}/stock`) },
  { what: 'photos', as: 'coop@minxian.demo.example', open: visit(`/coop/products/${prd030}/photos`) },
  {
    what: 'certifications',
    as: 'coop@minxian.demo.example',
    open: visit(`/coop/products/${prd030}/certifications`),
  },
  { what: 'bases', as: 'coop@minxian.demo.example', open: visit('/coop/bases') },
  { what: 'console orders', as: 'coop@minxian.demo.example', open: visit('/coop/orders') },
  // Cooperative console II: households, their import, a product's beneficiaries, fulfilment, reports.
  { what: 'households', as: 'coop@minxian.demo.example', open: visit('/coop/households') },
  { what: 'household import', as: 'coop@minxian.demo.example', open: visit('/coop/households/import') },
  {
    what: 'product beneficiaries',
    as: 'coop@minxian.demo.example',
    open: visit(`/coop/products/${prd030}/beneficiaries`),
  },
  { what: 'fulfilment', as: 'coop@minxian.demo.example', open: visit('/coop/fulfilment') },
  { what: 'reports', as: 'coop@minxian.demo.example', open: visit('/coop/reports') },

  // Listing review and supplier admission: the platform's pages and an office's.
  { what: 'platform listing review', as: 'admin@demo.example', open: visit('/admin/listings') },
  { what: 'supplier admission', as: 'admin@demo.example', open: visit('/admin/suppliers') },
  { what: 'office home', as: 'office@fuzhou.demo.example', open: visit('/office') },
  { what: 'office listing review', as: 'office@fuzhou.demo.example', open: visit('/office/listings') },
  {
    what: 'office supplier recommendation',
    as: 'office-admin@fuzhou.demo.example',
    open: visit('/office/suppliers'),
  },
  // Office dashboard and 公示 (issue 19).
  { what: 'office targets', as: 'office@fuzhou.demo.example', open: visit('/office/targets') },
  {
    what: 'office target dashboard',
    as: 'office@fuzhou.demo.example',
    open: visit(`/office/targets/${fzDx}`),
  },
  {
    what: 'office target dashboard, filtered',
    as: 'office@fuzhou.demo.example',
    open: visit(`/office/targets/${fzDx}?helped=621122&helper=350111`),
  },
  {
    what: 'printable assessment summary',
    as: 'office@fuzhou.demo.example',
    open: visit(`/office/targets/${fzDx}/print`),
  },
  { what: 'public notice (公示)', open: visit(`/targets/${fzDx}/gongshi`) },

  // Government procurement (issue 16): the unit pages and the account's notifications.
  { what: 'unit requisitions', as: 'buyer@gulou.demo.example', open: visit('/unit') },
  {
    what: 'new requisition with a preview',
    as: 'buyer@gulou.demo.example',
    open: async (page) => {
      await page.goto('/unit/requisitions/new')
      await page.getByLabel('采购明细（每行：商品编码 数量）').fill('PRD001 5\nNOPE 1')
      await page.getByRole('button', { name: '预览' }).click()
      await expect(page.getByTestId('preview')).toBeVisible()
    },
  },
  { what: 'unit orders', as: 'buyer@gulou.demo.example', open: visit('/unit/orders') },
  { what: 'reserved-share plan', as: 'unit-admin@gulou.demo.example', open: visit('/unit/plan') },
  // Government procurement II (decision 022): an order's page (验收 once delivered) and the printable summary.
  {
    what: 'unit order page',
    as: 'unit-admin@gulou.demo.example',
    open: async (page) => {
      await page.goto('/unit/orders')
      await page.getByTestId('unit-order').first().getByRole('link').click()
      await expect(page.getByRole('heading', { level: 1, name: /^订单 XF/ })).toBeVisible()
    },
  },
  { what: 'printable purchase summary', as: 'buyer@gulou.demo.example', open: visit('/unit/plan/print') },
  { what: 'spending limits', as: 'unit-admin@gulou.demo.example', open: visit('/unit/members') },
  { what: 'notifications', as: 'approver@gulou.demo.example', open: visit('/account/notifications') },
  { what: 'checkout while acting for a unit', as: 'buyer@gulou.demo.example', open: visit('/checkout') },
]

// axe takes 1–3 s a page on a quiet machine and several times that on a loaded one; some pages need a sign-in,
// a cart or an order first. Each test gets its own generous budget.
test.describe.configure({ timeout: 120_000 })

for (const { what, as, open } of pages) {
  test(`${what} passes axe (WCAG 2.1 AA)`, async ({ page, login }) => {
    if (as) await login(as)
    await open(page)
    await expectAccessible(page, what)
  })
}

test('invitation page passes axe (WCAG 2.1 AA)', async ({ page, login }) => {
  await login('unit-admin@gulou.demo.example')
  const link = await createInvitationLink(page, /鼓楼区演示预算单位/)
  await login('buyer07@consumers.demo.example')
  await page.goto(link)
  await expect(page.getByRole('heading', { level: 1, name: '加入单位邀请' })).toBeVisible()
  await expect(page.getByRole('button', { name: '接受邀请' })).toBeVisible()
  await expectAccessible(page, 'invitation page')
})
