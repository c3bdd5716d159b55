import { createHash, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto'
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm'
import type { Db } from '../../../db/client.server'
import { passwordResets, users } from '../../../db/schema/accounts'
import { hashPassword } from '../../services/passwords.server'
import type { Mailer } from '../../services/mail/index.server'
import type { Clock } from '../../utils/clock'
import { recordAuditEvent } from '../audit/index.server'
import { parseLoginIdentifier } from './auth.server'
import { revokeOtherSessions } from './sessions.server'
import { recordFailedAttempt, releaseAttempt, reserveAttempt, throttleKey } from './throttles.server'

/**
 * Forgotten passwords (docs/decisions/020-password-reset.md). A request names an email or a mobile number; the
 * answer is the same whether an account has it or not (no enumeration), and every request counts on the
 * identifier's and the address's throttles. An email gets a link with a random token, a mobile number a six-digit
 * code; only a secret's SHA-256 is stored. A reset expires after 30 minutes, is used once (a conditional update, so
 * two uses at once cannot both win), and using it ends every session of the account.
 */
export const RESET = { ttlMinutes: 30, maxWrongGuesses: 5 } as const

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex')
}

/** The text a message is written in: the caller translates, so this module stays free of the i18n layer. */
export type ResetMessageText = (
  channel: 'email' | 'sms',
  values: { link: string; code: string; minutes: number },
) => { subject: string; body: string }

export type RequestResetResult =
  /** Sent, or nothing to send (no such account): the same answer. `channel` is what the identifier was. */
  | { ok: true; channel: 'email' | 'sms' }
  | { ok: false; reason: 'invalid_identifier' }
  /** A mobile number where no SMS can be delivered (no provider configured). */
  | { ok: false; reason: 'channel_unavailable' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }

export async function requestPasswordReset(
  db: Db,
  input: { identifier: string; ip: string; origin: string; text: ResetMessageText },
  clock: Clock,
  mailer: Mailer,
): Promise<RequestResetResult> {
  const parsed = parseLoginIdentifier(input.identifier)
  if (!parsed) return { ok: false, reason: 'invalid_identifier' }
  const channel = parsed.kind === 'email' ? 'email' : 'sms'
  if (!mailer.reaches(channel)) return { ok: false, reason: 'channel_unavailable' }
  const reservation = await reserveAttempt(
    db,
    [throttleKey('reset', parsed.value), throttleKey('reset-ip', input.ip)],
    clock.now(),
  )
  if (!reservation.admitted) {
    return { ok: false, reason: 'throttled', retryAfterSeconds: reservation.retryAfterSeconds }
  }
  const [user] = await db
    .select({ id: users.id })
    .from(users)
    .where(parsed.kind === 'email' ? eq(users.email, parsed.value) : eq(users.mobile, parsed.value))
    .limit(1)
  if (!user) return { ok: true, channel }

  const now = clock.now()
  const id = randomUUID()
  const token = randomBytes(32).toString('base64url')
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0')
  const secretHash = channel === 'email' ? sha256(token) : sha256(`${id}:${code}`)
  await db.transaction(async (tx) => {
    // A new request replaces any earlier one still open: only the latest link or code works.
    await tx
      .update(passwordResets)
      .set({ usedAt: now })
      .where(and(eq(passwordResets.userId, user.id), isNull(passwordResets.usedAt)))
    await tx.insert(passwordResets).values({
      id,
      userId: user.id,
      channel,
      secretHash,
      createdAt: now,
      expiresAt: new Date(now.getTime() + RESET.ttlMinutes * 60_000),
    })
  })
  const message = input.text(channel, {
    link: `${input.origin}/reset-password/${token}`,
    code,
    minutes: RESET.ttlMinutes,
  })
  await mailer.send(db, { channel, recipient: parsed.value, ...message }, clock)
  return { ok: true, channel }
}

/** Whether an emailed link still works (the page shows the form only then). */
export async function resetLinkIsValid(db: Db, token: string, clock: Clock): Promise<boolean> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return false
  const [row] = await db
    .select({ id: passwordResets.id })
    .from(passwordResets)
    .where(
      and(
        eq(passwordResets.secretHash, sha256(token)),
        eq(passwordResets.channel, 'email'),
        isNull(passwordResets.usedAt),
        gt(passwordResets.expiresAt, clock.now()),
      ),
    )
    .limit(1)
  return row !== undefined
}

export type CompleteResetResult = { ok: true } | { ok: false; reason: 'invalid' }

