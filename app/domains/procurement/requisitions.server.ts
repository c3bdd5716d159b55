import { and, asc, desc, eq, sql } from 'drizzle-orm'
import { type Db, queryRows, toCount } from '../../../db/client.server'
import { users } from '../../../db/schema/accounts'
import { memberships } from '../../../db/schema/memberships'
import { orders } from '../../../db/schema/orders'
import { organizations } from '../../../db/schema/organizations'
import {
  requisitionEvents,
  requisitionLines,
  requisitions,
  type RequisitionStatus,
} from '../../../db/schema/procurement'
import { products } from '../../../db/schema/catalog'
import { type Clock, shanghaiDate } from '../../utils/clock'
import { isUuid } from '../../utils/ids'
import { recordAuditEvent } from '../audit/index.server'
import { type PriceTier, unitPriceFor } from '../catalog'
import { normalizePhone } from '../orders'
import { placeOrder, type PlaceOrderError } from '../orders/index.server'
import type { PaymentMethod } from '../payments/index.server'
import { type ReferenceData, referenceData, regionChain } from '../regions/index.server'
import { isOverdue } from './acceptance-math'
import { type BulkRow, parseQuantity, type RowProblem } from './bulk-lines'
import type { DecisionForm, RequisitionForm } from './forms'
import { notify } from './notifications.server'
import {
  mayApprove,
  mayRequisition,
  REQUISITIONS_PAGE_SIZE,
  seesAllOfUnit,
  type UnitActor,
} from './unit-actor'

// ---------------------------------------------------------------------------------------------------------------
// Preview: the lines checked against the catalogue, priced with their tiers. Nothing is reserved or written.

export type LineProblem =
  | RowProblem
  | 'unknown_sku'
  | 'archived'
  | 'unavailable'
  | 'below_minimum'
  | 'out_of_stock'
  | 'duplicate'

export type PreviewLine = {
  line: number
  sku: string
  /** As written (a bad one is shown as it was). */
  qtyText: string
  qty: number | null
  productId: string | null
  name: string | null
  unit: string | null
  basePriceFen: bigint | null
  unitPriceFen: bigint | null
  amountFen: bigint | null
  /** A volume tier lowered the unit price. */
  tierApplied: boolean
  problem: LineProblem | null
  /** The minimum order quantity or the stock, for the problem's message. */
  limit: number | null
}

export type RequisitionPreview = {
  lines: PreviewLine[]
  /** Lines without a problem. */
  okCount: number
  problemCount: number
  totalFen: bigint
}

type ProductRow = {
  id: string
  sku: string
  name: string
  unit: string
  price_fen: string
  stock: number
  min_order_qty: number
  status: string
  tiers: unknown
}

/**
 * Checks every line against the catalogue: unknown SKU, archived or otherwise not on sale, below the minimum, more
 * than the stock, the same SKU twice; prices each good line with its volume tiers. `problems` are the lines the
 * reader already refused (wrong columns, a bad quantity); they are shown in line order with the rest.
 */
