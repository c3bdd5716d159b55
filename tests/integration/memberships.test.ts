import { randomUUID } from 'node:crypto'
import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { useSharedDb } from '../../db/client.server'
import { sessions, users } from '../../db/schema/accounts'
import { invitations, memberships } from '../../db/schema/memberships'
import { type OrganizationKind, organizations } from '../../db/schema/organizations'
import type { Role } from '../../db/schema/accounts'
import {
  acceptInvitation,
  changeMemberRole,
  createInvitation,
  getInvitation,
  isAdminRole,
  listMembers,
  listPendingInvitations,
  removeMember,
  revokeInvitation,
  rolesForKind,
} from '../../app/domains/organizations/memberships.server'
import {
  createSession,
  hashSessionToken,
  listMemberships,
  type RequestAuth,
  switchActiveOrganization,
} from '../../app/domains/accounts/sessions.server'
import {
  action as membersAction,
  loader as membersLoader,
} from '../../app/routes/account.organizations.$orgId.members'
import { action as invitationAction, loader as invitationLoader } from '../../app/routes/invitations.$token'
import { fixedClock, systemClock } from '../../app/utils/clock'
import { startTestApp } from '../support/app-server'
import { testContext } from '../support/context'
import { openTestDatabase, testDbKind } from '../support/db'
import { sessionCookieFor } from '../support/session-cookie'
import { SEED_NOW } from '../support/test-clock'

const clock = fixedClock(SEED_NOW)
const DAY_MS = 24 * 3_600_000

