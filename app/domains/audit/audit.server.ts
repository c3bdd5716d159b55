import { asc, desc, eq, gt } from 'drizzle-orm'
import { countAll, type Db } from '../../../db/client.server'
import { users } from '../../../db/schema/accounts'
import { auditEvents } from '../../../db/schema/audit'
import { referenceData } from '../regions/index.server'
import { type AuditDetailLine, describeAuditDetails } from './details'
import {
  appendToChain,
  type CanonicalInput,
  type ChainSource,
  chainHead,
  type ChainVerification,
  type JsonValue,
  type PublishedHead,
  toJsonValue,
  verifyChain,
} from '../../services/hash-chain/index.server'

/**
 * The audit log (docs/architecture.md §7): who did what to which subject, append-only and hash-chained. An event is recorded in
 * the transaction of the change it describes, so both are written or neither is.
 */

export const AUDIT_CHAIN = 'audit'

export const auditActions = [
  'organization.verified',
  'organization.rejected',
  'office.created',
  'membership.role_changed',
  'membership.removed',
  'membership.joined',
  'login.locked',
  'login.slowed',
  'signup.locked',
  'password_reset.locked',
  'password.reset',
  'personal_data.revealed',
  'refund.created',
  'payment.confirmed',
  'payment.flagged',
  'listing.submitted',
  'listing.approved',
  'listing.rejected',
  'listing.archived',
  'listing.resubmitted_for_price',
  'supplier.recommended',
  'supplier.verified',
  // Government procurement (issue 16).
  'requisition.approved',
  'requisition.rejected',
  'membership.spending_limit_set',
  'procurement_plan.saved',
  'external_purchase.recorded',
  // Cooperative console II: a product's proceeds rule and its beneficiary households.
  'proceeds_rule.changed',
  'beneficiaries.changed',
  // Office dashboard II: an office's targets (decision 024).
  'target.created',
  'target.updated',
  // Government procurement II (decision 022): 验收, the cooperative's answer to a dispute, the unit's payment term.
  'order.accepted',
  'dispute.returned',
  'dispute.contested',
  'payment_term.set',
] as const
export type AuditAction = (typeof auditActions)[number]

export const auditSubjectTypes = [
  'organization',
  'login_throttle',
  'household',
  'refund',
  'payment',
  'product',
  'user',
  // Government procurement (issue 16).
  'requisition',
  // Office dashboard II.
  'target',
  // Government procurement II.
  'seller_order',
] as const
export type AuditSubjectType = (typeof auditSubjectTypes)[number]

export type AuditEventInput = {
  /** Who acted; null when nobody signed in did (a login or sign-up throttle). */
  actorUserId: string | null
  action: AuditAction
  subjectType: AuditSubjectType
  subjectId: string | null
  /** JSON-safe (integers, no floats), no personal data beyond masked identifiers. */
  details: { readonly [key: string]: CanonicalInput }
  /** From the app's clock, so that the hashed ISO string is the app's own. */
  occurredAt: Date
}

export type AuditRowContent = {
  seq: number
  occurredAt: Date
  actorUserId: string | null
  action: string
  subjectType: string
  subjectId: string | null
  details: { [key: string]: JsonValue }
}

/** What an audit row's hash covers: every column but prev_hash and hash. */
export function auditEventPayload(row: AuditRowContent): CanonicalInput {
  return {
    seq: row.seq,
    occurredAt: row.occurredAt,
    actorUserId: row.actorUserId,
    action: row.action,
    subjectType: row.subjectType,
    subjectId: row.subjectId,
    details: row.details,
  }
}

/**
 * Appends an audit event inside `tx`, the transaction of the change it records. Call it after the transaction's
 * other writes: it takes the chain's head lock, which every audited change waits for (docs/architecture.md §5).
 */
export async function recordAuditEvent(
  tx: Db,
  input: AuditEventInput,
): Promise<{ seq: number; hash: string }> {
  // Stored exactly as hashed: details as they come back from jsonb, the uuid as PostgreSQL prints it.
  const details = toJsonValue(input.details) as { [key: string]: JsonValue }
  const actorUserId = input.actorUserId?.toLowerCase() ?? null
  const entry = await appendToChain(tx, AUDIT_CHAIN, ({ seq }) => {
    const content: AuditRowContent = {
      seq,
      occurredAt: input.occurredAt,
      actorUserId,
      action: input.action,
      subjectType: input.subjectType,
      subjectId: input.subjectId,
      details,
    }
    return {
      payload: auditEventPayload(content),
      insert: async ({ prevHash, hash }) => {
        await tx.insert(auditEvents).values({ ...content, prevHash, hash })
      },
    }
  })
  return { seq: entry.seq, hash: entry.hash }
}

