import { desc } from 'drizzle-orm'
import { countAll, type Db } from '../../../db/client.server'
import { outboundMessages } from '../../../db/schema/accounts'
import type { OutboxPage } from './mail.server'

/** The newest messages first, for the platform admins' outbox page. */
export async function listOutbox(db: Db, input: { page: number; pageSize: number }): Promise<OutboxPage> {
  const page = Math.max(1, Math.floor(input.page))
  const [items, total] = await Promise.all([
    db
      .select()
      .from(outboundMessages)
      .orderBy(desc(outboundMessages.createdAt), desc(outboundMessages.id))
      .limit(input.pageSize)
      .offset((page - 1) * input.pageSize),
    db.select({ n: countAll }).from(outboundMessages),
  ])
  return { items, total: total[0]?.n ?? 0, page, pageSize: input.pageSize }
}
