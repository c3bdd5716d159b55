import { and, eq, sql } from 'drizzle-orm'
import { type Db, pgErrorCode, queryRows } from '../../db/client.server'
import { loginThrottles, users } from '../../db/schema/accounts'
import { memberships } from '../../db/schema/memberships'
import { hashPassword, needsRehash, verifyDummyPassword, verifyPassword } from '../services/passwords.server'
import type { Clock } from '../utils/clock'
import { maskLoginIdentifier, recordAuditEvent } from './audit.server'

/** Login is by email or mainland mobile number; this tells which one a typed identifier is. */
export function parseLoginIdentifier(raw: string): { kind: 'email' | 'mobile'; value: string } | null {
  const trimmed = raw.trim()
  if (/^1[3-9]\d{9}$/.test(trimmed.replace(/[\s-]/g, '')))
    return { kind: 'mobile', value: trimmed.replace(/[\s-]/g, '') }
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(trimmed)) return { kind: 'email', value: trimmed.toLowerCase() }
  return null
}

export type SignUpInput = { email?: string; mobile?: string; displayName: string; password: string }
export type FieldErrors = Partial<
  Record<'email' | 'mobile' | 'displayName' | 'password' | 'identifier', string>
>

/** Creates a consumer account. Returns the new user id, or which field is taken. */
export async function signUp(
  db: Db,
  input: SignUpInput,
): Promise<{ ok: true; userId: string } | { ok: false; errors: FieldErrors }> {
  const passwordHash = await hashPassword(input.password)
  try {
    const [row] = await db
      .insert(users)
      .values({
        email: input.email?.toLowerCase() ?? null,
        mobile: input.mobile ?? null,
        displayName: input.displayName,
        passwordHash,
      })
      .returning({ id: users.id })
    if (!row) throw new Error('insert returned no row')
    return { ok: true, userId: row.id }
  } catch (error) {
    if (pgErrorCode(error) === '23505') {
      // The violated constraint names the column: users_mobile_unique or users_email_unique.
      const cause = (error as { cause?: { constraint_name?: string; constraint?: string } }).cause
      const constraint = cause?.constraint_name ?? cause?.constraint ?? ''
      return { ok: false, errors: constraint.includes('mobile') ? { mobile: 'taken' } : { email: 'taken' } }
    }
    throw error
  }
}

// Throttles: too many failures for one account, or from one address, lock further attempts for a while.
export const THROTTLE = {
  windowMinutes: 15,
  lockMinutes: 15,
  accountLimit: 5,
  ipLimit: 20,
} as const

type ThrottleKey = { key: string; limit: number; kind: 'account' | 'ip'; identifier: string }

function throttleKeys(identifier: string, ip: string): ThrottleKey[] {
  return [
    { key: `account:${identifier}`, limit: THROTTLE.accountLimit, kind: 'account', identifier },
    { key: `ip:${ip}`, limit: THROTTLE.ipLimit, kind: 'ip', identifier: ip },
  ]
}

/** Seconds until the longest lock on these keys ends, or 0 when none is locked. */
async function lockedForSeconds(db: Db, keys: ThrottleKey[], now: Date): Promise<number> {
  const rows = await db
    .select({ lockedUntil: loginThrottles.lockedUntil })
    .from(loginThrottles)
    .where(
      sql`${loginThrottles.key} in (${sql.join(
        keys.map((k) => sql`${k.key}`),
        sql`, `,
      )})`,
    )
  let longest = 0
  for (const row of rows) {
    if (row.lockedUntil && row.lockedUntil > now) {
      longest = Math.max(longest, Math.ceil((row.lockedUntil.getTime() - now.getTime()) / 1000))
    }
  }
  return longest
}

/**
 * Counts one failure on each key in a single statement per key, safe under concurrent attempts. The failure that
 * locks a key (reaches its limit) is audited, once per lock, in the same transaction; single failures are not.
 */
