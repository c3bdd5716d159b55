import { sql } from 'drizzle-orm'
import { bigint, check, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { roles, users } from './accounts'
import { organizations } from './organizations'

const roleList = sql.raw(roles.map((r) => `'${r}'`).join(', '))

/** A user's role in an organisation: one role per user and organisation. */
export const memberships = pgTable(
  'memberships',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    role: text('role', { enum: roles }).notNull(),
    /**
     * Unit buyers: the largest requisition (fen) that goes straight to ordering; above it an approver decides. Set by
     * the unit admin; 0 means every requisition needs approval.
     */
    spendingLimitFen: bigint('spending_limit_fen', { mode: 'bigint' })
      .notNull()
      .default(sql`0`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.orgId] }),
    index('memberships_org_id_idx').on(t.orgId),
    check('memberships_role_check', sql`${t.role} in (${roleList})`),
  ],
)

/**
 * An invitation link, single-use: whoever signs in and opens it before it expires joins with the role — or, when it
 * names an invitee, only that account. Only a hash of the token is kept.
 */
export const invitations = pgTable(
  'invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    role: text('role', { enum: roles }).notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    /**
     * The only account that may accept: a lower-cased email or an 11-digit mobile number. Required for platform
     * roles (finance, admin); optional otherwise.
     */
    invitee: text('invitee'),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    acceptedBy: uuid('accepted_by').references(() => users.id),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    index('invitations_org_id_idx').on(t.orgId),
    check('invitations_role_check', sql`${t.role} in (${roleList})`),
  ],
)
