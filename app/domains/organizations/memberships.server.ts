import { randomBytes } from 'node:crypto'
import { and, asc, eq, exists, gt, inArray, isNull, sql } from 'drizzle-orm'
import type { Db } from '../../../db/client.server'
import { type Role, users } from '../../../db/schema/accounts'
import { invitations, memberships } from '../../../db/schema/memberships'
import { type OrganizationKind, organizations } from '../../../db/schema/organizations'
import { type Clock, systemClock } from '../../utils/clock'
import { maskLoginIdentifier, recordAuditEvent } from '../audit/index.server'
import { parseLoginIdentifier, hashSessionToken, markSessionsForRotation } from '../accounts/index.server'

// ---------------------------------------------------------------------------------------------------------------
// Roles

const rolesByKind: Record<OrganizationKind, readonly Role[]> = {
  gov_unit: ['unit_buyer', 'unit_approver', 'unit_admin'],
  trade_union: ['unit_buyer', 'unit_approver', 'unit_admin'],
  enterprise: ['unit_buyer', 'unit_approver', 'unit_admin'],
  cooperative: ['coop_admin', 'coop_staff'],
  office: ['office_analyst', 'office_admin'],
  platform: ['platform_admin', 'platform_finance'],
}

const adminRoles: readonly Role[] = ['unit_admin', 'coop_admin', 'office_admin', 'platform_admin']

/** The roles a member of an organisation of this kind may hold. */
export function rolesForKind(kind: OrganizationKind): readonly Role[] {
  return rolesByKind[kind]
}

/** An admin role manages the members of its organisation. */
export function isAdminRole(role: string): boolean {
  return (adminRoles as readonly string[]).includes(role)
}

/** Role strings arrive from forms: anything that is not a role of this kind of organisation is refused. */
function fitsKind(kind: OrganizationKind, role: string): role is Role {
  return (rolesByKind[kind] as readonly string[]).includes(role)
}

const INVITATION_LIFETIME_MS = 7 * 24 * 3_600_000

// ---------------------------------------------------------------------------------------------------------------
// Invitations

/**
 * Roles that must name their invitee: a platform role reaches every organisation's data and the money, so its
 * link must not work for whoever it is forwarded to.
 */
export function invitationNeedsInvitee(role: string): boolean {
  return (rolesByKind.platform as readonly string[]).includes(role)
}

export type InvitationState = 'valid' | 'expired' | 'used' | 'revoked' | 'wrong_account' | 'unbound'

export type InvitationView = {
  orgId: string
  orgName: string
  orgKind: OrganizationKind
  role: Role
  state: InvitationState
  expiresAt: Date
  /** Whom the invitation is for, masked (b***@example.com, 139****5678); null when anyone may accept. */
  invitee: string | null
}

/** How an account signs in: an invitation bound to either of these is theirs. */
export type InvitationViewer = { email: string | null; mobile: string | null }

/**
 * A one-time link for joining `orgId` with `role`, valid for 7 days. Only an admin of the organisation may create
 * one, verified or not (a unit assembles its team while its registration is pending). `invitee` (an email or a
 * mobile number) binds it to that account: required for platform roles, optional otherwise. The token is returned
 * once; only its SHA-256 is stored.
 */
export async function createInvitation(
  db: Db,
  input: { orgId: string; role: string; requesterId: string; invitee?: string | null },
  clock: Clock,
): Promise<
  | { ok: true; token: string; expiresAt: Date; invitee: string | null }
  | { ok: false; error: 'forbidden' | 'role_not_allowed' | 'invitee_required' | 'invitee_invalid' }
