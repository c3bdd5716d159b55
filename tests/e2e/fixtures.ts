import { test as base, expect, type Page, type Response } from '@playwright/test'
import { eq } from 'drizzle-orm'
import { createSession, SESSION_COOKIE, sessionPolicy } from '../../app/domains/accounts/index.server'
import { systemClock } from '../../app/utils/clock'
import { type Db, openPostgres, type PostgresHandle } from '../../db/client.server'
import { users } from '../../db/schema/accounts'
import { sessionCookieFor } from '../support/session-cookie'
import { memberships } from '../../db/schema/memberships'

export { expect }

/** Every demo account's password (README, "Demo accounts"). */
export const DEMO_PASSWORD = 'demo-password'

type TestFixtures = {
  /**
   * Signs the page's browser in as the account with this email, replacing whoever was signed in; navigate next
   * (where the page is afterwards depends on how it signed in). Only the sign-in journey itself (demo-accounts.spec.ts, and the checkout
   * that asks a visitor to sign in) goes through the login form; everything else that merely needs to be someone
   * uses this.
   */
  login: (email: string, password?: string) => Promise<void>
}
type WorkerFixtures = {
  /** The e2e server's database when it is a PostgreSQL server (E2E_DATABASE_URL, set by npm test); else null. */
  sessionDb: PostgresHandle | null
}

/** Creates a session as the login action would — acting for the user's organisation when there is exactly one. */
async function sessionTokenFor(db: Db, email: string): Promise<{ token: string; expiresAt: Date }> {
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, email.toLowerCase()))
  if (!user) throw new Error(`no account ${email} in the e2e database`)
  const orgs = await db
    .select({ orgId: memberships.orgId })
    .from(memberships)
    .where(eq(memberships.userId, user.id))
  return createSession(
    db,
    { userId: user.id, activeOrgId: orgs.length === 1 ? orgs[0]!.orgId : null },
    systemClock,
    sessionPolicy(),
  )
}

/** Fills in and submits the login page already open, as a person would. */
export async function fillLoginForm(page: Page, identifier: string, password = DEMO_PASSWORD) {
  await page.getByLabel('邮箱或手机号').fill(identifier)
  await page.getByLabel('密码').fill(password)
  await page.getByRole('button', { name: '登录' }).click()
}

/** The login form from the start; the page ends on the account overview. */
async function logInThroughTheForm(page: Page, email: string, password: string) {
  // A signed-in visitor of /login is sent on at once: drop the current session cookie (only that one, so a
  // visitor's cart cookie stays), then sign in.
  await page.context().clearCookies({ name: SESSION_COOKIE })
  await page.goto('/login?redirectTo=/account')
  await fillLoginForm(page, email, password)
  await page.waitForURL((url) => url.pathname === '/account')
}

/**
 * Waits until React has hydrated the page (app/root.tsx marks <html data-hydrated>) when the response is a page
 * and JavaScript is on: a click or a typed value before then would meet the server's HTML alone — a link would load
 * a whole document, a field that saves as it changes would not.
 */
async function hydrated(page: Page, response: Response | null, javaScriptEnabled: boolean) {
  if (!javaScriptEnabled || !response) return
  if (!(response.headers()['content-type'] ?? '').startsWith('text/html')) return
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === 'true', null, {
    timeout: 30_000,
  })
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  // Every page.goto and page.reload returns once the page has hydrated (see hydrated above).
  page: async ({ page, javaScriptEnabled }, use) => {
    const goto = page.goto.bind(page)
    const reload = page.reload.bind(page)
    page.goto = async (url, options) => {
      const response = await goto(url, options)
      await hydrated(page, response, javaScriptEnabled)
      return response
    }
    page.reload = async (options) => {
      const response = await reload(options)
      await hydrated(page, response, javaScriptEnabled)
      return response
    }
    await use(page)
  },

  sessionDb: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a fixture needs from this pattern
    async ({}, use) => {
      const url = process.env.E2E_DATABASE_URL
      if (!url) {
        await use(null)
        return
      }
      const handle = openPostgres(url, { max: 1 })
      try {
        await use(handle)
      } finally {
        await handle.close()
      }
    },
    { scope: 'worker' },
  ],

  login: async ({ page, sessionDb, baseURL }, use) => {
    await use(async (email, password = DEMO_PASSWORD) => {
      if (!sessionDb) {
        // PGlite: the server holds the data directory (one process at a time), so no session can be written
        // from here — sign in the way a person does, once for each login the test asks for.
        await logInThroughTheForm(page, email, password)
        return
      }
      const { token, expiresAt } = await sessionTokenFor(sessionDb.db, email)
      // The cookie's value as the app writes it (createCookie encodes the token), not the raw token.
      const [, value] = (await sessionCookieFor(token)).split(/=(.*)/s)
      await page.context().addCookies([
        {
          name: SESSION_COOKIE,
          value: value!,
          url: baseURL!,
          httpOnly: true,
          sameSite: 'Lax',
          expires: Math.floor(expiresAt.getTime() / 1000),
        },
      ])
    })
  },
})
