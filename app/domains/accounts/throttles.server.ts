import { asc, eq, inArray } from 'drizzle-orm'
import type { Db } from '../../../db/client.server'
import { loginThrottles } from '../../../db/schema/accounts'
import { type AuditAction, maskLoginIdentifier, recordAuditEvent } from '../audit/index.server'

/**
 * Attempt throttles for login and sign-up (docs/decisions/004-login-throttles.md). Every key is a row of
 * login_throttles. An attempt first reserves its place on all of its keys, under the rows' locks, so concurrent
 * attempts are counted one after another and only the ones admitted go on to argon2; a success gives its place back.
 */
export const THROTTLE = {
  windowMinutes: 15,
  /** Per account: this many attempts per window go straight through; each one after waits a doubling delay. */
  accountLimit: 5,
  firstDelaySeconds: 1,
  maxDelaySeconds: 60,
  /** Per address: this many attempts per window, then the address is locked. */
  ipLimit: 20,
  lockMinutes: 15,
  /** Sign-up, per address and per email or mobile number: answers that are not a new account, then a lock. */
  signupIpLimit: 10,
  signupIdentifierLimit: 5,
  /** Password resets, per email or mobile number and per address: each request sends a message, so all count. */
  resetIdentifierLimit: 5,
  resetIpLimit: 20,
} as const

type KeyKind = 'account' | 'ip' | 'signup' | 'signup-ip' | 'reset' | 'reset-ip'

/**
 * slow: past the limit every attempt waits a doubling delay, so nobody can lock an account out (the owner waits
 * at most a minute). lock: past the limit the key is refused for lockMinutes.
 * forgive: a success clears the failures counted before it (the owner proved who they are); refund: a success only
 * gives back its own place (one colleague's login says nothing about the others' failures from that address).
 */
const policies: Record<
  KeyKind,
  { rule: 'slow' | 'lock'; limit: number; onSuccess: 'forgive' | 'refund'; audit: AuditAction }
> = {
  account: { rule: 'slow', limit: THROTTLE.accountLimit, onSuccess: 'forgive', audit: 'login.slowed' },
  ip: { rule: 'lock', limit: THROTTLE.ipLimit, onSuccess: 'refund', audit: 'login.locked' },
  signup: {
    rule: 'lock',
    limit: THROTTLE.signupIdentifierLimit,
    onSuccess: 'refund',
    audit: 'signup.locked',
  },
  'signup-ip': { rule: 'lock', limit: THROTTLE.signupIpLimit, onSuccess: 'refund', audit: 'signup.locked' },
  reset: {
    rule: 'lock',
    limit: THROTTLE.resetIdentifierLimit,
    onSuccess: 'refund',
    audit: 'password_reset.locked',
  },
  'reset-ip': {
    rule: 'lock',
    limit: THROTTLE.resetIpLimit,
    onSuccess: 'refund',
    audit: 'password_reset.locked',
  },
}

export type ThrottleKey = { kind: KeyKind; value: string; key: string }

/** Identifiers are stored as typed (lower-cased); 254 characters is the longest email address there is. */
export function throttleKey(kind: KeyKind, value: string): ThrottleKey {
  const bounded = value.slice(0, 254)
  return { kind, value: bounded, key: `${kind}:${bounded}` }
}

export type ThrottleState = { failures: number; windowStartedAt: Date; lockedUntil: Date | null }

export type AttemptDecision =
  /** position: this attempt's place in the window (1 = the first). */
  | { admitted: true; position: number; next: ThrottleState }
  /** next: the state to store when refusing changed it (a lock that starts now), else null. */
  | { admitted: false; retryAfterSeconds: number; next: ThrottleState | null }

/** The wait before the attempt after the one at `position` (1 s, 2 s, 4 s … at most maxDelaySeconds). */
export function slowDownSeconds(position: number, limit: number): number {
  if (position < limit) return 0
  return Math.min(THROTTLE.firstDelaySeconds * 2 ** (position - limit), THROTTLE.maxDelaySeconds)
}

function secondsUntil(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000))
}