> {
  const typed = input.invitee?.trim() ?? ''
  const parsedInvitee = typed === '' ? null : parseLoginIdentifier(typed)
  return db.transaction(async (tx) => {
    // FOR SHARE on the requester's membership: a concurrent demotion (which locks the org's memberships FOR
    // UPDATE) waits until this invitation exists, or this waits and sees the demotion.
    const [requester] = await tx
      .select({ role: memberships.role, kind: organizations.kind })
      .from(memberships)
      .innerJoin(organizations, eq(organizations.id, memberships.orgId))
      .where(and(eq(memberships.userId, input.requesterId), eq(memberships.orgId, input.orgId)))
      .for('share', { of: memberships })
    if (!requester || !isAdminRole(requester.role)) return { ok: false, error: 'forbidden' } as const
    if (!fitsKind(requester.kind, input.role)) return { ok: false, error: 'role_not_allowed' } as const
    if (typed !== '' && !parsedInvitee) return { ok: false, error: 'invitee_invalid' } as const
    if (!parsedInvitee && invitationNeedsInvitee(input.role)) {
      return { ok: false, error: 'invitee_required' } as const
    }

    const token = randomBytes(32).toString('base64url')
    const now = clock.now()
    const expiresAt = new Date(now.getTime() + INVITATION_LIFETIME_MS)
    const invitee = parsedInvitee?.value ?? null
    await tx.insert(invitations).values({
      orgId: input.orgId,
      role: input.role,
      tokenHash: hashSessionToken(token),
      invitee,
      createdBy: input.requesterId,
      createdAt: now,
      expiresAt,
    })
    return { ok: true, token, expiresAt, invitee } as const
  })
}

/** Whether this account may take an invitation, as far as its binding goes; null when it may. */
function bindingError(
  row: { role: Role; invitee: string | null },
  viewer: InvitationViewer,
): 'wrong_account' | 'unbound' | null {
  // A platform invitation is bound when it is made; one made before that rule existed is refused, not trusted.
  if (row.invitee === null) return invitationNeedsInvitee(row.role) ? 'unbound' : null
  return row.invitee === viewer.email || row.invitee === viewer.mobile ? null : 'wrong_account'
}

function invitationState(
  row: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date },
  now: Date,
): Exclude<InvitationState, 'wrong_account' | 'unbound'> {
  if (row.acceptedAt) return 'used'
  if (row.revokedAt) return 'revoked'
  if (row.expiresAt.getTime() <= now.getTime()) return 'expired'
  return 'valid'
}

/**
 * What an invitation link offers, and whether it can still be accepted — by `viewer`, when given (a bound
 * invitation is 'wrong_account' for everyone else); null for an unknown token.
 */
export async function getInvitation(
  db: Db,
  token: string,
  clock: Clock,
  viewer?: InvitationViewer,
): Promise<InvitationView | null> {
  const [row] = await db
    .select({
      orgId: invitations.orgId,
      orgName: organizations.name,
      orgKind: organizations.kind,
      role: invitations.role,
      invitee: invitations.invitee,
      acceptedAt: invitations.acceptedAt,
      revokedAt: invitations.revokedAt,
      expiresAt: invitations.expiresAt,
    })
    .from(invitations)
    .innerJoin(organizations, eq(organizations.id, invitations.orgId))
    .where(eq(invitations.tokenHash, hashSessionToken(token)))
    .limit(1)
  if (!row) return null
  const state = invitationState(row, clock.now())
  return {
    orgId: row.orgId,
    orgName: row.orgName,
    orgKind: row.orgKind,
    role: row.role,
    state: state === 'valid' && viewer ? (bindingError(row, viewer) ?? state) : state,
    expiresAt: row.expiresAt,
    invitee: row.invitee === null ? null : maskLoginIdentifier(row.invitee),
  }
}

export type AcceptInvitationError =
  | 'not_found'
  | 'expired'
  | 'used'
  | 'revoked'
  | 'wrong_account'
  | 'unbound'
  | 'already_member'

/** Thrown inside the transaction to undo the accepted mark when the membership turns out to exist already. */
class AlreadyMember extends Error {}

/**
 * Joins the organisation through an invitation: marks it accepted, adds the membership and rotates the user's
 * sessions (their roles changed), all in one transaction. A bound invitation only takes the account it names. Of
 * two concurrent accepts exactly one wins: the mark is a conditional update and the loser sees no affected row.
 */
