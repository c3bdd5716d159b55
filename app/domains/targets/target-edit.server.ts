import { randomUUID } from 'node:crypto'
import { and, asc, eq, ne, sql } from 'drizzle-orm'
import type { Db } from '../../../db/client.server'
import { aidRollups } from '../../../db/schema/ledger'
import { memberships } from '../../../db/schema/memberships'
import { targets } from '../../../db/schema/targets'
import { type Clock, shanghaiToday } from '../../utils/clock'
import { isUuid } from '../../utils/ids'
import { recordAuditEvent } from '../audit/index.server'
import { rebuildTargetReach } from '../ledger/index.server'
import { referenceData } from '../regions/index.server'
import { type OfficeActor, officeJurisdiction, targetInJurisdiction } from './dashboard.server'
import {
  buyerChannelsOf,
  choicesOfChannels,
  type TargetField,
  type TargetFormValues,
  type TargetInput,
  type TargetScopeInput,
  type TargetUpdateInput,
} from './target-forms'
import { scopeConditions, targetColumns, type TargetRow } from './targets.server'

/**
 * Office targets (decision 024): an office's admins create and edit targets inside the office's jurisdiction. An
 * office target is kind `office` with the office as its owner; demo and reference targets are never edited here.
 * Once a sale was counted against a target its scope (regions, channels, certified only, metric, period start) is
 * frozen: name, goal, period end and parent stay editable. A sub-target's period lies within its parent's, and the
 * goals of a parent's sub-targets of the same metric add up to at most the parent's goal.
 */

export type TargetFieldErrors = Partial<Record<TargetField, string[]>>
export type TargetSaveResult =
  | { ok: true; id: string }
  | { ok: false; status: 400; errors: TargetFieldErrors; unknownCodes?: string[] }
  | { ok: false; status: 404 }
  /** A scope sent for a target whose scope is frozen, and different from the stored one. */
  | { ok: false; status: 409; errors: TargetFieldErrors }

/** An office admin acting for the office (the route checks the role; the domain re-reads the membership). */
export type OfficeAdmin = OfficeActor

export type ParentChoice = {
  id: string
  name: string
  metric: 'amount_fen' | 'people'
  periodStart: string
  periodEnd: string
}

export type TargetEditView = TargetFormValues & {
  id: string
  /** A sale was counted against it: the scope can no longer change. */
  frozen: boolean
}

/** Whether the acting user is an admin of the verified office, and its jurisdiction (null: not). */
async function adminJurisdiction(db: Db, actor: OfficeAdmin): Promise<string[] | null> {
  if (!isUuid(actor.userId) || !isUuid(actor.orgId)) return null
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.userId, actor.userId), eq(memberships.orgId, actor.orgId)))
  const role = row?.role
  if (role !== 'office_admin') return null
  return officeJurisdiction(db, actor)
}

/** Whether any sale was counted against a target (its scope and period; a refunded sale still was). */
export async function saleCountedAgainst(db: Db, target: TargetRow): Promise<boolean> {
  const [row] = await db
    .select({ n: sql<string>`coalesce(sum(${aidRollups.entries}), 0)::text` })
    .from(aidRollups)
    .where(scopeConditions(target))
  return BigInt(row?.n ?? '0') > 0n
}

/** The targets a new or edited target may hang under: the office's counted top-level targets (one level deep). */
export async function parentChoices(
  db: Db,
  actor: OfficeAdmin,
  exceptId?: string,
): Promise<ParentChoice[] | null> {
  const jurisdiction = await officeJurisdiction(db, actor)
  if (!jurisdiction) return null
  const rows = await db
    .select(targetColumns)
    .from(targets)
    .where(and(sql`${targets.parentId} is null`, ne(targets.kind, 'reference')))
    .orderBy(asc(targets.sortOrder), asc(targets.key))
  return rows
    .filter((row) => row.id !== exceptId && targetInJurisdiction(row, jurisdiction))
    .map((row) => ({
      id: row.id,
      name: row.name,
      metric: row.metric,
      periodStart: row.periodStart,
      periodEnd: row.periodEnd,
    }))
}

