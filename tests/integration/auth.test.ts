import { hash } from '@node-rs/argon2'
import { eq, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { queryRows, useSharedDb } from '../../db/client.server'
import { sessions, users } from '../../db/schema/accounts'
import { memberships } from '../../db/schema/memberships'
import { seedUuid } from '../../db/seed/synthetic'
import { getProductPage } from '../../app/models/catalog.server'
import { logIn, signUp, THROTTLE } from '../../app/models/auth.server'
import {
  createSession,
  markSessionsForRotation,
  resolveSession,
  revokeSession,
  type SessionPolicy,
} from '../../app/models/sessions.server'
import { passwordHashingStats, resetPasswordHashingPeak } from '../../app/services/passwords.server'
import { type Clock, fixedClock, shanghaiDate } from '../../app/utils/clock'
import { openTestDatabase, reopenTestDatabase, testDbKind } from '../support/db'
import { SEED_NOW } from '../support/test-clock'

/** A clock the test moves by hand. */
function manualClock(start: Date): Clock & { advanceMinutes(minutes: number): void } {
  let now = start.getTime()
  return {
    now: () => new Date(now),
    advanceMinutes(minutes) {
      now += minutes * 60_000
    },
  }
}

const policy: SessionPolicy = { idleMinutes: 120, absoluteHours: 24 }
let counter = 0
const uniqueEmail = () => `user${Date.now().toString(36)}${counter++}@example.test`

describe(`sign-up and login (${testDbKind()})`, async () => {
  const handle = await openTestDatabase('seeded')
  const db = handle.db
  useSharedDb(handle)
  const clock = fixedClock(SEED_NOW)

  it('signs up with an email or a mobile number and logs in with either', async () => {
    const email = uniqueEmail()
    const created = await signUp(db, {
      email,
      mobile: '13900001234',
      displayName: '测试用户',
      password: 'correct horse',
    })
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
    const again = await signUp(db, { email, displayName: 'x', password: 'another one' })
    expect(again).toEqual({ ok: false, errors: { email: 'taken' } })
    const sameMobile = await signUp(db, { mobile: '13900001234', displayName: 'x', password: 'another one' })
    expect(sameMobile).toEqual({ ok: false, errors: { mobile: 'taken' } })
  })

  it('answers an unknown account exactly like a wrong password, and hashes in both cases', async () => {
    const email = uniqueEmail()
    await signUp(db, { email, displayName: '测试', password: 'right password' })
    const before = passwordHashingStats().completed
    const unknown = await logIn(
      db,
      { identifier: 'nobody@example.test', password: 'whatever1', ip: '10.0.0.2' },
      clock,
    )
    const wrong = await logIn(db, { identifier: email, password: 'wrong password', ip: '10.0.0.2' }, clock)
    expect(unknown).toEqual({ ok: false, reason: 'invalid' })
    expect(wrong).toEqual(unknown)
    expect(passwordHashingStats().completed - before).toBe(2)
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

  it('locks an account after repeated failures, says how long, and lets it in once the lock ends', async () => {
    const email = uniqueEmail()
    await signUp(db, { email, displayName: '测试', password: 'the right one' })
    const moving = manualClock(SEED_NOW)
    for (let i = 0; i < THROTTLE.accountLimit; i++) {
      expect(
        await logIn(db, { identifier: email, password: 'nope nope', ip: `10.1.0.${i}` }, moving),
      ).toEqual({
        ok: false,
        reason: 'invalid',
      })
    }
    // Locked: even the right password is refused, with the wait in the answer.
    const locked = await logIn(db, { identifier: email, password: 'the right one', ip: '10.1.1.1' }, moving)
    expect(locked).toEqual({ ok: false, reason: 'throttled', retryAfterSeconds: THROTTLE.lockMinutes * 60 })
    moving.advanceMinutes(5)
    const later = await logIn(db, { identifier: email, password: 'the right one', ip: '10.1.1.1' }, moving)
    expect(later).toEqual({
      ok: false,
      reason: 'throttled',
      retryAfterSeconds: (THROTTLE.lockMinutes - 5) * 60,
    })
    moving.advanceMinutes(THROTTLE.lockMinutes)
    expect(
      await logIn(db, { identifier: email, password: 'the right one', ip: '10.1.1.1' }, moving),
    ).toMatchObject({ ok: true })
  })

  it('locks an address that fails across many accounts', async () => {
    const moving = manualClock(SEED_NOW)
    for (let i = 0; i < THROTTLE.ipLimit; i++) {
      await logIn(db, { identifier: `guess${i}@example.test`, password: 'nope nope', ip: '10.9.9.9' }, moving)
    }
    const email = uniqueEmail()
    await signUp(db, { email, displayName: '测试', password: 'the right one' })
    expect(
      await logIn(db, { identifier: email, password: 'the right one', ip: '10.9.9.9' }, moving),
    ).toMatchObject({
      ok: false,
      reason: 'throttled',
    })
    expect(
      await logIn(db, { identifier: email, password: 'the right one', ip: '10.9.9.10' }, moving),
    ).toMatchObject({ ok: true })
  })

  it('keeps a lock across a restart', async () => {
    const email = uniqueEmail()
    await signUp(db, { email, displayName: '测试', password: 'the right one' })
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

  it('runs at most two hashes at once under 10 concurrent logins, while a product page still answers fast', async () => {
    // Warm: the first view of a database prepares its query and loads the region list; that is start-up, not load.
    await getProductPage(db, 'dingximalingshu', shanghaiDate(SEED_NOW))
    resetPasswordHashingPeak()
    const logins = Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        logIn(
          db,
          { identifier: 'consumer@demo.example', password: 'demo-password', ip: `10.3.0.${i}` },
          clock,
        ),
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
