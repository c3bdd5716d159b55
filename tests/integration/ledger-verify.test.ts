import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { PGlite } from '@electric-sql/pglite'
import { and, asc, eq, gte, isNull, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { verifyLedger } from '../../app/domains/ledger/verify.server'
import { changeBeneficiaries } from '../../app/domains/households/beneficiaries.server'
import {
  creditsFor,
  LEDGER_CHAIN,
  LEDGER_PAYLOAD_VERSION,
  type LedgerEntryContent,
  ledgerChainSource,
  ledgerEntryPayload,
  ledgerHead,
  type LedgerPayloadVersion,
} from '../../app/domains/ledger/ledger.server'
import { refundPayment } from '../../app/domains/payments/refunds.server'
import { appendManyToChain, chainHash, verifyChain } from '../../app/services/hash-chain/index.server'
import { type Clock, fixedClock } from '../../app/utils/clock'
import { type Db, type DbHandle, openPglite, queryRows } from '../../db/client.server'
import { products } from '../../db/schema/catalog'
import { households, productBeneficiaries } from '../../db/schema/households'
import { aidEntries, householdCredits } from '../../db/schema/ledger'
import { orderLines, orders, payments, refunds } from '../../db/schema/orders'
import { openTestDatabase, testDbKind } from '../support/db'
import { buy as buyWith, demoFinance as finance, makeBuyable, seededProductId } from '../support/shopping'
import { databaseUrl } from '../support/server-url'
import { SEED_NOW } from '../support/test-clock'

const clock = fixedClock(SEED_NOW)

type Entry = typeof aidEntries.$inferSelect

/**
 * The consumer checks out `items` (SKU → quantity) as one order (at `at`, SEED_NOW unless given); finance confirms
 * the transfer then, unless told not to.
 */
async function buy(db: Db, items: Record<string, number>, options: { confirm?: boolean; at?: Clock } = {}) {
  await makeBuyable(db, Object.keys(items))
  const at = options.at ?? clock
  return buyWith(db, { lines: Object.entries(items), at, confirmAt: options.confirm === false ? null : at })
}

/** The hashed content of a stored entry (every column but prev_hash and hash). */
function contentOf(entry: Entry): LedgerEntryContent {
  const { prevHash: _prevHash, hash: _hash, payloadVersion: _version, ...content } = entry
  return content
}

async function entries(db: Db): Promise<Entry[]> {
  return db.select().from(aidEntries).orderBy(asc(aidEntries.seq))
}

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

/**
 * Runs `tamper` as the owner with triggers off (session_replication_role = replica, which also switches off the
 * foreign keys) on the transaction's one connection, hands back what it returns, and rolls everything back so
 * the next test finds the ledger whole. With `triggers: 'on'`, only the rolling back.
 */
async function whileTampered<T>(
  db: Db,
  tamper: (tx: Db) => Promise<T>,
  options: { triggers?: 'on' | 'off' } = {},
): Promise<T> {
  let result: T | undefined
  try {
    await db.transaction(async (tx) => {
      if (options.triggers !== 'on') await tx.execute(sql`set local session_replication_role = replica`)
      result = await tamper(tx)
      throw new Rollback()
    })
  } catch (error) {
    if (!(error instanceof Rollback)) throw error
  }
  return result as T
}

/**
 * What a forger who knows the algorithm does after changing rows: re-hashes from `fromSeq` on — each row in its own
 * payload version, credits included from version 2 — and moves the head.
 */
async function rehashFrom(tx: Db, fromSeq: number) {
  const rows = await entries(tx)
  const credits = await tx.select().from(householdCredits).where(gte(householdCredits.entrySeq, fromSeq))
  let prevHash = rows.find((r) => r.seq === fromSeq - 1)?.hash ?? '0'.repeat(64)
  for (const row of rows.filter((r) => r.seq >= fromSeq)) {
    const payload = ledgerEntryPayload(
      contentOf(row),
      credits.filter((c) => c.entrySeq === row.seq),
      row.payloadVersion as LedgerPayloadVersion,
    )
    const hash = chainHash(prevHash, payload)
    await tx.update(aidEntries).set({ prevHash, hash }).where(eq(aidEntries.seq, row.seq))
    prevHash = hash
  }
  const last = rows[rows.length - 1]!
  await tx.execute(
    sql`update chain_heads set seq = ${last.seq}, hash = ${prevHash} where chain = ${LEDGER_CHAIN}`,
  )
  return { seq: last.seq, hash: prevHash }
}

/** A household on the roster of `productId`'s cooperative, linked to nothing yet. */
async function newHousehold(tx: Db, productId: string): Promise<string> {
  const [product] = await tx
    .select({ orgId: products.orgId })
    .from(products)
    .where(eq(products.id, productId))
  const [household] = await tx
    .insert(households)
    .values({
      orgId: product!.orgId,
      code: `HH-TEST-${randomUUID()}`,
      regionCode: '621102',
      maskedName: '测*户',
      members: 3,
      status: '脱贫户',
      linkage: '其他',
    })
    .returning({ id: households.id })
  return household!.id
}

/** Credits of entry `seq`, by household id. */
async function creditsOf(db: Db, seq: number) {
  return db
    .select({ householdId: householdCredits.householdId, amountFen: householdCredits.amountFen })
    .from(householdCredits)
    .where(eq(householdCredits.entrySeq, seq))
    .orderBy(asc(householdCredits.householdId))
}

describe(`ledger verification (${testDbKind()})`, async () => {
  const handle = await openTestDatabase('seeded', { poolSize: 6 })
  const db = handle.db
  /** The seed's own ledger ends here (demo history, if any); this file's entries are base + 1 … base + 6. */
  let base = 0
  const at = (k: number) => base + k
  /** An order placed but never paid: what a forger would like to count. */
  let unpaid: { orderId: string; paymentId: string; line: typeof orderLines.$inferSelect }

  beforeAll(async () => {
    const seeded = await ledgerHead(db)
    base = seeded.seq
    expect(await verifyLedger(db)).toEqual({
      ok: true,
      checked: base,
      headSeq: base,
      headHash: seeded.hash,
    })
    await buy(db, { PRD005: 3 })
    await buy(db, { PRD006: 1, PRD007: 2 })
    await buy(db, { PRD008: 1 })
    await buy(db, { PRD009: 2, PRD010: 1 })
    const order = await buy(db, { PRD011: 4 }, { confirm: false })
    const [line] = await db.select().from(orderLines).where(eq(orderLines.orderId, order.orderId))
    unpaid = { ...order, line: line! }
  })

  /** A sale entry for the unpaid order's line, at `seq`, linked to `prevHash` (with its own hash unless given). */
  function forgedSale(seq: number, like: Entry) {
    const content: LedgerEntryContent = {
      ...contentOf(like),
      seq,
      paymentId: unpaid.paymentId,
      orderId: unpaid.orderId,
      orderLineId: unpaid.line.id,
      productId: unpaid.line.productId,
      quantity: unpaid.line.qty,
      amountFen: unpaid.line.amountFen,
      proceedsFen: unpaid.line.proceedsFen,
    }
    return {
      content,
      insert: (tx: Db, prevHash: string, hash?: string) =>
        tx.insert(aidEntries).values({
          ...content,
          payloadVersion: LEDGER_PAYLOAD_VERSION,
          prevHash,
          hash: hash ?? chainHash(prevHash, ledgerEntryPayload(content, [])),
        }),
    }
  }

  it('an intact ledger: every sale matches its confirmed line, credits sum to the proceeds', async () => {
    const stored = await entries(db)
    expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: base + 6 }, (_, i) => i + 1))
    const head = await ledgerHead(db)
    expect(head.seq).toBe(at(6))
    const credited = await queryRows<{ n: unknown }>(
      db,
      sql`select count(distinct entry_seq) as n from household_credits where entry_seq > ${base}`,
    )
    // The credits check has something to check.
    expect(Number(credited[0]!.n)).toBeGreaterThan(0)
    const ok = { ok: true, checked: at(6), headSeq: at(6), headHash: head.hash }
    expect(await verifyLedger(db)).toEqual(ok)
    // In more than one batch, and against heads published earlier (the current one too).
    expect(await verifyLedger(db, { batchSize: at(2) })).toEqual(ok)
    expect(await verifyLedger(db, { expect: { seq: at(6), hash: head.hash } })).toEqual(ok)
    expect(
      await verifyLedger(db, { expect: { seq: at(3), hash: stored[at(3) - 1]!.hash }, batchSize: at(4) }),
    ).toEqual(ok)
  })

  it('refuses UPDATE, DELETE and TRUNCATE on aid_entries and household_credits', async () => {
    const before = await entries(db)
    const creditsBefore = await db.select().from(householdCredits)
    expect(
      await failureOf(db.execute(sql`update aid_entries set amount_fen = 1 where seq = ${at(1)}`)),
    ).toMatch(/aid_entries is append-only/)
    expect(await failureOf(db.execute(sql`delete from aid_entries where seq = ${at(6)}`))).toMatch(
      /aid_entries is append-only/,
    )
    expect(await failureOf(db.execute(sql`truncate aid_entries cascade`))).toMatch(
      /aid_entries is append-only/,
    )
    expect(await failureOf(db.execute(sql`update household_credits set amount_fen = amount_fen`))).toMatch(
      /household_credits is append-only/,
    )
    expect(await failureOf(db.execute(sql`delete from household_credits`))).toMatch(
      /household_credits is append-only/,
    )
    expect(await failureOf(db.execute(sql`truncate household_credits`))).toMatch(
      /household_credits is append-only/,
    )
    expect(await entries(db)).toEqual(before)
    expect(await db.select().from(householdCredits)).toEqual(creditsBefore)
    expect(await verifyLedger(db)).toMatchObject({ ok: true })
  })

  describe('with triggers switched off by the owner, verifyLedger finds the first broken seq', () => {
    it('a changed amount', async () => {
      const changed = await whileTampered(db, async (tx) => {
        await tx.execute(sql`update aid_entries set amount_fen = amount_fen + 100 where seq = ${at(2)}`)
        return verifyLedger(tx)
      })
      // The row no longer gives its hash (the chain's reason comes before the money's at the same seq).
      expect(changed).toEqual({ ok: false, firstBrokenSeq: at(2), reason: 'hash_mismatch' })
      // Re-hashed from there on, the chain is whole again: only the money shows it.
      const rehashed = await whileTampered(db, async (tx) => {
        await tx.execute(sql`update aid_entries set amount_fen = amount_fen + 100 where seq = ${at(2)}`)
        await rehashFrom(tx, at(2))
        return [await verifyChain(tx, ledgerChainSource), await verifyLedger(tx)] as const
      })
      expect(rehashed[0]).toMatchObject({ ok: true })
      expect(rehashed[1]).toEqual({ ok: false, firstBrokenSeq: at(2), reason: 'payment_mismatch' })
    })

    it('the money behind an entry changed: a payment un-confirmed, a line re-priced, a credit moved', async () => {
      const [third] = await db
        .select()
        .from(aidEntries)
        .where(eq(aidEntries.seq, at(3)))
      const unconfirmed = await whileTampered(db, async (tx) => {
        await tx.update(payments).set({ status: 'pending' }).where(eq(payments.id, third!.paymentId))
        return verifyLedger(tx)
      })
      // Seq 2 belongs to the same order (two lines, one payment).
      expect(third!.paymentId).toBe((await entries(db))[at(2) - 1]!.paymentId)
      expect(unconfirmed).toEqual({ ok: false, firstBrokenSeq: at(2), reason: 'payment_mismatch' })

      const repriced = await whileTampered(db, async (tx) => {
        await tx.execute(sql`alter table order_lines drop constraint order_lines_amount_check`)
        await tx
          .update(orderLines)
          .set({ amountFen: third!.amountFen - 1n, proceedsFen: 0n })
          .where(eq(orderLines.id, third!.orderLineId))
        return verifyLedger(tx)
      })
      expect(repriced).toEqual({ ok: false, firstBrokenSeq: at(3), reason: 'payment_mismatch' })

      const [credited] = await queryRows<{ seq: unknown }>(
        db,
        sql`select min(entry_seq) as seq from household_credits where entry_seq > ${base}`,
      )
      const creditedSeq = Number(credited!.seq)
      const raise = (tx: Db) =>
        tx.execute(
          sql`update household_credits set amount_fen = amount_fen + 1
              where entry_seq = ${creditedSeq}
                and household_id = (select min(household_id::text)::uuid from household_credits
                                     where entry_seq = ${creditedSeq})`,
        )
      // The credits are hashed with their entry; re-hashed, they no longer sum to its proceeds.
      const credit = await whileTampered(db, async (tx) => {
        await raise(tx)
        return [await verifyLedger(tx), (await rehashFrom(tx, creditedSeq)) && (await verifyLedger(tx))]
      })
      expect(credit).toEqual([
        { ok: false, firstBrokenSeq: creditedSeq, reason: 'hash_mismatch' },
        { ok: false, firstBrokenSeq: creditedSeq, reason: 'credits_mismatch' },
      ])
    })

    /** The first of this file's entries with at least `n` household credits. */
    async function entryWithCredits(n: number): Promise<Entry> {
      for (const entry of (await entries(db)).slice(base)) {
        if ((await creditsOf(db, entry.seq)).length >= n) return entry
      }
      throw new Error(`no entry with ${n} credits`)
    }

    it('household credits rearranged with the same sum (500/200/200/400 → 400/300/200/400)', async () => {
      const entry = await entryWithCredits(2)
      const [a, b] = await creditsOf(db, entry.seq)
      const moved = a!.amountFen < 100n ? a!.amountFen : 100n
      /** ¥1 (or all it had) of the first household's credit moved to the second: the sum stays the proceeds. */
      const rearrange = (tx: Db) =>
        tx.execute(
          sql`update household_credits
                 set amount_fen = amount_fen + case household_id when ${a!.householdId}::uuid then ${-moved}::bigint
                                                                 else ${moved}::bigint end
               where entry_seq = ${entry.seq} and household_id in (${a!.householdId}::uuid, ${b!.householdId}::uuid)`,
        )
      const rearranged = await whileTampered(db, async (tx) => {
        await rearrange(tx)
        const after = await creditsOf(tx, entry.seq)
        expect(after.reduce((sum, c) => sum + c.amountFen, 0n)).toBe(entry.proceedsFen)
        return verifyLedger(tx)
      })
      // The credits are part of the entry's hash (payload version 2).
      expect(rearranged).toEqual({ ok: false, firstBrokenSeq: entry.seq, reason: 'hash_mismatch' })
      expect(entry.payloadVersion).toBe(2)
      // Re-hashed, the chain is whole, but the credits are no longer the split of the proceeds.
      const rehashed = await whileTampered(db, async (tx) => {
        await rearrange(tx)
        await rehashFrom(tx, entry.seq)
        return [await verifyChain(tx, ledgerChainSource), await verifyLedger(tx)] as const
      })
      expect(rehashed[0]).toMatchObject({ ok: true })
      expect(rehashed[1]).toEqual({ ok: false, firstBrokenSeq: entry.seq, reason: 'credits_mismatch' })
    })

    it('entries hashed before credits were (payload version 1) still verify, and their credits are still checked', async () => {
      const entry = await entryWithCredits(2)
      const [a, b] = await creditsOf(db, entry.seq)
      const result = await whileTampered(db, async (tx) => {
        // This file's entries as an older version of the application wrote them: version 1, credits not hashed.
        await tx.execute(sql`update aid_entries set payload_version = 1 where seq > ${base}`)
        await rehashFrom(tx, at(1))
        const old = await verifyLedger(tx)
        await tx.execute(
          sql`update household_credits set amount_fen = amount_fen + case household_id
                when ${a!.householdId}::uuid then -1::bigint else 1::bigint end
              where entry_seq = ${entry.seq} and household_id in (${a!.householdId}::uuid, ${b!.householdId}::uuid)`,
        )
        return [old, await verifyChain(tx, ledgerChainSource), await verifyLedger(tx)] as const
      })
      expect(result[0]).toMatchObject({ ok: true, checked: at(6) })
      // Version 1 does not hash the credits: the chain is whole, and the credits check finds the change.
      expect(result[1]).toMatchObject({ ok: true })
      expect(result[2]).toEqual({ ok: false, firstBrokenSeq: entry.seq, reason: 'credits_mismatch' })
    })

    it('a credit moved to a household that is not a beneficiary of the product', async () => {
      const entry = await entryWithCredits(1)
      const [a] = await creditsOf(db, entry.seq)
      const [stranger] = await queryRows<{ id: string }>(
        db,
        sql`select h.id::text as id from households h
             where not exists (select 1 from product_beneficiaries b
                                where b.product_id = ${entry.productId} and b.household_id = h.id)
             order by h.id limit 1`,
      )
      const move = (tx: Db, to: string) =>
        tx
          .update(householdCredits)
          .set({ householdId: to })
          .where(
            and(eq(householdCredits.entrySeq, entry.seq), eq(householdCredits.householdId, a!.householdId)),
          )
      const moved = await whileTampered(db, async (tx) => {
        await move(tx, stranger!.id)
        return verifyLedger(tx)
      })
      expect(moved).toEqual({ ok: false, firstBrokenSeq: entry.seq, reason: 'hash_mismatch' })
      const rehashed = await whileTampered(db, async (tx) => {
        await move(tx, stranger!.id)
        await rehashFrom(tx, entry.seq)
        return [await verifyChain(tx, ledgerChainSource), await verifyLedger(tx)] as const
      })
      expect(rehashed[0]).toMatchObject({ ok: true })
      expect(rehashed[1]).toEqual({ ok: false, firstBrokenSeq: entry.seq, reason: 'credit_not_beneficiary' })

      // A household linked to the product only after the sale was not its beneficiary at the time either.
      const linkedLater = await whileTampered(db, async (tx) => {
        const newcomer = await newHousehold(tx, entry.productId)
        const linked = await changeBeneficiaries(
          tx,
          { productId: entry.productId, changes: [{ householdId: newcomer, weight: 5 }] },
          fixedClock(new Date(SEED_NOW.getTime() + 86_400_000)),
        )
        expect(linked).toMatchObject({ ok: true })
        const honest = await verifyLedger(tx)
        await move(tx, newcomer)
        await rehashFrom(tx, entry.seq)
        return [honest, await verifyLedger(tx)] as const
      })
      expect(linkedLater[0]).toMatchObject({ ok: true })
      expect(linkedLater[1]).toEqual({
        ok: false,
        firstBrokenSeq: entry.seq,
        reason: 'credit_not_beneficiary',
      })
    })

    describe('a confirmed payment whose amounts were changed by ¥1 breaks at its first entry', () => {
      /** The second order: two lines, seqs 2 and 3. */
      const secondPayment = async () => (await entries(db))[at(2) - 1]!
      it('the payment’s amount', async () => {
        const { paymentId } = await secondPayment()
        const result = await whileTampered(db, async (tx) => {
          await tx
            .update(payments)
            .set({ amountFen: sql`${payments.amountFen} + 100` })
            .where(eq(payments.id, paymentId))
          return verifyLedger(tx)
        })
        expect(result).toEqual({ ok: false, firstBrokenSeq: at(2), reason: 'payment_mismatch' })
      })
      it('the amount received', async () => {
        const { paymentId } = await secondPayment()
        const result = await whileTampered(db, async (tx) => {
          await tx
            .update(payments)
            .set({ receivedFen: sql`${payments.receivedFen} + 100` })
            .where(eq(payments.id, paymentId))
          return verifyLedger(tx)
        })
        expect(result).toEqual({ ok: false, firstBrokenSeq: at(2), reason: 'payment_mismatch' })
      })
      it('the order’s subtotal', async () => {
        const { orderId } = await secondPayment()
        const result = await whileTampered(db, async (tx) => {
          await tx
            .update(orders)
            .set({ subtotalFen: sql`${orders.subtotalFen} + 100` })
            .where(eq(orders.id, orderId))
          return verifyLedger(tx)
        })
        expect(result).toEqual({ ok: false, firstBrokenSeq: at(2), reason: 'payment_mismatch' })
      })
    })

    it('money confirmed but never counted: a payment confirmed by hand, without its entries', async () => {
      const result = await whileTampered(db, async (tx) => {
        await tx
          .update(payments)
          .set({ status: 'confirmed', receivedFen: sql`${payments.amountFen}`, confirmedAt: SEED_NOW })
          .where(eq(payments.id, unpaid.paymentId))
        return verifyLedger(tx)
      })
      expect(result).toEqual({
        ok: false,
        reason: 'uncounted_payment',
        paymentId: unpaid.paymentId,
        orderLineId: unpaid.line.id,
      })
      // Untouched, the same ledger passes: the pending payment is not expected to count.
      expect(await verifyLedger(db)).toMatchObject({ ok: true })
    })

    it('totals that no longer match the entries: a rollup changed, or one deleted', async () => {
      const changed = await whileTampered(db, async (tx) => {
        await tx.execute(
          sql`update aid_rollups set amount_fen = amount_fen + 100
              where ctid = (select min(ctid) from aid_rollups)`,
        )
        return verifyLedger(tx)
      })
      // The changed key is missing from one side and stray on the other.
      expect(changed).toEqual({ ok: false, reason: 'rollups_mismatch', mismatchedKeys: 2 })
      const deleted = await whileTampered(db, async (tx) => {
        await tx.execute(sql`delete from aid_rollups where ctid = (select min(ctid) from aid_rollups)`)
        return verifyLedger(tx)
      })
      expect(deleted).toEqual({ ok: false, reason: 'rollups_mismatch', mismatchedKeys: 1 })
    })

    it('a deleted row', async () => {
      const deleted = await whileTampered(db, async (tx) => {
        await tx.execute(sql`delete from household_credits where entry_seq = ${at(4)}`)
        await tx.execute(sql`delete from aid_entries where seq = ${at(4)}`)
        return verifyLedger(tx)
      })
      expect(deleted).toEqual({ ok: false, firstBrokenSeq: at(4), reason: 'seq_gap' })
    })

    it('two rows that swapped their contents, keeping their seqs', async () => {
      const swap = (k: number, l: number, withHashes: boolean) =>
        whileTampered(db, async (tx) => {
          const [i, j] = [at(k), at(l)]
          const content = `kind, occurred_at, day, payment_id, refund_id, order_id, order_line_id, product_id,
            seller_org_id, origin_code, buyer_org_id, buyer_region_code, buyer_channel, certified, aid_category,
            product_category, pairing_id, quantity, amount_fen, proceeds_fen`
          const columns = (withHashes ? `${content}, prev_hash, hash` : content)
            .split(',')
            .map((c) => c.trim())
          await tx.execute(sql`create temporary table swap on commit drop as
                               select seq, ${sql.raw(columns.join(', '))} from aid_entries
                               where seq in (${i}, ${j})`)
          // Unique hash and sale line: the two rows cannot hold one value at the same time.
          await tx.execute(sql`update aid_entries set order_line_id = gen_random_uuid() where seq = ${i}`)
          if (withHashes)
            await tx.execute(sql`update aid_entries set hash = repeat('f', 64) where seq = ${i}`)
          const set = sql.raw(columns.map((c) => `${c} = s.${c}`).join(', '))
          await tx.execute(
            sql`update aid_entries a set ${set} from swap s where a.seq = ${j} and s.seq = ${i}`,
          )
          await tx.execute(
            sql`update aid_entries a set ${set} from swap s where a.seq = ${i} and s.seq = ${j}`,
          )
          return verifyLedger(tx)
        })
      expect(await swap(2, 5, false)).toEqual({ ok: false, firstBrokenSeq: at(2), reason: 'hash_mismatch' })
      // With their hashes too, the moved rows no longer link to their neighbours.
      expect(await swap(2, 5, true)).toEqual({
        ok: false,
        firstBrokenSeq: at(2),
        reason: 'prev_hash_mismatch',
      })
      expect(await swap(5, 6, true)).toEqual({
        ok: false,
        firstBrokenSeq: at(5),
        reason: 'prev_hash_mismatch',
      })
    })

    it('a row inserted mid-chain', async () => {
      const mine = (await entries(db)).slice(base)
      const makeRoomAt = async (tx: Db, seq: number) => {
        // Two steps, so that no two rows hold one seq in between; their credits move with them.
        await tx.execute(sql`update aid_entries set seq = seq + 1000000 where seq >= ${seq}`)
        await tx.execute(sql`update aid_entries set seq = seq - 999999 where seq >= 1000000`)
        await tx.execute(
          sql`update household_credits set entry_seq = entry_seq + 1000000 where entry_seq >= ${seq}`,
        )
        await tx.execute(
          sql`update household_credits set entry_seq = entry_seq - 999999 where entry_seq >= 1000000`,
        )
      }
      // A careless forger: the row's hash is not its own.
      const careless = await whileTampered(db, async (tx) => {
        await makeRoomAt(tx, at(3))
        await forgedSale(at(3), mine[0]!).insert(tx, mine[1]!.hash, 'e'.repeat(64))
        return verifyLedger(tx)
      })
      expect(careless).toEqual({ ok: false, firstBrokenSeq: at(3), reason: 'hash_mismatch' })
      // A forger who links it to seq 2 correctly: the chain breaks at the genuine row after it, but the forged
      // sale itself has no confirmed payment, and that comes first.
      const careful = await whileTampered(db, async (tx) => {
        await makeRoomAt(tx, at(3))
        await forgedSale(at(3), mine[0]!).insert(tx, mine[1]!.hash)
        return [await verifyChain(tx, ledgerChainSource), await verifyLedger(tx)] as const
      })
      expect(careful[0]).toEqual({ ok: false, firstBrokenSeq: at(4), reason: 'prev_hash_mismatch' })
      expect(careful[1]).toEqual({ ok: false, firstBrokenSeq: at(3), reason: 'payment_mismatch' })
      // Re-hashing everything after it and moving the head makes the chain whole; the money still is not.
      const published = await ledgerHead(db)
      const rewritten = await whileTampered(db, async (tx) => {
        await makeRoomAt(tx, at(3))
        await forgedSale(at(3), mine[0]!).insert(tx, mine[1]!.hash)
        await rehashFrom(tx, at(4))
        return [
          await verifyChain(tx, ledgerChainSource),
          await verifyChain(tx, ledgerChainSource, { expect: published }),
          await verifyLedger(tx, { expect: published, batchSize: at(2) }),
        ] as const
      })
      expect(rewritten[0]).toMatchObject({ ok: true, headSeq: at(7) })
      expect(rewritten[1]).toEqual({
        ok: false,
        firstBrokenSeq: published.seq,
        reason: 'expected_head_mismatch',
      })
      expect(rewritten[2]).toEqual({ ok: false, firstBrokenSeq: at(3), reason: 'payment_mismatch' })
    })

    it('a validly hashed row appended at the end with the head moved', async () => {
      const published = await ledgerHead(db)
      const stored = await entries(db)
      const last = stored[stored.length - 1]!
      // Appended without moving the head: the head says so.
      const headless = await whileTampered(db, async (tx) => {
        await forgedSale(published.seq + 1, last).insert(tx, published.hash)
        return verifyLedger(tx)
      })
      expect(headless).toEqual({ ok: false, firstBrokenSeq: published.seq + 1, reason: 'head_mismatch' })
      // With the head moved: the chain is whole and still contains the published head (a chain grows), so only
      // the money catches the forged sale.
      const appended = await whileTampered(db, async (tx) => {
        await forgedSale(published.seq + 1, last).insert(tx, published.hash)
        await rehashFrom(tx, published.seq + 1)
        return [
          await verifyChain(tx, ledgerChainSource, { expect: published }),
          await verifyLedger(tx),
          await verifyLedger(tx, { expect: published }),
        ] as const
      })
      expect(appended[0]).toMatchObject({ ok: true, headSeq: published.seq + 1 })
      const forged = { ok: false, firstBrokenSeq: published.seq + 1, reason: 'payment_mismatch' }
      expect(appended[1]).toEqual(forged)
      expect(appended[2]).toEqual(forged)
      // The last row replaced by a re-hashed one (the same sale, inflated) and the head moved: the money shows it —
      // its payment's entries no longer sum to the order's subtotal, named at the payment's first entry (seq 5, the
      // order's other line) — and so does the head published before.
      const replaced = await whileTampered(db, async (tx) => {
        await tx.execute(sql`update aid_entries set amount_fen = amount_fen * 2 where seq = ${last.seq}`)
        await rehashFrom(tx, last.seq)
        return [
          await verifyChain(tx, ledgerChainSource),
          await verifyChain(tx, ledgerChainSource, { expect: published }),
          await verifyLedger(tx),
          await verifyLedger(tx, { expect: published }),
        ] as const
      })
      expect(last.seq).toBe(at(6))
      expect(replaced[0]).toMatchObject({ ok: true, headSeq: last.seq })
      expect(replaced[1]).toEqual({ ok: false, firstBrokenSeq: last.seq, reason: 'expected_head_mismatch' })
      expect(replaced[2]).toEqual({ ok: false, firstBrokenSeq: at(5), reason: 'payment_mismatch' })
      expect(replaced[3]).toEqual({ ok: false, firstBrokenSeq: at(5), reason: 'payment_mismatch' })
    })

    it('reversals: refunds of the payment count, anything else does not', async () => {
      const [sale] = await db
        .select()
        .from(aidEntries)
        .where(eq(aidEntries.seq, at(1)))
      const [other] = await db
        .select()
        .from(aidEntries)
        .where(eq(aidEntries.seq, at(6)))
      const third = sale!.amountFen / 3n
      /** Refunds `amountFen` of the first sale's line through the real function: one reversal, at(7) first. */
      const refund = async (tx: Db, amountFen: bigint) => {
        const result = await refundPayment(
          tx,
          {
            paymentId: sale!.paymentId,
            lines: [{ orderLineId: sale!.orderLineId, amountFen }],
            financeUserId: finance,
          },
          clock,
        )
        if (!result.ok) throw new Error(`refund failed: ${result.reason}`)
        return result.refundId
      }
      /** A reversal of the first sale's line the forger appends, through the real chain function. */
      const appendReversal = (tx: Db, refundId: string, amountFen: bigint) =>
        appendManyToChain(tx, LEDGER_CHAIN, 1, ([link]) => {
          const content: LedgerEntryContent = {
            ...contentOf(sale!),
            seq: link!.seq,
            kind: 'reversal',
            refundId,
            quantity: 0,
            amountFen,
            proceedsFen: 0n,
          }
          return {
            payloads: [ledgerEntryPayload(content, [])],
            insert: async ([entry]) => {
              await tx.insert(aidEntries).values({
                ...content,
                payloadVersion: LEDGER_PAYLOAD_VERSION,
                prevHash: entry!.prevHash,
                hash: entry!.hash,
              })
            },
          }
        })
      const refundRow = (tx: Db, paymentId: string, amountFen: bigint) =>
        tx
          .insert(refunds)
          .values({ paymentId, providerRefundId: `test-${randomUUID()}`, amountFen, createdAt: SEED_NOW })
          .returning({ id: refunds.id })
          .then(([row]) => row!.id)

      const genuine = await whileTampered(db, async (tx) => {
        await refund(tx, third)
        await refund(tx, sale!.amountFen - third)
        return verifyLedger(tx, { batchSize: at(2) })
      })
      expect(genuine).toMatchObject({ ok: true, checked: at(8) })

      const cases: Record<string, (tx: Db) => Promise<unknown>> = {
        // A refund of another payment.
        'another payment': async (tx) =>
          appendReversal(tx, await refundRow(tx, other!.paymentId, third), -third),
        // A refund that does not exist (possible only with the foreign keys off).
        'no refund': (tx) => appendReversal(tx, randomUUID(), -third),
        // More reversed than the refund was.
        'more than refunded': async (tx) =>
          appendReversal(tx, await refundRow(tx, sale!.paymentId, third), -third - 1n),
        // More reversed than the line was sold for, in two refunds.
        'more than sold': async (tx) => {
          await refund(tx, sale!.amountFen - 1n)
          await appendReversal(tx, await refundRow(tx, sale!.paymentId, 2n), -2n)
        },
        // A positive "reversal": the check constraint refuses it, so changed afterwards and re-hashed.
        positive: async (tx) => {
          await appendReversal(tx, await refundRow(tx, sale!.paymentId, 1n), 0n)
          await tx.execute(sql`alter table aid_entries drop constraint aid_entries_sign_check`)
          await tx.execute(sql`update aid_entries set amount_fen = 5 where seq = ${at(7)}`)
          await rehashFrom(tx, at(7))
        },
      }
      const found: Record<string, unknown> = {}
      for (const [name, tamper] of Object.entries(cases)) {
        found[name] = await whileTampered(db, async (tx) => {
          await tamper(tx)
          return verifyLedger(tx)
        })
      }
      const brokenAt = (k: number) => ({ ok: false, firstBrokenSeq: at(k), reason: 'refund_mismatch' })
      expect(found).toEqual({
        'another payment': brokenAt(7),
        'no refund': brokenAt(7),
        'more than refunded': brokenAt(7),
        'more than sold': brokenAt(8),
        positive: brokenAt(7),
      })
    })

    it('the lowest broken seq wins, whichever check finds it and in whichever batch it falls', async () => {
      const mine = (await entries(db)).slice(base)
      // A changed row late in the chain, and a payment of the first entry flagged: the money breaks first.
      const moneyFirst = await whileTampered(db, async (tx) => {
        await tx.execute(sql`update aid_entries set quantity = quantity + 1 where seq = ${at(5)}`)
        await tx.update(payments).set({ status: 'flagged' }).where(eq(payments.id, mine[0]!.paymentId))
        return [
          await verifyLedger(tx, { batchSize: at(1) }),
          await verifyLedger(tx, { batchSize: at(3) }),
          await verifyLedger(tx),
        ] as const
      })
      for (const r of moneyFirst)
        expect(r).toEqual({ ok: false, firstBrokenSeq: at(1), reason: 'payment_mismatch' })
      // The other way round: the chain breaks first.
      const chainFirst = await whileTampered(db, async (tx) => {
        await tx.execute(sql`update aid_entries set quantity = quantity + 1 where seq = ${at(1)}`)
        await tx.update(payments).set({ status: 'flagged' }).where(eq(payments.id, mine[5]!.paymentId))
        return [
          await verifyLedger(tx, { batchSize: at(1) }),
          await verifyLedger(tx, { batchSize: at(3) }),
          await verifyLedger(tx),
        ] as const
      })
      for (const r of chainFirst)
        expect(r).toEqual({ ok: false, firstBrokenSeq: at(1), reason: 'hash_mismatch' })
      const late = await whileTampered(db, async (tx) => {
        await tx.update(payments).set({ status: 'flagged' }).where(eq(payments.id, mine[5]!.paymentId))
        return [
          await verifyLedger(tx, { batchSize: at(5) }),
          await verifyLedger(tx, { batchSize: at(3) }),
        ] as const
      })
      // Seqs 5 and 6 are one order's two lines.
      for (const r of late)
        expect(r).toEqual({ ok: false, firstBrokenSeq: at(5), reason: 'payment_mismatch' })
      expect(await verifyLedger(db)).toMatchObject({ ok: true, checked: at(6) })
    })
  })

  it('confirmations committed while it reads are not taken for damage', async () => {
    const start = (await ledgerHead(db)).seq
    const results: Array<Awaited<ReturnType<typeof verifyLedger>>> = []
    let buying = true
    await Promise.all([
      (async () => {
        try {
          for (const sku of ['PRD012', 'PRD013', 'PRD014']) await buy(db, { [sku]: 1 })
        } finally {
          buying = false
        }
      })(),
      (async () => {
        while (buying || results.length === 0) results.push(await verifyLedger(db, { batchSize: 25 }))
      })(),
    ])
    for (const r of results) expect(r).toMatchObject({ ok: true })
    expect(await verifyLedger(db)).toMatchObject({ ok: true, checked: start + 3 })
  })
  it('links changed after a sale: each sale is held to the households and weights its product had then', async () => {
    // Committed, last in this file's database: the link change and a later sale.
    const productId = seededProductId('PRD005')
    const day = 86_400_000
    const current = () =>
      db
        .select()
        .from(productBeneficiaries)
        .where(and(eq(productBeneficiaries.productId, productId), isNull(productBeneficiaries.unlinkedAt)))
        .orderBy(asc(productBeneficiaries.householdId))
    const before = await current()
    expect(before.length).toBeGreaterThanOrEqual(2)
    const newcomer = await newHousehold(db, productId)
    // Re-weighted, unlinked, newly linked — a day after this file's sales (among them PRD005's, seq 1).
    const changed = await changeBeneficiaries(
      db,
      {
        productId,
        changes: [
          { householdId: before[0]!.householdId, weight: before[0]!.weight + 2 },
          { householdId: before[1]!.householdId, weight: null },
          { householdId: newcomer, weight: 4 },
        ],
      },
      fixedClock(new Date(SEED_NOW.getTime() + day)),
    )
    expect(changed).toEqual({ ok: true, effectiveAt: new Date(SEED_NOW.getTime() + day) })
    const sold = await buy(db, { PRD005: 7 }, { at: fixedClock(new Date(SEED_NOW.getTime() + 2 * day)) })
    const [later] = await db.select().from(aidEntries).where(eq(aidEntries.orderId, sold.orderId))
    expect(later!.proceedsFen).toBeGreaterThan(0n)
    const split = (links: ReadonlyArray<{ householdId: string; weight: number }>) =>
      creditsFor(
        later!.proceedsFen,
        links.map((b) => ({ ...b, members: 1 })),
      ).map(({ householdId, amountFen }) => ({ householdId, amountFen }))
    // The earlier sales still verify against the links they were split over, the later one against the new.
    expect(await creditsOf(db, later!.seq)).toEqual(split(await current()))
    expect(await verifyLedger(db)).toMatchObject({ ok: true, checked: later!.seq })

    // The later sale credited as the earlier links would have split it — the unlinked household among them.
    const oldSplit = split(before)
    expect(oldSplit.map((c) => c.householdId)).toContain(before[1]!.householdId)
    const forged = await whileTampered(db, async (tx) => {
      await tx.delete(householdCredits).where(eq(householdCredits.entrySeq, later!.seq))
      await tx.insert(householdCredits).values(oldSplit.map((c) => ({ entrySeq: later!.seq, ...c })))
      await rehashFrom(tx, later!.seq)
      return verifyLedger(tx)
    })
    expect(forged).toEqual({ ok: false, firstBrokenSeq: later!.seq, reason: 'credit_not_beneficiary' })
  })
})

