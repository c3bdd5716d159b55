import { eq } from 'drizzle-orm'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { outboundMessages, passwordResets, sessions, users } from '../../db/schema/accounts'
import { auditEvents } from '../../db/schema/audit'
import { logIn, signUp, THROTTLE } from '../../app/domains/accounts/auth.server'
import {
  requestPasswordReset,
  RESET,
  resetLinkIsValid,
  resetPasswordWithCode,
  resetPasswordWithLink,
} from '../../app/domains/accounts/password-reset.server'
import { createSession, hashSessionToken } from '../../app/domains/accounts/sessions.server'
import { createMailer, type Mailer, purgeOutbox } from '../../app/services/mail/index.server'
import type { Clock } from '../../app/utils/clock'
import { openTestDatabase, testDbKind } from '../support/db'
import { SEED_NOW } from '../support/test-clock'

function manualClock(start: Date): Clock & { advanceMinutes(minutes: number): void } {
  let now = start.getTime()
  return {
    now: () => new Date(now),
    advanceMinutes(minutes) {
      now += minutes * 60_000
    },
  }
}

const text = (channel: 'email' | 'sms', v: { link: string; code: string; minutes: number }) =>
  channel === 'email'
    ? { subject: 'reset', body: `open ${v.link} within ${v.minutes} minutes` }
    : { subject: '', body: `code ${v.code}` }

const demoMailer: Mailer = createMailer({ outboxDelivers: true, transports: {} })

