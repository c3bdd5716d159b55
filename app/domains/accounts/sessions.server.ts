import { createHash, randomBytes } from 'node:crypto'
import { and, eq, gt, isNull, sql } from 'drizzle-orm'
import type { Db } from '../../../db/client.server'
import { type Role, sessions, users } from '../../../db/schema/accounts'
import { memberships } from '../../../db/schema/memberships'
import { type OrganizationKind, organizations } from '../../../db/schema/organizations'
import type { Clock } from '../../utils/clock'

export type SessionPolicy = { idleMinutes: number; absoluteHours: number }

export type MembershipView = {
  orgId: string
  orgName: string
  orgKind: OrganizationKind
  role: Role
  verified: boolean
}

/** Who is asking, as every loader and action sees it (through the load context). No secrets, no hashes. */
export type RequestAuth = {
  userId: string
  displayName: string
  email: string | null
  mobile: string | null
  memberships: MembershipView[]
  /** The membership the user currently acts through; null when acting as a consumer. */
  active: MembershipView | null
}

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** A new session (and its cookie token). Signing in from an existing session ends that one: ids rotate on login. */
export async function createSession(
  db: Db,
  input: { userId: string; previousToken?: string | null; activeOrgId?: string | null },
  clock: Clock,
  policy: SessionPolicy,
): Promise<{ token: string; expiresAt: Date }> {
  return db.transaction(async (tx) => {
    if (input.previousToken) await endSession(tx, input.previousToken, clock.now())
    return insertSession(tx, input, clock, policy)
  })
}

/**
 * Inserts a session row; the caller's transaction decides what else goes with it (revoking the previous one,
 * merging a cart, a password change).
 */
export async function insertSession(
  tx: Db,
  input: { userId: string; activeOrgId?: string | null },
  clock: Clock,
  policy: SessionPolicy,
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url')
  const now = clock.now()
  const expiresAt = new Date(now.getTime() + policy.absoluteHours * 3_600_000)
  await tx.insert(sessions).values({
    tokenHash: hashSessionToken(token),
    userId: input.userId,
    activeOrgId: input.activeOrgId ?? null,
    createdAt: now,
    lastSeenAt: now,
    expiresAt,
  })
  return { token, expiresAt }
}

/**
 * Revokes a live session: what it was (the organisation it acted for), or null when there was none to revoke
 * (unknown, already revoked, or another user's when `userId` is given).
 */
export async function endSession(
  tx: Db,
  token: string,
  now: Date,
  options: { userId?: string } = {},
): Promise<{ activeOrgId: string | null } | null> {
  const ended = await tx
    .update(sessions)
    .set({ revokedAt: now })
    .where(
      and(
        eq(sessions.tokenHash, hashSessionToken(token)),
        isNull(sessions.revokedAt),
        options.userId === undefined ? undefined : eq(sessions.userId, options.userId),
      ),
    )
    .returning({ activeOrgId: sessions.activeOrgId })
  return ended[0] ?? null
}

export type ResolvedSession = {
  auth: RequestAuth
  /** Set when the token was rotated: the response must carry the new cookie. */
  rotated: { token: string; expiresAt: Date } | null
}

/** Don't write last_seen_at on every request: once a minute is precise enough for an idle timeout in hours. */
const TOUCH_INTERVAL_MS = 60_000

/**
 * The session behind a cookie token, or null when there is none, it was revoked, or it timed out (idle or
 * absolute). Rotates the token when the user's roles changed since it was issued.
 */
export async function resolveSession(
  db: Db,
  token: string,
  clock: Clock,
  policy: SessionPolicy,
): Promise<ResolvedSession | null> {
  const now = clock.now()
  const idleFloor = new Date(now.getTime() - policy.idleMinutes * 60_000)
  const tokenHash = hashSessionToken(token)
  const [row] = await db
    .select({
      userId: sessions.userId,
      activeOrgId: sessions.activeOrgId,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
      needsRotation: sessions.needsRotation,
      displayName: users.displayName,
      email: users.email,
      mobile: users.mobile,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.tokenHash, tokenHash),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, now),
        gt(sessions.lastSeenAt, idleFloor),
      ),
    )
    .limit(1)
  if (!row) return null

  const memberRows = await listMemberships(db, row.userId)
  const active = memberRows.find((m) => m.orgId === row.activeOrgId) ?? null

  let rotated: ResolvedSession['rotated'] = null
  if (row.needsRotation) {
    const fresh = randomBytes(32).toString('base64url')
    // Same lifetime as before: rotation changes the id, not how long the sign-in lasts.
    await db
      .update(sessions)
      .set({ tokenHash: hashSessionToken(fresh), needsRotation: false, lastSeenAt: now })
      .where(eq(sessions.tokenHash, tokenHash))
    rotated = { token: fresh, expiresAt: row.expiresAt }
  } else if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.tokenHash, tokenHash))
  }
  return {
    auth: {
      userId: row.userId,
      displayName: row.displayName,
      email: row.email,
      mobile: row.mobile,
      memberships: memberRows,
      active,
    },
    rotated,
  }
}

export async function listMemberships(db: Db, userId: string): Promise<MembershipView[]> {
  const rows = await db
    .select({
      orgId: memberships.orgId,
      orgName: organizations.name,
      orgKind: organizations.kind,
      role: memberships.role,
      verifiedAt: organizations.verifiedAt,
    })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(eq(memberships.userId, userId))
    .orderBy(organizations.name)
  return rows.map(({ verifiedAt, ...m }) => ({ ...m, verified: verifiedAt !== null }))
}

export async function revokeSession(db: Db, token: string, clock: Clock): Promise<void> {
  await endSession(db, token, clock.now())
}

/** Ends every session of a user except, optionally, the one making the request. */
export async function revokeOtherSessions(db: Db, userId: string, keepToken: string | null, clock: Clock) {
  const keep = keepToken ? hashSessionToken(keepToken) : ''
  await db
    .update(sessions)
    .set({ revokedAt: clock.now() })
    .where(
      and(eq(sessions.userId, userId), isNull(sessions.revokedAt), sql`${sessions.tokenHash} <> ${keep}`),
    )
}

/** After a role change: each live session of the user gets a new id on its next request. */
export async function markSessionsForRotation(db: Db, userId: string): Promise<void> {
  await db
    .update(sessions)
    .set({ needsRotation: true })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
}

/**
 * Switches the organisation the user acts for (null: act as a consumer). The membership must exist; the session id
 * rotates, since what the session may do changes.
 */
export async function switchActiveOrganization(
  db: Db,
  input: { token: string; userId: string; orgId: string | null },
): Promise<boolean> {
  if (input.orgId !== null) {
    const [member] = await db
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.userId, input.userId), eq(memberships.orgId, input.orgId)))
    if (!member) return false
  }
  await db
    .update(sessions)
    .set({ activeOrgId: input.orgId, needsRotation: true })
    .where(and(eq(sessions.tokenHash, hashSessionToken(input.token)), eq(sessions.userId, input.userId)))
  return true
}
