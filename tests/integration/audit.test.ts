import { and, asc, eq, gt, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { type Db, queryRows, useSharedDb } from '../../db/client.server'
import { users } from '../../db/schema/accounts'
import { auditEvents } from '../../db/schema/audit'
import { memberships } from '../../db/schema/memberships'
import { organizations } from '../../db/schema/organizations'
import { seedUuid } from '../../db/seed/synthetic'
import {
  auditEventPayload,
  auditHead,
  listAuditEvents,
  maskLoginIdentifier,
  recordAuditEvent,
  verifyAuditChain,
} from '../../app/domains/audit/audit.server'
import { logIn, signUp, THROTTLE } from '../../app/domains/accounts/auth.server'
import {
  acceptInvitation,
  changeMemberRole,
  createInvitation,
  removeMember,
} from '../../app/domains/organizations/memberships.server'
import {
  createOffice,
  registerOrganization,
  reviewOrganization,
} from '../../app/domains/organizations/organizations.server'
import { appendToChain, chainHash, chainHead, GENESIS_HASH } from '../../app/services/hash-chain/index.server'
import { type RequestAuth } from '../../app/domains/accounts/sessions.server'
import { loader as auditLoader } from '../../app/routes/admin.audit'
import { fixedClock } from '../../app/utils/clock'
import { makeUscc } from '../../app/utils/uscc'
import { testContext } from '../support/context'
import { openTestDatabase, testDbKind } from '../support/db'
import { SEED_NOW } from '../support/test-clock'

const clock = fixedClock(SEED_NOW)

/** The messages along an error's cause chain: drizzle wraps the database's own error. */
async function failureOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    const messages: string[] = []
    for (let current: unknown = error; current instanceof Error; current = current.cause) {
      messages.push(current.message)
    }
    return messages.join(' | ')
  }
  throw new Error('expected the statement to be refused')
}

class Rollback extends Error {}

