import { and, desc, eq, isNull, sql } from 'drizzle-orm'
import { type Db, toCount } from '../../../db/client.server'
import { notifications } from '../../../db/schema/procurement'
import type { Clock } from '../../utils/clock'

/**
 * What a user is told outside the page they are on (a requisition approved, one awaiting their decision): rows
 * with a message key and its values, translated when shown, and a link. Written in the transaction of the change.
 */
export type NotificationInput = {
  userId: string
  messageKey:
    | 'notification.requisition.awaiting'
    | 'notification.requisition.approved'
    | 'notification.requisition.rejected'
  values: Record<string, string>
  link: string
}

export async function notify(tx: Db, items: readonly NotificationInput[], clock: Clock): Promise<void> {
  if (items.length === 0) return
  const now = clock.now()
  await tx.insert(notifications).values(items.map((n) => ({ ...n, createdAt: now })))
}

export const NOTIFICATIONS_PAGE_SIZE = 20

export type NotificationView = {
  id: string
  messageKey: string
  values: Record<string, string>
  link: string
  createdAt: string
  read: boolean
}

/** The user's notifications, newest first, a page at a time, with how many are unread. */
export async function listNotifications(
  db: Db,
  input: { userId: string; page: number },
): Promise<{ items: NotificationView[]; total: number; unread: number; page: number; pageSize: number }> {
  const pageSize = NOTIFICATIONS_PAGE_SIZE
  const [rows, counts] = await Promise.all([
    db
      .select()
      .from(notifications)
      .where(eq(notifications.userId, input.userId))
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(pageSize)
      .offset((input.page - 1) * pageSize),
    db
      .select({
        total: sql<number>`count(*)`.mapWith(toCount),
        unread: sql<number>`count(*) filter (where ${notifications.readAt} is null)`.mapWith(toCount),
      })
      .from(notifications)
      .where(eq(notifications.userId, input.userId)),
  ])
  return {
    items: rows.map((n) => ({
      id: n.id,
      messageKey: n.messageKey,
      values: (n.values ?? {}) as Record<string, string>,
      link: n.link,
      createdAt: n.createdAt.toISOString(),
      read: n.readAt !== null,
    })),
    total: counts[0]?.total ?? 0,
    unread: counts[0]?.unread ?? 0,
    page: input.page,
    pageSize,
  }
}

export async function unreadNotificationCount(db: Db, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)`.mapWith(toCount) })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
  return row?.n ?? 0
}

/** Marks every unread notification of the user read; returns how many. */
export async function markNotificationsRead(db: Db, userId: string, clock: Clock): Promise<number> {
  const rows = await db
    .update(notifications)
    .set({ readAt: clock.now() })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
    .returning({ id: notifications.id })
  return rows.length
}
