import { and, eq } from 'drizzle-orm'
import { type Db, pgErrorCode } from '../../../db/client.server'
import { users } from '../../../db/schema/accounts'
import { memberships } from '../../../db/schema/memberships'
import {
  hashPassword,
  needsRehash,
  verifyDummyPassword,
  verifyPassword,
} from '../../services/passwords.server'
import type { Clock } from '../../utils/clock'
import type { FieldErrors } from '../../utils/validation'
import { endSession, insertSession, revokeOtherSessions, type SessionPolicy } from './sessions.server'
import { recordFailedAttempt, releaseAttempt, reserveAttempt, throttleKey } from './throttles.server'

export { THROTTLE } from './throttles.server'

/** Login is by email or mainland mobile number; this tells which one a typed identifier is. */
export function parseLoginIdentifier(raw: string): { kind: 'email' | 'mobile'; value: string } | null {
  const trimmed = raw.trim()
  if (/^1[3-9]\d{9}$/.test(trimmed.replace(/[\s-]/g, '')))
    return { kind: 'mobile', value: trimmed.replace(/[\s-]/g, '') }
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(trimmed)) return { kind: 'email', value: trimmed.toLowerCase() }
  return null
}

export type SignUpInput = { email?: string; mobile?: string; displayName: string; password: string }

export type SignUpResult =
  | { ok: true; userId: string }
  /**
   * Which field is taken (the message for it, as the form shows it). Throttled like a login, so this cannot be used
   * to list who is registered.
   */
  | { ok: false; reason: 'taken'; errors: FieldErrors<'email' | 'mobile'> }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }

/**
 * Creates a consumer account. Every attempt takes a place on its address's and its identifiers' sign-up throttles
 * first; a new account gives its places back, so only "already registered" answers use them up.
 */
export async function signUp(
  db: Db,
  input: SignUpInput & { ip: string },
  clock: Clock,
): Promise<SignUpResult> {
  const email = input.email?.trim().toLowerCase() || null
  const mobile = input.mobile?.replace(/[\s-]/g, '') || null
  const keys = [
    throttleKey('signup-ip', input.ip),
    ...[email, mobile].flatMap((identifier) => (identifier ? [throttleKey('signup', identifier)] : [])),
  ]
  const reservation = await reserveAttempt(db, keys, clock.now())
  if (!reservation.admitted) {
    return { ok: false, reason: 'throttled', retryAfterSeconds: reservation.retryAfterSeconds }
  }
  // Hashed before the uniqueness check, so a taken address answers no faster than a new one.
  const passwordHash = await hashPassword(input.password)
  try {
    const [row] = await db
      .insert(users)
      .values({ email, mobile, displayName: input.displayName, passwordHash })
      .returning({ id: users.id })
    if (!row) throw new Error('insert returned no row')
    await releaseAttempt(db, reservation, clock.now())
    return { ok: true, userId: row.id }
  } catch (error) {
    if (pgErrorCode(error) === '23505') {
      // The violated constraint names the column: users_mobile_unique or users_email_unique.
      const cause = (error as { cause?: { constraint_name?: string; constraint?: string } }).cause
      const constraint = cause?.constraint_name ?? cause?.constraint ?? ''
      return {
        ok: false,
        reason: 'taken',
        errors: constraint.includes('mobile')
          ? { mobile: ['form.mobile.taken'] }
          : { email: ['form.email.taken'] },
      }
    }
    throw error
  }
}

export type LoginResult =
  /** defaultOrgId: the organisation to act for right away when the user belongs to exactly one. */
  | { ok: true; userId: string; defaultOrgId: string | null }
  /** Unknown account and wrong password are the same answer. */
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }

/**
 * Checks a password login. The attempt first takes its place on the account's and the address's throttles
 * (stored in the database, so a restart does not reset them); only an admitted attempt reaches argon2. Unknown
 * accounts are throttled and verified against a dummy hash like known ones, so neither the answer nor its timing
 * tells which exist. An outdated hash is upgraded on success.
 */
