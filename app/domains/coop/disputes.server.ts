import { and, desc, eq, sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../../db/client.server'
import { products } from '../../../db/schema/catalog'
import { orders } from '../../../db/schema/orders'
import { disputes } from '../../../db/schema/procurement'
import type { Clock } from '../../utils/clock'
import { isUuid } from '../../utils/ids'
import { recordAuditEvent } from '../audit/index.server'
import { actsForCooperative, listingRoles } from '../catalog/index.server'
import { type FormErrors, parseForm } from '../catalog'
import { disputeAnswerForm } from './fulfilment-forms'

/**
 * A unit rejected part of a delivery at 验收 (decision 022): the cooperative answers the dispute once — it accepts
 * the return, and the rejected quantities go back to stock (exactly once, however often the answer is posted), or
 * contests it with a note, and the dispute is closed as contested (settled between the two outside the platform).
 * Rejected quantities never count either way: the ledger counts the accepted ones.
 */

export type DisputeView = {
  id: string
  number: string
  status: 'open' | 'returned' | 'contested'
  rejectedFen: bigint
  createdAt: string
  answerNote: string | null
  lines: Array<{ sku: string; name: string; unit: string; rejectedQty: number }>
}

/** The cooperative's disputes: open ones first, then the latest answered. */
export async function listDisputes(
  db: Db,
  input: { orgId: string; actorUserId: string },
): Promise<DisputeView[]> {
  if (!isUuid(input.orgId) || !isUuid(input.actorUserId)) return []
  const rows = await db
    .select({
      id: disputes.id,
      number: orders.number,
      status: disputes.status,
      rejectedFen: disputes.rejectedFen,
      createdAt: disputes.createdAt,
      answerNote: disputes.answerNote,
      acceptanceId: disputes.acceptanceId,
    })
    .from(disputes)
    .innerJoin(sql`seller_orders so`, sql`so.id = ${disputes.sellerOrderId}`)
    .innerJoin(orders, sql`${orders.id} = so.order_id`)
    .where(
      and(
        eq(disputes.sellerOrgId, input.orgId),
        actsForCooperative(input.orgId, input.actorUserId, listingRoles),
      ),
    )
    .orderBy(sql`${disputes.status} = 'open' desc`, desc(disputes.createdAt))
    .limit(50)
  if (rows.length === 0) return []
  const lines = await queryRows<{
    acceptance_id: string
    sku: string
    name: string
    unit: string
    rejected_qty: number
  }>(
    db,
    sql`select al.acceptance_id::text as acceptance_id, p.sku, p.name, p.unit, al.rejected_qty
        from acceptance_lines al join order_lines l on l.id = al.order_line_id join products p on p.id = l.product_id
        where al.rejected_qty > 0
          and al.acceptance_id = any(cast(${`{${rows.map((r) => r.acceptanceId).join(',')}}`} as text)::uuid[])
        order by p.sku`,
  )
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    status: r.status,
    rejectedFen: r.rejectedFen,
    createdAt: r.createdAt.toISOString(),
    answerNote: r.answerNote,
    lines: lines
      .filter((l) => l.acceptance_id === r.acceptanceId)
      .map((l) => ({ sku: l.sku, name: l.name, unit: l.unit, rejectedQty: Number(l.rejected_qty) })),
  }))
}

export type DisputeAnswerResult =
  | { ok: true }
  | { ok: false; error: 'not_found' | 'already_answered' }
  | { ok: false; error: 'invalid'; errors: FormErrors }

/**
 * Answers an open dispute. The answer is one conditional update (`status = 'open'`): of two concurrent answers the
 * second waits for the first, re-reads the row and matches nothing (`already_answered`), so stock comes back once.
 */
export async function answerDispute(
  db: Db,
  input: { orgId: string; actorUserId: string; form: unknown },
  clock: Clock,
): Promise<DisputeAnswerResult> {
  const parsed = parseForm(disputeAnswerForm, input.form)
  if (!parsed.ok) return { ok: false, error: 'invalid', errors: parsed.errors }
  const form = parsed.data
  if (!isUuid(input.orgId) || !isUuid(input.actorUserId)) return { ok: false, error: 'not_found' }
  const now = clock.now()
  return db.transaction(async (tx): Promise<DisputeAnswerResult> => {
    const owned = and(
      eq(disputes.id, form.disputeId),
      eq(disputes.sellerOrgId, input.orgId),
      actsForCooperative(input.orgId, input.actorUserId, listingRoles),
    )
    const [answered] = await tx
      .update(disputes)
      .set({
        status: form.intent === 'return' ? 'returned' : 'contested',
        answeredBy: input.actorUserId,
        answeredAt: now,
        answerNote: form.note ?? null,
      })
      .where(and(owned, eq(disputes.status, 'open')))
      .returning({
        id: disputes.id,
        acceptanceId: disputes.acceptanceId,
        sellerOrderId: disputes.sellerOrderId,
      })
    if (!answered) {
      const [exists] = await tx.select({ id: disputes.id }).from(disputes).where(owned)
      return { ok: false, error: exists ? 'already_answered' : 'not_found' }
    }
    if (form.intent === 'return') {
      // The rejected quantities back to stock, products in id order (as every path that moves stock).
      const back = await queryRows<{ product_id: string; qty: number }>(
        tx,
        sql`select l.product_id::text as product_id, sum(al.rejected_qty)::int as qty
            from acceptance_lines al join order_lines l on l.id = al.order_line_id
            where al.acceptance_id = ${answered.acceptanceId}::uuid and al.rejected_qty > 0
            group by l.product_id order by l.product_id`,
      )
      for (const line of back) {
        await tx
          .update(products)
          .set({ stock: sql`${products.stock} + ${Number(line.qty)}` })
          .where(eq(products.id, line.product_id))
      }
    }
    await recordAuditEvent(tx, {
      actorUserId: input.actorUserId,
      action: form.intent === 'return' ? 'dispute.returned' : 'dispute.contested',
      subjectType: 'seller_order',
      subjectId: answered.sellerOrderId,
      details: form.note ? { note: form.note } : {},
      occurredAt: now,
    })
    return { ok: true }
  })
}
