import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm'
import type { Db } from '../../../db/client.server'
import { users } from '../../../db/schema/accounts'
import { products } from '../../../db/schema/catalog'
import {
  households,
  proceedsRuleChanges,
  proceedsRules,
  productBeneficiaries,
} from '../../../db/schema/households'
import type { Clock } from '../../utils/clock'
import { isUuid } from '../../utils/ids'
import { recordAuditEvent } from '../audit/index.server'
import { type FormErrors, parseForm } from '../catalog'
import { changeBeneficiaries } from './beneficiaries.server'
import { linkHouseholdSchema, proceedsRuleSchema, type ProceedsRuleValue, reweighSchema } from './forms'
import { lineProceedsFen } from './proceeds'
import { type RosterActor, rosterCoop } from './roster.server'

/**
 * A product's proceeds rule and beneficiary households, as its cooperative manages them. A rule change is recorded
 * in proceeds_rule_changes and takes effect for orders placed after it: an order line carries the proceeds it was
 * promised when it was placed, and payment confirmation credits exactly that, so an order already placed keeps its
 * promise. Every member reads this; only the cooperative's admins change it.
 */

export type RuleView =
  | { kind: 'none' }
  | { kind: 'basis_points'; basisPoints: number }
  | { kind: 'fen_per_unit'; fenPerUnit: string }

export type ProductBeneficiariesView = {
  product: { id: string; name: string; priceFen: string; status: (typeof products.$inferSelect)['status'] }
  rule: RuleView
  /** What one unit at the list price credits now (0 without a rule or without households). */
  perUnitFen: string
  history: Array<{ changedAt: string; rule: RuleView; by: string | null }>
  links: Array<{ householdId: string; code: string; maskedName: string; village: string; weight: number }>
  /** Active households of the roster not linked yet, for the picker (the first 500 by code). */
  candidates: Array<{ code: string; maskedName: string; village: string }>
  canChange: boolean
}

function ruleView(row: {
  kind: string | null
  basisPoints: number | null
  fenPerUnit: bigint | null
}): RuleView {
  if (row.kind === 'basis_points') return { kind: 'basis_points', basisPoints: row.basisPoints ?? 0 }
  if (row.kind === 'fen_per_unit') return { kind: 'fen_per_unit', fenPerUnit: String(row.fenPerUnit ?? 0n) }
  return { kind: 'none' }
}

async function ownProduct(db: Db, orgId: string, productId: string) {
  if (!isUuid(productId)) return null
  const [row] = await db
    .select({ id: products.id, name: products.name, priceFen: products.priceFen, status: products.status })
    .from(products)
    .where(and(eq(products.id, productId), eq(products.orgId, orgId)))
  return row ?? null
}

export async function getProductBeneficiaries(
  db: Db,
  input: RosterActor & { productId: string },
): Promise<ProductBeneficiariesView | null> {
  const coop = await rosterCoop(db, input)
  if (!coop) return null
  const product = await ownProduct(db, coop.id, input.productId)
  if (!product) return null
  const [ruleRows, history, links, candidates] = await Promise.all([
    db.select().from(proceedsRules).where(eq(proceedsRules.productId, product.id)),
    db
      .select({
        changedAt: proceedsRuleChanges.changedAt,
        kind: proceedsRuleChanges.kind,
        basisPoints: proceedsRuleChanges.basisPoints,
        fenPerUnit: proceedsRuleChanges.fenPerUnit,
        by: users.displayName,
      })
      .from(proceedsRuleChanges)
      .leftJoin(users, eq(users.id, proceedsRuleChanges.changedBy))
      .where(eq(proceedsRuleChanges.productId, product.id))
      .orderBy(desc(proceedsRuleChanges.changedAt))
      .limit(50),
    db
      .select({
        householdId: households.id,
        code: households.code,
        maskedName: households.maskedName,
        village: households.village,
        weight: productBeneficiaries.weight,
      })
      .from(productBeneficiaries)
      .innerJoin(households, eq(households.id, productBeneficiaries.householdId))
      .where(and(eq(productBeneficiaries.productId, product.id), isNull(productBeneficiaries.unlinkedAt)))
      .orderBy(asc(households.code)),
    db
      .select({ code: households.code, maskedName: households.maskedName, village: households.village })
      .from(households)
      .where(
        and(
          eq(households.orgId, coop.id),
          isNull(households.deactivatedAt),
          sql`not exists (select 1 from product_beneficiaries b where b.household_id = households.id
                and b.product_id = ${product.id} and b.unlinked_at is null)`,
        ),
      )
      .orderBy(asc(households.code))
      .limit(500),
  ])
  const rule = ruleRows[0] ? ruleView(ruleRows[0]) : ({ kind: 'none' } as const)
  const perUnit =
    links.length === 0 || rule.kind === 'none'
      ? 0n
      : lineProceedsFen(
          rule.kind === 'basis_points' ? rule : { kind: 'fen_per_unit', fenPerUnit: BigInt(rule.fenPerUnit) },
          { quantity: 1, amountFen: product.priceFen },
        )
  return {
    product: {
      id: product.id,
      name: product.name,
      priceFen: String(product.priceFen),
      status: product.status,
    },
    rule,
    perUnitFen: String(perUnit),
    history: history.map((h) => ({ changedAt: h.changedAt.toISOString(), rule: ruleView(h), by: h.by })),
    links,
    candidates,
    canChange: coop.role === 'coop_admin',
  }
}