async function ownTarget(db: Db, actor: OfficeAdmin, id: string): Promise<TargetRow | null> {
  if (!isUuid(id)) return null
  const [row] = await db
    .select(targetColumns)
    .from(targets)
    .where(and(eq(targets.id, id), eq(targets.kind, 'office'), eq(targets.ownerOrgId, actor.orgId)))
  return row ?? null
}

/** The edit form's view of one of the office's own targets; null when not the acting office's (404). */
export async function getTargetForEdit(
  db: Db,
  actor: OfficeAdmin,
  id: string,
): Promise<TargetEditView | null> {
  const jurisdiction = await adminJurisdiction(db, actor)
  if (!jurisdiction) return null
  const row = await ownTarget(db, actor, id)
  if (!row || !targetInJurisdiction(row, jurisdiction)) return null
  const { regions } = await referenceData(db)
  const named = (codes: string[]) => codes.map((code) => ({ code, name: regions.get(code)?.name ?? code }))
  return {
    id: row.id,
    name: row.name,
    metric: row.metric,
    goal: row.goal.toString(),
    periodStart: row.periodStart,
    periodEnd: row.periodEnd,
    parentId: row.parentId,
    helped: named(row.helpedCodes),
    helper: named(row.helperCodes),
    channels: choicesOfChannels(row.buyerChannels),
    certifiedOnly: row.certifiedOnly,
    frozen: await saleCountedAgainst(db, row),
  }
}

type Scope = {
  metric: 'amount_fen' | 'people'
  helpedCodes: string[]
  helperCodes: string[]
  buyerChannels: string[]
  certifiedOnly: boolean
  periodStart: string
}

const scopeOf = (input: TargetScopeInput): Scope => ({
  metric: input.metric,
  helpedCodes: [...input.helped].sort(),
  helperCodes: [...input.helper].sort(),
  buyerChannels: buyerChannelsOf(input.channels),
  certifiedOnly: input.certifiedOnly,
  periodStart: input.periodStart,
})

const sameScope = (a: Scope, b: Scope) =>
  a.metric === b.metric &&
  a.certifiedOnly === b.certifiedOnly &&
  a.periodStart === b.periodStart &&
  [...a.helpedCodes].sort().join() === [...b.helpedCodes].sort().join() &&
  [...a.helperCodes].sort().join() === [...b.helperCodes].sort().join() &&
  [...a.buyerChannels].sort().join() === [...b.buyerChannels].sort().join()

/**
 * The checks a saved target must pass, with the field to blame: known region codes, a scope inside the office's
 * jurisdiction, and a parent (one of the office's top-level counted targets) whose period contains the target's
 * and whose goal the sub-targets of the same metric do not exceed together.
 */
async function checkTarget(
  tx: Db,
  regions: ReadonlyMap<string, unknown>,
  jurisdiction: string[],
  values: { id: string | null; goal: bigint; periodEnd: string; parentId: string | undefined; scope: Scope },
): Promise<{ errors: TargetFieldErrors; unknownCodes: string[] }> {
  const errors: TargetFieldErrors = {}
  const { scope } = values
  const unknownCodes = [...scope.helpedCodes, ...scope.helperCodes].filter((code) => !regions.has(code))
  if (scope.helpedCodes.some((c) => !regions.has(c))) errors.helped = ['targetForm.error.regions.unknown']
  if (scope.helperCodes.some((c) => !regions.has(c))) errors.helper = ['targetForm.error.regions.unknown']
  if (!errors.helped && !errors.helper && !targetInJurisdiction({ kind: 'office', ...scope }, jurisdiction)) {
    errors.helped = ['targetForm.error.regions.outside']
  }
  if (values.periodEnd < scope.periodStart) errors.periodEnd = ['targetForm.error.periodEnd.beforeStart']
  if (values.parentId) {
    const [parent] = await tx
      .select(targetColumns)
      .from(targets)
      .where(eq(targets.id, values.parentId))
      .for('update')
    if (
      !parent ||
      parent.id === values.id ||
      parent.parentId !== null ||
      parent.kind === 'reference' ||
      !targetInJurisdiction(parent, jurisdiction)
    ) {
      errors.parentId = ['targetForm.error.parent.unknown']
    } else {
      if (scope.periodStart < parent.periodStart || values.periodEnd > parent.periodEnd)
        errors.periodEnd = ['targetForm.error.parent.period']
      if (scope.metric === parent.metric) {
        const [siblings] = await tx
          .select({ sum: sql<string>`coalesce(sum(${targets.goal}), 0)::text` })
          .from(targets)
          .where(
            and(
              eq(targets.parentId, parent.id),
              eq(targets.metric, parent.metric),
              values.id ? ne(targets.id, values.id) : undefined,
            ),
          )
        if (BigInt(siblings?.sum ?? '0') + values.goal > parent.goal)
          errors.goal = ['targetForm.error.parent.exceeds']
      }
    }
  }
  if (values.id) {
    // A parent's goal may not drop below what its sub-targets of the same metric already add up to.
    const [children] = await tx
      .select({ sum: sql<string>`coalesce(sum(${targets.goal}), 0)::text`, n: sql<string>`count(*)::text` })
      .from(targets)
      .where(and(eq(targets.parentId, values.id), eq(targets.metric, scope.metric)))
    if (BigInt(children?.sum ?? '0') > values.goal) errors.goal = ['targetForm.error.goal.belowChildren']
    if (values.parentId && Number((await childCount(tx, values.id)) ?? 0) > 0)
      errors.parentId = ['targetForm.error.parent.hasChildren']
  }
  return { errors, unknownCodes }
}

