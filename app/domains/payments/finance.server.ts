import { is } from 'drizzle-orm'
import { PgTransaction } from 'drizzle-orm/pg-core'
import type { Db } from '../../../db/client.server'
import {
  type CanonicalInput,
  type ChainAppend,
  type JsonValue,
  toJsonValue,
} from '../../services/hash-chain/index.server'
import type { Clock } from '../../utils/clock'
import {
  AUDIT_CHAIN,
  type AuditEventInput,
  auditEventPayload,
  type AuditRowContent,
  recordAuditEvent,
} from '../audit/index.server'
import { appendSaleEntries } from '../ledger/index.server'
import { type ConfirmPaymentResult, confirmPaymentInTransaction } from './confirm.server'

/**
 * Platform finance matches a bank transfer on the statement to its reference and enters what arrived. The
 * confirmation itself is the one `confirmPayment` every provider uses (run in this transaction); here it is also
 * audited — who confirmed (or found a short or over payment), for how much — in the same transaction.
 *
 * A confirmation's audit event is appended together with its ledger entries: both chain heads are locked in one
 * statement ('ledger', then 'audit') and the entries, credits, reach and the event written in the next, sent with
 * the COMMIT — so the two global locks are held for one statement and the commit, with no round trip to this
 * process in between, rather than for a string of statements each.
 */
export async function confirmBankTransfer(
  db: Db,
  input: { paymentId: string; receivedFen: bigint; financeUserId: string },
  clock: Clock,
): Promise<ConfirmPaymentResult> {
  if (input.receivedFen < 0n) throw new RangeError('received amount must not be negative')
  const event = (action: 'payment.confirmed' | 'payment.flagged'): AuditEventInput => ({
    actorUserId: input.financeUserId,
    action,
    subjectType: 'payment',
    subjectId: input.paymentId,
    details: { receivedFen: input.receivedFen.toString() },
    occurredAt: clock.now(),
  })
  // The last statements of a confirmation (rollups, then entries and audit event under the chain heads' locks)
  // are pipelined with the COMMIT, so the locks are released without a round trip to this process; their outcome
  // is checked after the commit (a failed statement aborted the transaction, and the COMMIT then rolled it back).
  // Called inside a caller's transaction, there is no COMMIT to follow: they are awaited in the savepoint, whose
  // rollback then undoes a failure as before and leaves the caller's transaction usable.
  const pipelined = !is(db, PgTransaction)
  let written: Promise<unknown> = Promise.resolve()
  const confirming = db.transaction(async (tx) => {
    const result = await confirmPaymentInTransaction(
      tx,
      { paymentId: input.paymentId, receivedFen: input.receivedFen, confirmedBy: input.financeUserId },
      clock,
      {
        async onConfirmed(inner, confirmed) {
          ;({ written } = await appendSaleEntries(inner, confirmed, {
            also: [auditAppend(event('payment.confirmed'))],
            pipelined,
          }))
        },
      },
    )
    if (!result.ok && result.reason === 'amount_mismatch')
      await recordAuditEvent(tx, event('payment.flagged'))
    return result
  })
  const result = await confirming.catch(async (error: unknown) => {
    await written // its own error tells more than the failed COMMIT that reported it (PGlite)
    throw error
  })
  await written
  return result
}

/**
 * An audit event as an append of sendChainAppends: the row recordAuditEvent would write (details as they come back
 * from jsonb, the actor's uuid as PostgreSQL prints it), inserted by the appending statement.
 */
function auditAppend(input: AuditEventInput): ChainAppend {
  const row: AuditRowContent = {
    seq: 0, // the database's to fill in
    occurredAt: input.occurredAt,
    actorUserId: input.actorUserId?.toLowerCase() ?? null,
    action: input.action,
    subjectType: input.subjectType,
    subjectId: input.subjectId,
    details: toJsonValue(input.details) as { [key: string]: JsonValue },
  }
  return {
    chain: AUDIT_CHAIN,
    payloads: [auditEventPayload(row) as { [key: string]: CanonicalInput }],
    inserts: (links, params) => [
      `insert into audit_events (seq, occurred_at, actor_user_id, action, subject_type, subject_id, details,
         prev_hash, hash)
       select l.seq, ${params.add(row.occurredAt.toISOString(), 'timestamptz')},
              ${params.add(row.actorUserId, 'uuid')}, ${params.add(row.action, 'text')},
              ${params.add(row.subjectType, 'text')}, ${params.add(row.subjectId, 'text')},
              ${params.add(JSON.stringify(row.details), 'jsonb')}, l.prev_hash, l.hash
       from ${links} l`,
    ],
  }
}