export async function previewRequisition(
  db: Db,
  input: {
    rows: readonly BulkRow[]
    problems?: ReadonlyArray<{ line: number; problem: RowProblem; text: string }>
  },
): Promise<RequisitionPreview> {
  const skus = [...new Set(input.rows.map((r) => r.sku.toUpperCase()))]
  const found =
    skus.length === 0
      ? []
      : await queryRows<ProductRow>(
          db,
          sql`select p.id::text as id, p.sku, p.name, p.unit, p.price_fen::text as price_fen, p.stock,
                p.min_order_qty, p.status,
                (select coalesce(json_agg(json_build_array(t.min_qty, t.unit_price_fen::text) order by t.min_qty),
                                 '[]'::json)
                   from price_tiers t where t.product_id = p.id) as tiers
              from products p
              where upper(p.sku) = any(cast(${`{${skus.map((s) => `"${s.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`} as text[]))`,
        )
  const bySku = new Map(found.map((p) => [p.sku.toUpperCase(), p]))
  const seen = new Set<string>()
  const lines: PreviewLine[] = []
  for (const row of input.rows) {
    const qty = parseQuantity(row.qty)
    const base: PreviewLine = {
      line: row.line,
      sku: row.sku,
      qtyText: row.qty,
      qty,
      productId: null,
      name: null,
      unit: null,
      basePriceFen: null,
      unitPriceFen: null,
      amountFen: null,
      tierApplied: false,
      problem: null,
      limit: null,
    }
    const product = bySku.get(row.sku.toUpperCase())
    if (!product) {
      lines.push({ ...base, problem: 'unknown_sku' })
      continue
    }
    const described = { ...base, productId: product.id, name: product.name, unit: product.unit }
    if (qty === null) {
      lines.push({ ...described, problem: 'bad_quantity' })
      continue
    }
    if (seen.has(product.id)) {
      lines.push({ ...described, problem: 'duplicate' })
      continue
    }
    seen.add(product.id)
    if (product.status === 'archived') {
      lines.push({ ...described, problem: 'archived' })
      continue
    }
    if (product.status !== 'active') {
      lines.push({ ...described, problem: 'unavailable' })
      continue
    }
    if (qty < product.min_order_qty) {
      lines.push({ ...described, problem: 'below_minimum', limit: product.min_order_qty })
      continue
    }
    if (product.stock < qty) {
      lines.push({ ...described, problem: 'out_of_stock', limit: product.stock })
      continue
    }
    const tierPairs = (
      typeof product.tiers === 'string' ? JSON.parse(product.tiers) : product.tiers
    ) as Array<[number, string]>
    const tiers: PriceTier[] = tierPairs.map(([minQty, price]) => ({ minQty, unitPriceFen: BigInt(price) }))
    const basePriceFen = BigInt(product.price_fen)
    const unitPriceFen = unitPriceFor(qty, basePriceFen, tiers)
    lines.push({
      ...described,
      basePriceFen,
      unitPriceFen,
      amountFen: unitPriceFen * BigInt(qty),
      tierApplied: unitPriceFen < basePriceFen,
    })
  }
  for (const p of input.problems ?? []) {
    const [sku = '', qtyText = ''] = p.text.split(' ')
    lines.push({
      line: p.line,
      sku,
      qtyText,
      qty: null,
      productId: null,
      name: null,
      unit: null,
      basePriceFen: null,
      unitPriceFen: null,
      amountFen: null,
      tierApplied: false,
      problem: p.problem,
      limit: null,
    })
  }
  lines.sort((a, b) => a.line - b.line)
  const problemCount = lines.filter((l) => l.problem !== null).length
  return {
    lines,
    okCount: lines.length - problemCount,
    problemCount,
    totalFen: lines.reduce((sum, l) => sum + (l.problem === null ? (l.amountFen ?? 0n) : 0n), 0n),
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Submitting: a requisition that reserves nothing; within the requester's limit it is ordered at once.

export type SubmitResult =
  | {
      ok: true
      requisitionId: string
      number: string
      status: 'ordered' | 'pending_approval'
      orderId: string | null
    }
  | { ok: false; reason: 'forbidden' }
  | { ok: false; reason: 'lines'; preview: RequisitionPreview }
  /** The order could not be placed after all (stock or status changed meanwhile): nothing was written. */
  | { ok: false; reason: 'order'; errors: PlaceOrderError[] }

/** Thrown inside a transaction to roll it back; turned into a result outside. */
class Rollback<T> extends Error {
  constructor(readonly result: T) {
    super('rolled back')
  }
}

async function unitMember(tx: Db, actor: UnitActor) {
  const [row] = await tx
    .select({
      role: memberships.role,
      limitFen: memberships.spendingLimitFen,
      orgName: organizations.name,
      uscc: organizations.uscc,
      regionCode: organizations.regionCode,
    })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(and(eq(memberships.userId, actor.userId), eq(memberships.orgId, actor.orgId)))
  return row ?? null
}

/** The 发票 of a unit's order: titled with the unit's name, its tax id the unit's 统一社会信用代码. */
export function unitInvoice(org: { orgName: string; uscc: string | null }): Record<string, string> {
  return { kind: 'company', title: org.orgName, ...(org.uscc ? { taxId: org.uscc } : {}) }
}

/**
 * Saves a requisition (请购单) from previewed lines. Every line must pass the preview; the total decides: at or
 * under the requester's spending limit the order is placed at once (placeOrder, the unit's kind and terms), above it
 * the unit's approvers are notified and it waits. All in one transaction: a refused line or a failed placement
 * leaves nothing behind.
 */
export async function submitRequisition(
  db: Db,
  input: {
    actor: UnitActor
    rows: readonly BulkRow[]
    /** Lines the reader already refused: any makes the whole requisition wait until they are fixed. */
    problems?: ReadonlyArray<{ line: number; problem: RowProblem; text: string }>
    form: RequisitionForm
    /**
     * The regions, for a caller already inside a transaction (the demo seed), where the cached read is refused.
     * Requests leave it out.
     */
    regions?: ReferenceData
  },
  clock: Clock,
  method: PaymentMethod,
): Promise<SubmitResult> {
  const data = input.regions ?? (await referenceData(db))
  try {
    return await db.transaction(async (tx) => {
      // The membership row, locked: a limit changed meanwhile applies before or after, never halfway.
      const [locked] = await tx
        .select({ role: memberships.role })
        .from(memberships)
        .where(and(eq(memberships.userId, input.actor.userId), eq(memberships.orgId, input.actor.orgId)))
        .for('update')
      const member = locked ? await unitMember(tx, input.actor) : null
      if (!member || !mayRequisitionRole(member.role))
        return { ok: false as const, reason: 'forbidden' as const }
      const preview = await previewRequisition(tx, { rows: input.rows, problems: input.problems ?? [] })
      if (preview.problemCount > 0 || preview.okCount === 0)
        return { ok: false as const, reason: 'lines' as const, preview }

      const now = clock.now()
      const [seq] = await queryRows<{ n: string }>(
        tx,
        sql`select nextval('requisition_number_seq')::text as n`,
      )
      const number = `QG${shanghaiDate(now).replaceAll('-', '')}-${(BigInt(seq!.n) % 1_000_000n).toString().padStart(6, '0')}`
      const delivery = {
        recipient: input.form.recipient ?? '',
        phone: normalizePhone(input.form.phone ?? '') ?? '',
        regionCode: member.regionCode,
        regionPath: regionChain(data, member.regionCode)
          .map((r) => r.name)
          .join(' '),
        address: input.form.address ?? '',
      }
      const invoice = unitInvoice(member)
      const withinLimit = preview.totalFen <= member.limitFen
      const [requisition] = await tx
        .insert(requisitions)
        .values({
          number,
          orgId: input.actor.orgId,
          requesterUserId: input.actor.userId,
          status: 'pending_approval',
          totalFen: preview.totalFen,
          limitFen: member.limitFen,
          delivery,
          poNumber: input.form.poNumber ?? null,
          invoice,
          notes: input.form.notes ?? '',
          createdAt: now,
        })
        .returning({ id: requisitions.id })
      const requisitionId = requisition!.id
      await tx.insert(requisitionLines).values(
        preview.lines.map((l, i) => ({
          requisitionId,
          lineNo: i + 1,
          productId: l.productId!,
          qty: l.qty!,
          unitPriceFen: l.unitPriceFen!,
          amountFen: l.amountFen!,
        })),
      )
      await tx.insert(requisitionEvents).values({
        requisitionId,
        action: 'submitted',
        actorUserId: input.actor.userId,
        comment: '',
        occurredAt: now,
      })
      if (withinLimit) {
        const orderId = await orderRequisition(
          tx,
          { requisitionId, actorUserId: null, auto: true },
          clock,
          method,
        )
        return { ok: true as const, requisitionId, number, status: 'ordered' as const, orderId }
      }
      const approvers = await tx
        .select({ userId: memberships.userId })
        .from(memberships)
        .where(
          and(
            eq(memberships.orgId, input.actor.orgId),
            eq(memberships.role, 'unit_approver'),
            sql`${memberships.userId} <> ${input.actor.userId}`,
          ),
        )
      await notify(
        tx,
        approvers.map((a) => ({
          userId: a.userId,
          messageKey: 'notification.requisition.awaiting',
          values: { number },
          link: `/unit/requisitions/${requisitionId}`,
        })),
        clock,
      )
      return { ok: true as const, requisitionId, number, status: 'pending_approval' as const, orderId: null }
    })
  } catch (error) {
    if (error instanceof Rollback) return error.result as SubmitResult
    throw error
  }
}

function mayRequisitionRole(role: string): boolean {
  return role === 'unit_buyer' || role === 'unit_admin'
}

/**
 * Places the order of a requisition (its lines, delivery, invoice and PO number, as the requester's order for the
 * unit) and marks it ordered. A refusal rolls the caller's transaction back (Rollback with the line errors).
 */
async function orderRequisition(
  tx: Db,
  input: { requisitionId: string; actorUserId: string | null; auto: boolean },
  clock: Clock,
  method: PaymentMethod,
): Promise<string> {
  const [req] = await tx.select().from(requisitions).where(eq(requisitions.id, input.requisitionId))
  const lines = await tx
    .select({ productId: requisitionLines.productId, qty: requisitionLines.qty })
    .from(requisitionLines)
    .where(eq(requisitionLines.requisitionId, input.requisitionId))
  const placed = await placeOrder(
    tx,
    {
      buyerUserId: req!.requesterUserId,
      buyerOrgId: req!.orgId,
      poNumber: req!.poNumber,
      lines,
      delivery: req!.delivery as Record<string, unknown>,
      invoice: req!.invoice as Record<string, unknown>,
    },
    clock,
    method,
  )
  if (!placed.ok) throw new Rollback<SubmitResult>({ ok: false, reason: 'order', errors: placed.errors })
  await tx
    .update(requisitions)
    .set({ status: 'ordered', orderId: placed.orderId })
    .where(eq(requisitions.id, input.requisitionId))
  await tx.insert(requisitionEvents).values({
    requisitionId: input.requisitionId,
    action: input.auto ? 'ordered_within_limit' : 'ordered',
    actorUserId: input.actorUserId,
    comment: placed.number,
    occurredAt: clock.now(),
  })
  return placed.orderId
}

// ---------------------------------------------------------------------------------------------------------------
// Deciding: exactly one decision per requisition, never by its requester.

export type DecideResult =
  | { ok: true; status: 'ordered' | 'rejected'; orderId: string | null }
  | { ok: false; reason: 'not_found' | 'self' | 'forbidden' }
  /** Someone decided first (or it was never waiting): what it is now. */
  | { ok: false; reason: 'conflict'; status: RequisitionStatus; decidedBy: string | null }
  | { ok: false; reason: 'order'; errors: PlaceOrderError[] }

/**
 * An approver of the requisition's unit approves (the order is placed in the same transaction) or rejects it, with a
 * comment. The decision is one conditional UPDATE (status still pending, decider not the requester, decider an
 * approver of the unit): of two approvers deciding at once, the second finds it decided and gets `conflict`.
 */
export async function decideRequisition(
  db: Db,
  input: { actor: UnitActor; requisitionId: string; form: DecisionForm },
  clock: Clock,
  method: PaymentMethod,
): Promise<DecideResult> {
  if (!isUuid(input.requisitionId)) return { ok: false, reason: 'not_found' }
  const { actor } = input
  const approve = input.form.intent === 'approve'
  const comment = input.form.comment ?? ''
  try {
    return await db.transaction(async (tx) => {
      const now = clock.now()
      const decided = await tx
        .update(requisitions)
        .set({
          status: approve ? 'approved' : 'rejected',
          decidedAt: now,
          decidedBy: actor.userId,
          decisionComment: comment,
        })
        .where(
          and(
            eq(requisitions.id, input.requisitionId),
            eq(requisitions.orgId, actor.orgId),
            eq(requisitions.status, 'pending_approval'),
            sql`${requisitions.requesterUserId} <> ${actor.userId}`,
            sql`exists (select 1 from ${memberships} m where m.user_id = ${actor.userId}
                          and m.org_id = ${actor.orgId} and m.role = 'unit_approver')`,
          ),
        )
        .returning({
          number: requisitions.number,
          requesterUserId: requisitions.requesterUserId,
          totalFen: requisitions.totalFen,
        })
      const row = decided[0]
      if (!row) {
        const [current] = await tx
          .select({
            status: requisitions.status,
            requesterUserId: requisitions.requesterUserId,
            decidedBy: users.displayName,
          })
          .from(requisitions)
          .leftJoin(users, eq(users.id, requisitions.decidedBy))
          .where(and(eq(requisitions.id, input.requisitionId), eq(requisitions.orgId, actor.orgId)))
        if (!current) return { ok: false as const, reason: 'not_found' as const }
        if (current.status !== 'pending_approval')
          return {
            ok: false as const,
            reason: 'conflict' as const,
            status: current.status,
            decidedBy: current.decidedBy,
          }
        if (current.requesterUserId === actor.userId) return { ok: false as const, reason: 'self' as const }
        return { ok: false as const, reason: 'forbidden' as const }
      }
      await tx.insert(requisitionEvents).values({
        requisitionId: input.requisitionId,
        action: approve ? 'approved' : 'rejected',
        actorUserId: actor.userId,
        comment,
        occurredAt: now,
      })
      let orderId: string | null = null
      if (approve) {
        orderId = await orderRequisition(
          tx,
          { requisitionId: input.requisitionId, actorUserId: actor.userId, auto: false },
          clock,
          method,
        ).catch((error: unknown) => {
          if (error instanceof Rollback) throw new Rollback<DecideResult>(error.result as DecideResult)
          throw error
        })
      }
      await notify(
        tx,
        [
          {
            userId: row.requesterUserId,
            messageKey: approve ? 'notification.requisition.approved' : 'notification.requisition.rejected',
            values: { number: row.number },
            link: `/unit/requisitions/${input.requisitionId}`,
          },
        ],
        clock,
      )
      await recordAuditEvent(tx, {
        actorUserId: actor.userId,
        action: approve ? 'requisition.approved' : 'requisition.rejected',
        subjectType: 'requisition',
        subjectId: input.requisitionId,
        details: { orgId: actor.orgId, number: row.number, totalFen: row.totalFen.toString(), comment },
        occurredAt: now,
      })
      return { ok: true as const, status: approve ? ('ordered' as const) : ('rejected' as const), orderId }
    })
  } catch (error) {
    if (error instanceof Rollback) return error.result as DecideResult
    throw error
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

export type RequisitionFilter = RequisitionStatus | 'all'

export type RequisitionListItem = {
  id: string
  number: string
  status: RequisitionStatus
  totalFen: bigint
  requesterName: string
  createdAt: string
  poNumber: string | null
  lineCount: number
}

/** The unit's requisitions (a buyer: their own), newest first, by status, a page at a time. */
export async function listRequisitions(
  db: Db,
  input: { actor: UnitActor; status: RequisitionFilter; page: number },
): Promise<{
  items: RequisitionListItem[]
  total: number
  page: number
  pageSize: number
  counts: Record<RequisitionStatus, number>
}> {
  const { actor } = input
  const scope = and(
    eq(requisitions.orgId, actor.orgId),
    seesAllOfUnit(actor.role) ? undefined : eq(requisitions.requesterUserId, actor.userId),
  )
  const where = and(scope, input.status === 'all' ? undefined : eq(requisitions.status, input.status))
  const pageSize = REQUISITIONS_PAGE_SIZE
  const [rows, countRows, byStatus] = await Promise.all([
    db
      .select({
        id: requisitions.id,
        number: requisitions.number,
        status: requisitions.status,
        totalFen: requisitions.totalFen,
        requesterName: users.displayName,
        createdAt: requisitions.createdAt,
        poNumber: requisitions.poNumber,
        lineCount:
          sql<number>`(select count(*) from requisition_lines l where l.requisition_id = ${requisitions.id})`.mapWith(
            toCount,
          ),
      })
      .from(requisitions)
      .innerJoin(users, eq(users.id, requisitions.requesterUserId))
      .where(where)
      .orderBy(desc(requisitions.createdAt), desc(requisitions.number))
      .limit(pageSize)
      .offset((input.page - 1) * pageSize),
    db
      .select({ n: sql<number>`count(*)`.mapWith(toCount) })
      .from(requisitions)
      .where(where),
    db
      .select({ status: requisitions.status, n: sql<number>`count(*)`.mapWith(toCount) })
      .from(requisitions)
      .where(scope)
      .groupBy(requisitions.status),
  ])
  const counts = { pending_approval: 0, approved: 0, rejected: 0, ordered: 0, cancelled: 0 }
  for (const r of byStatus) counts[r.status] = r.n
  return {
    items: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })),
    total: countRows[0]?.n ?? 0,
    page: input.page,
    pageSize,
    counts,
  }
}

export type RequisitionDetail = {
  id: string
  number: string
  status: RequisitionStatus
  totalFen: bigint
  limitFen: bigint
  requesterName: string
  isOwn: boolean
  createdAt: string
  delivery: { recipient?: string; phone?: string; regionPath?: string; address?: string }
  invoice: { title?: string; taxId?: string }
  poNumber: string | null
  notes: string
  order: { id: string; number: string } | null
  decision: { by: string | null; at: string | null; comment: string | null }
  lines: Array<{
    lineNo: number
    sku: string
    name: string
    unit: string
    qty: number
    unitPriceFen: bigint
    amountFen: bigint
  }>
  events: Array<{ action: string; actorName: string | null; comment: string; occurredAt: string }>
  /** The actor may approve or reject it now. */
  canDecide: boolean
}

/** One requisition of the unit (a buyer: only their own), with its lines and history. Null: not theirs to see. */
export async function getRequisition(
  db: Db,
  input: { actor: UnitActor; requisitionId: string },
): Promise<RequisitionDetail | null> {
  const { actor } = input
  if (!isUuid(input.requisitionId)) return null
  const [row] = await db
    .select({
      r: requisitions,
      requesterName: users.displayName,
      orderNumber: orders.number,
    })
    .from(requisitions)
    .innerJoin(users, eq(users.id, requisitions.requesterUserId))
    .leftJoin(orders, eq(orders.id, requisitions.orderId))
    .where(
      and(
        eq(requisitions.id, input.requisitionId),
        eq(requisitions.orgId, actor.orgId),
        seesAllOfUnit(actor.role) ? undefined : eq(requisitions.requesterUserId, actor.userId),
      ),
    )
  if (!row) return null
  const r = row.r
  const [lines, events, decider] = await Promise.all([
    db
      .select({
        lineNo: requisitionLines.lineNo,
        sku: products.sku,
        name: products.name,
        unit: products.unit,
        qty: requisitionLines.qty,
        unitPriceFen: requisitionLines.unitPriceFen,
        amountFen: requisitionLines.amountFen,
      })
      .from(requisitionLines)
      .innerJoin(products, eq(products.id, requisitionLines.productId))
      .where(eq(requisitionLines.requisitionId, r.id))
      .orderBy(asc(requisitionLines.lineNo)),
    db
      .select({
        action: requisitionEvents.action,
        actorName: users.displayName,
        comment: requisitionEvents.comment,
        occurredAt: requisitionEvents.occurredAt,
      })
      .from(requisitionEvents)
      .leftJoin(users, eq(users.id, requisitionEvents.actorUserId))
      .where(eq(requisitionEvents.requisitionId, r.id))
      .orderBy(
        asc(requisitionEvents.occurredAt),
        // Events of one instant in the order they happen: submitted, decided, ordered.
        sql`case ${requisitionEvents.action} when 'submitted' then 0 when 'ordered' then 2
              when 'ordered_within_limit' then 2 else 1 end`,
      ),
    r.decidedBy
      ? db.select({ name: users.displayName }).from(users).where(eq(users.id, r.decidedBy))
      : Promise.resolve([]),
  ])
  const delivery = r.delivery as RequisitionDetail['delivery']
  const invoice = r.invoice as RequisitionDetail['invoice']
  return {
    id: r.id,
    number: r.number,
    status: r.status,
    totalFen: r.totalFen,
    limitFen: r.limitFen,
    requesterName: row.requesterName,
    isOwn: r.requesterUserId === actor.userId,
    createdAt: r.createdAt.toISOString(),
    delivery,
    invoice,
    poNumber: r.poNumber,
    notes: r.notes,
    order: r.orderId && row.orderNumber ? { id: r.orderId, number: row.orderNumber } : null,
    decision: {
      by: decider[0]?.name ?? null,
      at: r.decidedAt ? r.decidedAt.toISOString() : null,
      comment: r.decisionComment,
    },
    lines,
    events: events.map((e) => ({ ...e, occurredAt: e.occurredAt.toISOString() })),
    canDecide:
      mayApprove(actor.role) && r.status === 'pending_approval' && r.requesterUserId !== actor.userId,
  }
}

/** What the new-requisition page shows beside the form: the unit's invoice and the buyer's spending limit. */
export async function getRequisitionContext(
  db: Db,
  actor: UnitActor,
): Promise<{
  orgName: string
  uscc: string | null
  limitFen: bigint
  regionPath: string
  mayRequisition: boolean
} | null> {
  const member = await unitMember(db, actor)
  if (!member) return null
  const data = await referenceData(db)
  return {
    orgName: member.orgName,
    uscc: member.uscc,
    limitFen: member.limitFen,
    regionPath: regionChain(data, member.regionCode)
      .map((r) => r.name)
      .join(' '),
    mayRequisition: mayRequisition(actor.role),
  }
}

export type UnitOrderItem = {
  id: string
  number: string
  status: string
  subtotalFen: bigint
  poNumber: string | null
  createdAt: string
  buyerName: string
  isOwn: boolean
  /** On account: set at the last acceptance (decision 022). */
  paymentDueAt: string | null
  /** Accepted on account and unpaid past its due time. */
  overdue: boolean
}

/** The unit's orders (a buyer: their own), newest first, a page at a time. */
export async function listUnitOrders(
  db: Db,
  input: { actor: UnitActor; page: number; now?: Date },
): Promise<{ items: UnitOrderItem[]; total: number; page: number; pageSize: number }> {
  const { actor } = input
  const now = input.now ?? new Date()
  const where = and(
    eq(orders.buyerOrgId, actor.orgId),
    seesAllOfUnit(actor.role) ? undefined : eq(orders.buyerUserId, actor.userId),
  )
  const pageSize = REQUISITIONS_PAGE_SIZE
  const [rows, count] = await Promise.all([
    db
      .select({
        id: orders.id,
        number: orders.number,
        status: orders.status,
        subtotalFen: orders.subtotalFen,
        poNumber: orders.poNumber,
        createdAt: orders.createdAt,
        buyerName: users.displayName,
        buyerUserId: orders.buyerUserId,
        terms: orders.terms,
        paymentDueAt: orders.paymentDueAt,
      })
      .from(orders)
      .innerJoin(users, eq(users.id, orders.buyerUserId))
      .where(where)
      .orderBy(desc(orders.createdAt), desc(orders.number))
      .limit(pageSize)
      .offset((input.page - 1) * pageSize),
    db
      .select({ n: sql<number>`count(*)`.mapWith(toCount) })
      .from(orders)
      .where(where),
  ])
  return {
    items: rows.map(({ buyerUserId, createdAt, terms, paymentDueAt, ...r }) => ({
      ...r,
      createdAt: createdAt.toISOString(),
      isOwn: buyerUserId === actor.userId,
      paymentDueAt: terms === 'on_account' ? (paymentDueAt?.toISOString() ?? null) : null,
      overdue:
        terms === 'on_account' && r.status === 'pending_payment' && isOverdue(paymentDueAt, now, false),
    })),
    total: count[0]?.n ?? 0,
    page: input.page,
    pageSize,
  }
}
