import { sql } from 'drizzle-orm'
import { boolean, check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'

/**
 * People who sign in. A consumer is a user without memberships; everything done for an organisation goes through
 * a membership and its role. Login is by email or mainland mobile number; at least one is present.
 */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Stored lower-cased. */
    email: text('email').unique(),
    /** 11-digit mainland mobile number. */
    mobile: text('mobile').unique(),
    displayName: text('display_name').notNull(),
    /** argon2id PHC string; parameters are read back from it to rehash outdated ones at login. */
    passwordHash: text('password_hash').notNull(),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }).notNull().defaultNow(),
    isDemo: boolean('is_demo').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('users_login_present', sql`${t.email} is not null or ${t.mobile} is not null`),
    check('users_email_lowercase', sql`${t.email} = lower(${t.email})`),
    check('users_mobile_format', sql`${t.mobile} ~ '^1[3-9][0-9]{9}$'`),
  ],
)

/**
 * Server-side sessions. The cookie carries a random token; only its SHA-256 is stored, so a copy of this table
 * cannot be replayed. A session ends at the idle or the absolute timeout, on logout, or when revoked.
 */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The organisation the user currently acts for (null: acting as a consumer). */
    activeOrgId: uuid('active_org_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    /** Set when the user's roles change: the next request swaps the token for a new one. */
    needsRotation: boolean('needs_rotation').notNull().default(false),
  },
  (t) => [index('sessions_user_id_idx').on(t.userId)],
)

export const roles = [
  'unit_buyer',
  'unit_approver',
  'unit_admin',
  'coop_admin',
  'coop_staff',
  'office_analyst',
  'office_admin',
  'platform_admin',
  'platform_finance',
] as const
export type Role = (typeof roles)[number]

/**
 * Login and sign-up attempt counters (app/domains/accounts/throttles.server.ts), kept in the database so restarts do not
 * reset them.
 */
export const loginThrottles = pgTable('login_throttles', {
  /** `account:<identifier>`, `ip:<address>`, `signup:<identifier>` or `signup-ip:<address>`. */
  key: text('key').primaryKey(),
  /** Attempts counted in the current window (taken before the password check, given back on success). */
  failures: integer('failures').notNull().default(0),
  windowStartedAt: timestamp('window_started_at', { withTimezone: true }).notNull(),
  /** The end of a lock, or for an account being slowed down, the earliest next attempt. */
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
})

export const resetChannels = ['email', 'sms'] as const
export type ResetChannel = (typeof resetChannels)[number]

/**
 * Password resets (app/domains/accounts/password-reset.server.ts). By email the user receives a link carrying a
 * random token; by SMS a six-digit code typed back with the mobile number. Only the secret's SHA-256 is stored. A
 * reset is used once (used_at, set by a conditional update), expires after 30 minutes, and an SMS code allows five
 * wrong guesses before it is spent.
 */
export const passwordResets = pgTable(
  'password_resets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    channel: text('channel', { enum: resetChannels }).notNull(),
    secretHash: text('secret_hash').notNull().unique(),
    wrongGuesses: integer('wrong_guesses').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [
    index('password_resets_user_idx').on(t.userId, t.createdAt),
    check('password_resets_channel_check', sql`${t.channel} in ('email', 'sms')`),
  ],
)

/**
 * Messages the app sends people (emails, text messages), kept as sent: in demo mode this table is the only delivery
 * (platform admins read it at /admin/outbox); with SMTP configured, each row also records when it was handed to the
 * mail server, or why that failed. A message body may hold a one-time secret: rows are deleted after 7 days.
 */
export const outboundMessages = pgTable(
  'outbound_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    channel: text('channel', { enum: resetChannels }).notNull(),
    recipient: text('recipient').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    error: text('error'),
  },
  (t) => [
    index('outbound_messages_created_idx').on(t.createdAt),
    check('outbound_messages_channel_check', sql`${t.channel} in ('email', 'sms')`),
  ],
)