export type ProceedsChangeResult =
  | { ok: true }
  | { ok: false; error: 'not_found' | 'unchanged' | 'inactive' | 'not_linked' }
  | { ok: false; error: 'invalid'; errors: FormErrors }

async function adminProduct(db: Db, input: RosterActor & { productId: string }) {
  const coop = await rosterCoop(db, input)
  if (!coop || coop.role !== 'coop_admin') return null
  const product = await ownProduct(db, coop.id, input.productId)
  return product ? { coop, product } : null
}

function sameRule(
  a: ProceedsRuleValue,
  row: { kind: string; basisPoints: number | null; fenPerUnit: bigint | null } | undefined,
) {
  if (!row) return a.kind === 'none'
  if (a.kind === 'basis_points') return row.kind === 'basis_points' && row.basisPoints === a.basisPoints
  if (a.kind === 'fen_per_unit') return row.kind === 'fen_per_unit' && row.fenPerUnit === a.fenPerUnit
  return false
}

/**
 * Sets the product's rule from now on, keeps the change in the history and the audit log. Placing an order locks
 * nothing this changes: a line placed before the change carries its promise; one placed after reads the new rule.
 */
export async function setProceedsRule(
  db: Db,
  input: RosterActor & { productId: string; form: unknown },
  clock: Clock,
): Promise<ProceedsChangeResult> {
  const parsed = parseForm(proceedsRuleSchema, input.form)
  if (!parsed.ok) return { ok: false, error: 'invalid', errors: parsed.errors }
  const rule = parsed.data
  const owned = await adminProduct(db, input)
  if (!owned) return { ok: false, error: 'not_found' }
  return db.transaction(async (tx): Promise<ProceedsChangeResult> => {
    // One change of a product's rule at a time.
    await tx
      .select({ id: products.id })
      .from(products)
      .where(eq(products.id, owned.product.id))
      .for('no key update')
    const [current] = await tx
      .select()
      .from(proceedsRules)
      .where(eq(proceedsRules.productId, owned.product.id))
    if (sameRule(rule, current)) return { ok: false, error: 'unchanged' }
    const values = {
      kind: rule.kind === 'none' ? null : rule.kind,
      basisPoints: rule.kind === 'basis_points' ? rule.basisPoints : null,
      fenPerUnit: rule.kind === 'fen_per_unit' ? rule.fenPerUnit : null,
    }
    if (rule.kind === 'none') {
      await tx.delete(proceedsRules).where(eq(proceedsRules.productId, owned.product.id))
    } else {
      const row = {
        productId: owned.product.id,
        kind: rule.kind,
        basisPoints: values.basisPoints,
        fenPerUnit: values.fenPerUnit,
      }
      await tx
        .insert(proceedsRules)
        .values(row)
        .onConflictDoUpdate({
          target: proceedsRules.productId,
          set: { kind: row.kind, basisPoints: row.basisPoints, fenPerUnit: row.fenPerUnit },
        })
    }
    const now = clock.now()
    await tx.insert(proceedsRuleChanges).values({
      productId: owned.product.id,
      ...values,
      changedBy: input.actorUserId,
      changedAt: now,
    })
    await recordAuditEvent(tx, {
      actorUserId: input.actorUserId,
      action: 'proceeds_rule.changed',
      subjectType: 'product',
      subjectId: owned.product.id,
      details: {
        kind: rule.kind,
        basisPoints: values.basisPoints,
        fenPerUnit: values.fenPerUnit === null ? null : values.fenPerUnit.toString(),
      },
      occurredAt: now,
    })
    return { ok: true }
  })
}

