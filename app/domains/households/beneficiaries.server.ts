import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../../db/client.server'
import { products } from '../../../db/schema/catalog'
import { households, productBeneficiaries } from '../../../db/schema/households'
import type { Clock } from '../../utils/clock'
import { isUuid } from '../../utils/ids'
import { recordAuditEvent } from '../audit/index.server'

/**
 * Which households a product's proceeds are credited to. Links keep their history: a link holds from linked_at
 * until unlinked_at, a changed weight ends the old link and starts a new one, and nothing is deleted — so that
 * `ledger:verify` can check every sale's credits against the households the product had when it was sold.
 */

/** A household's new weight for the product; null ends its link. */
export type BeneficiaryChange = { householdId: string; weight: number | null }

export type ChangeBeneficiariesResult =
  /** effectiveAt: when the changes took effect; null when there was nothing to change. */
  | { ok: true; effectiveAt: Date | null }
  | {
      ok: false
      reason: 'not_found' | 'no_changes' | 'bad_household' | 'bad_weight' | 'duplicate_household'
    }

/** Weights are PostgreSQL integers above zero. */
const MAX_WEIGHT = 2 ** 31 - 1

/**
 * Links, re-weights and unlinks households of a product (a household of the product's own cooperative), all at one
 * instant: the clock's now, or — so that no counted sale and no earlier change of this product ever falls on the
 * boundary — 1 ms after the latest of them. A change that changes nothing (the same weight, or unlinking a
 * household not linked) is left out, so repeating a request is harmless.
 *
 * A confirmation splits a sale over the links valid at its confirmation time, and so does the verifier; a change
 * must therefore not take effect at or before the time of a confirmation that has not committed yet. It locks the
 * unpaid payments (and their orders, in the order confirmPayment locks them) of every order with this product
 * first: a confirmation under way is waited for — its sale is then seen, and the change placed after it — and one
 * that starts now waits for this change and takes its time after it. Then the product row, which serialises
 * changes of one product (after the orders, as cancelling and expiring lock them: no deadlock).
 */
export async function changeBeneficiaries(
  db: Db,
  input: {
    productId: string
    changes: readonly BeneficiaryChange[]
    /** Who made the change (the console): recorded in the audit log in the same transaction. */
    actorUserId?: string
  },
  clock: Clock,
): Promise<ChangeBeneficiariesResult> {
  if (!isUuid(input.productId)) return { ok: false, reason: 'not_found' }
  if (input.changes.length === 0) return { ok: false, reason: 'no_changes' }
  if (input.changes.some((c) => !isUuid(c.householdId))) return { ok: false, reason: 'bad_household' }
  if (
    input.changes.some(
      (c) => c.weight !== null && (!Number.isSafeInteger(c.weight) || c.weight < 1 || c.weight > MAX_WEIGHT),
    )
  )
    return { ok: false, reason: 'bad_weight' }
  const changes = input.changes.map((c) => ({ householdId: c.householdId.toLowerCase(), weight: c.weight }))
  if (new Set(changes.map((c) => c.householdId)).size !== changes.length)
    return { ok: false, reason: 'duplicate_household' }
  const productId = input.productId.toLowerCase()

  return db.transaction(async (tx) => {
    await queryRows(
      tx,
      sql`select pay.id from payments pay join orders o on o.id = pay.order_id
           where o.status = 'pending_payment' and pay.status <> 'confirmed'
             and exists (select 1 from order_lines l where l.order_id = o.id and l.product_id = ${productId})
           order by pay.id
           for update of pay, o`,
    )
    const [product] = await tx
      .select({ orgId: products.orgId })
      .from(products)
      .where(eq(products.id, productId))
      .for('no key update')
    if (!product) return { ok: false as const, reason: 'not_found' as const }

    const linking = changes.filter((c) => c.weight !== null).map((c) => c.householdId)
    if (linking.length > 0) {
      const onRoster = await tx
        .select({ id: households.id })
        .from(households)
        .where(and(inArray(households.id, linking), eq(households.orgId, product.orgId)))
      if (onRoster.length !== linking.length) return { ok: false as const, reason: 'bad_household' as const }
    }

    const current = await tx
      .select({
        id: productBeneficiaries.id,
        householdId: productBeneficiaries.householdId,
        weight: productBeneficiaries.weight,
      })
      .from(productBeneficiaries)
      .where(and(eq(productBeneficiaries.productId, productId), isNull(productBeneficiaries.unlinkedAt)))
      .orderBy(asc(productBeneficiaries.householdId))
    const currentOf = new Map(current.map((link) => [link.householdId, link]))
    const ending = changes.flatMap((c) => {
      const link = currentOf.get(c.householdId)
      return link && link.weight !== c.weight ? [link.id] : []
    })
    const starting = changes.filter(
      (c): c is { householdId: string; weight: number } =>
        c.weight !== null && currentOf.get(c.householdId)?.weight !== c.weight,
    )
    if (ending.length === 0 && starting.length === 0) {
      return { ok: true as const, effectiveAt: null }
    }

    // The latest sale of the product (its confirmation time is the entry's occurred_at), through the indexed
    // order lines rather than a scan of the ledger, and the product's latest link change.
    const [latest] = await queryRows<{ sold_ms: string | null; changed_ms: string | null }>(
      tx,
      sql`select (select floor(extract(epoch from max(p.confirmed_at)) * 1000)::bigint::text
                    from order_lines l join payments p on p.order_id = l.order_id
                   where l.product_id = ${productId} and p.status = 'confirmed') as sold_ms,
                 (select floor(extract(epoch from greatest(max(b.linked_at), max(b.unlinked_at))) * 1000)::bigint::text
                    from product_beneficiaries b where b.product_id = ${productId}) as changed_ms`,
    )
    // Floored to the millisecond, so 1 ms later is strictly later.
    const after = [latest?.sold_ms, latest?.changed_ms].flatMap((ms) => (ms == null ? [] : [Number(ms) + 1]))
    const effectiveAt = new Date(Math.max(clock.now().getTime(), ...after))

    if (ending.length > 0) {
      await tx
        .update(productBeneficiaries)
        .set({ unlinkedAt: effectiveAt })
        .where(inArray(productBeneficiaries.id, ending))
    }
    if (starting.length > 0) {
      await tx.insert(productBeneficiaries).values(
        starting.map((c) => ({
          productId,
          householdId: c.householdId,
          weight: c.weight,
          linkedAt: effectiveAt,
        })),
      )
    }
    if (input.actorUserId) {
      await recordAuditEvent(tx, {
        actorUserId: input.actorUserId,
        action: 'beneficiaries.changed',
        subjectType: 'product',
        subjectId: productId,
        details: {
          effectiveAt: effectiveAt.toISOString(),
          changes: changes.map((c) => ({ householdId: c.householdId, weight: c.weight })),
        },
        occurredAt: clock.now(),
      })
    }
    return { ok: true as const, effectiveAt }
  })
}