/** Whether one key admits an attempt at `now`, and the key's state after it. Pure: the caller holds the row lock. */
export function decideAttempt(state: ThrottleState | null, kind: KeyKind, now: Date): AttemptDecision {
  const { rule, limit } = policies[kind]
  const windowFloor = now.getTime() - THROTTLE.windowMinutes * 60_000
  // A lock runs its full time even when it outlasts the window it was counted in; an account's delay is always
  // served before anything else.
  if (state?.lockedUntil && state.lockedUntil > now) {
    return { admitted: false, retryAfterSeconds: secondsUntil(state.lockedUntil, now), next: null }
  }
  const lockEnded = rule === 'lock' && state?.lockedUntil != null
  // A slowed account starts afresh only after a whole window without an admitted attempt (its delay marks the
  // last one): otherwise every new window would hand a persistent guesser the limit and the short delays again.
  const stillSlowed =
    rule === 'slow' && state?.lockedUntil != null && state.lockedUntil.getTime() > windowFloor
  const windowOver = state != null && state.windowStartedAt.getTime() <= windowFloor && !stillSlowed
  const current: ThrottleState =
    !state || windowOver || lockEnded ? { failures: 0, windowStartedAt: now, lockedUntil: null } : state
  const position = current.failures + 1
  if (rule === 'lock') {
    if (position <= limit) return { admitted: true, position, next: { ...current, failures: position } }
    // The first attempt past the limit starts the lock: a lock is only ever decided by a refusal, never undone.
    const lockedUntil = new Date(now.getTime() + THROTTLE.lockMinutes * 60_000)
    return {
      admitted: false,
      retryAfterSeconds: THROTTLE.lockMinutes * 60,
      next: { ...current, lockedUntil },
    }
  }
  // slow: the delay is set as the place is taken, so a concurrent attempt already sees it.
  const delay = slowDownSeconds(position, limit)
  return {
    admitted: true,
    position,
    next: {
      ...current,
      failures: position,
      lockedUntil: delay > 0 ? new Date(now.getTime() + delay * 1000) : null,
    },
  }
}

/** A key's state after a success at `position`; null when nothing is left to remember. */
export function stateAfterSuccess(
  state: ThrottleState,
  kind: KeyKind,
  position: number,
): ThrottleState | null {
  const { rule, limit, onSuccess } = policies[kind]
  const failures = Math.max(0, state.failures - (onSuccess === 'forgive' ? position : 1))
  // Attempts that took their places after this one stay counted: they may be an attacker's, still in flight.
  const lockedUntil = rule === 'slow' && failures < limit ? null : state.lockedUntil
  if (failures === 0 && lockedUntil === null) return null
  return { ...state, failures, lockedUntil }
}

export type Reservation =
  | { admitted: true; places: Array<{ key: ThrottleKey; position: number }> }
  | { admitted: false; retryAfterSeconds: number }

/**
 * Rows for `keys`, created when missing and locked until the transaction ends. Always in key order, so two
 * attempts sharing keys cannot deadlock.
 */
async function lockStates(tx: Db, keys: ThrottleKey[], now: Date): Promise<Map<string, ThrottleState>> {
  const names = [...new Set(keys.map((k) => k.key))].sort()
  await tx
    .insert(loginThrottles)
    .values(names.map((key) => ({ key, failures: 0, windowStartedAt: now })))
    .onConflictDoNothing()
  const rows = await tx
    .select()
    .from(loginThrottles)
    .where(inArray(loginThrottles.key, names))
    .orderBy(asc(loginThrottles.key))
    .for('update')
  return new Map(
    rows.map((r) => [
      r.key,
      { failures: r.failures, windowStartedAt: r.windowStartedAt, lockedUntil: r.lockedUntil },
    ]),
  )
}

async function store(tx: Db, key: string, state: ThrottleState | null): Promise<void> {
  if (state === null) await tx.delete(loginThrottles).where(eq(loginThrottles.key, key))
  else await tx.update(loginThrottles).set(state).where(eq(loginThrottles.key, key))
}

function auditIdentity(key: ThrottleKey): { keyKind: KeyKind; identifier: string } {
  const addressLike = key.kind === 'ip' || key.kind === 'signup-ip' || key.kind === 'reset-ip'
  return { keyKind: key.kind, identifier: addressLike ? key.value : maskLoginIdentifier(key.value) }
}