async function childCount(tx: Db, id: string): Promise<number> {
  const [row] = await tx
    .select({ n: sql<string>`count(*)::text` })
    .from(targets)
    .where(eq(targets.parentId, id))
  return Number(row?.n ?? 0)
}

const channelLabel = (channels: string[]) => (channels.length === 0 ? 'any' : channels.join(','))

function auditDetails(values: {
  name: string
  goal: bigint
  periodEnd: string
  parentId: string | null
  scope: Scope
}): Record<string, string | boolean | string[] | null> {
  return {
    name: values.name,
    metric: values.scope.metric,
    ...(values.scope.metric === 'amount_fen'
      ? { goalFen: values.goal.toString() }
      : { goalPeople: values.goal.toString() }),
    helpedCodes: values.scope.helpedCodes,
    helperCodes: values.scope.helperCodes,
    channels: channelLabel(values.scope.buyerChannels),
    certifiedOnly: values.scope.certifiedOnly,
    periodStart: values.scope.periodStart,
    periodEnd: values.periodEnd,
    parentId: values.parentId,
  }
}

/** Creates an office target (admins of the acting office; audited; the reach it already has is counted in). */
export async function createOfficeTarget(
  db: Db,
  actor: OfficeAdmin,
  input: TargetInput,
  clock: Clock,
): Promise<TargetSaveResult> {
  const jurisdiction = await adminJurisdiction(db, actor)
  if (!jurisdiction) return { ok: false, status: 404 }
  const scope = scopeOf(input.scope)
  // Reference data is read outside the transaction (it is cached per database).
  const { regions } = await referenceData(db)
  return db.transaction(async (tx) => {
    const { errors, unknownCodes } = await checkTarget(tx, regions, jurisdiction, {
      id: null,
      goal: input.goal,
      periodEnd: input.periodEnd,
      parentId: input.parentId,
      scope,
    })
    if (Object.keys(errors).length > 0)
      return { ok: false as const, status: 400 as const, errors, unknownCodes }
    const id = randomUUID()
    const now = clock.now()
    await tx.insert(targets).values({
      id,
      key: `office-${id}`,
      parentId: input.parentId ?? null,
      name: input.name,
      kind: 'office',
      metric: scope.metric,
      goal: input.goal,
      periodStart: scope.periodStart,
      periodEnd: input.periodEnd,
      helpedCodes: scope.helpedCodes,
      helperCodes: scope.helperCodes,
      buyerChannels: scope.buyerChannels,
      certifiedOnly: scope.certifiedOnly,
      sortOrder: 1000,
      ownerOrgId: actor.orgId,
      createdBy: actor.userId,
      updatedAt: now,
    })
    await rebuildTargetReach(tx, { id, periodEnd: input.periodEnd, ...scope })
    await recordAuditEvent(tx, {
      actorUserId: actor.userId,
      action: 'target.created',
      subjectType: 'target',
      subjectId: id,
      details: auditDetails({
        name: input.name,
        goal: input.goal,
        periodEnd: input.periodEnd,
        parentId: input.parentId ?? null,
        scope,
      }),
      occurredAt: now,
    })
    return { ok: true as const, id }
  })
}