/** Sets the new password from an emailed link. The argon2 hash comes first, outside the transaction. */
export async function resetPasswordWithLink(
  db: Db,
  input: { token: string; newPassword: string },
  clock: Clock,
): Promise<CompleteResetResult> {
  if (!(await resetLinkIsValid(db, input.token, clock))) return { ok: false, reason: 'invalid' }
  const passwordHash = await hashPassword(input.newPassword)
  return db.transaction(async (tx) => {
    const now = clock.now()
    const [used] = await tx
      .update(passwordResets)
      .set({ usedAt: now })
      .where(
        and(
          eq(passwordResets.secretHash, sha256(input.token)),
          eq(passwordResets.channel, 'email'),
          isNull(passwordResets.usedAt),
          gt(passwordResets.expiresAt, now),
        ),
      )
      .returning({ id: passwordResets.id, userId: passwordResets.userId })
    if (!used) return { ok: false, reason: 'invalid' } as const
    await setPassword(tx, used.userId, used.id, passwordHash, 'email', clock)
    return { ok: true } as const
  })
}

export type CodeResetResult =
  | { ok: true }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }

/**
 * Sets the new password with an SMS code. Each try takes a place on the address's throttle (given back on
 * success); a wrong code counts against the reset, which is spent at the fifth. Unknown number, no open reset and a
 * wrong code are one answer.
 */
export async function resetPasswordWithCode(
  db: Db,
  input: { mobile: string; code: string; newPassword: string; ip: string },
  clock: Clock,
): Promise<CodeResetResult> {
  const reservation = await reserveAttempt(db, [throttleKey('reset-ip', input.ip)], clock.now())
  if (!reservation.admitted) {
    return { ok: false, reason: 'throttled', retryAfterSeconds: reservation.retryAfterSeconds }
  }
  const matched = await db.transaction(async (tx) => {
    const now = clock.now()
    const [open] = await tx
      .select({ id: passwordResets.id, userId: passwordResets.userId, secretHash: passwordResets.secretHash })
      .from(passwordResets)
      .innerJoin(users, eq(users.id, passwordResets.userId))
      .where(
        and(
          eq(users.mobile, input.mobile),
          eq(passwordResets.channel, 'sms'),
          isNull(passwordResets.usedAt),
          gt(passwordResets.expiresAt, now),
        ),
      )
      .orderBy(desc(passwordResets.createdAt))
      .limit(1)
      .for('update', { of: passwordResets })
    if (!open) return null
    const given = Buffer.from(sha256(`${open.id}:${input.code}`))
    if (timingSafeEqual(given, Buffer.from(open.secretHash))) return open
    await tx
      .update(passwordResets)
      .set({
        wrongGuesses: sql`${passwordResets.wrongGuesses} + 1`,
        usedAt: sql`case when ${passwordResets.wrongGuesses} + 1 >= ${RESET.maxWrongGuesses} then ${now.toISOString()}::timestamptz end`,
      })
      .where(eq(passwordResets.id, open.id))
    return null
  })
  if (!matched) {
    await recordFailedAttempt(db, reservation, clock.now())
    return { ok: false, reason: 'invalid' }
  }
  const passwordHash = await hashPassword(input.newPassword)
  const done = await db.transaction(async (tx) => {
    const now = clock.now()
    const [used] = await tx
      .update(passwordResets)
      .set({ usedAt: now })
      .where(
        and(
          eq(passwordResets.id, matched.id),
          isNull(passwordResets.usedAt),
          gt(passwordResets.expiresAt, now),
        ),
      )
      .returning({ id: passwordResets.id })
    if (!used) return false
    await setPassword(tx, matched.userId, matched.id, passwordHash, 'sms', clock)
    return true
  })
  if (!done) return { ok: false, reason: 'invalid' }
  await releaseAttempt(db, reservation, clock.now())
  return { ok: true }
}

async function setPassword(
  tx: Db,
  userId: string,
  resetId: string,
  passwordHash: string,
  channel: 'email' | 'sms',
  clock: Clock,
): Promise<void> {
  const now = clock.now()
  await tx.update(users).set({ passwordHash, passwordChangedAt: now }).where(eq(users.id, userId))
  // Whoever knew the old password is signed out everywhere.
  await revokeOtherSessions(tx, userId, null, clock)
  await recordAuditEvent(tx, {
    actorUserId: userId,
    action: 'password.reset',
    subjectType: 'user',
    subjectId: userId,
    details: { channel, resetId },
    occurredAt: now,
  })
}
