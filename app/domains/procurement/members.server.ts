import { and, asc, eq, inArray } from 'drizzle-orm'
import type { Db } from '../../../db/client.server'
import { users } from '../../../db/schema/accounts'
import { memberships } from '../../../db/schema/memberships'
import type { Clock } from '../../utils/clock'
import { isUuid } from '../../utils/ids'
import { recordAuditEvent } from '../audit/index.server'
import type { SpendingLimitForm } from './forms'
import { type UnitActor, type UnitRole, unitRoles } from './unit-actor'

export type UnitMember = { userId: string; displayName: string; role: UnitRole; limitFen: bigint }

/** The unit's members with their spending limits (buyers first, then by name). */
export async function listUnitMembers(db: Db, orgId: string): Promise<UnitMember[]> {
  const rows = await db
    .select({
      userId: memberships.userId,
      displayName: users.displayName,
      role: memberships.role,
      limitFen: memberships.spendingLimitFen,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), inArray(memberships.role, [...unitRoles])))
    .orderBy(asc(memberships.role), asc(users.displayName))
  return rows.map((r) => ({ ...r, role: r.role as UnitRole }))
}

export type SetLimitResult =
  | { ok: true; previousFen: bigint }
  | { ok: false; reason: 'not_found' | 'forbidden' }

/**
 * The unit admin sets a member's spending limit: the largest requisition that goes straight to ordering. Recorded
 * in the audit log with the old and the new limit. Only the unit admin of that unit (the route's rule, and checked
 * here again on the membership).
 */
export async function setSpendingLimit(
  db: Db,
  input: { actor: UnitActor; form: SpendingLimitForm },
  clock: Clock,
): Promise<SetLimitResult> {
  const { actor, form } = input
  if (!isUuid(form.userId)) return { ok: false, reason: 'not_found' }
  return db.transaction(async (tx) => {
    const [admin] = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.userId, actor.userId), eq(memberships.orgId, actor.orgId)))
    if (admin?.role !== 'unit_admin') return { ok: false as const, reason: 'forbidden' as const }
    const [member] = await tx
      .select({ limitFen: memberships.spendingLimitFen })
      .from(memberships)
      .where(
        and(
          eq(memberships.userId, form.userId),
          eq(memberships.orgId, actor.orgId),
          inArray(memberships.role, [...unitRoles]),
        ),
      )
      .for('update')
    if (!member) return { ok: false as const, reason: 'not_found' as const }
    await tx
      .update(memberships)
      .set({ spendingLimitFen: form.limit })
      .where(and(eq(memberships.userId, form.userId), eq(memberships.orgId, actor.orgId)))
    await recordAuditEvent(tx, {
      actorUserId: actor.userId,
      action: 'membership.spending_limit_set',
      subjectType: 'user',
      subjectId: form.userId,
      details: { orgId: actor.orgId, fromFen: member.limitFen.toString(), toFen: form.limit.toString() },
      occurredAt: clock.now(),
    })
    return { ok: true as const, previousFen: member.limitFen }
  })
}