/** Links a household of the roster (by its code, active) to the product with a weight. */
export async function linkHousehold(
  db: Db,
  input: RosterActor & { productId: string; form: unknown },
  clock: Clock,
): Promise<ProceedsChangeResult> {
  const parsed = parseForm(linkHouseholdSchema, input.form)
  if (!parsed.ok) return { ok: false, error: 'invalid', errors: parsed.errors }
  const owned = await adminProduct(db, input)
  if (!owned) return { ok: false, error: 'not_found' }
  const [household] = await db
    .select({ id: households.id, deactivatedAt: households.deactivatedAt })
    .from(households)
    .where(
      and(eq(households.code, parsed.data.householdCode.toUpperCase()), eq(households.orgId, owned.coop.id)),
    )
  if (!household)
    return { ok: false, error: 'invalid', errors: { householdCode: ['proceeds.error.unknownHousehold'] } }
  if (household.deactivatedAt)
    return { ok: false, error: 'invalid', errors: { householdCode: ['proceeds.error.inactiveHousehold'] } }
  return beneficiaryChange(db, owned.product.id, input.actorUserId, household.id, parsed.data.weight, clock)
}

/** A linked household's new weight (from now on). */
export async function reweighHousehold(
  db: Db,
  input: RosterActor & { productId: string; form: unknown },
  clock: Clock,
): Promise<ProceedsChangeResult> {
  const parsed = parseForm(reweighSchema, input.form)
  if (!parsed.ok) return { ok: false, error: 'invalid', errors: parsed.errors }
  const owned = await adminProduct(db, input)
  if (!owned || !isUuid(parsed.data.householdId)) return { ok: false, error: 'not_found' }
  if (!(await isLinked(db, owned.product.id, parsed.data.householdId)))
    return { ok: false, error: 'not_linked' }
  return beneficiaryChange(
    db,
    owned.product.id,
    input.actorUserId,
    parsed.data.householdId,
    parsed.data.weight,
    clock,
  )
}

/** Ends a household's link (from now on; its earlier credits stay). */
export async function unlinkHousehold(
  db: Db,
  input: RosterActor & { productId: string; householdId: string },
  clock: Clock,
): Promise<ProceedsChangeResult> {
  const owned = await adminProduct(db, input)
  if (!owned || !isUuid(input.householdId)) return { ok: false, error: 'not_found' }
  if (!(await isLinked(db, owned.product.id, input.householdId))) return { ok: false, error: 'not_linked' }
  return beneficiaryChange(db, owned.product.id, input.actorUserId, input.householdId, null, clock)
}

async function isLinked(db: Db, productId: string, householdId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: productBeneficiaries.id })
    .from(productBeneficiaries)
    .where(
      and(
        eq(productBeneficiaries.productId, productId),
        eq(productBeneficiaries.householdId, householdId),
        isNull(productBeneficiaries.unlinkedAt),
      ),
    )
  return Boolean(row)
}

async function beneficiaryChange(
  db: Db,
  productId: string,
  actorUserId: string,
  householdId: string,
  weight: number | null,
  clock: Clock,
): Promise<ProceedsChangeResult> {
  const result = await changeBeneficiaries(
    db,
    { productId, changes: [{ householdId, weight }], actorUserId },
    clock,
  )
  if (result.ok) return result.effectiveAt ? { ok: true } : { ok: false, error: 'unchanged' }
  return { ok: false, error: result.reason === 'not_found' ? 'not_found' : 'inactive' }
}