async function recordFailure(db: Db, keys: ThrottleKey[], now: Date): Promise<void> {
  const windowFloor = new Date(now.getTime() - THROTTLE.windowMinutes * 60_000)
  const lockUntil = new Date(now.getTime() + THROTTLE.lockMinutes * 60_000)
  await db.transaction(async (tx) => {
    const locked: Array<ThrottleKey & { failures: number }> = []
    for (const throttle of keys) {
      const { key, limit } = throttle
      const fresh = sql`t.window_started_at <= ${windowFloor.toISOString()}::timestamptz`
      const next = sql`(case when ${fresh} then 1 else t.failures + 1 end)`
      const [row] = await queryRows<{ failures: unknown }>(
        tx,
        sql`insert into login_throttles as t (key, failures, window_started_at, locked_until)
          values (${key}, 1, ${now.toISOString()}::timestamptz,
                  case when 1 >= ${limit} then ${lockUntil.toISOString()}::timestamptz end)
          on conflict (key) do update set
            failures = ${next},
            window_started_at = case when ${fresh} then ${now.toISOString()}::timestamptz else t.window_started_at end,
            locked_until = case when ${next} >= ${limit} then ${lockUntil.toISOString()}::timestamptz
                                else t.locked_until end
          returning failures`,
      )
      // Attempts on a locked key are refused before they count, so only the failure reaching the limit sees it.
      const failures = Number(row?.failures)
      if (failures === limit) locked.push({ ...throttle, failures })
    }
    // After the throttle rows: the audit chain's head lock comes last in a transaction (DESIGN §5).
    for (const { kind, identifier, failures } of locked) {
      const masked = kind === 'ip' ? identifier : maskLoginIdentifier(identifier)
      await recordAuditEvent(tx, {
        actorUserId: null,
        action: 'login.locked',
        subjectType: 'login_throttle',
        subjectId: `${kind}:${masked}`,
        details: {
          keyKind: kind,
          identifier: masked,
          failures,
          windowMinutes: THROTTLE.windowMinutes,
          lockedUntil: lockUntil,
        },
        occurredAt: now,
      })
    }
  })
}

export type LoginResult =
  /** defaultOrgId: the organisation to act for right away when the user belongs to exactly one. */
  | { ok: true; userId: string; defaultOrgId: string | null }
  /** Unknown account and wrong password are the same answer. */
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }

/**
 * Checks a password login. Unknown accounts are verified against a dummy hash so they take as long as known
 * ones; failures count against the account and the client address (stored in the database, so a restart does not
 * reset them); an outdated hash is upgraded on success.
 */
export async function logIn(
  db: Db,
  input: { identifier: string; password: string; ip: string },
  clock: Clock,
): Promise<LoginResult> {
  const parsed = parseLoginIdentifier(input.identifier)
  const identifier = parsed?.value ?? input.identifier.trim().toLowerCase()
  const keys = throttleKeys(identifier, input.ip)
  const waitSeconds = await lockedForSeconds(db, keys, clock.now())
  if (waitSeconds > 0) return { ok: false, reason: 'throttled', retryAfterSeconds: waitSeconds }

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
    await recordFailure(db, keys, clock.now())
    return { ok: false, reason: 'invalid' }
  }
  await db.delete(loginThrottles).where(eq(loginThrottles.key, `account:${identifier}`))
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

/** Changes a password after checking the current one. The caller rotates the session and ends the others. */
export async function changePassword(
  db: Db,
  input: { userId: string; currentPassword: string; newPassword: string },
  clock: Clock,
): Promise<{ ok: true } | { ok: false; errors: { currentPassword: 'wrong' } }> {
  const [user] = await db
    .select({ passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, input.userId))
    .limit(1)
  if (!user || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
    return { ok: false, errors: { currentPassword: 'wrong' } }
  }
  const passwordHash = await hashPassword(input.newPassword)
  await db
    .update(users)
    .set({ passwordHash, passwordChangedAt: clock.now() })
    .where(eq(users.id, input.userId))
  return { ok: true }
}