describe(`password reset (${testDbKind()})`, async () => {
  const handle = await openTestDatabase('seeded')
  const db = handle.db
  let serial = 0

  async function newUser(kind: 'email' | 'mobile') {
    serial++
    const email = kind === 'email' ? `reset${serial}-${Date.now()}@example.com` : undefined
    const mobile = kind === 'mobile' ? `139${String(Date.now() + serial).slice(-8)}` : undefined
    const made = await signUp(
      db,
      { email, mobile, displayName: '测试用户', password: 'old-password-1', ip: `10.9.${serial}.1` },
      manualClock(SEED_NOW),
    )
    if (!made.ok) throw new Error(`sign-up failed: ${made.reason}`)
    return { userId: made.userId, identifier: (email ?? mobile)! }
  }

  async function lastMessageTo(recipient: string) {
    const rows = await db.select().from(outboundMessages).where(eq(outboundMessages.recipient, recipient))
    return rows.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0]
  }

  async function tokenFor(recipient: string): Promise<string> {
    const message = await lastMessageTo(recipient)
    const match = /\/reset-password\/([A-Za-z0-9_-]{43})/.exec(message?.body ?? '')
    if (!match) throw new Error('no reset link sent')
    return match[1]!
  }

  async function codeFor(recipient: string): Promise<string> {
    const match = /code (\d{6})/.exec((await lastMessageTo(recipient))?.body ?? '')
    if (!match) throw new Error('no code sent')
    return match[1]!
  }

  it('emails a link that sets a new password once, ends every session and is audited', async () => {
    const clock = manualClock(SEED_NOW)
    const { userId, identifier } = await newUser('email')
    const other = await createSession(db, { userId }, clock, { idleMinutes: 600, absoluteHours: 24 })
    const requested = await requestPasswordReset(
      db,
      { identifier: identifier.toUpperCase(), ip: '10.1.0.1', origin: 'https://shop.example', text },
      clock,
      demoMailer,
    )
    expect(requested).toEqual({ ok: true, channel: 'email' })
    const token = await tokenFor(identifier)
    expect((await lastMessageTo(identifier))?.body).toContain(`https://shop.example/reset-password/${token}`)
    // Only the hash is stored.
    const stored = await db.select().from(passwordResets).where(eq(passwordResets.userId, userId))
    expect(stored.map((r) => r.secretHash)).not.toContain(token)
    expect(await resetLinkIsValid(db, token, clock)).toBe(true)

    expect(await resetPasswordWithLink(db, { token, newPassword: 'new-password-2' }, clock)).toEqual({
      ok: true,
    })
    expect(await logIn(db, { identifier, password: 'new-password-2', ip: '10.1.0.2' }, clock)).toMatchObject({
      ok: true,
    })
    expect(await logIn(db, { identifier, password: 'old-password-1', ip: '10.1.0.2' }, clock)).toMatchObject({
      ok: false,
    })
    const [session] = await db
      .select()
      .from(sessions)
      .where(eq(sessions.tokenHash, hashSessionToken(other.token)))
    expect(session?.revokedAt).not.toBeNull()
    // Used once: the same link again changes nothing.
    expect(await resetPasswordWithLink(db, { token, newPassword: 'third-password-3' }, clock)).toEqual({
      ok: false,
      reason: 'invalid',
    })
    const audits = await db.select().from(auditEvents).where(eq(auditEvents.subjectId, userId))
    expect(audits.map((a) => a.action)).toContain('password.reset')
  })

  it('a link expires after 30 minutes, and a newer request replaces an older link', async () => {
    const clock = manualClock(SEED_NOW)
    const { identifier } = await newUser('email')
    const ask = () =>
      requestPasswordReset(db, { identifier, ip: '10.2.0.1', origin: 'http://x', text }, clock, demoMailer)
    await ask()
    const first = await tokenFor(identifier)
    clock.advanceMinutes(1)
    await ask()
    const second = await tokenFor(identifier)
    expect(second).not.toBe(first)
    expect(await resetLinkIsValid(db, first, clock)).toBe(false)
    clock.advanceMinutes(RESET.ttlMinutes - 1)
    expect(await resetLinkIsValid(db, second, clock)).toBe(true)
    clock.advanceMinutes(1)
    expect(await resetLinkIsValid(db, second, clock)).toBe(false)
    expect(await resetPasswordWithLink(db, { token: second, newPassword: 'new-password-2' }, clock)).toEqual({
      ok: false,
      reason: 'invalid',
    })
  })

  it('answers an unknown account exactly as a known one, and sends nothing', async () => {
    const clock = manualClock(SEED_NOW)
    const before = await db.select().from(outboundMessages)
    const unknown = await requestPasswordReset(
      db,
      { identifier: 'nobody-here@example.com', ip: '10.3.0.1', origin: 'http://x', text },
      clock,
      demoMailer,
    )
    expect(unknown).toEqual({ ok: true, channel: 'email' })
    expect(await db.select().from(outboundMessages)).toHaveLength(before.length)
    expect(
      await requestPasswordReset(
        db,
        { identifier: 'not an address', ip: '10.3.0.1', origin: 'http://x', text },
        clock,
        demoMailer,
      ),
    ).toEqual({ ok: false, reason: 'invalid_identifier' })
  })

  it('throttles requests per identifier and per address, known or not', async () => {
    const clock = manualClock(SEED_NOW)
    const { identifier } = await newUser('email')
    const results = []
    for (let i = 0; i < THROTTLE.resetIdentifierLimit + 2; i++) {
      results.push(
        await requestPasswordReset(
          db,
          { identifier, ip: `10.4.${i}.1`, origin: 'http://x', text },
          clock,
          demoMailer,
        ),
      )
    }
    expect(results.filter((r) => r.ok)).toHaveLength(THROTTLE.resetIdentifierLimit)
    expect(results.at(-1)).toMatchObject({ ok: false, reason: 'throttled' })
    // The address limit holds across identifiers, including unknown ones.
    const fromOneAddress = []
    for (let i = 0; i < THROTTLE.resetIpLimit + 1; i++) {
      fromOneAddress.push(
        await requestPasswordReset(
          db,
          { identifier: `ghost${i}@example.com`, ip: '10.5.0.1', origin: 'http://x', text },
          clock,
          demoMailer,
        ),
      )
    }
    expect(fromOneAddress.filter((r) => r.ok)).toHaveLength(THROTTLE.resetIpLimit)
    expect(fromOneAddress.at(-1)).toMatchObject({ ok: false, reason: 'throttled' })
    clock.advanceMinutes(THROTTLE.lockMinutes + THROTTLE.windowMinutes)
    expect(
      await requestPasswordReset(
        db,
        { identifier, ip: '10.5.0.1', origin: 'http://x', text },
        clock,
        demoMailer,
      ),
    ).toMatchObject({ ok: true })
  })

  it('an SMS code works once, and five wrong guesses spend it', async () => {
    const clock = manualClock(SEED_NOW)
    const { identifier: mobile } = await newUser('mobile')
    const ask = () =>
      requestPasswordReset(
        db,
        { identifier: mobile, ip: '10.6.0.1', origin: 'http://x', text },
        clock,
        demoMailer,
      )
    expect(await ask()).toEqual({ ok: true, channel: 'sms' })
    const code = await codeFor(mobile)
    const wrong = code === '000000' ? '000001' : '000000'
    const attempt = (c: string, ip = '10.6.1.1') =>
      resetPasswordWithCode(db, { mobile, code: c, newPassword: 'new-password-2', ip }, clock)
    expect(await attempt(wrong)).toEqual({ ok: false, reason: 'invalid' })
    expect(await attempt(code)).toEqual({ ok: true })
    expect(await attempt(code)).toEqual({ ok: false, reason: 'invalid' })

    clock.advanceMinutes(1)
    await ask()
    const second = await codeFor(mobile)
    for (let i = 0; i < RESET.maxWrongGuesses; i++) {
      const guess = String((Number(second) + 1 + i) % 1_000_000).padStart(6, '0')
      expect(await attempt(guess, `10.6.2.${i}`)).toEqual({ ok: false, reason: 'invalid' })
    }
    expect(await attempt(second, '10.6.3.1')).toEqual({ ok: false, reason: 'invalid' })
  })

  it('two uses of one link at once: exactly one sets the password', async () => {
    const clock = manualClock(SEED_NOW)
    const { userId, identifier } = await newUser('email')
    await requestPasswordReset(
      db,
      { identifier, ip: '10.7.0.1', origin: 'http://x', text },
      clock,
      demoMailer,
    )
    const token = await tokenFor(identifier)
    const results = await Promise.all([
      resetPasswordWithLink(db, { token, newPassword: 'first-password-1' }, clock),
      resetPasswordWithLink(db, { token, newPassword: 'second-password-2' }, clock),
    ])
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    const [user] = await db
      .select({ changed: users.passwordChangedAt })
      .from(users)
      .where(eq(users.id, userId))
    expect(user?.changed.getTime()).toBe(clock.now().getTime())
  })

  it('refuses any malformed token without touching the database rows', async () => {
    const clock = manualClock(SEED_NOW)
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 80 }), async (token) => {
        expect(await resetLinkIsValid(db, token, clock)).toBe(false)
      }),
      { numRuns: 50 },
    )
  })

  it('keeps SMS off where no message can reach a phone, and purges old messages', async () => {
    const clock = manualClock(SEED_NOW)
    const emailOnly = createMailer({ outboxDelivers: false, transports: { email: { send: async () => {} } } })
    expect(
      await requestPasswordReset(
        db,
        { identifier: '13900000000', ip: '10.8.0.1', origin: 'http://x', text },
        clock,
        emailOnly,
      ),
    ).toEqual({ ok: false, reason: 'channel_unavailable' })
    const { identifier } = await newUser('email')
    await requestPasswordReset(db, { identifier, ip: '10.8.0.2', origin: 'http://x', text }, clock, emailOnly)
    expect((await lastMessageTo(identifier))?.sentAt).not.toBeNull()
    clock.advanceMinutes(8 * 24 * 60)
    expect(await purgeOutbox(db, clock)).toBeGreaterThan(0)
    expect(await lastMessageTo(identifier)).toBeUndefined()
  })
})