/**
 * Takes a place for one attempt on every key, or refuses it — decided and counted under the rows' locks, before
 * any password is checked. A refused attempt counts nowhere (it checked nothing); a lock it starts is audited in
 * the same transaction.
 */
export async function reserveAttempt(db: Db, keys: ThrottleKey[], now: Date): Promise<Reservation> {
  return db.transaction(async (tx) => {
    const states = await lockStates(tx, keys, now)
    const decisions = keys.map((key) => ({
      key,
      decision: decideAttempt(states.get(key.key) ?? null, key.kind, now),
    }))
    const refusals = decisions.flatMap(({ key, decision }) => (decision.admitted ? [] : [{ key, decision }]))
    if (refusals.length === 0) {
      const places: Array<{ key: ThrottleKey; position: number }> = []
      for (const { key, decision } of decisions) {
        if (!decision.admitted) continue
        await store(tx, key.key, decision.next)
        places.push({ key, position: decision.position })
      }
      return { admitted: true, places }
    }
    const locking = refusals.filter(({ decision }) => decision.next !== null)
    for (const { key, decision } of locking) await store(tx, key.key, decision.next)
    // Rows that hold nothing (made for this attempt) go again: a locked address spraying made-up identifiers
    // must not grow the table.
    for (const key of keys) {
      const state = states.get(key.key)
      const emptied = state && state.failures === 0 && state.lockedUntil === null
      if (emptied && !locking.some((l) => l.key.key === key.key)) await store(tx, key.key, null)
    }
    // After the throttle rows: the audit chain's head lock comes last in a transaction.
    for (const { key, decision } of locking) {
      const identity = auditIdentity(key)
      await recordAuditEvent(tx, {
        actorUserId: null,
        action: policies[key.kind].audit,
        subjectType: 'login_throttle',
        subjectId: `${identity.keyKind}:${identity.identifier}`,
        details: {
          ...identity,
          failures: policies[key.kind].limit,
          windowMinutes: THROTTLE.windowMinutes,
          lockedUntil: decision.next!.lockedUntil!,
        },
        occurredAt: now,
      })
    }
    return {
      admitted: false,
      retryAfterSeconds: Math.max(...refusals.map(({ decision }) => decision.retryAfterSeconds)),
    }
  })
}

/**
 * An admitted attempt failed. Its place stays taken; the failure that brings an account to its limit (where the
 * slow-down starts) is audited once — single failures are not.
 */
export async function recordFailedAttempt(
  db: Db,
  reservation: Extract<Reservation, { admitted: true }>,
  now: Date,
): Promise<void> {
  const slowing = reservation.places.filter(
    ({ key, position }) => policies[key.kind].rule === 'slow' && position === policies[key.kind].limit,
  )
  if (slowing.length === 0) return
  await db.transaction(async (tx) => {
    for (const { key } of slowing) {
      const identity = auditIdentity(key)
      await recordAuditEvent(tx, {
        actorUserId: null,
        action: policies[key.kind].audit,
        subjectType: 'login_throttle',
        subjectId: `${identity.keyKind}:${identity.identifier}`,
        details: {
          ...identity,
          failures: policies[key.kind].limit,
          windowMinutes: THROTTLE.windowMinutes,
          firstDelaySeconds: THROTTLE.firstDelaySeconds,
          maxDelaySeconds: THROTTLE.maxDelaySeconds,
        },
        occurredAt: now,
      })
    }
  })
}

/** An admitted attempt succeeded: give its places back (and, on an account, forgive the failures before it). */
export async function releaseAttempt(
  db: Db,
  reservation: Extract<Reservation, { admitted: true }>,
  now: Date,
): Promise<void> {
  await db.transaction(async (tx) => {
    const states = await lockStates(
      tx,
      reservation.places.map((p) => p.key),
      now,
    )
    for (const { key, position } of reservation.places) {
      const state = states.get(key.key)
      if (state) await store(tx, key.key, stateAfterSuccess(state, key.kind, position))
    }
  })
}