describe(`npm run ledger:verify (${testDbKind()})`, async () => {
  const handle = await openTestDatabase('seeded')
  const db = handle.db
  const tsx = path.resolve('node_modules/.bin/tsx')
  const run = promisify(execFile)
  const dirs: string[] = []

  /**
   * Where the CLI finds the test's database: the server database by URL, or (PGlite) a copy of the in-memory
   * database written to a data directory of its own — made afresh after every change.
   */
  async function cliEnv(source: DbHandle): Promise<NodeJS.ProcessEnv> {
    if (source.driver === 'postgres') {
      const [row] = await queryRows<{ name: string }>(source.db, sql`select current_database() as name`)
      return { ...process.env, DATABASE_URL: databaseUrl(row!.name) }
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xfbf-ledger-verify-'))
    dirs.push(dir)
    const copy = await PGlite.create(path.join(dir, 'pglite'), {
      loadDataDir: await source.client.dumpDataDir('none'),
    })
    await copy.close()
    return { ...process.env, DATABASE_URL: '', DATA_DIR: dir }
  }

  async function cli(env: NodeJS.ProcessEnv, args: string[] = []) {
    const result = await run(tsx, ['scripts/ledger-verify.ts', ...args], { env }).then(
      (done) => ({ ...done, code: 0 }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    )
    return { code: result.code, stdout: result.stdout, stderr: result.stderr }
  }

  it('prints one JSON line: exit 0 when intact, 1 naming the first broken seq, 2 for a malformed --expect', async () => {
    try {
      const base = (await ledgerHead(db)).seq
      await buy(db, { PRD005: 1 })
      await buy(db, { PRD006: 2, PRD007: 1 })
      const head = await ledgerHead(db)
      expect(head.seq).toBe(base + 3)
      const intact = await cliEnv(handle)

      const ok = await cli(intact)
      expect(ok).toEqual({
        code: 0,
        stdout: `${JSON.stringify({ ok: true, checked: head.seq, headSeq: head.seq, headHash: head.hash })}\n`,
        stderr: '',
      })
      const held = await cli(intact, ['--expect', `${head.seq}:${head.hash.toUpperCase()}`])
      expect(held.code).toBe(0)
      expect(JSON.parse(held.stdout)).toMatchObject({ ok: true, headSeq: head.seq })
      // Usage errors are found before the database is opened.
      const usages = await Promise.all(
        [['--expect'], ['--expect', '3'], ['--expect', `x:${head.hash}`], ['--verbose']].map((args) =>
          cli(intact, args),
        ),
      )
      for (const usage of usages) {
        expect(usage.code).toBe(2)
        expect(usage.stdout).toBe('')
        expect(usage.stderr).toContain('Usage: npm run ledger:verify')
      }

      if (handle.driver === 'pglite') {
        // The embedded database's lock file is respected: a directory in use is refused, not opened twice.
        const holder = openPglite({ dataDir: intact.DATA_DIR! })
        await holder.client.waitReady
        try {
          const locked = await cli(intact)
          expect(locked.code).toBe(1)
          expect(locked.stdout).toBe('')
          expect(locked.stderr).toContain('Stop the server or set DATABASE_URL')
        } finally {
          await holder.close()
        }
      }

      // Committed this time: the database is this describe's own and dropped afterwards.
      await db.transaction(async (tx) => {
        await tx.execute(sql`set local session_replication_role = replica`)
        await tx.execute(sql`update aid_entries set proceeds_fen = 0 where seq = ${base + 2}`)
      })
      const broken = await cli(await cliEnv(handle), [`--expect=${head.seq}:${head.hash}`])
      expect(broken.code).toBe(1)
      expect(broken.stdout).toBe(
        `${JSON.stringify({ ok: false, firstBrokenSeq: base + 2, reason: 'hash_mismatch' })}\n`,
      )
      expect(broken.stderr).toContain(`seq ${base + 2}: hash_mismatch`)
    } finally {
      for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
    }
    // Each run of the CLI on PGlite opens the embedded database from disk: seconds apiece.
  }, 120_000)
})