describe(`audit log (${testDbKind()})`, async () => {
  const handle = await openTestDatabase('seeded', { poolSize: 10 })
  const db = handle.db

  let serial = 0
  const event = (n: number) => ({
    actorUserId: null,
    action: 'personal_data.revealed' as const,
    subjectType: 'household' as const,
    subjectId: `test-${n}`,
    details: {
      n,
      at: new Date(SEED_NOW.getTime() + n * 1000),
      big: 10n ** 20n + BigInt(n),
      list: [1, 'two'],
    },
    occurredAt: new Date(SEED_NOW.getTime() + n * 1000),
  })
  const append = (tx: Db) => recordAuditEvent(tx, event(serial++))

  async function rows() {
    return db.select().from(auditEvents).orderBy(asc(auditEvents.seq))
  }

  async function eventsAfter(seq: number) {
    return db.select().from(auditEvents).where(gt(auditEvents.seq, seq)).orderBy(asc(auditEvents.seq))
  }

  async function xmin(
    table: 'organizations' | 'memberships' | 'login_throttles' | 'audit_events',
    where: string,
  ) {
    const column = {
      organizations: 'id',
      memberships: 'user_id',
      login_throttles: 'key',
      audit_events: 'seq',
    }[table]
    const [row] = await queryRows<{ x: string }>(
      db,
      sql`select xmin::text as x from ${sql.identifier(table)} where ${sql.identifier(column)}::text = ${where}`,
    )
    return row?.x
  }

  /**
   * Runs `tamper` as the table owner with triggers off (session_replication_role = replica, on the transaction's
   * one connection), hands back what it returns, and rolls everything back so the next test finds the chain whole.
   */
  async function whileTampered<T>(tamper: (tx: Db) => Promise<T>): Promise<T> {
    let result: T | undefined
    try {
      await db.transaction(async (tx) => {
        await tx.execute(sql`set local session_replication_role = replica`)
        result = await tamper(tx)
        throw new Rollback()
      })
    } catch (error) {
      if (!(error instanceof Rollback)) throw error
    }
    return result as T
  }

  it('starts empty, then numbers events 1…N, each linked to the one before', async () => {
    expect(await auditHead(db)).toEqual({ seq: 0, hash: GENESIS_HASH, updatedAt: null })
    expect(await verifyAuditChain(db)).toEqual({ ok: true, checked: 0, headSeq: 0, headHash: GENESIS_HASH })
    const appended = []
    for (let i = 0; i < 6; i++) appended.push(await db.transaction((tx) => append(tx)))
    expect(appended.map((a) => a.seq)).toEqual([1, 2, 3, 4, 5, 6])

    const stored = await rows()
    expect(stored.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6])
    expect(stored[0]!.prevHash).toBe(GENESIS_HASH)
    for (let i = 1; i < stored.length; i++) expect(stored[i]!.prevHash).toBe(stored[i - 1]!.hash)
    for (const row of stored) expect(row.hash).toBe(chainHash(row.prevHash, auditEventPayload(row)))
    // Stored as hashed: bigints and dates as strings, integers as numbers.
    expect(stored[0]!.details).toEqual({
      n: 0,
      at: SEED_NOW.toISOString(),
      big: '100000000000000000000',
      list: [1, 'two'],
    })

    const head = await auditHead(db)
    expect(head).toMatchObject({ seq: 6, hash: stored[5]!.hash })
    expect(await verifyAuditChain(db)).toEqual({
      ok: true,
      checked: 6,
      headSeq: 6,
      headHash: stored[5]!.hash,
    })
    expect(await verifyAuditChain(db, { expect: { seq: 6, hash: stored[5]!.hash } })).toMatchObject({
      ok: true,
    })
    expect(await verifyAuditChain(db, { expect: { seq: 3, hash: stored[2]!.hash } })).toMatchObject({
      ok: true,
    })

    const page = await listAuditEvents(db, { page: 1, pageSize: 4 })
    expect(page.total).toBe(6)
    expect(page.items.map((e) => e.seq)).toEqual([6, 5, 4, 3])
    expect(page.items[0]).toMatchObject({ action: 'personal_data.revealed', actorName: null })
  })

  it('refuses a float (or undefined) in the details before writing anything', async () => {
    const before = await auditHead(db)
    await expect(
      db.transaction((tx) => recordAuditEvent(tx, { ...event(99), details: { amount: 12.5 } })),
    ).rejects.toThrow(RangeError)
    await expect(
      db.transaction((tx) =>
        recordAuditEvent(tx, { ...event(99), details: { missing: undefined as never } }),
      ),
    ).rejects.toThrow(RangeError)
    expect(await auditHead(db)).toEqual(before)
  })

  it('keeps seq gap-free under concurrent appends, and reuses the seq of a rolled-back one', async () => {
    const start = (await auditHead(db)).seq
    // On the server these are 20 transactions on up to 10 connections at once; PGlite runs them one by one.
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        db.transaction(async (tx) => {
          // Other writes of the transaction come first; the chain's head lock is taken last.
          await tx.execute(
            sql`insert into login_throttles (key, window_started_at) values (${`test:concurrent:${i}`}, now())`,
          )
          await tx.execute(sql`select pg_sleep(${(i % 4) * 0.005})`)
          return append(tx)
        }),
      ),
    )
    expect(results.map((r) => r.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => start + 1 + i),
    )
    await expect(
      db.transaction(async (tx) => {
        await append(tx)
        throw new Rollback()
      }),
    ).rejects.toThrow(Rollback)
    const next = await db.transaction((tx) => append(tx))
    expect(next.seq).toBe(start + 21)
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, checked: start + 21, headSeq: start + 21 })
  })

  it('creates a chain head on first use, also when the first appends race', async () => {
    const chain = `test-${Date.now().toString(36)}`
    const seqs = await Promise.all(
      Array.from({ length: 12 }, () =>
        db.transaction(async (tx) => {
          const entry = await appendToChain(tx, chain, ({ seq }) => ({
            payload: { seq },
            insert: async () => 'stored elsewhere',
          }))
          expect(entry.result).toBe('stored elsewhere')
          return entry.seq
        }),
      ),
    )
    expect(seqs.sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1))
    expect(await chainHead(db, chain)).toMatchObject({ seq: 12 })
  })

  it('refuses UPDATE, DELETE and TRUNCATE on audit_events, and DELETE and TRUNCATE on chain_heads', async () => {
    const before = await rows()
    expect(await failureOf(db.execute(sql`update audit_events set action = 'x' where seq = 1`))).toMatch(
      /audit_events is append-only/,
    )
    expect(await failureOf(db.execute(sql`update audit_events set seq = seq`))).toMatch(/append-only/)
    expect(await failureOf(db.execute(sql`delete from audit_events where seq = 2`))).toMatch(
      /audit_events is append-only/,
    )
    expect(await failureOf(db.execute(sql`truncate audit_events`))).toMatch(/audit_events is append-only/)
    expect(await failureOf(db.execute(sql`delete from chain_heads`))).toMatch(
      /chain_heads rows cannot be deleted/,
    )
    expect(await failureOf(db.execute(sql`truncate chain_heads`))).toMatch(
      /chain_heads rows cannot be deleted/,
    )
    expect(await rows()).toEqual(before)
    // The head itself moves on every append: updating it is allowed.
    await db.execute(sql`update chain_heads set updated_at = updated_at where chain = 'audit'`)
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true })
  })

  describe('with triggers switched off by the owner, verifyAuditChain finds the first broken seq', () => {
    it('(a) a changed row', async () => {
      const result = await whileTampered(async (tx) => {
        await tx.execute(sql`update audit_events set details = details || '{"n": 1000}'::jsonb where seq = 4`)
        return verifyAuditChain(tx)
      })
      expect(result).toEqual({ ok: false, firstBrokenSeq: 4, reason: 'hash_mismatch' })
      // A change to a column outside details too, e.g. who acted.
      const actor = await whileTampered(async (tx) => {
        await tx.execute(sql`update audit_events set actor_user_id = gen_random_uuid() where seq = 2`)
        return verifyAuditChain(tx)
      })
      expect(actor).toEqual({ ok: false, firstBrokenSeq: 2, reason: 'hash_mismatch' })
      expect(await verifyAuditChain(db)).toMatchObject({ ok: true })
    })

    it('(b) a deleted row', async () => {
      const result = await whileTampered(async (tx) => {
        await tx.execute(sql`delete from audit_events where seq = 3`)
        return verifyAuditChain(tx)
      })
      expect(result).toEqual({ ok: false, firstBrokenSeq: 3, reason: 'seq_gap' })
    })

    it('(c) two rows that swapped their contents', async () => {
      const swap = (i: number, j: number, columns: string) =>
        whileTampered(async (tx) => {
          const list = sql.raw(columns)
          // Through a copy: hash is unique, so the two rows cannot hold one value at the same time.
          await tx.execute(sql`create temporary table swap on commit drop as
                               select seq, ${list} from audit_events where seq in (${i}, ${j})`)
          if (columns.includes('hash'))
            await tx.execute(sql`update audit_events set hash = repeat('f', 64) where seq = ${i}`)
          const set = sql.raw(
            columns
              .split(',')
              .map((c) => `${c.trim()} = s.${c.trim()}`)
              .join(', '),
          )
          await tx.execute(sql`update audit_events a set ${set} from swap s
                               where (a.seq = ${j} and s.seq = ${i})`)
          await tx.execute(sql`update audit_events a set ${set} from swap s
                               where (a.seq = ${i} and s.seq = ${j})`)
          return verifyAuditChain(tx)
        })
      const content = 'occurred_at, actor_user_id, action, subject_type, subject_id, details'
      expect(await swap(2, 5, content)).toEqual({ ok: false, firstBrokenSeq: 2, reason: 'hash_mismatch' })
      // With their hashes too, the moved rows no longer link to their neighbours.
      expect(await swap(2, 5, `${content}, prev_hash, hash`)).toEqual({
        ok: false,
        firstBrokenSeq: 2,
        reason: 'prev_hash_mismatch',
      })
      expect(await swap(3, 4, `${content}, prev_hash, hash`)).toEqual({
        ok: false,
        firstBrokenSeq: 3,
        reason: 'prev_hash_mismatch',
      })
    })

    it('(d) a forged row inserted mid-chain, or appended without the head', async () => {
      const [third] = await db.select().from(auditEvents).where(eq(auditEvents.seq, 3))
      const forge = (tx: Db, seq: number, prevHash: string, hash?: string) => {
        const content = {
          seq,
          occurredAt: SEED_NOW,
          actorUserId: null,
          action: 'organization.verified',
          subjectType: 'organization',
          subjectId: 'forged',
          details: {},
        }
        return tx.insert(auditEvents).values({
          ...content,
          prevHash,
          hash: hash ?? chainHash(prevHash, auditEventPayload(content)),
        })
      }
      const makeRoomAt = async (tx: Db, seq: number) => {
        // Two steps, so that no two rows hold one seq in between.
        await tx.execute(sql`update audit_events set seq = seq + 1000000 where seq >= ${seq}`)
        await tx.execute(sql`update audit_events set seq = seq - 999999 where seq >= 1000000`)
      }
      // A careless forger: the row's hash is not its own.
      const careless = await whileTampered(async (tx) => {
        await makeRoomAt(tx, 4)
        await forge(tx, 4, third!.hash, 'e'.repeat(64))
        return verifyAuditChain(tx)
      })
      expect(careless).toEqual({ ok: false, firstBrokenSeq: 4, reason: 'hash_mismatch' })
      // A forger who knows the algorithm links the row to seq 3 correctly; the genuine row after it (now seq 5)
      // does not link to the forgery.
      const careful = await whileTampered(async (tx) => {
        await makeRoomAt(tx, 4)
        await forge(tx, 4, third!.hash)
        return verifyAuditChain(tx)
      })
      expect(careful).toEqual({ ok: false, firstBrokenSeq: 5, reason: 'prev_hash_mismatch' })
      // A well-formed row appended after the last one, without moving the head.
      const head = await auditHead(db)
      const appended = await whileTampered(async (tx) => {
        await forge(tx, head.seq + 1, head.hash)
        return verifyAuditChain(tx)
      })
      expect(appended).toEqual({ ok: false, firstBrokenSeq: head.seq + 1, reason: 'head_mismatch' })
    })

    it('(e) the last row deleted and the head rewound: caught against the head published before', async () => {
      const published = await auditHead(db)
      const [previous] = await db
        .select()
        .from(auditEvents)
        .where(eq(auditEvents.seq, published.seq - 1))
      const [withoutExpect, withExpect] = await whileTampered(async (tx) => {
        await tx.execute(sql`delete from audit_events where seq = ${published.seq}`)
        await tx.execute(
          sql`update chain_heads set seq = ${previous!.seq}, hash = ${previous!.hash} where chain = 'audit'`,
        )
        return [await verifyAuditChain(tx), await verifyAuditChain(tx, { expect: published })] as const
      })
      // Consistent in itself …
      expect(withoutExpect).toMatchObject({ ok: true, headSeq: published.seq - 1 })
      // … but not the chain that was published.
      expect(withExpect).toEqual({
        ok: false,
        firstBrokenSeq: published.seq,
        reason: 'expected_head_mismatch',
      })

      // The last row rewritten with a fresh hash and a matching head: the same.
      const rewritten = await whileTampered(async (tx) => {
        const [last] = await tx.select().from(auditEvents).where(eq(auditEvents.seq, published.seq))
        const details = { forged: true }
        const hash = chainHash(last!.prevHash, auditEventPayload({ ...last!, details }))
        await tx.update(auditEvents).set({ details, hash }).where(eq(auditEvents.seq, published.seq))
        await tx.execute(sql`update chain_heads set hash = ${hash} where chain = 'audit'`)
        return [await verifyAuditChain(tx), await verifyAuditChain(tx, { expect: published })] as const
      })
      expect(rewritten[0]).toMatchObject({ ok: true })
      expect(rewritten[1]).toEqual({
        ok: false,
        firstBrokenSeq: published.seq,
        reason: 'expected_head_mismatch',
      })

      // Only the head rewound (rows left alone): the head no longer matches the last row.
      const headOnly = await whileTampered(async (tx) => {
        await tx.execute(
          sql`update chain_heads set seq = ${previous!.seq}, hash = ${previous!.hash} where chain = 'audit'`,
        )
        return verifyAuditChain(tx)
      })
      expect(headOnly).toEqual({ ok: false, firstBrokenSeq: published.seq, reason: 'head_mismatch' })
      expect(await verifyAuditChain(db, { expect: published })).toMatchObject({ ok: true })
    })
  })

  describe('audited changes write exactly one event, in their own transaction', () => {
    async function createUser(label: string, login?: { email?: string; mobile?: string }) {
      const [row] = await db
        .insert(users)
        .values({
          email: login ? (login.email ?? null) : `${label}-${serial++}@audit.test`,
          mobile: login?.mobile ?? null,
          displayName: label,
          passwordHash: 'x',
        })
        .returning({ id: users.id })
      return row!.id
    }

    async function pendingOrg(label: string) {
      const userId = await createUser(label)
      const result = await registerOrganization(db, {
        userId,
        kind: 'cooperative',
        name: `${label}合作社`,
        uscc: makeUscc({
          authority: '9',
          kind: '1',
          regionCode: '350102',
          orgBody8: String(80_000_000 + serial++ * 7919).slice(-8),
        }),
        regionCode: '350102',
        contactName: '联系人',
        contactPhone: '13800000000',
      })
      if (!result.ok) throw new Error(JSON.stringify(result.errors))
      return result.orgId
    }

    it('reviewOrganization: one event per decision, none for a refused one, none if the event cannot be written', async () => {
      const reviewerId = seedUuid('user:admin@demo.example')
      const orgId = await pendingOrg('审计')
      let head = (await auditHead(db)).seq

      expect(
        await reviewOrganization(db, { orgId, reviewerId, decision: 'reject', reason: '' }, clock),
      ).toMatchObject({ ok: false, error: 'invalid' })
      expect(await eventsAfter(head)).toEqual([])

      // The decision and its event are written together or not at all.
      await db.execute(sql`create function fail_audit() returns trigger language plpgsql as $$
                           begin raise exception 'audit unavailable'; end; $$`)
      await db.execute(sql`create trigger fail_audit before insert on audit_events
                           for each row execute function fail_audit()`)
      try {
        expect(
          await failureOf(reviewOrganization(db, { orgId, reviewerId, decision: 'verify' }, clock)),
        ).toMatch(/audit unavailable/)
      } finally {
        await db.execute(sql`drop trigger fail_audit on audit_events`)
        await db.execute(sql`drop function fail_audit()`)
      }
      const [stillPending] = await db
        .select({ verifiedAt: organizations.verifiedAt })
        .from(organizations)
        .where(eq(organizations.id, orgId))
      expect(stillPending?.verifiedAt).toBeNull()
      expect(await eventsAfter(head)).toEqual([])

      expect(await reviewOrganization(db, { orgId, reviewerId, decision: 'verify' }, clock)).toMatchObject({
        ok: true,
      })
      const events = await eventsAfter(head)
      expect(events).toHaveLength(1)
      expect(events[0]).toMatchObject({
        action: 'organization.verified',
        actorUserId: reviewerId,
        subjectType: 'organization',
        subjectId: orgId,
        details: { name: '审计合作社', reason: null },
        occurredAt: SEED_NOW,
      })
      expect(await xmin('audit_events', String(events[0]!.seq))).toBe(await xmin('organizations', orgId))

      head = (await auditHead(db)).seq
      expect(await reviewOrganization(db, { orgId, reviewerId, decision: 'verify' }, clock)).toEqual({
        ok: false,
        error: 'not_pending',
      })
      const rejected = await pendingOrg('驳回')
      expect(
        await reviewOrganization(
          db,
          { orgId: rejected, reviewerId, decision: 'reject', reason: '材料不全' },
          clock,
        ),
      ).toMatchObject({ ok: true })
      expect((await eventsAfter(head)).map((e) => [e.action, e.details])).toEqual([
        ['organization.rejected', { name: '驳回合作社', reason: '材料不全' }],
      ])
      expect(await verifyAuditChain(db)).toMatchObject({ ok: true })
    })

    it('createOffice: one event with the jurisdiction', async () => {
      const head = (await auditHead(db)).seq
      const createdBy = seedUuid('user:admin@demo.example')
      const result = await createOffice(
        db,
        {
          name: '审计测试工作机构',
          regionCode: '350100',
          jurisdiction: ['350100', '621100', '621126'],
          createdBy,
        },
        clock,
      )
      if (!result.ok) throw new Error(JSON.stringify(result.errors))
      const events = await eventsAfter(head)
      expect(events.map((e) => [e.action, e.actorUserId, e.subjectId, e.details])).toEqual([
        [
          'office.created',
          createdBy,
          result.orgId,
          { name: '审计测试工作机构', regionCode: '350100', jurisdiction: ['350100', '621100'] },
        ],
      ])
      expect(await xmin('audit_events', String(events[0]!.seq))).toBe(
        await xmin('organizations', result.orgId),
      )
    })

    it('memberships: joining, a role change and a removal are one event each; no-ops and refusals none', async () => {
      const admin = await createUser('管理员')
      const member = await createUser('成员')
      const [org] = await db
        .insert(organizations)
        .values({ kind: 'enterprise', name: `审计企业${serial++}`, regionCode: '350102' })
        .returning({ id: organizations.id })
      const orgId = org!.id
      await db.insert(memberships).values({ userId: admin, orgId, role: 'unit_admin' })
      let head = (await auditHead(db)).seq

      const invitation = await createInvitation(db, { orgId, role: 'unit_buyer', requesterId: admin }, clock)
      if (!invitation.ok) throw new Error(invitation.error)
      expect(await acceptInvitation(db, { token: invitation.token, userId: member }, clock)).toMatchObject({
        ok: true,
      })
      expect(await acceptInvitation(db, { token: invitation.token, userId: member }, clock)).toMatchObject({
        ok: false,
      })
      expect((await eventsAfter(head)).map((e) => [e.action, e.actorUserId, e.subjectId, e.details])).toEqual(
        [['membership.joined', member, orgId, { memberUserId: member, role: 'unit_buyer' }]],
      )

      head = (await auditHead(db)).seq
      expect(
        await changeMemberRole(db, { orgId, targetUserId: member, role: 'unit_admin', requesterId: member }),
      ).toEqual({ ok: false, error: 'forbidden' })
      expect(
        await changeMemberRole(db, { orgId, targetUserId: member, role: 'unit_buyer', requesterId: admin }),
      ).toEqual({ ok: true })
      expect(await eventsAfter(head)).toEqual([])
      expect(
        await changeMemberRole(
          db,
          { orgId, targetUserId: member, role: 'unit_approver', requesterId: admin },
          clock,
        ),
      ).toEqual({ ok: true })
      const changed = await eventsAfter(head)
      expect(changed.map((e) => [e.action, e.actorUserId, e.subjectId, e.details, e.occurredAt])).toEqual([
        [
          'membership.role_changed',
          admin,
          orgId,
          { memberUserId: member, from: 'unit_buyer', to: 'unit_approver' },
          SEED_NOW,
        ],
      ])
      const [membershipXmin] = await queryRows<{ x: string }>(
        db,
        sql`select xmin::text as x from memberships where user_id = ${member} and org_id = ${orgId}`,
      )
      expect(await xmin('audit_events', String(changed[0]!.seq))).toBe(membershipXmin?.x)

      head = (await auditHead(db)).seq
      expect(await removeMember(db, { orgId, targetUserId: admin, requesterId: admin }, clock)).toEqual({
        ok: false,
        error: 'last_admin',
      })
      expect(await removeMember(db, { orgId, targetUserId: member, requesterId: admin }, clock)).toEqual({
        ok: true,
      })
      expect((await eventsAfter(head)).map((e) => [e.action, e.details])).toEqual([
        ['membership.removed', { memberUserId: member, role: 'unit_approver', left: false }],
      ])
      const [gone] = await db
        .select()
        .from(memberships)
        .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, member)))
      expect(gone).toBeUndefined()
    })

    it('login: one event when an account starts slowing down or an address locks, none per failure', async () => {
      const email = `Locked.User${serial++}@example.test`
      await signUp(db, { email, displayName: '锁定', password: 'the right one', ip: '10.7.9.9' }, clock)
      const head = (await auditHead(db)).seq
      for (let i = 0; i < THROTTLE.accountLimit - 1; i++) {
        await logIn(db, { identifier: email, password: 'nope nope', ip: `10.7.0.${i}` }, clock)
      }
      expect(await eventsAfter(head)).toEqual([])
      expect(await logIn(db, { identifier: email, password: 'nope nope', ip: '10.7.1.1' }, clock)).toEqual({
        ok: false,
        reason: 'invalid',
      })
      // Waiting out the delays writes nothing more: the event is per slow-down, not per attempt.
      const moving = { now: () => new Date(clock.now().getTime() + 10 * 60_000) }
      for (const at of [clock, clock, moving]) {
        expect(
          await logIn(db, { identifier: email, password: 'nope nope', ip: '10.7.1.2' }, at),
        ).toMatchObject({ ok: false })
      }
      const events = await eventsAfter(head)
      expect(events.map((e) => [e.action, e.actorUserId, e.subjectType, e.subjectId, e.details])).toEqual([
        [
          'login.slowed',
          null,
          'login_throttle',
          `account:l***@example.test`,
          {
            keyKind: 'account',
            identifier: 'l***@example.test',
            failures: THROTTLE.accountLimit,
            windowMinutes: THROTTLE.windowMinutes,
            firstDelaySeconds: THROTTLE.firstDelaySeconds,
            maxDelaySeconds: THROTTLE.maxDelaySeconds,
          },
        ],
      ])
      expect(JSON.stringify(events)).not.toContain('locked.user')
      // A login that succeeds on the limit-th attempt is not a slow-down worth recording.
      const lucky = `lucky${serial++}@example.test`
      await signUp(
        db,
        { email: lucky, displayName: '幸运', password: 'the right one', ip: '10.7.9.9' },
        clock,
      )
      const luckyHead = (await auditHead(db)).seq
      for (let i = 0; i < THROTTLE.accountLimit - 1; i++) {
        await logIn(db, { identifier: lucky, password: 'nope nope', ip: '10.7.2.1' }, clock)
      }
      expect(
        await logIn(db, { identifier: lucky, password: 'the right one', ip: '10.7.2.1' }, clock),
      ).toMatchObject({ ok: true })
      expect(await eventsAfter(luckyHead)).toEqual([])

      // An address failing across many accounts (mobile numbers here) locks once, as the address, when the first
      // attempt past its limit is refused — in the transaction that stores the lock.
      const ipHead = (await auditHead(db)).seq
      for (let i = 0; i < THROTTLE.ipLimit; i++) {
        await logIn(
          db,
          { identifier: `1390000${String(1000 + i)}`, password: 'nope nope', ip: '10.8.8.8' },
          clock,
        )
      }
      expect(await eventsAfter(ipHead)).toEqual([])
      for (let i = 0; i < 3; i++) {
        expect(
          await logIn(db, { identifier: '13900002000', password: 'nope nope', ip: '10.8.8.8' }, clock),
        ).toMatchObject({ reason: 'throttled' })
      }
      const lockedUntil = new Date(SEED_NOW.getTime() + THROTTLE.lockMinutes * 60_000).toISOString()
      const ipEvents = await eventsAfter(ipHead)
      expect(ipEvents.map((e) => [e.action, e.subjectId, e.details])).toEqual([
        [
          'login.locked',
          'ip:10.8.8.8',
          {
            keyKind: 'ip',
            identifier: '10.8.8.8',
            failures: THROTTLE.ipLimit,
            windowMinutes: THROTTLE.windowMinutes,
            lockedUntil,
          },
        ],
      ])
      expect(await xmin('audit_events', String(ipEvents[0]!.seq))).toBe(
        await xmin('login_throttles', 'ip:10.8.8.8'),
      )

      // Sign-up probes lock the same way, under their own key.
      const signupHead = (await auditHead(db)).seq
      for (let i = 0; i <= THROTTLE.signupIpLimit; i++) {
        await signUp(db, { email, displayName: '探测', password: 'probe password', ip: '10.8.8.9' }, clock)
      }
      expect((await eventsAfter(signupHead)).map((e) => [e.action, e.subjectId])).toEqual([
        ['signup.locked', 'signup:l***@example.test'],
      ])
      expect(await verifyAuditChain(db)).toMatchObject({ ok: true })
    })

    it('masks login identifiers', () => {
      expect(maskLoginIdentifier('bob@example.test')).toBe('b***@example.test')
      expect(maskLoginIdentifier('13912341234')).toBe('139****1234')
      expect(maskLoginIdentifier('my secret password')).toBe('***')
    })
  })
  describe('the admin page', () => {
    const adminAuth: RequestAuth = {
      userId: seedUuid('user:admin@demo.example'),
      displayName: '平台管理员',
      email: 'admin@demo.example',
      mobile: null,
      memberships: [
        {
          orgId: seedUuid('org:platform'),
          orgName: '消费帮扶平台运营方（演示）',
          orgKind: 'platform',
          role: 'platform_admin',
          verified: true,
        },
      ],
      active: null,
    }
    const request = new Request('http://localhost/admin/audit')

    it('shows platform admins the newest events and the intact chain, and nobody else', async () => {
      useSharedDb(handle)
      const head = await auditHead(db)
      const data = await auditLoader({ request, params: {}, context: testContext({ auth: adminAuth }) })
      expect(data.chain).toEqual({ ok: true, count: head.seq, headHash: head.hash })
      expect(data.total).toBe(head.seq)
      expect(data.items[0]).toMatchObject({
        seq: head.seq,
        actionKey: 'audit.action.signup.locked',
        subjectKey: 'audit.subject.login_throttle',
        hasActor: false,
      })
      // Finance reads the audit log too (the README); a cooperative admin does not.
      const finance: RequestAuth = {
        ...adminAuth,
        memberships: [{ ...adminAuth.memberships[0]!, role: 'platform_finance' }],
      }
      const asFinance = await auditLoader({ request, params: {}, context: testContext({ auth: finance }) })
      expect(asFinance.chain.ok).toBe(true)
      const coop: RequestAuth = {
        ...adminAuth,
        memberships: [{ ...adminAuth.memberships[0]!, orgKind: 'cooperative', role: 'coop_admin' }],
      }
      const refused = await auditLoader({
        request,
        params: {},
        context: testContext({ auth: coop }),
      }).catch((thrown: unknown) => thrown)
      expect(refused).toBeInstanceOf(Response)
      expect((refused as Response).status).toBe(403)
    })

    it('says in red from which event on the chain was tampered with', async () => {
      useSharedDb(handle)
      // Committed this time (the last test of the file): the database is dropped afterwards.
      await db.transaction(async (tx) => {
        await tx.execute(sql`set local session_replication_role = replica`)
        await tx.execute(sql`update audit_events set details = '{}'::jsonb where seq = 4`)
      })
      const data = await auditLoader({ request, params: {}, context: testContext({ auth: adminAuth }) })
      expect(data.chain).toEqual({ ok: false, firstBrokenSeq: 4, reasonKey: 'audit.reason.hash_mismatch' })
    })
  })
})
