import { hash } from '@node-rs/argon2'
import { eq, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { queryRows, useSharedDb } from '../../db/client.server'
import { sessions, users } from '../../db/schema/accounts'
import { memberships } from '../../db/schema/memberships'
import { seedUuid } from '../../db/seed/synthetic'
import { getProductPage } from '../../app/domains/catalog/catalog.server'
import { changePasswordAndRotate, logIn, signUp, THROTTLE } from '../../app/domains/accounts/auth.server'
import { readSessionToken } from '../../app/domains/accounts/session-cookie.server'
import { slowDownSeconds } from '../../app/domains/accounts/throttles.server'
import {
  createSession,
  markSessionsForRotation,
  type RequestAuth,
  resolveSession,
  revokeSession,
  type SessionPolicy,
} from '../../app/domains/accounts/sessions.server'
import { passwordHashingStats, resetPasswordHashingPeak } from '../../app/services/passwords.server'
import { action as loginAction } from '../../app/routes/_storefront.login'
import { action as signupAction } from '../../app/routes/_storefront.signup'
import { action as securityAction } from '../../app/routes/account.security'
import { type Clock, fixedClock, shanghaiDate, systemClock } from '../../app/utils/clock'
import type { MessageKey } from '../../app/utils/i18n'
import { translate } from '../../app/utils/i18n.server'
import { startTestApp } from '../support/app-server'
import { testContext } from '../support/context'
import { openTestDatabase, reopenTestDatabase, testDbKind } from '../support/db'
import { SEED_NOW } from '../support/test-clock'

/** A clock the test moves by hand. */
function manualClock(
  start: Date,
): Clock & { advanceMinutes(minutes: number): void; advanceSeconds(seconds: number): void } {
  let now = start.getTime()
  return {
    now: () => new Date(now),
    advanceMinutes(minutes) {
      now += minutes * 60_000
    },
    advanceSeconds(seconds) {
      now += seconds * 1000
    },
  }
}

/** How many argon2 runs (verifications and hashes) `work` caused: the throttles must keep this at their limits. */
async function passwordChecksDuring<T>(work: () => Promise<T>): Promise<{ result: T; checks: number }> {
  const before = passwordHashingStats().completed
  const result = await work()
  return { result, checks: passwordHashingStats().completed - before }
}

function countReasons(results: Array<{ ok: boolean; reason?: string }>) {
  return {
    ok: results.filter((r) => r.ok).length,
    invalid: results.filter((r) => r.reason === 'invalid').length,
    taken: results.filter((r) => r.reason === 'taken').length,
    throttled: results.filter((r) => r.reason === 'throttled').length,
  }
}

const policy: SessionPolicy = { idleMinutes: 120, absoluteHours: 24 }
let counter = 0
const uniqueEmail = () => `user${Date.now().toString(36)}${counter++}@example.test`

describe(`sign-up and login (${testDbKind()})`, async () => {
  const handle = await openTestDatabase('seeded')
  const db = handle.db
  useSharedDb(handle)
  const { origin } = await startTestApp(handle)
  const clock = fixedClock(SEED_NOW)

  /** A new account with this password, signed up from an address of its own. */
  async function newAccount(password = 'the right one'): Promise<string> {
    const email = uniqueEmail()
    const created = await signUp(db, { email, displayName: '测试', password, ip: '10.0.0.99' }, clock)
    if (!created.ok) throw new Error(`sign-up refused: ${created.reason}`)
    return email
  }

  it('signs up with an email or a mobile number and logs in with either', async () => {
    const email = uniqueEmail()
    const created = await signUp(
      db,
      { email, mobile: '13900001234', displayName: '测试用户', password: 'correct horse', ip: '10.0.0.1' },
      clock,
    )
    expect(created.ok).toBe(true)
    const byEmail = await logIn(
      db,
      { identifier: email.toUpperCase(), password: 'correct horse', ip: '10.0.0.1' },
      clock,
    )
    const byMobile = await logIn(
      db,
      { identifier: '139 0000 1234', password: 'correct horse', ip: '10.0.0.1' },
      clock,
    )
    expect(byEmail).toMatchObject({ ok: true })
    expect(byMobile).toMatchObject({ ok: true })
    const again = await signUp(
      db,
      { email, displayName: 'x', password: 'another one', ip: '10.0.0.1' },
      clock,
    )
    expect(again).toEqual({ ok: false, reason: 'taken', errors: { email: ['form.email.taken'] } })
    const sameMobile = await signUp(
      db,
      { mobile: '13900001234', displayName: 'x', password: 'another one', ip: '10.0.0.1' },
      clock,
    )
    expect(sameMobile).toEqual({ ok: false, reason: 'taken', errors: { mobile: ['form.mobile.taken'] } })
  })

  it('answers an unknown account exactly like a wrong password, and hashes in both cases', async () => {
    const email = await newAccount('right password')
    const { result, checks } = await passwordChecksDuring(async () => {
      const unknown = await logIn(
        db,
        { identifier: 'nobody@example.test', password: 'whatever1', ip: '10.0.0.2' },
        clock,
      )
      const wrong = await logIn(db, { identifier: email, password: 'wrong password', ip: '10.0.0.2' }, clock)
      return { unknown, wrong }
    })
    expect(result.unknown).toEqual({ ok: false, reason: 'invalid' })
    expect(result.wrong).toEqual(result.unknown)
    expect(checks).toBe(2)
  })

  it('upgrades an outdated hash at login', async () => {
    const email = uniqueEmail()
    const weak = await hash('old but fine', { memoryCost: 4096, timeCost: 1, parallelism: 1, algorithm: 2 })
    await db.insert(users).values({ email, displayName: '旧账户', passwordHash: weak })
    expect(
      await logIn(db, { identifier: email, password: 'old but fine', ip: '10.0.0.3' }, clock),
    ).toMatchObject({ ok: true })
    const [row] = await db
      .select({ passwordHash: users.passwordHash })
      .from(users)
      .where(eq(users.email, email))
    expect(row?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
    expect(
      await logIn(db, { identifier: email, password: 'old but fine', ip: '10.0.0.3' }, clock),
    ).toMatchObject({ ok: true })
  })

  it('logs a member of one organisation straight into it', async () => {
    const result = await logIn(
      db,
      { identifier: 'coop@minxian.demo.example', password: 'demo-password', ip: '10.0.0.4' },
      clock,
    )
    expect(result).toEqual({
      ok: true,
      userId: seedUuid('user:coop@minxian.demo.example'),
      defaultOrgId: seedUuid('coop:621126:1'),
    })
  })

  it('password-checks exactly the account limit of 100 concurrent wrong passwords, and asks the rest to wait', async () => {
    const email = await newAccount()
    const { result, checks } = await passwordChecksDuring(() =>
      Promise.all(
        Array.from({ length: 100 }, () =>
          logIn(db, { identifier: email, password: 'nope nope', ip: '10.4.0.1' }, clock),
        ),
      ),
    )
    expect(checks).toBe(THROTTLE.accountLimit)
    expect(countReasons(result)).toEqual({
      ok: 0,
      invalid: THROTTLE.accountLimit,
      taken: 0,
      throttled: 100 - THROTTLE.accountLimit,
    })
    // The first attempt beyond the limit waits the shortest delay, not a lock.
    expect(result.find((r) => !r.ok && r.reason === 'throttled')).toEqual({
      ok: false,
      reason: 'throttled',
      retryAfterSeconds: THROTTLE.firstDelaySeconds,
    })
  })

  it('checks no more than the limit when 20 wrong passwords and the right one arrive at once', async () => {
    const email = await newAccount()
    const passwords = Array.from({ length: 21 }, (_, i) => (i === 10 ? 'the right one' : 'nope nope'))
    const { result, checks } = await passwordChecksDuring(() =>
      Promise.all(
        passwords.map((password) => logIn(db, { identifier: email, password, ip: '10.4.1.1' }, clock)),
      ),
    )
    const right = result[10]!
    const counts = countReasons(result)
    expect(checks).toBeLessThanOrEqual(THROTTLE.accountLimit)
    // Every answer agrees with what was checked: a checked attempt is a sign-in or "invalid", the rest wait.
    expect(counts.ok + counts.invalid).toBe(checks)
    expect(counts.throttled).toBe(21 - checks)
    expect(counts.ok).toBe(right.ok ? 1 : 0)
    if (!right.ok) expect(checks).toBe(THROTTLE.accountLimit)
  })

  it('slows an account down after the limit (1 s, 2 s, 4 s … at most a minute) instead of locking it out', async () => {
    const email = await newAccount()
    const moving = manualClock(SEED_NOW)
    // Anyone, from anywhere, fails the limit.
    for (let i = 0; i < THROTTLE.accountLimit; i++) {
      expect(
        await logIn(db, { identifier: email, password: 'nope nope', ip: `10.5.0.${i}` }, moving),
      ).toEqual({ ok: false, reason: 'invalid' })
    }
    const waits: number[] = []
    for (let i = 0; i < 9; i++) {
      // Even the right password waits its turn: during a delay nothing is checked.
      const { result: waiting, checks } = await passwordChecksDuring(() =>
        logIn(db, { identifier: email, password: 'the right one', ip: '10.5.1.1' }, moving),
      )
      expect(checks).toBe(0)
      if (waiting.ok || waiting.reason !== 'throttled')
        throw new Error(`not throttled: ${JSON.stringify(waiting)}`)
      waits.push(waiting.retryAfterSeconds)
      moving.advanceSeconds(waiting.retryAfterSeconds)
      expect(
        await logIn(db, { identifier: email, password: 'nope nope', ip: `10.5.2.${i}` }, moving),
      ).toEqual({ ok: false, reason: 'invalid' })
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60])
    expect(THROTTLE.maxDelaySeconds).toBe(60)
    // The owner is never locked out for longer than the delay.
    moving.advanceSeconds(THROTTLE.maxDelaySeconds)
    expect(
      await logIn(db, { identifier: email, password: 'the right one', ip: '10.5.1.1' }, moving),
    ).toMatchObject({ ok: true })
    // After a quiet window, an account starts from nothing: the limit goes straight through again.
    const other = await newAccount()
    for (let i = 0; i < THROTTLE.accountLimit; i++) {
      await logIn(db, { identifier: other, password: 'nope nope', ip: '10.5.3.1' }, moving)
    }
    moving.advanceMinutes(THROTTLE.windowMinutes + 1)
    for (let i = 0; i < THROTTLE.accountLimit; i++) {
      expect(await logIn(db, { identifier: other, password: 'nope nope', ip: '10.5.3.2' }, moving)).toEqual({
        ok: false,
        reason: 'invalid',
      })
    }
  })

  it('forgives the failures before a successful login', async () => {
    const email = await newAccount()
    for (let i = 0; i < THROTTLE.accountLimit - 1; i++) {
      await logIn(db, { identifier: email, password: 'typo typo', ip: '10.5.4.1' }, clock)
    }
    expect(
      await logIn(db, { identifier: email, password: 'the right one', ip: '10.5.4.1' }, clock),
    ).toMatchObject({ ok: true })
    for (let i = 0; i < THROTTLE.accountLimit; i++) {
      expect(await logIn(db, { identifier: email, password: 'typo typo', ip: '10.5.4.1' }, clock)).toEqual({
        ok: false,
        reason: 'invalid',
      })
    }
  })

  it('locks an address that fails across many accounts for a quarter of an hour, without checking passwords', async () => {
    const moving = manualClock(SEED_NOW)
    for (let i = 0; i < THROTTLE.ipLimit; i++) {
      await logIn(db, { identifier: `guess${i}@example.test`, password: 'nope nope', ip: '10.9.9.9' }, moving)
    }
    const email = await newAccount()
    const { result: locked, checks } = await passwordChecksDuring(() =>
      logIn(db, { identifier: email, password: 'the right one', ip: '10.9.9.9' }, moving),
    )
    expect(locked).toEqual({ ok: false, reason: 'throttled', retryAfterSeconds: THROTTLE.lockMinutes * 60 })
    expect(checks).toBe(0)
    // Refused attempts leave nothing behind: spraying made-up identifiers does not grow the table.
    for (let i = 0; i < 5; i++) {
      await logIn(
        db,
        { identifier: `sprayed${i}@example.test`, password: 'nope nope', ip: '10.9.9.9' },
        moving,
      )
    }
    const sprayed = await queryRows<{ n: unknown }>(
      db,
      sql`select count(*) as n from login_throttles where key like 'account:sprayed%'`,
    )
    expect(Number(sprayed[0]?.n)).toBe(0)
    // The account itself is not held back: the same password from another address signs in.
    expect(
      await logIn(db, { identifier: email, password: 'the right one', ip: '10.9.9.10' }, moving),
    ).toMatchObject({ ok: true })
    moving.advanceMinutes(THROTTLE.lockMinutes)
    expect(
      await logIn(db, { identifier: email, password: 'the right one', ip: '10.9.9.9' }, moving),
    ).toMatchObject({ ok: true })
  })

  it('does not count successful logins against an address (many colleagues behind one gateway)', async () => {
    for (let i = 0; i < THROTTLE.ipLimit + 5; i++) {
      expect(
        await logIn(
          db,
          { identifier: 'consumer@demo.example', password: 'demo-password', ip: '10.9.8.1' },
          clock,
        ),
      ).toMatchObject({ ok: true })
    }
  })

  it('keeps a throttle across a restart', async () => {
    const email = await newAccount()
    for (let i = 0; i < THROTTLE.accountLimit; i++) {
      await logIn(db, { identifier: email, password: 'nope nope', ip: '10.2.0.1' }, clock)
    }
    const restarted = await reopenTestDatabase(handle)
    try {
      expect(
        await logIn(restarted.db, { identifier: email, password: 'the right one', ip: '10.2.0.2' }, clock),
      ).toMatchObject({
        ok: false,
        reason: 'throttled',
      })
    } finally {
      await restarted.close()
    }
  })

  it('throttles sign-ups per address: at most the limit of "already registered" answers, even at once', async () => {
    const registered = Array.from({ length: 30 }, () => uniqueEmail())
    await db
      .insert(users)
      .values(registered.map((email) => ({ email, displayName: '已注册', passwordHash: 'x' })))
    const { result, checks } = await passwordChecksDuring(() =>
      Promise.all(
        registered.map((email) =>
          signUp(db, { email, displayName: '探测', password: 'probe password', ip: '10.6.0.1' }, clock),
        ),
      ),
    )
    expect(countReasons(result)).toEqual({
      ok: 0,
      invalid: 0,
      taken: THROTTLE.signupIpLimit,
      throttled: 30 - THROTTLE.signupIpLimit,
    })
    expect(checks).toBe(THROTTLE.signupIpLimit)
    // The locked address cannot create new accounts either; another address can.
    expect(
      await signUp(
        db,
        { email: uniqueEmail(), displayName: '新人', password: 'probe password', ip: '10.6.0.1' },
        clock,
      ),
    ).toEqual({ ok: false, reason: 'throttled', retryAfterSeconds: THROTTLE.lockMinutes * 60 })
    expect(
      await signUp(
        db,
        { email: uniqueEmail(), displayName: '新人', password: 'probe password', ip: '10.6.0.2' },
        clock,
      ),
    ).toMatchObject({ ok: true })
  })

  it('throttles sign-ups per identifier, from any address', async () => {
    const email = await newAccount()
    const answers = []
    for (let i = 0; i <= THROTTLE.signupIdentifierLimit; i++) {
      answers.push(
        await signUp(
          db,
          { email: email.toUpperCase(), displayName: '探测', password: 'probe password', ip: `10.6.1.${i}` },
          clock,
        ),
      )
    }
    expect(countReasons(answers)).toEqual({
      ok: 0,
      invalid: 0,
      taken: THROTTLE.signupIdentifierLimit,
      throttled: 1,
    })
    // A mobile number is its own identifier.
    const mobile = '13700001111'
    await db.insert(users).values({ mobile, displayName: '已注册', passwordHash: 'x' })
    for (let i = 0; i < THROTTLE.signupIdentifierLimit; i++) {
      await signUp(db, { mobile, displayName: '探测', password: 'probe password', ip: `10.6.2.${i}` }, clock)
    }
    expect(
      await signUp(
        db,
        { mobile: '137 0000 1111', displayName: '探测', password: 'probe password', ip: '10.6.2.99' },
        clock,
      ),
    ).toMatchObject({ ok: false, reason: 'throttled' })
  })

  it('does not count successful sign-ups against an address (a training room signing up together)', async () => {
    for (let i = 0; i < THROTTLE.signupIpLimit + 5; i++) {
      expect(
        await signUp(
          db,
          { email: uniqueEmail(), displayName: '学员', password: 'training day', ip: '10.6.3.1' },
          clock,
        ),
      ).toMatchObject({ ok: true })
    }
  })

  it('tells the user on the login page when to try again, in Chinese and English', async () => {
    function post(identifier: string, password: string) {
      return new Request('http://localhost/login', {
        method: 'POST',
        body: new URLSearchParams({ identifier, password }),
      })
    }
    type Answer = {
      data: { wait: { key: MessageKey; values: Record<string, number> } | null }
      init: ResponseInit | null
    }

    // An address that failed too often: minutes.
    const lockedIp = '10.10.0.1'
    for (let i = 0; i < THROTTLE.ipLimit; i++) {
      await logIn(
        db,
        { identifier: `nobody${i}@example.test`, password: 'nope nope', ip: lockedIp },
        systemClock,
      )
    }
    const locked = (await loginAction({
      request: post('consumer@demo.example', 'demo-password'),
      params: {},
      context: testContext({ clientIp: lockedIp }),
    })) as unknown as Answer
    expect(locked.init?.status).toBe(429)
    expect(new Headers(locked.init?.headers).get('Retry-After')).toMatch(/^\d+$/)
    const form = locked.data.wait!
    expect(translate('zh', form.key, form.values)).toBe(`尝试次数过多，请 ${THROTTLE.lockMinutes} 分钟后再试`)
    expect(translate('en', form.key, form.values)).toBe(
      `Too many attempts. Try again in ${THROTTLE.lockMinutes} minutes`,
    )

    // An account being slowed down: seconds.
    const email = await newAccount()
    let slowed: Answer | null = null
    for (let i = 0; i < THROTTLE.accountLimit + 5 && !slowed; i++) {
      const answer = (await loginAction({
        request: post(email, 'nope nope'),
        params: {},
        context: testContext({ clientIp: `10.10.1.${i}` }),
      })) as unknown as Answer
      if (answer.init?.status === 429) slowed = answer
    }
    const wait = slowed!.data.wait!
    expect(wait.values.seconds).toBeGreaterThanOrEqual(1)
    expect(wait.values.seconds).toBeLessThanOrEqual(THROTTLE.maxDelaySeconds)
    expect(translate('zh', wait.key, wait.values)).toBe(`尝试次数过多，请 ${wait.values.seconds} 秒后再试`)
    expect(translate('en', wait.key, wait.values)).toBe(
      `Too many attempts. Try again in ${wait.values.seconds} s`,
    )
  })

  it('tells a throttled sign-up when to try again (429), instead of whether the address is registered', async () => {
    const taken = await newAccount()
    const form = {
      displayName: '探测',
      email: taken,
      password: 'probe password',
      passwordConfirm: 'probe password',
    }
    /** data() with a status: 400 "already registered" (next to the field), or 429 and the wait. */
    type Answer = {
      data?: { result?: { error?: Record<string, string[]> }; wait: unknown }
      init?: ResponseInit | null
    }
    const answers: Answer[] = []
    for (let i = 0; i <= THROTTLE.signupIdentifierLimit; i++) {
      const answer: unknown = await signupAction({
        request: new Request('http://localhost/signup', { method: 'POST', body: new URLSearchParams(form) }),
        params: {},
        context: testContext({ clientIp: `10.12.0.${i}` }),
      })
      answers.push(answer as Answer)
    }
    // The limit's worth of "already registered", then only the wait.
    expect(answers.slice(0, -1).map((a) => [a.init?.status, a.data?.result?.error])).toEqual(
      Array.from({ length: THROTTLE.signupIdentifierLimit }, () => [400, { email: ['form.email.taken'] }]),
    )
    const last = answers.at(-1)!
    expect(last.init?.status).toBe(429)
    expect(new Headers(last.init?.headers).get('Retry-After')).toBe(String(THROTTLE.lockMinutes * 60))
    expect(last.data?.result?.error).toBeUndefined()
    expect(last.data).toMatchObject({
      wait: { key: 'auth.throttled', values: { minutes: THROTTLE.lockMinutes } },
    })
  })

  it('sends the wait as Retry-After through the real app, to the page and to single-fetch requests', async () => {
    const identifier = 'never-registered@example.test'
    // Deep into the slow-down, from now: ten failures spaced by their delays leave a wait of about a minute.
    const moving = manualClock(new Date())
    for (let i = 0; i < THROTTLE.accountLimit + 5; i++) {
      const answer = await logIn(db, { identifier, password: 'nope nope', ip: '10.11.0.1' }, moving)
      expect(answer).toEqual({ ok: false, reason: 'invalid' })
      moving.advanceSeconds(slowDownSeconds(i + 1, THROTTLE.accountLimit))
    }
    const post = (path: string) =>
      fetch(`${origin}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Origin: origin,
          'Sec-Fetch-Site': 'same-origin',
        },
        body: new URLSearchParams({ identifier, password: 'nope nope' }),
      })
    const page = await post('/login')
    expect(page.status).toBe(429)
    const retryAfter = Number(page.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThan(THROTTLE.maxDelaySeconds - 10)
    expect(await page.text()).toContain(`尝试次数过多，请 ${retryAfter} 秒后再试`)
    const singleFetch = await post('/login.data')
    await singleFetch.text()
    expect(singleFetch.status).toBe(429)
    expect(Number(singleFetch.headers.get('retry-after'))).toBeGreaterThan(THROTTLE.maxDelaySeconds - 10)
  })

  it('runs at most two hashes at once under 10 concurrent logins, while a product page still answers fast', async () => {
    // Warm: the first view of a database prepares its query and loads the region list; that is start-up, not load.
    await getProductPage(db, 'dingximalingshu', shanghaiDate(SEED_NOW))
    // Ten people: more than the account limit of concurrent attempts on one account would be asked to wait.
    const accounts: string[] = []
    for (let i = 0; i < 10; i++) accounts.push(await newAccount('demo-password'))
    resetPasswordHashingPeak()
    const logins = Promise.all(
      accounts.map((identifier, i) =>
        logIn(db, { identifier, password: 'demo-password', ip: `10.3.0.${i}` }, clock),
      ),
    )
    const pageTimes: number[] = []
    for (let i = 0; i < 5; i++) {
      const started = performance.now()
      const page = await getProductPage(db, 'dingximalingshu', shanghaiDate(SEED_NOW))
      pageTimes.push(performance.now() - started)
      expect(page?.name).toBe('定西马铃薯')
    }
    const results = await logins
    expect(results.every((r) => r.ok)).toBe(true)
    expect(passwordHashingStats().peak).toBeLessThanOrEqual(2)
    expect(passwordHashingStats().peak).toBe(2)
    expect(Math.max(...pageTimes)).toBeLessThan(200)
  })
})

describe(`sessions (${testDbKind()})`, async () => {
  const handle = await openTestDatabase('seeded')
  const db = handle.db
  const userId = seedUuid('user:buyer@gulou.demo.example')

  it('ends after the idle timeout, and is kept alive by activity', async () => {
    const clock = manualClock(SEED_NOW)
    const { token } = await createSession(db, { userId }, clock, policy)
    clock.advanceMinutes(policy.idleMinutes - 1)
    expect(await resolveSession(db, token, clock, policy)).not.toBeNull()
    clock.advanceMinutes(policy.idleMinutes - 1)
    expect(await resolveSession(db, token, clock, policy)).not.toBeNull()
    clock.advanceMinutes(policy.idleMinutes + 1)
    expect(await resolveSession(db, token, clock, policy)).toBeNull()
  })

  it('ends at the absolute timeout however active', async () => {
    const clock = manualClock(SEED_NOW)
    const { token } = await createSession(db, { userId }, clock, policy)
    for (let minutes = 0; minutes < policy.absoluteHours * 60 - 60; minutes += 60) {
      clock.advanceMinutes(60)
      expect(await resolveSession(db, token, clock, policy), `after ${minutes + 60} minutes`).not.toBeNull()
    }
    clock.advanceMinutes(61)
    expect(await resolveSession(db, token, clock, policy)).toBeNull()
  })

  it('can be revoked, and a new login ends the session it replaces', async () => {
    const clock = fixedClock(SEED_NOW)
    const first = await createSession(db, { userId }, clock, policy)
    const second = await createSession(db, { userId, previousToken: first.token }, clock, policy)
    expect(await resolveSession(db, first.token, clock, policy)).toBeNull()
    expect(await resolveSession(db, second.token, clock, policy)).not.toBeNull()
    await revokeSession(db, second.token, clock)
    expect(await resolveSession(db, second.token, clock, policy)).toBeNull()
  })

  it('rotates the id after a role change and shows the new role', async () => {
    const clock = fixedClock(SEED_NOW)
    const orgId = seedUuid('org:gulou-unit')
    const { token } = await createSession(db, { userId, activeOrgId: orgId }, clock, policy)
    await db.update(memberships).set({ role: 'unit_approver' }).where(eq(memberships.userId, userId))
    await markSessionsForRotation(db, userId)
    const resolved = await resolveSession(db, token, clock, policy)
    expect(resolved?.rotated?.token).toBeDefined()
    expect(resolved?.rotated?.token).not.toBe(token)
    expect(resolved?.auth.active).toMatchObject({ orgId, role: 'unit_approver' })
    expect(await resolveSession(db, token, clock, policy)).toBeNull()
    expect(await resolveSession(db, resolved!.rotated!.token, clock, policy)).toMatchObject({ rotated: null })
    // Only hashes of tokens are stored.
    const stored = await queryRows<{ n: unknown }>(
      db,
      sql`select count(*) as n from sessions where token_hash = ${resolved!.rotated!.token}`,
    )
    expect(Number(stored[0]?.n)).toBe(0)
    const [row] = await db
      .select({ n: sql<number>`count(*)` })
      .from(sessions)
      .where(eq(sessions.userId, userId))
    expect(Number(row?.n)).toBeGreaterThan(0)
  })
})

describe(`password change (${testDbKind()})`, async () => {
  const handle = await openTestDatabase('seeded')
  const db = handle.db
  const clock = fixedClock(SEED_NOW)
  // The page's action reads the process-wide database: this file's first block set its own at collection.
  beforeAll(() => useSharedDb(handle))

  async function account(password: string): Promise<{ userId: string; email: string }> {
    const email = uniqueEmail()
    const created = await signUp(db, { email, displayName: '改密码', password, ip: '10.20.0.1' }, clock)
    if (!created.ok) throw new Error(`sign-up refused: ${created.reason}`)
    return { userId: created.userId, email }
  }

  async function storedUser(userId: string) {
    const [row] = await db
      .select({ passwordHash: users.passwordHash, passwordChangedAt: users.passwordChangedAt })
      .from(users)
      .where(eq(users.id, userId))
    return row
  }

  async function sessionCount(userId: string): Promise<number> {
    const [row] = await db
      .select({ n: sql<number>`count(*)` })
      .from(sessions)
      .where(eq(sessions.userId, userId))
    return Number(row?.n)
  }

  const signsIn = async (email: string, password: string) =>
    (await logIn(db, { identifier: email, password, ip: '10.20.1.1' }, clock)).ok

  it('changes the password, gives this browser a new session id and ends every other session', async () => {
    const { userId, email } = await account('old password')
    const here = await createSession(db, { userId }, clock, policy)
    const elsewhere = await createSession(db, { userId }, clock, policy)
    const result = await changePasswordAndRotate(
      db,
      { userId, currentPassword: 'old password', newPassword: 'new password', sessionToken: here.token },
      clock,
      policy,
    )
    if (!result.ok) throw new Error(`refused: ${result.reason}`)
    expect(result.session.token).not.toBe(here.token)
    expect(await resolveSession(db, result.session.token, clock, policy)).not.toBeNull()
    expect(await resolveSession(db, here.token, clock, policy)).toBeNull()
    expect(await resolveSession(db, elsewhere.token, clock, policy)).toBeNull()
    expect(await signsIn(email, 'new password')).toBe(true)
    expect(await signsIn(email, 'old password')).toBe(false)
  })

  it('refuses a wrong current password next to that field, and changes nothing', async () => {
    const { userId, email } = await account('old password')
    const here = await createSession(db, { userId }, clock, policy)
    const before = await storedUser(userId)
    expect(
      await changePasswordAndRotate(
        db,
        { userId, currentPassword: 'not my password', newPassword: 'new password', sessionToken: here.token },
        clock,
        policy,
      ),
    ).toEqual({
      ok: false,
      reason: 'wrong_password',
      errors: { currentPassword: ['auth.currentPasswordWrong'] },
    })
    expect(await storedUser(userId)).toEqual(before)
    expect(await resolveSession(db, here.token, clock, policy)).not.toBeNull()
    expect(await signsIn(email, 'old password')).toBe(true)
  })

  it('is one transaction: when rotating the session fails after the new password is written, neither half stays', async () => {
    const { userId, email } = await account('old password')
    const here = await createSession(db, { userId }, clock, policy)
    const elsewhere = await createSession(db, { userId }, clock, policy)
    // This browser's session ends meanwhile (signed out in another tab): the rotation, which runs after the
    // password update in the same transaction, finds nothing to rotate and rolls the update back.
    await revokeSession(db, here.token, clock)
    const before = await storedUser(userId)
    const sessionsBefore = await sessionCount(userId)
    expect(
      await changePasswordAndRotate(
        db,
        { userId, currentPassword: 'old password', newPassword: 'new password', sessionToken: here.token },
        clock,
        policy,
      ),
    ).toEqual({ ok: false, reason: 'session_ended' })
    expect(await storedUser(userId)).toEqual(before)
    expect(await sessionCount(userId)).toBe(sessionsBefore)
    expect(await resolveSession(db, elsewhere.token, clock, policy)).not.toBeNull()
    expect(await signsIn(email, 'old password')).toBe(true)
    expect(await signsIn(email, 'new password')).toBe(false)
  })

  it('through the page: the new session goes out as the cookie; a session that ended meanwhile signs out', async () => {
    const { userId, email } = await account('old password')
    const auth: RequestAuth = {
      userId,
      displayName: '改密码',
      email,
      mobile: null,
      memberships: [],
      active: null,
    }
    const post = (fields: Record<string, string>) =>
      new Request('http://localhost/account/security', { method: 'POST', body: new URLSearchParams(fields) })
    const form = {
      currentPassword: 'old password',
      newPassword: 'new password',
      newPasswordConfirm: 'new password',
    }

    const here = await createSession(db, { userId }, systemClock, policy)
    const changed = await securityAction({
      request: post(form),
      params: {},
      context: testContext({ auth, sessionToken: here.token }),
    })
    expect(changed.data).toMatchObject({ done: true })
    // Nothing typed comes back.
    expect(JSON.stringify(changed.data)).not.toMatch(/old password|new password/)
    const cookie = new Headers(changed.init?.headers).get('Set-Cookie')!
    const token = await readSessionToken(cookie.split(';')[0])
    expect(token).not.toBeNull()
    expect(token).not.toBe(here.token)
    expect(await resolveSession(db, token!, systemClock, policy)).toMatchObject({ auth: { userId } })

    // Signed out elsewhere meanwhile: back to the login page, the password unchanged.
    await revokeSession(db, token!, systemClock)
    let thrown: unknown
    try {
      await securityAction({
        request: post({
          ...form,
          currentPassword: 'new password',
          newPassword: 'third password',
          newPasswordConfirm: 'third password',
        }),
        params: {},
        context: testContext({ auth, sessionToken: token }),
      })
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(Response)
    expect((thrown as Response).status).toBe(302)
    expect((thrown as Response).headers.get('Location')).toBe('/login?redirectTo=%2Faccount%2Fsecurity')
    expect((thrown as Response).headers.get('Set-Cookie')).toMatch(/^xfbf_session=; Max-Age=0/)
    expect(await signsIn(email, 'new password')).toBe(true)
  })
})