describe(`memberships and invitations (${testDbKind()})`, async () => {
  const handle = await openTestDatabase('seeded')
  const db = handle.db
  useSharedDb(handle)
  const { origin } = await startTestApp(handle)

  let serial = 0

  async function createUser(name: string): Promise<string> {
    const [row] = await db
      .insert(users)
      .values({ email: `${name}-${serial++}@members.test`, displayName: name, passwordHash: 'x' })
      .returning({ id: users.id })
    return row!.id
  }

  /** A user who signs in with this email and/or mobile number. */
  async function createUserWith(name: string, login: { email?: string; mobile?: string }): Promise<string> {
    const [row] = await db
      .insert(users)
      .values({
        email: login.email ?? null,
        mobile: login.mobile ?? null,
        displayName: name,
        passwordHash: 'x',
      })
      .returning({ id: users.id })
    return row!.id
  }

  async function createOrg(kind: OrganizationKind, adminId?: string): Promise<string> {
    const [row] = await db
      .insert(organizations)
      .values({ kind, name: `测试${kind}${serial++}`, regionCode: '350102', uscc: null })
      .returning({ id: organizations.id })
    const orgId = row!.id
    if (adminId) await addMember(adminId, orgId, rolesForKind(kind).find(isAdminRole)!)
    return orgId
  }

  async function addMember(userId: string, orgId: string, role: Role) {
    await db.insert(memberships).values({ userId, orgId, role })
  }

  /** A live session for the user; returns its raw token. */
  async function createSessionRow(userId: string): Promise<string> {
    const token = `test-token-${randomUUID()}`
    await db.insert(sessions).values({
      tokenHash: hashSessionToken(token),
      userId,
      createdAt: SEED_NOW,
      lastSeenAt: SEED_NOW,
      expiresAt: new Date(SEED_NOW.getTime() + DAY_MS),
    })
    return token
  }

  async function needsRotation(token: string): Promise<boolean | undefined> {
    const [row] = await db
      .select({ needsRotation: sessions.needsRotation })
      .from(sessions)
      .where(eq(sessions.tokenHash, hashSessionToken(token)))
    return row?.needsRotation
  }

  async function roleOf(userId: string, orgId: string): Promise<Role | null> {
    const [row] = await db
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.userId, userId), eq(memberships.orgId, orgId)))
    return row?.role ?? null
  }

  async function invite(orgId: string, role: Role, requesterId: string): Promise<string> {
    const result = await createInvitation(db, { orgId, role, requesterId }, clock)
    if (!result.ok) throw new Error(`invitation refused: ${result.error}`)
    return result.token
  }

  it('knows which roles fit which kind of organisation, and which are admin roles', () => {
    expect(rolesForKind('gov_unit')).toEqual(['unit_buyer', 'unit_approver', 'unit_admin'])
    expect(rolesForKind('trade_union')).toEqual(rolesForKind('enterprise'))
    expect(rolesForKind('cooperative')).toEqual(['coop_admin', 'coop_staff'])
    expect(rolesForKind('office')).toEqual(['office_analyst', 'office_admin'])
    expect(rolesForKind('platform')).toEqual(['platform_admin', 'platform_finance'])
    expect(['unit_admin', 'coop_admin', 'office_admin', 'platform_admin'].every(isAdminRole)).toBe(true)
    expect(['unit_buyer', 'coop_staff', 'office_analyst', 'platform_finance', 'x'].some(isAdminRole)).toBe(
      false,
    )
  })

  it('lets only an admin invite, and only with a role of the organisation’s kind', async () => {
    const admin = await createUser('管理员')
    const buyer = await createUser('采购员')
    const outsider = await createUser('外人')
    const unit = await createOrg('gov_unit', admin)
    await addMember(buyer, unit, 'unit_buyer')

    const before = await db
      .select({ id: invitations.id })
      .from(invitations)
      .where(eq(invitations.orgId, unit))
    expect(
      await createInvitation(db, { orgId: unit, role: 'unit_buyer', requesterId: buyer }, clock),
    ).toEqual({
      ok: false,
      error: 'forbidden',
    })
    expect(
      await createInvitation(db, { orgId: unit, role: 'unit_buyer', requesterId: outsider }, clock),
    ).toEqual({ ok: false, error: 'forbidden' })
    expect(
      await createInvitation(db, { orgId: unit, role: 'coop_staff', requesterId: admin }, clock),
    ).toEqual({
      ok: false,
      error: 'role_not_allowed',
    })
    expect(await createInvitation(db, { orgId: unit, role: 'superuser', requesterId: admin }, clock)).toEqual(
      { ok: false, error: 'role_not_allowed' },
    )
    const after = await db.select({ id: invitations.id }).from(invitations).where(eq(invitations.orgId, unit))
    expect(after).toEqual(before)
  })

  it('invites into an unverified organisation; only the hash is stored; accepting joins with the role', async () => {
    const admin = await createUser('管理员')
    const colleague = await createUser('同事')
    const unit = await createOrg('trade_union', admin)
    const sessionToken = await createSessionRow(colleague)
    expect(await needsRotation(sessionToken)).toBe(false)

    const created = await createInvitation(
      db,
      { orgId: unit, role: 'unit_approver', requesterId: admin },
      clock,
    )
    if (!created.ok) throw new Error(created.error)
    expect(created.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(created.expiresAt.getTime() - SEED_NOW.getTime()).toBe(7 * DAY_MS)
    const [stored] = await db.select().from(invitations).where(eq(invitations.orgId, unit))
    expect(stored!.tokenHash).toBe(hashSessionToken(created.token))
    expect(Object.values(stored!)).not.toContain(created.token)

    expect(await getInvitation(db, created.token, clock)).toMatchObject({
      orgId: unit,
      orgKind: 'trade_union',
      role: 'unit_approver',
      state: 'valid',
    })
    expect(await getInvitation(db, 'no-such-token-at-all-here', clock)).toBeNull()

    expect(await acceptInvitation(db, { token: created.token, userId: colleague }, clock)).toEqual({
      ok: true,
      orgId: unit,
      role: 'unit_approver',
    })
    expect(await roleOf(colleague, unit)).toBe('unit_approver')
    expect(await needsRotation(sessionToken)).toBe(true)
    expect(await getInvitation(db, created.token, clock)).toMatchObject({ state: 'used' })

    // The same link a second time, by the same user or another one.
    const third = await createUser('第三人')
    expect(await acceptInvitation(db, { token: created.token, userId: colleague }, clock)).toEqual({
      ok: false,
      error: 'used',
    })
    expect(await acceptInvitation(db, { token: created.token, userId: third }, clock)).toEqual({
      ok: false,
      error: 'used',
    })
    expect(await roleOf(third, unit)).toBeNull()
  })

  it('refuses an expired, a revoked, an unknown link, and a user who is already a member', async () => {
    const admin = await createUser('管理员')
    const joiner = await createUser('新人')
    const coop = await createOrg('cooperative', admin)

    const expiring = await invite(coop, 'coop_staff', admin)
    const eightDaysLater = fixedClock(new Date(SEED_NOW.getTime() + 8 * DAY_MS))
    expect(await getInvitation(db, expiring, eightDaysLater)).toMatchObject({ state: 'expired' })
    expect(await acceptInvitation(db, { token: expiring, userId: joiner }, eightDaysLater)).toEqual({
      ok: false,
      error: 'expired',
    })

    const revoked = await invite(coop, 'coop_staff', admin)
    const [row] = await db
      .select({ id: invitations.id })
      .from(invitations)
      .where(eq(invitations.tokenHash, hashSessionToken(revoked)))
    const staff = await createUser('员工')
    await addMember(staff, coop, 'coop_staff')
    expect(await revokeInvitation(db, { invitationId: row!.id, requesterId: staff }, clock)).toEqual({
      ok: false,
      error: 'forbidden',
    })
    const otherAdmin = await createUser('别家管理员')
    await createOrg('cooperative', otherAdmin)
    expect(await revokeInvitation(db, { invitationId: row!.id, requesterId: otherAdmin }, clock)).toEqual({
      ok: false,
      error: 'forbidden',
    })
    expect(await revokeInvitation(db, { invitationId: row!.id, requesterId: admin }, clock)).toEqual({
      ok: true,
    })
    expect(await revokeInvitation(db, { invitationId: row!.id, requesterId: admin }, clock)).toEqual({
      ok: false,
      error: 'not_pending',
    })
    expect(await revokeInvitation(db, { invitationId: randomUUID(), requesterId: admin }, clock)).toEqual({
      ok: false,
      error: 'not_found',
    })
    expect(await acceptInvitation(db, { token: revoked, userId: joiner }, clock)).toEqual({
      ok: false,
      error: 'revoked',
    })

    expect(await acceptInvitation(db, { token: 'not-a-token-we-ever-made', userId: joiner }, clock)).toEqual({
      ok: false,
      error: 'not_found',
    })

    // A member opening a fresh link: refused, and the link stays usable for someone else.
    const fresh = await invite(coop, 'coop_admin', admin)
    expect(await acceptInvitation(db, { token: fresh, userId: staff }, clock)).toEqual({
      ok: false,
      error: 'already_member',
    })
    expect(await roleOf(staff, coop)).toBe('coop_staff')
    expect(await getInvitation(db, fresh, clock)).toMatchObject({ state: 'valid' })
    expect(await roleOf(joiner, coop)).toBeNull()

    // Pending: not accepted, not revoked, not expired (the first link is still valid today, gone in 8 days).
    const pending = await listPendingInvitations(db, { orgId: coop, requesterId: admin }, clock)
    expect(pending.ok && pending.invitations.map((i) => i.role)).toEqual(['coop_staff', 'coop_admin'])
    const later = await listPendingInvitations(db, { orgId: coop, requesterId: admin }, eightDaysLater)
    expect(later.ok && later.invitations).toEqual([])
    expect(await listPendingInvitations(db, { orgId: coop, requesterId: staff }, clock)).toEqual({
      ok: false,
      error: 'forbidden',
    })
  })

  it('lets exactly one of two concurrent accepts of one invitation win', async () => {
    const admin = await createUser('管理员')
    const first = await createUser('甲')
    const second = await createUser('乙')
    const office = await createOrg('office', admin)
    const token = await invite(office, 'office_analyst', admin)

    const results = await Promise.all([
      acceptInvitation(db, { token, userId: first }, clock),
      acceptInvitation(db, { token, userId: second }, clock),
    ])
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, error: 'used' }])
    const joined = await db
      .select({ userId: memberships.userId })
      .from(memberships)
      .where(and(eq(memberships.orgId, office), eq(memberships.role, 'office_analyst')))
    expect(joined).toHaveLength(1)
    const winner = results[0]!.ok ? first : second
    expect(joined[0]!.userId).toBe(winner)
    const [stored] = await db
      .select({ acceptedBy: invitations.acceptedBy })
      .from(invitations)
      .where(eq(invitations.tokenHash, hashSessionToken(token)))
    expect(stored!.acceptedBy).toBe(winner)
  })

  it('binds a platform invitation to its invitee: required, normalised, and only that account may accept', async () => {
    const admin = await createUser('平台管理员')
    const platform = await createOrg('platform', admin)
    const n = serial++
    const financeEmail = `finance.officer-${n}@members.test`
    const finance = await createUserWith('财务', { email: financeEmail })
    const intruder = await createUser('冒领者')
    const intruderSession = await createSessionRow(intruder)

    for (const invitee of [undefined, '', '   ']) {
      expect(
        await createInvitation(
          db,
          { orgId: platform, role: 'platform_finance', requesterId: admin, invitee },
          clock,
        ),
      ).toEqual({ ok: false, error: 'invitee_required' })
    }
    for (const invitee of ['finance officer', '1234567', 'a@b']) {
      expect(
        await createInvitation(
          db,
          { orgId: platform, role: 'platform_admin', requesterId: admin, invitee },
          clock,
        ),
      ).toEqual({ ok: false, error: 'invitee_invalid' })
    }
    expect(await db.select().from(invitations).where(eq(invitations.orgId, platform))).toEqual([])

    const created = await createInvitation(
      db,
      {
        orgId: platform,
        role: 'platform_finance',
        requesterId: admin,
        invitee: ` Finance.Officer-${n}@Members.TEST `,
      },
      clock,
    )
    if (!created.ok) throw new Error(created.error)
    const [stored] = await db.select().from(invitations).where(eq(invitations.orgId, platform))
    expect(stored!.invitee).toBe(financeEmail)

    // Someone else holding the link sees whom it is for (masked), and cannot take it.
    expect(
      await getInvitation(db, created.token, clock, { email: `冒领者-x@members.test`, mobile: null }),
    ).toMatchObject({ state: 'wrong_account', invitee: 'f***@members.test' })
    expect(await acceptInvitation(db, { token: created.token, userId: intruder }, clock)).toEqual({
      ok: false,
      error: 'wrong_account',
    })
    expect(await roleOf(intruder, platform)).toBeNull()
    expect(await needsRotation(intruderSession)).toBe(false)
    expect(
      await getInvitation(db, created.token, clock, { email: financeEmail, mobile: null }),
    ).toMatchObject({
      state: 'valid',
    })
    expect(await acceptInvitation(db, { token: created.token, userId: finance }, clock)).toEqual({
      ok: true,
      orgId: platform,
      role: 'platform_finance',
    })

    // A mobile number is stored as its 11 digits, and matches the account that signs in with it.
    const second = await createUserWith('第二位管理员', {
      email: `second-${n}@members.test`,
      mobile: '13912345678',
    })
    const byMobile = await createInvitation(
      db,
      { orgId: platform, role: 'platform_admin', requesterId: admin, invitee: '139-1234 5678' },
      clock,
    )
    if (!byMobile.ok) throw new Error(byMobile.error)
    const [mobileRow] = await db
      .select({ invitee: invitations.invitee })
      .from(invitations)
      .where(eq(invitations.tokenHash, hashSessionToken(byMobile.token)))
    expect(mobileRow!.invitee).toBe('13912345678')
    expect(await acceptInvitation(db, { token: byMobile.token, userId: finance }, clock)).toEqual({
      ok: false,
      error: 'wrong_account',
    })
    expect(await acceptInvitation(db, { token: byMobile.token, userId: second }, clock)).toMatchObject({
      ok: true,
      role: 'platform_admin',
    })
  })

  it('lets any admin bind an invitation, and refuses a platform invitation that names nobody', async () => {
    const admin = await createUser('社长')
    const coop = await createOrg('cooperative', admin)
    const n = serial++
    const staffEmail = `staff-${n}@members.test`
    const staff = await createUserWith('社员', { email: staffEmail })
    const other = await createUser('别人')
    const bound = await createInvitation(
      db,
      { orgId: coop, role: 'coop_staff', requesterId: admin, invitee: staffEmail },
      clock,
    )
    if (!bound.ok) throw new Error(bound.error)
    expect(await acceptInvitation(db, { token: bound.token, userId: other }, clock)).toEqual({
      ok: false,
      error: 'wrong_account',
    })
    expect(await acceptInvitation(db, { token: bound.token, userId: staff }, clock)).toMatchObject({
      ok: true,
    })
    // Unbound stays possible for everyday roles.
    const open = await invite(coop, 'coop_staff', admin)
    expect(await acceptInvitation(db, { token: open, userId: other }, clock)).toMatchObject({ ok: true })

    // A platform invitation without an invitee (as could be made before binding was required) is refused.
    const platformAdmin = await createUser('平台管理员')
    const platform = await createOrg('platform', platformAdmin)
    const legacyToken = `legacy-token-${randomUUID()}`
    await db.insert(invitations).values({
      orgId: platform,
      role: 'platform_admin',
      tokenHash: hashSessionToken(legacyToken),
      createdBy: platformAdmin,
      createdAt: SEED_NOW,
      expiresAt: new Date(SEED_NOW.getTime() + DAY_MS),
    })
    expect(
      await getInvitation(db, legacyToken, clock, { email: `x-${n}@members.test`, mobile: null }),
    ).toMatchObject({
      state: 'unbound',
    })
    expect(await acceptInvitation(db, { token: legacyToken, userId: other }, clock)).toEqual({
      ok: false,
      error: 'unbound',
    })
    expect(await roleOf(other, platform)).toBeNull()
  })

  it('lets only the invitee win when the invitee (twice) and an intruder accept a bound invitation at once', async () => {
    const admin = await createUser('平台管理员')
    const platform = await createOrg('platform', admin)
    const email = `invitee-${serial++}@members.test`
    const invitee = await createUserWith('受邀人', { email })
    const intruder = await createUser('冒领者')
    const created = await createInvitation(
      db,
      { orgId: platform, role: 'platform_finance', requesterId: admin, invitee: email },
      clock,
    )
    if (!created.ok) throw new Error(created.error)
    const results = await Promise.all([
      acceptInvitation(db, { token: created.token, userId: intruder }, clock),
      acceptInvitation(db, { token: created.token, userId: invitee }, clock),
      acceptInvitation(db, { token: created.token, userId: invitee }, clock),
    ])
    expect(results[0]).toEqual({ ok: false, error: 'wrong_account' })
    expect(results.slice(1).filter((r) => r.ok)).toHaveLength(1)
    // The invitee's second try is told it was used — or, when the first committed between its two reads, that the
    // invitee is a member already: both true, neither a second membership.
    const second = results.slice(1).filter((r) => !r.ok)
    expect(second).toHaveLength(1)
    expect(['used', 'already_member']).toContain((second[0] as { error: string }).error)
    const joined = await db
      .select({ userId: memberships.userId })
      .from(memberships)
      .where(eq(memberships.orgId, platform))
    expect(joined.map((j) => j.userId).sort()).toEqual([admin, invitee].sort())
  })

  it('changes roles (admin only, fitting the kind) and never demotes the last admin', async () => {
    const admin = await createUser('管理员')
    const buyer = await createUser('采购员')
    const unit = await createOrg('enterprise', admin)
    await addMember(buyer, unit, 'unit_buyer')
    const buyerSession = await createSessionRow(buyer)
    const adminSession = await createSessionRow(admin)

    expect(
      await changeMemberRole(db, {
        orgId: unit,
        targetUserId: admin,
        role: 'unit_buyer',
        requesterId: buyer,
      }),
    ).toEqual({ ok: false, error: 'forbidden' })
    const otherAdmin = await createUser('别家管理员')
    await createOrg('enterprise', otherAdmin)
    expect(
      await changeMemberRole(db, {
        orgId: unit,
        targetUserId: buyer,
        role: 'unit_admin',
        requesterId: otherAdmin,
      }),
    ).toEqual({ ok: false, error: 'forbidden' })
    expect(await removeMember(db, { orgId: unit, targetUserId: buyer, requesterId: otherAdmin })).toEqual({
      ok: false,
      error: 'forbidden',
    })
    expect(
      await changeMemberRole(db, {
        orgId: unit,
        targetUserId: buyer,
        role: 'coop_admin',
        requesterId: admin,
      }),
    ).toEqual({ ok: false, error: 'role_not_allowed' })
    expect(
      await changeMemberRole(db, {
        orgId: unit,
        targetUserId: admin,
        role: 'unit_buyer',
        requesterId: admin,
      }),
    ).toEqual({ ok: false, error: 'last_admin' })
    expect(await roleOf(admin, unit)).toBe('unit_admin')
    expect(await needsRotation(adminSession)).toBe(false)
    expect(await needsRotation(buyerSession)).toBe(false)

    expect(
      await changeMemberRole(db, {
        orgId: unit,
        targetUserId: buyer,
        role: 'unit_approver',
        requesterId: admin,
      }),
    ).toEqual({ ok: true })
    expect(await roleOf(buyer, unit)).toBe('unit_approver')
    expect(await needsRotation(buyerSession)).toBe(true)

    // With a second admin, the first may step down.
    expect(
      await changeMemberRole(db, {
        orgId: unit,
        targetUserId: buyer,
        role: 'unit_admin',
        requesterId: admin,
      }),
    ).toEqual({ ok: true })
    expect(
      await changeMemberRole(db, {
        orgId: unit,
        targetUserId: admin,
        role: 'unit_buyer',
        requesterId: admin,
      }),
    ).toEqual({ ok: true })
    expect(await roleOf(admin, unit)).toBe('unit_buyer')
    expect(await needsRotation(adminSession)).toBe(true)
    // …and is no longer an admin.
    expect(
      await changeMemberRole(db, {
        orgId: unit,
        targetUserId: admin,
        role: 'unit_admin',
        requesterId: admin,
      }),
    ).toEqual({ ok: false, error: 'forbidden' })
  })

  it('removes members: never the last admin; members may leave; removal flags rotation', async () => {
    const admin = await createUser('管理员')
    const staff = await createUser('员工')
    const leaver = await createUser('离开者')
    const coop = await createOrg('cooperative', admin)
    await addMember(staff, coop, 'coop_staff')
    await addMember(leaver, coop, 'coop_staff')
    const staffSession = await createSessionRow(staff)

    expect(await removeMember(db, { orgId: coop, targetUserId: admin, requesterId: admin })).toEqual({
      ok: false,
      error: 'last_admin',
    })
    expect(await removeMember(db, { orgId: coop, targetUserId: admin, requesterId: staff })).toEqual({
      ok: false,
      error: 'forbidden',
    })
    expect(await roleOf(admin, coop)).toBe('coop_admin')

    expect(await removeMember(db, { orgId: coop, targetUserId: leaver, requesterId: leaver })).toEqual({
      ok: true,
    })
    expect(await roleOf(leaver, coop)).toBeNull()

    expect(await removeMember(db, { orgId: coop, targetUserId: staff, requesterId: admin })).toEqual({
      ok: true,
    })
    expect(await roleOf(staff, coop)).toBeNull()
    expect(await needsRotation(staffSession)).toBe(true)
    expect(await removeMember(db, { orgId: coop, targetUserId: staff, requesterId: admin })).toEqual({
      ok: false,
      error: 'not_member',
    })

    // Two admins: one may remove the other, and then the remaining one is the last.
    const second = await createUser('第二管理员')
    await addMember(second, coop, 'coop_admin')
    expect(await removeMember(db, { orgId: coop, targetUserId: admin, requesterId: second })).toEqual({
      ok: true,
    })
    expect(await removeMember(db, { orgId: coop, targetUserId: second, requesterId: second })).toEqual({
      ok: false,
      error: 'last_admin',
    })
  })

  it('keeps one admin when two admins demote each other at the same moment', async () => {
    const a = await createUser('甲管理员')
    const b = await createUser('乙管理员')
    const unit = await createOrg('gov_unit', a)
    await addMember(b, unit, 'unit_admin')
    const results = await Promise.all([
      changeMemberRole(db, { orgId: unit, targetUserId: b, role: 'unit_buyer', requesterId: a }),
      changeMemberRole(db, { orgId: unit, targetUserId: a, role: 'unit_buyer', requesterId: b }),
    ])
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    const roles = [await roleOf(a, unit), await roleOf(b, unit)]
    expect(roles.filter((r) => r === 'unit_admin')).toHaveLength(1)
  })

  it('shows the member list to members only, and login identifiers to admins only', async () => {
    const admin = await createUser('管理员')
    const buyer = await createUser('采购员')
    const outsider = await createUser('外人')
    const unit = await createOrg('gov_unit', admin)
    await addMember(buyer, unit, 'unit_buyer')

    expect(await listMembers(db, { orgId: unit, requesterId: outsider })).toEqual({
      ok: false,
      error: 'forbidden',
    })
    expect(await listMembers(db, { orgId: randomUUID(), requesterId: admin })).toEqual({
      ok: false,
      error: 'not_found',
    })

    const asAdmin = await listMembers(db, { orgId: unit, requesterId: admin })
    if (!asAdmin.ok) throw new Error(asAdmin.error)
    expect(asAdmin.canManage).toBe(true)
    expect(asAdmin.org.verified).toBe(false)
    expect(asAdmin.members.map((m) => [m.displayName, m.role])).toEqual([
      ['管理员', 'unit_admin'],
      ['采购员', 'unit_buyer'],
    ])
    expect(asAdmin.members.every((m) => m.login?.endsWith('@members.test'))).toBe(true)

    const asBuyer = await listMembers(db, { orgId: unit, requesterId: buyer })
    if (!asBuyer.ok) throw new Error(asBuyer.error)
    expect(asBuyer.canManage).toBe(false)
    expect(asBuyer.members.map((m) => m.login)).toEqual([null, null])
    expect(asBuyer.members.find((m) => m.isSelf)?.userId).toBe(buyer)
  })

  it('switches the active organisation only to one the user belongs to', async () => {
    const user = await createUser('切换者')
    const mine = await createOrg('gov_unit', user)
    const other = await createOrg('gov_unit')
    const token = await createSessionRow(user)

    expect(await switchActiveOrganization(db, { token, userId: user, orgId: other })).toBe(false)
    const [unchanged] = await db
      .select({ activeOrgId: sessions.activeOrgId, needsRotation: sessions.needsRotation })
      .from(sessions)
      .where(eq(sessions.tokenHash, hashSessionToken(token)))
    expect(unchanged).toEqual({ activeOrgId: null, needsRotation: false })

    expect(await switchActiveOrganization(db, { token, userId: user, orgId: mine })).toBe(true)
    const [switched] = await db
      .select({ activeOrgId: sessions.activeOrgId, needsRotation: sessions.needsRotation })
      .from(sessions)
      .where(eq(sessions.tokenHash, hashSessionToken(token)))
    expect(switched).toEqual({ activeOrgId: mine, needsRotation: true })
  })

  describe('the members route', () => {
    async function authFor(userId: string, displayName: string): Promise<RequestAuth> {
      return {
        userId,
        displayName,
        email: null,
        mobile: null,
        memberships: await listMemberships(db, userId),
        active: null,
      }
    }

    function post(orgId: string, fields: Record<string, string>) {
      return new Request(`http://localhost/account/organizations/${orgId}/members`, {
        method: 'POST',
        body: new URLSearchParams(fields),
      })
    }

    async function statusOf(promise: Promise<unknown>): Promise<number> {
      try {
        const value = await promise
        return (value as { init?: { status?: number } | null }).init?.status ?? 200
      } catch (thrown) {
        if (thrown instanceof Response) return thrown.status
        throw thrown
      }
    }

    it('rejects an unknown intent with 400 and writes nothing on bad input', async () => {
      const admin = await createUser('管理员')
      const buyer = await createUser('采购员')
      const unit = await createOrg('gov_unit', admin)
      await addMember(buyer, unit, 'unit_buyer')
      const context = testContext({
        auth: await authFor(admin, '管理员'),
        sessionToken: 'irrelevant-token-value',
      })
      const params = { orgId: unit }

      expect(
        await statusOf(membersAction({ request: post(unit, { intent: 'promote' }), params, context })),
      ).toBe(400)
      expect(await statusOf(membersAction({ request: post(unit, {}), params, context }))).toBe(400)
      expect(
        await statusOf(
          membersAction({
            request: post(unit, { intent: 'change-role', userId: 'nope', role: 'x' }),
            params,
            context,
          }),
        ),
      ).toBe(400)
      expect(
        await statusOf(
          membersAction({
            request: post(unit, { intent: 'change-role', userId: buyer, role: 'coop_admin' }),
            params,
            context,
          }),
        ),
      ).toBe(400)
      expect(await roleOf(buyer, unit)).toBe('unit_buyer')

      const invited = await membersAction({
        request: post(unit, { intent: 'invite', role: 'unit_buyer' }),
        params,
        context,
      })
      const link = (invited as { data?: { done?: { link?: string } } }).data?.done?.link
      expect(link).toMatch(/^http:\/\/localhost\/invitations\/[A-Za-z0-9_-]{43}$/)
    })

    it('requires the invitee for a platform role as a field error, and lists whom each invitation is for', async () => {
      const admin = await createUser('平台管理员')
      const platform = await createOrg('platform', admin)
      const context = testContext({
        auth: await authFor(admin, '平台管理员'),
        sessionToken: 'irrelevant-token-value',
      })
      const params = { orgId: platform }
      const missing = membersAction({
        request: post(platform, { intent: 'invite', role: 'platform_finance', invitee: '' }),
        params,
        context,
      })
      expect(await statusOf(missing)).toBe(400)
      expect(((await missing) as { data?: unknown }).data).toMatchObject({
        intent: 'invite',
        target: null,
        done: null,
        result: { error: { invitee: ['members.error.invitee_required'] } },
      })
      const invalid = membersAction({
        request: post(platform, { intent: 'invite', role: 'platform_admin', invitee: 'someone' }),
        params,
        context,
      })
      expect(await statusOf(invalid)).toBe(400)
      expect(((await invalid) as { data?: unknown }).data).toMatchObject({
        result: { error: { invitee: ['members.error.invitee_invalid'] } },
      })
      expect(await db.select().from(invitations).where(eq(invitations.orgId, platform))).toEqual([])

      const email = `finance-${serial++}@members.test`
      const invited = await membersAction({
        request: post(platform, { intent: 'invite', role: 'platform_finance', invitee: email.toUpperCase() }),
        params,
        context,
      })
      expect((invited as { data?: unknown }).data).toMatchObject({ done: { invitee: email } })
      const page = await membersLoader({
        request: new Request(`http://localhost/account/organizations/${platform}/members`),
        params,
        context,
      })
      expect(page.invitations).toEqual([
        expect.objectContaining({ role: 'platform_finance', invitee: email }),
      ])
    })

    it('keeps the page with a new invitation link out of caches, through the real app', async () => {
      const admin = await createUser('管理员')
      const unit = await createOrg('gov_unit', admin)
      const { token } = await createSession(db, { userId: admin, activeOrgId: unit }, systemClock, {
        idleMinutes: 60,
        absoluteHours: 1,
      })
      const response = await fetch(`${origin}/account/organizations/${unit}/members`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Origin: origin,
          'Sec-Fetch-Site': 'same-origin',
          Cookie: await sessionCookieFor(token),
        },
        body: new URLSearchParams({ intent: 'invite', role: 'unit_buyer', invitee: '' }),
      })
      expect(response.status).toBe(200)
      expect(response.headers.get('cache-control')).toBe('no-store')
      expect(await response.text()).toMatch(/\/invitations\/[A-Za-z0-9_-]{43}/)
    })

    it('shows another account a refusal (403) and changes nothing when it opens or accepts a bound invitation', async () => {
      const admin = await createUser('平台管理员')
      const platform = await createOrg('platform', admin)
      const email = `bound-${serial++}@members.test`
      const invitee = await createUserWith('受邀人', { email })
      const intruder = await createUser('冒领者')
      const created = await createInvitation(
        db,
        { orgId: platform, role: 'platform_admin', requesterId: admin, invitee: email },
        // The route reads the real clock: an invitation made at the seed's date would have expired.
        systemClock,
      )
      if (!created.ok) throw new Error(created.error)
      const params = { token: created.token }
      const url = `http://localhost/invitations/${created.token}`
      const accept = () =>
        new Request(url, { method: 'POST', body: new URLSearchParams({ intent: 'accept' }) })
      const asIntruder = testContext({
        auth: { ...(await authFor(intruder, '冒领者')), email: 'intruder@members.test' },
        sessionToken: 'irrelevant-token-value',
      })

      const opened = invitationLoader({ request: new Request(url), params, context: asIntruder })
      expect(await statusOf(opened)).toBe(403)
      expect(((await opened) as { data?: { invitation?: unknown } }).data?.invitation).toMatchObject({
        state: 'wrong_account',
        invitee: 'b***@members.test',
      })
      const refused = invitationAction({ request: accept(), params, context: asIntruder })
      expect(await statusOf(refused)).toBe(403)
      expect(((await refused) as { data?: unknown }).data).toEqual({ error: 'wrong_account' })
      expect(await roleOf(intruder, platform)).toBeNull()
      expect(await getInvitation(db, created.token, systemClock)).toMatchObject({ state: 'valid' })

      const asInvitee = testContext({
        auth: { ...(await authFor(invitee, '受邀人')), email },
        sessionToken: 'irrelevant-token-value',
      })
      expect(
        await statusOf(invitationLoader({ request: new Request(url), params, context: asInvitee })),
      ).toBe(200)
      const joined = await invitationAction({ request: accept(), params, context: asInvitee })
      expect(joined).toBeInstanceOf(Response)
      expect((joined as Response).status).toBe(302)
      expect(await roleOf(invitee, platform)).toBe('platform_admin')
    })

    it('answers 403 to a non-member, and 403 or 404 (never data) for an unknown organisation', async () => {
      const admin = await createUser('管理员')
      const outsider = await createUser('外人')
      const unit = await createOrg('gov_unit', admin)
      const request = new Request(`http://localhost/account/organizations/${unit}/members`)
      const asOutsider = testContext({
        auth: await authFor(outsider, '外人'),
        sessionToken: 'irrelevant-token-value',
      })
      expect(await statusOf(membersLoader({ request, params: { orgId: unit }, context: asOutsider }))).toBe(
        403,
      )
      // The access map refuses first: an unknown organisation looks like anyone else's.
      expect(
        await statusOf(membersLoader({ request, params: { orgId: randomUUID() }, context: asOutsider })),
      ).toBe(403)
      expect(
        await statusOf(membersLoader({ request, params: { orgId: 'not-a-uuid' }, context: asOutsider })),
      ).toBe(404)
    })
  })
})