export async function acceptInvitation(
  db: Db,
  input: { token: string; userId: string },
  clock: Clock,
): Promise<{ ok: true; orgId: string; role: Role } | { ok: false; error: AcceptInvitationError }> {
  const tokenHash = hashSessionToken(input.token)
  const now = clock.now()

  async function currentError(tx: Db): Promise<AcceptInvitationError | null> {
    const [row] = await tx
      .select({
        orgId: invitations.orgId,
        role: invitations.role,
        invitee: invitations.invitee,
        acceptedAt: invitations.acceptedAt,
        revokedAt: invitations.revokedAt,
        expiresAt: invitations.expiresAt,
      })
      .from(invitations)
      .where(eq(invitations.tokenHash, tokenHash))
    if (!row) return 'not_found'
    // A bound invitation is someone else's before it is anything else: whoever it is not for learns nothing of
    // its state (used, revoked, expired) — and the answer does not depend on who got there first.
    const [viewer] = await tx
      .select({ email: users.email, mobile: users.mobile })
      .from(users)
      .where(eq(users.id, input.userId))
    const binding = bindingError(row, viewer ?? { email: null, mobile: null })
    if (binding) return binding
    const state = invitationState(row, now)
    if (state !== 'valid') return state
    const [member] = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.userId, input.userId), eq(memberships.orgId, row.orgId)))
    return member ? 'already_member' : null
  }

  try {
    return await db.transaction(async (tx) => {
      // Checked first so that an unusable link or an existing member leaves the invitation untouched.
      const early = await currentError(tx)
      if (early) return { ok: false, error: early } as const

      const [accepted] = await tx
        .update(invitations)
        .set({ acceptedAt: now, acceptedBy: input.userId })
        .where(
          and(
            eq(invitations.tokenHash, tokenHash),
            isNull(invitations.acceptedAt),
            isNull(invitations.revokedAt),
            gt(invitations.expiresAt, now),
          ),
        )
        .returning({ orgId: invitations.orgId, role: invitations.role })
      if (!accepted) {
        // Someone else accepted (or it was revoked) between the check and the update.
        return { ok: false, error: (await currentError(tx)) ?? 'used' } as const
      }

      const inserted = await tx
        .insert(memberships)
        .values({ userId: input.userId, orgId: accepted.orgId, role: accepted.role })
        .onConflictDoNothing()
        .returning({ userId: memberships.userId })
      if (inserted.length === 0) throw new AlreadyMember()

      await markSessionsForRotation(tx, input.userId)
      await recordAuditEvent(tx, {
        actorUserId: input.userId,
        action: 'membership.joined',
        subjectType: 'organization',
        subjectId: accepted.orgId,
        details: { memberUserId: input.userId, role: accepted.role },
        occurredAt: now,
      })
      return { ok: true, orgId: accepted.orgId, role: accepted.role } as const
    })
  } catch (error) {
    if (error instanceof AlreadyMember) return { ok: false, error: 'already_member' }
    throw error
  }
}

/** Withdraws a pending invitation. Only an admin of the invitation's organisation may. */
export async function revokeInvitation(
  db: Db,
  input: { invitationId: string; requesterId: string },
  clock: Clock,
): Promise<{ ok: true } | { ok: false; error: 'not_found' | 'forbidden' | 'not_pending' }> {
  const requesterIsAdmin = exists(
    db
      .select({ one: sql`1` })
      .from(memberships)
      .where(
        and(
          eq(memberships.orgId, invitations.orgId),
          eq(memberships.userId, input.requesterId),
          inArray(memberships.role, [...adminRoles]),
        ),
      ),
  )
  const revoked = await db
    .update(invitations)
    .set({ revokedAt: clock.now() })
    .where(
      and(
        eq(invitations.id, input.invitationId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        requesterIsAdmin,
      ),
    )
    .returning({ id: invitations.id })
  if (revoked.length > 0) return { ok: true }

  // Nothing changed: say why.
  const [row] = await db
    .select({ orgId: invitations.orgId })
    .from(invitations)
    .where(eq(invitations.id, input.invitationId))
  if (!row) return { ok: false, error: 'not_found' }
  const [requester] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, row.orgId), eq(memberships.userId, input.requesterId)))
  if (!requester || !isAdminRole(requester.role)) return { ok: false, error: 'forbidden' }
  return { ok: false, error: 'not_pending' }
}