// ---------------------------------------------------------------------------------------------------------------
// Reading and verifying

export type AuditEventView = {
  seq: number
  /** ISO-8601 instant. */
  occurredAt: string
  actorUserId: string | null
  actorName: string | null
  action: string
  subjectType: string
  subjectId: string | null
  details: { [key: string]: JsonValue }
  hash: string
}

export type AuditEventPage = { items: AuditEventView[]; total: number; page: number; pageSize: number }

/** The newest events first. */
export async function listAuditEvents(
  db: Db,
  query: { page: number; pageSize: number },
): Promise<AuditEventPage> {
  const page = Math.max(1, Math.floor(query.page))
  const pageSize = Math.min(100, Math.max(1, Math.floor(query.pageSize)))
  const [rows, [totalRow]] = await Promise.all([
    db
      .select({
        seq: auditEvents.seq,
        occurredAt: auditEvents.occurredAt,
        actorUserId: auditEvents.actorUserId,
        actorName: users.displayName,
        action: auditEvents.action,
        subjectType: auditEvents.subjectType,
        subjectId: auditEvents.subjectId,
        details: auditEvents.details,
        hash: auditEvents.hash,
      })
      .from(auditEvents)
      .leftJoin(users, eq(users.id, auditEvents.actorUserId))
      .orderBy(desc(auditEvents.seq))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ n: countAll }).from(auditEvents),
  ])
  return {
    items: rows.map((row) => ({ ...row, occurredAt: row.occurredAt.toISOString() })),
    total: totalRow?.n ?? 0,
    page,
    pageSize,
  }
}

const auditSource: ChainSource = {
  chain: AUDIT_CHAIN,
  async readAfter(db, afterSeq, limit) {
    const rows = await db
      .select()
      .from(auditEvents)
      .where(gt(auditEvents.seq, afterSeq))
      .orderBy(asc(auditEvents.seq))
      .limit(limit)
    return rows.map((row) => ({
      seq: row.seq,
      prevHash: row.prevHash,
      hash: row.hash,
      payload: auditEventPayload(row),
    }))
  },
}

/**
 * Recomputes the whole audit chain and compares its end with the head row and, when given, with a head published
 * earlier (`expect`), which is what catches a tail removed together with a rewound head.
 */
export async function verifyAuditChain(
  db: Db,
  options: { expect?: PublishedHead } = {},
): Promise<ChainVerification> {
  return verifyChain(db, auditSource, options)
}

/** The audit chain's head, to publish or to compare later: seq 0 and the genesis hash while the log is empty. */
export async function auditHead(db: Db): Promise<{ seq: number; hash: string; updatedAt: string | null }> {
  const head = await chainHead(db, AUDIT_CHAIN)
  return { seq: head.seq, hash: head.hash, updatedAt: head.updatedAt?.toISOString() ?? null }
}

/** The admin page: the chain's state and one page of events. */
export async function getAuditLogPage(
  db: Db,
  query: { page: number; pageSize: number },
): Promise<{
  chain: ChainVerification
  events: Omit<AuditEventPage, 'items'> & { items: Array<AuditEventView & { lines: AuditDetailLine[] }> }
}> {
  const [chain, events, reference] = await Promise.all([
    verifyAuditChain(db),
    listAuditEvents(db, query),
    referenceData(db),
  ])
  const regionName = (code: string) => reference.regions.get(code)?.name ?? null
  return {
    chain,
    events: {
      ...events,
      items: events.items.map((event) => ({
        ...event,
        lines: describeAuditDetails(event.details, regionName),
      })),
    },
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Masking

/**
 * An identifier as the audit log may keep it: 'b***@example.test', '139****1234'. Anything else typed into a login
 * field (it could be a password typed in the wrong box) is kept as '***' only.
 */
export function maskLoginIdentifier(value: string): string {
  const email = /^([^@\s])[^@\s]*@([^@\s]+)$/.exec(value)
  if (email) return `${email[1]}***@${email[2]}`
  if (/^1\d{10}$/.test(value)) return `${value.slice(0, 3)}****${value.slice(7)}`
  return '***'
}