export async function logIn(
  db: Db,
  input: { identifier: string; password: string; ip: string },
  clock: Clock,
): Promise<LoginResult> {
  const parsed = parseLoginIdentifier(input.identifier)
  const identifier = parsed?.value ?? input.identifier.trim().toLowerCase()
  const reservation = await reserveAttempt(
    db,
    [throttleKey('account', identifier), throttleKey('ip', input.ip)],
    clock.now(),
  )
  if (!reservation.admitted) {
    return { ok: false, reason: 'throttled', retryAfterSeconds: reservation.retryAfterSeconds }
  }

  const [user] = parsed
    ? await db
        .select({ id: users.id, passwordHash: users.passwordHash })
        .from(users)
        .where(parsed.kind === 'email' ? eq(users.email, parsed.value) : eq(users.mobile, parsed.value))
        .limit(1)
    : []
  const valid = user
    ? await verifyPassword(user.passwordHash, input.password)
    : await verifyDummyPassword(input.password)
  if (!user || !valid) {
    await recordFailedAttempt(db, reservation, clock.now())
    return { ok: false, reason: 'invalid' }
  }
  await releaseAttempt(db, reservation, clock.now())
  if (needsRehash(user.passwordHash)) {
    const upgraded = await hashPassword(input.password)
    await db
      .update(users)
      .set({ passwordHash: upgraded })
      .where(and(eq(users.id, user.id), eq(users.passwordHash, user.passwordHash)))
  }
  const orgs = await db
    .select({ orgId: memberships.orgId })
    .from(memberships)
    .where(eq(memberships.userId, user.id))
  return { ok: true, userId: user.id, defaultOrgId: orgs.length === 1 ? (orgs[0]?.orgId ?? null) : null }
}

export type ChangePasswordResult =
  /** The new session, for this browser's cookie; every other session of the user has ended. */
  | { ok: true; session: { token: string; expiresAt: Date } }
  | { ok: false; reason: 'wrong_password'; errors: FieldErrors<'currentPassword'> }
  /** The session making the change ended meanwhile (signed out elsewhere, or another change): nothing changed. */
  | { ok: false; reason: 'session_ended' }

/** Thrown inside the transaction to roll the password back. */
class SessionEnded extends Error {}

/**
 * Changes a password after checking the current one, and with it the sessions: the session making the change gets
 * a new id and every other session of the user ends. One transaction: a failure after the password is written (the
 * session is gone, the database fails) leaves the old password and the old sessions, never half of each. Both
 * argon2 runs come first, outside the transaction (they take a good part of a second). The update is conditional on
 * the hash that was checked, so two changes at once cannot both succeed with the same current password.
 */
export async function changePasswordAndRotate(
  db: Db,
  input: { userId: string; currentPassword: string; newPassword: string; sessionToken: string },
  clock: Clock,
  policy: SessionPolicy,
): Promise<ChangePasswordResult> {
  const wrong: ChangePasswordResult = {
    ok: false,
    reason: 'wrong_password',
    errors: { currentPassword: ['auth.currentPasswordWrong'] },
  }
  const [user] = await db
    .select({ passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, input.userId))
    .limit(1)
  if (!user || !(await verifyPassword(user.passwordHash, input.currentPassword))) return wrong
  const passwordHash = await hashPassword(input.newPassword)
  try {
    return await db.transaction(async (tx): Promise<ChangePasswordResult> => {
      const now = clock.now()
      const changed = await tx
        .update(users)
        .set({ passwordHash, passwordChangedAt: now })
        .where(and(eq(users.id, input.userId), eq(users.passwordHash, user.passwordHash)))
        .returning({ id: users.id })
      // Changed meanwhile by another request: the password checked above is no longer the current one.
      if (changed.length === 0) return wrong
      const ended = await endSession(tx, input.sessionToken, now, { userId: input.userId })
      if (!ended) throw new SessionEnded()
      const session = await insertSession(
        tx,
        { userId: input.userId, activeOrgId: ended.activeOrgId },
        clock,
        policy,
      )
      await revokeOtherSessions(tx, input.userId, session.token, clock)
      return { ok: true, session }
    })
  } catch (error) {
    if (error instanceof SessionEnded) return { ok: false, reason: 'session_ended' }
    throw error
  }
}