/**
 * Edits one of the acting office's targets. With a frozen scope only name, goal, period end and parent change; a
 * scope sent anyway must equal the stored one (409 otherwise, nothing written). Audited with what changed.
 */
export async function updateOfficeTarget(
  db: Db,
  actor: OfficeAdmin,
  id: string,
  input: TargetUpdateInput,
  clock: Clock,
): Promise<TargetSaveResult> {
  const jurisdiction = await adminJurisdiction(db, actor)
  if (!jurisdiction) return { ok: false, status: 404 }
  const { regions } = await referenceData(db)
  return db.transaction(async (tx) => {
    if (!isUuid(id)) return { ok: false as const, status: 404 as const }
    const [row] = await tx
      .select(targetColumns)
      .from(targets)
      .where(and(eq(targets.id, id), eq(targets.kind, 'office'), eq(targets.ownerOrgId, actor.orgId)))
      .for('update')
    if (!row || !targetInJurisdiction(row, jurisdiction)) return { ok: false as const, status: 404 as const }
    const stored: Scope = {
      metric: row.metric,
      helpedCodes: row.helpedCodes,
      helperCodes: row.helperCodes,
      buyerChannels: row.buyerChannels,
      certifiedOnly: row.certifiedOnly,
      periodStart: row.periodStart,
    }
    const frozen = await saleCountedAgainst(tx, row)
    const asked = input.scope ? scopeOf(input.scope) : null
    if (frozen && asked && !sameScope(asked, stored)) {
      return {
        ok: false as const,
        status: 409 as const,
        errors: { helped: ['targetForm.error.scopeFrozen'] },
      }
    }
    if (!frozen && !asked) {
      return {
        ok: false as const,
        status: 400 as const,
        errors: { metric: ['targetForm.error.metric'], periodStart: ['targetForm.error.periodStart'] },
      }
    }
    const scope = asked ?? stored
    const { errors, unknownCodes } = await checkTarget(tx, regions, jurisdiction, {
      id,
      goal: input.goal,
      periodEnd: input.periodEnd,
      parentId: input.parentId,
      scope,
    })
    if (Object.keys(errors).length > 0)
      return { ok: false as const, status: 400 as const, errors, unknownCodes }
    const now = clock.now()
    const before = auditDetails({
      name: row.name,
      goal: row.goal,
      periodEnd: row.periodEnd,
      parentId: row.parentId,
      scope: stored,
    })
    const after = auditDetails({
      name: input.name,
      goal: input.goal,
      periodEnd: input.periodEnd,
      parentId: input.parentId ?? null,
      scope,
    })
    const changed = Object.keys(after).filter((k) => JSON.stringify(after[k]) !== JSON.stringify(before[k]))
    await tx
      .update(targets)
      .set({
        name: input.name,
        goal: input.goal,
        periodEnd: input.periodEnd,
        parentId: input.parentId ?? null,
        metric: scope.metric,
        helpedCodes: scope.helpedCodes,
        helperCodes: scope.helperCodes,
        buyerChannels: scope.buyerChannels,
        certifiedOnly: scope.certifiedOnly,
        periodStart: scope.periodStart,
        updatedAt: now,
      })
      .where(eq(targets.id, id))
    await rebuildTargetReach(tx, { id, periodEnd: input.periodEnd, ...scope })
    await recordAuditEvent(tx, {
      actorUserId: actor.userId,
      action: 'target.updated',
      subjectType: 'target',
      subjectId: id,
      details: { ...after, changed: changed.join(',') },
      occurredAt: now,
    })
    return { ok: true as const, id }
  })
}

/** Today's date for a new target's default period (the current Asia/Shanghai year). */
export function defaultPeriod(clock: Clock): { periodStart: string; periodEnd: string } {
  const today = shanghaiToday(clock)
  return { periodStart: `${today.slice(0, 4)}-01-01`, periodEnd: `${today.slice(0, 4)}-12-31` }
}
