import { eq, lt } from 'drizzle-orm'
import nodemailer from 'nodemailer'
import type { Db } from '../../../db/client.server'
import { outboundMessages, type ResetChannel } from '../../../db/schema/accounts'
import type { Clock } from '../../utils/clock'

/**
 * The port through which the app tells people things (a reset link, a code). Every message is first kept in
 * outbound_messages — in demo mode that is its only delivery, read by platform admins at /admin/outbox — and, when
 * a transport is configured for its channel, handed to it afterwards, outside any transaction (a slow mail server
 * must never hold a database lock). SMTP (nodemailer) is the email transport; SMS has no provider adapter yet, so
 * SMS is offered only where messages stay in the outbox (demo mode).
 */
export type OutboundMessage = { channel: ResetChannel; recipient: string; subject: string; body: string }

export type Transport = { send(message: OutboundMessage): Promise<void> }

export type Mailer = {
  /** Whether a message on this channel reaches a person (a transport, or the demo outbox). */
  reaches(channel: ResetChannel): boolean
  send(db: Db, message: OutboundMessage, clock: Clock): Promise<{ id: string; delivered: boolean }>
}

/** Messages older than this are deleted: a body may hold a one-time secret, long expired by then. */
export const OUTBOX_RETENTION_DAYS = 7

export function smtpTransport(smtpUrl: string, from: string): Transport {
  const transporter = nodemailer.createTransport(smtpUrl)
  return {
    async send(message) {
      await transporter.sendMail({
        from,
        to: message.recipient,
        subject: message.subject,
        text: message.body,
      })
    },
  }
}

export function createMailer(options: {
  /** Demo mode: the outbox is a delivery (people read it there). */
  outboxDelivers: boolean
  transports: Partial<Record<ResetChannel, Transport>>
  logError?: (line: string) => void
}): Mailer {
  return {
    reaches: (channel) => options.outboxDelivers || options.transports[channel] !== undefined,
    async send(db, message, clock) {
      const [row] = await db
        .insert(outboundMessages)
        .values({ ...message, createdAt: clock.now() })
        .returning({ id: outboundMessages.id })
      if (!row) throw new Error('outbound message insert returned no row')
      const transport = options.transports[message.channel]
      if (!transport) return { id: row.id, delivered: options.outboxDelivers }
      try {
        await transport.send(message)
        await db.update(outboundMessages).set({ sentAt: clock.now() }).where(eq(outboundMessages.id, row.id))
        return { id: row.id, delivered: true }
      } catch (error) {
        // The reason is kept for the admin; the recipient and body never go to the log.
        const reason = error instanceof Error ? error.message.slice(0, 500) : 'unknown error'
        await db.update(outboundMessages).set({ error: reason }).where(eq(outboundMessages.id, row.id))
        options.logError?.(`outbound ${message.channel} message ${row.id} failed: ${reason}`)
        return { id: row.id, delivered: false }
      }
    },
  }
}

/** Deletes messages past retention; returns how many went. */
export async function purgeOutbox(db: Db, clock: Clock): Promise<number> {
  const cutoff = new Date(clock.now().getTime() - OUTBOX_RETENTION_DAYS * 86_400_000)
  const gone = await db
    .delete(outboundMessages)
    .where(lt(outboundMessages.createdAt, cutoff))
    .returning({ id: outboundMessages.id })
  return gone.length
}

export type OutboxPage = {
  items: Array<{
    id: string
    channel: ResetChannel
    recipient: string
    subject: string
    body: string
    createdAt: Date
    sentAt: Date | null
    error: string | null
  }>
  total: number
  page: number
  pageSize: number
}