export type PendingInvitationView = {
  id: string
  role: Role
  /** The email or mobile number that alone may accept; null for anyone with the link. */
  invitee: string | null
  createdByName: string
  createdAt: Date
  expiresAt: Date
}

/** Invitations of the organisation that can still be accepted (admins only). */
export async function listPendingInvitations(
  db: Db,
  input: { orgId: string; requesterId: string },
  clock: Clock,
): Promise<{ ok: true; invitations: PendingInvitationView[] } | { ok: false; error: 'forbidden' }> {
  const [requester] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, input.orgId), eq(memberships.userId, input.requesterId)))
  if (!requester || !isAdminRole(requester.role)) return { ok: false, error: 'forbidden' }
  const rows = await db
    .select({
      id: invitations.id,
      role: invitations.role,
      invitee: invitations.invitee,
      createdByName: users.displayName,
      createdAt: invitations.createdAt,
      expiresAt: invitations.expiresAt,
    })
    .from(invitations)
    .innerJoin(users, eq(users.id, invitations.createdBy))
    .where(
      and(
        eq(invitations.orgId, input.orgId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, clock.now()),
      ),
    )
    .orderBy(asc(invitations.createdAt))
  return { ok: true, invitations: rows }
}

// ---------------------------------------------------------------------------------------------------------------
// Members

export type MemberView = {
  userId: string
  displayName: string
  role: Role
  /** Email or mobile number: shown to the organisation's admins only (null for everyone else). */
  login: string | null
  isSelf: boolean
}

export type MembersPage = {
  org: { id: string; name: string; kind: OrganizationKind; verified: boolean }
  viewerRole: Role
  /** Whether the viewer may invite, change roles and remove members. */
  canManage: boolean
  assignableRoles: readonly Role[]
  members: MemberView[]
}

/** The members of an organisation, for any of its members; admins also see how each member signs in. */
export async function listMembers(
  db: Db,
  input: { orgId: string; requesterId: string },
): Promise<({ ok: true } & MembersPage) | { ok: false; error: 'not_found' | 'forbidden' }> {
  const [org] = await db
    .select({
      id: organizations.id,
      name: organizations.name,
      kind: organizations.kind,
      verifiedAt: organizations.verifiedAt,
    })
    .from(organizations)
    .where(eq(organizations.id, input.orgId))
  if (!org) return { ok: false, error: 'not_found' }
  const rows = await db
    .select({
      userId: memberships.userId,
      role: memberships.role,
      displayName: users.displayName,
      email: users.email,
      mobile: users.mobile,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.orgId, input.orgId))
    .orderBy(asc(memberships.createdAt), asc(users.displayName))
  const viewer = rows.find((r) => r.userId === input.requesterId)
  if (!viewer) return { ok: false, error: 'forbidden' }
  const canManage = isAdminRole(viewer.role)
  return {
    ok: true,
    org: { id: org.id, name: org.name, kind: org.kind, verified: org.verifiedAt !== null },
    viewerRole: viewer.role,
    canManage,
    assignableRoles: rolesForKind(org.kind),
    members: rows.map((r) => ({
      userId: r.userId,
      displayName: r.displayName,
      role: r.role,
      login: canManage ? (r.email ?? r.mobile) : null,
      isSelf: r.userId === input.requesterId,
    })),
  }
}

export type MemberChangeError = 'forbidden' | 'role_not_allowed' | 'not_member' | 'last_admin'

/**
 * The organisation's memberships, locked until the transaction ends. Every change that could leave it without an
 * admin takes this lock first (in one order, by user id), so two admins demoting each other at once cannot both
 * succeed.
 */
async function lockMembers(tx: Db, orgId: string) {
  return tx
    .select({ userId: memberships.userId, role: memberships.role })
    .from(memberships)
    .where(eq(memberships.orgId, orgId))
    .orderBy(asc(memberships.userId))
    .for('update')
}

function adminCount(rows: { role: Role }[]): number {
  return rows.filter((r) => isAdminRole(r.role)).length
}

/** An admin gives a member another role of the organisation's kind; the organisation keeps at least one admin. */
export async function changeMemberRole(
  db: Db,
  input: { orgId: string; targetUserId: string; role: string; requesterId: string },
  clock: Clock = systemClock,
): Promise<{ ok: true } | { ok: false; error: MemberChangeError }> {
  return db.transaction(async (tx) => {
    const [org] = await tx
      .select({ kind: organizations.kind })
      .from(organizations)
      .where(eq(organizations.id, input.orgId))
    if (!org) return { ok: false, error: 'forbidden' } as const
    const rows = await lockMembers(tx, input.orgId)
    const requester = rows.find((r) => r.userId === input.requesterId)
    if (!requester || !isAdminRole(requester.role)) return { ok: false, error: 'forbidden' } as const
    if (!fitsKind(org.kind, input.role)) return { ok: false, error: 'role_not_allowed' } as const
    const target = rows.find((r) => r.userId === input.targetUserId)
    if (!target) return { ok: false, error: 'not_member' } as const
    if (target.role === input.role) return { ok: true } as const
    if (isAdminRole(target.role) && !isAdminRole(input.role) && adminCount(rows) <= 1) {
      return { ok: false, error: 'last_admin' } as const
    }
    await tx
      .update(memberships)
      .set({ role: input.role })
      .where(and(eq(memberships.orgId, input.orgId), eq(memberships.userId, input.targetUserId)))
    await markSessionsForRotation(tx, input.targetUserId)
    await recordAuditEvent(tx, {
      actorUserId: input.requesterId,
      action: 'membership.role_changed',
      subjectType: 'organization',
      subjectId: input.orgId,
      details: { memberUserId: input.targetUserId, from: target.role, to: input.role },
      occurredAt: clock.now(),
    })
    return { ok: true } as const
  })
}

/**
 * Ends a membership: an admin removes anyone, a member may leave. The last admin can do neither. The removed user's
 * sessions rotate; an active organisation they no longer belong to resolves to none.
 */
export async function removeMember(
  db: Db,
  input: { orgId: string; targetUserId: string; requesterId: string },
  clock: Clock = systemClock,
): Promise<{ ok: true } | { ok: false; error: Exclude<MemberChangeError, 'role_not_allowed'> }> {
  return db.transaction(async (tx) => {
    const rows = await lockMembers(tx, input.orgId)
    const requester = rows.find((r) => r.userId === input.requesterId)
    if (!requester) return { ok: false, error: 'forbidden' } as const
    const leaving = input.targetUserId === input.requesterId
    if (!leaving && !isAdminRole(requester.role)) return { ok: false, error: 'forbidden' } as const
    const target = rows.find((r) => r.userId === input.targetUserId)
    if (!target) return { ok: false, error: 'not_member' } as const
    if (isAdminRole(target.role) && adminCount(rows) <= 1) return { ok: false, error: 'last_admin' } as const
    await tx
      .delete(memberships)
      .where(and(eq(memberships.orgId, input.orgId), eq(memberships.userId, input.targetUserId)))
    await markSessionsForRotation(tx, input.targetUserId)
    await recordAuditEvent(tx, {
      actorUserId: input.requesterId,
      action: 'membership.removed',
      subjectType: 'organization',
      subjectId: input.orgId,
      details: { memberUserId: input.targetUserId, role: target.role, left: leaving },
      occurredAt: clock.now(),
    })
    return { ok: true } as const
  })
}
