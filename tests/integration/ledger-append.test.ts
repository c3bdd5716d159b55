import { and, eq, sql } from 'drizzle-orm'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { verifyAuditChain } from '../../app/domains/audit/audit.server'
import { confirmBankTransfer } from '../../app/domains/payments/finance.server'
import {
  LEDGER_CHAIN,
  LEDGER_PAYLOAD_VERSION,
  type LedgerEntryContent,
  ledgerChainSource,
  ledgerEntryPayload,
  ledgerHead,
} from '../../app/domains/ledger/ledger.server'
import { rollupMismatches } from '../../app/domains/ledger/verify.server'
import { placeOrder } from '../../app/domains/orders/orders.server'
import {
  appendManyToChain,
  type CanonicalInput,
  chainHash,
  chainHead,
  ensureChainHeads,
  GENESIS_HASH,
  sendChainAppends,
  verifyChain,
} from '../../app/services/hash-chain/index.server'
import { bankTransfer } from '../../app/domains/payments/methods.server'
import { fixedClock } from '../../app/utils/clock'
import { type Db, type DbHandle, queryRows } from '../../db/client.server'
import { auditEvents } from '../../db/schema/audit'
import { products } from '../../db/schema/catalog'
import { aidEntries } from '../../db/schema/ledger'
import { orderLines, payments } from '../../db/schema/orders'
import { seedUuid } from '../../db/seed/synthetic'
import { openTestDatabase, testDbKind } from '../support/db'
import { fcParams } from '../support/fast-check'
import { SEED_NOW } from '../support/test-clock'

const consumer = seedUuid('user:consumer@demo.example')
const finance = seedUuid('user:finance@demo.example')
const clock = fixedClock(SEED_NOW)
const method = bankTransfer({
  account: { accountName: '测试', bankName: '测试银行', accountNumber: '0000 0000', demo: true },
  windowHours: 72,
})
const productIds = ['PRD005', 'PRD006', 'PRD007'].map((sku) => seedUuid(`product:${sku}`))

let handle: DbHandle
let db: Db

/** The messages along an error's cause chain: drizzle wraps the database's own error. */
function messagesOf(error: unknown): string {
  const messages: string[] = []
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    messages.push(current.message, String((current as { constraint_name?: unknown }).constraint_name ?? ''))
  }
  return messages.join(' | ')
}

beforeAll(async () => {
  handle = await openTestDatabase('seeded', { poolSize: 10 })
  db = handle.db
  for (const id of productIds) {
    await db
      .update(products)
      .set({ stock: 100_000, minOrderQty: 1, status: 'active' })
      .where(eq(products.id, id))
  }
})

/** A pending order of two lines, bought from a Fuzhou district; its payment. */
async function pendingPayment(
  regionCode = '350102',
): Promise<{ id: string; amountFen: bigint; orderId: string }> {
  const placed = await placeOrder(
    db,
    {
      buyerUserId: consumer,
      buyerChannel: 'consumer',
      buyerRegionCode: regionCode,
      lines: [
        { productId: productIds[0]!, qty: 2 },
        { productId: productIds[1]!, qty: 1 },
      ],
      delivery: { regionCode },
    },
    clock,
    method,
  )
  if (!placed.ok) throw new Error(`placeOrder failed: ${JSON.stringify(placed)}`)
  const [payment] = await db.select().from(payments).where(eq(payments.orderId, placed.orderId))
  return { id: payment!.id, amountFen: payment!.amountFen, orderId: placed.orderId }
}

/**
 * A sale entry for the first line of `payment`'s order, appended as if that line had been counted already: a
 * confirmation's own entries then break the one-sale-per-line index, in its last statement.
 */
async function forgeSaleOfFirstLine(payment: { id: string; orderId: string }): Promise<void> {
  const [line] = await db
    .select({ id: orderLines.id, productId: orderLines.productId })
    .from(orderLines)
    .where(eq(orderLines.orderId, payment.orderId))
  const forged: Omit<LedgerEntryContent, 'seq'> = {
    kind: 'sale',
    occurredAt: SEED_NOW,
    day: '2026-01-01',
    paymentId: payment.id,
    refundId: null,
    orderId: payment.orderId,
    orderLineId: line!.id,
    productId: line!.productId,
    sellerOrgId: seedUuid('test:seller'),
    originCode: '621102',
    buyerOrgId: null,
    buyerRegionCode: '350102',
    buyerChannel: 'consumer',
    certified: false,
    aidCategory: 'sales_assist',
    productCategory: 'test',
    pairingId: null,
    quantity: 1,
    amountFen: 1n,
    proceedsFen: 0n,
  }
  await db.transaction(async (tx) => {
    await appendManyToChain(tx, LEDGER_CHAIN, 1, ([link]) => {
      const content = { ...forged, seq: link!.seq }
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
  })
}

/** Nothing of a confirmation is left: the payment pending, no audit event, no entry but the forged one. */
async function expectUnconfirmed(payment: { id: string }): Promise<void> {
  const [after] = await db.select().from(payments).where(eq(payments.id, payment.id))
  expect(after).toMatchObject({ status: 'pending', confirmedAt: null })
  const audited = await db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.subjectType, 'payment'), eq(auditEvents.subjectId, payment.id)))
  expect(audited).toEqual([])
  const [counted] = await queryRows<{ n: string }>(
    db,
    sql`select count(*)::text as n from aid_entries where payment_id = ${payment.id}`,
  )
  expect(counted!.n).toBe('1')
}

const tricky: Array<{ [key: string]: CanonicalInput }> = [
  { text: 'quote " backslash \\ newline \n tab \t', zh: '定西马铃薯 · 福州', emoji: '🥔', big: 10n ** 20n },
  { nested: { z: [1, 'two', null, { y: false }], a: new Date('2026-05-01T00:00:00Z') }, seq: 999 },
  { empty: {}, list: [], negative: -42 },
]

describe(`appending in one statement (${testDbKind()})`, () => {
  it('hashes in the database exactly as chainHash does, on several chains at once', async () => {
    const one = `test-append-a-${Date.now().toString(36)}`
    const two = `test-append-b-${Date.now().toString(36)}`
    await ensureChainHeads(db, [one, two])
    for (let round = 0; round < 2; round++) {
      const [first, second] = await db.transaction(async (tx) => {
        const sent = await sendChainAppends(tx, [
          { chain: one, payloads: tricky, inserts: () => [] },
          { chain: two, payloads: [tricky[0]!], inserts: () => [] },
        ])
        return sent.done
      })
      let prev = round === 0 ? GENESIS_HASH : null
      first!.forEach((entry, i) => {
        expect(entry.seq).toBe(round * tricky.length + i + 1)
        if (prev !== null) expect(entry.prevHash).toBe(prev)
        expect(entry.hash).toBe(chainHash(entry.prevHash, { ...tricky[i]!, seq: entry.seq }))
        prev = entry.hash
      })
      expect(second).toEqual([
        {
          seq: round + 1,
          prevHash: second![0]!.prevHash,
          hash: chainHash(second![0]!.prevHash, { ...tricky[0]!, seq: round + 1 }),
        },
      ])
      expect(await chainHead(db, one)).toMatchObject({
        seq: (round + 1) * tricky.length,
        hash: first!.at(-1)!.hash,
      })
      expect(await chainHead(db, two)).toMatchObject({ seq: round + 1, hash: second![0]!.hash })
    }
  })

  it('hashes ledger entries with any credits in the database exactly as chainHash does', async () => {
    const chain = `test-append-credits-${Date.now().toString(36)}`
    await ensureChainHeads(db, [chain])
    const content: Omit<LedgerEntryContent, 'seq'> = {
      kind: 'sale',
      occurredAt: SEED_NOW,
      day: '2026-06-15',
      paymentId: seedUuid('test:payment'),
      refundId: null,
      orderId: seedUuid('test:order'),
      orderLineId: seedUuid('test:line'),
      productId: productIds[0]!,
      sellerOrgId: seedUuid('test:seller'),
      originCode: '621102',
      buyerOrgId: null,
      buyerRegionCode: '350102',
      buyerChannel: 'consumer',
      certified: true,
      aidCategory: 'sales_assist',
      productCategory: '马铃薯',
      pairingId: 'EW-FZ-DX',
      quantity: 2,
      amountFen: 12_800n,
      proceedsFen: 1_280n,
    }
    const credits = fc.uniqueArray(
      fc.record({
        householdId: fc.uuid(),
        amountFen: fc.oneof(
          fc.bigInt({ min: -1000n, max: 1000n }),
          fc.bigInt({ min: -(2n ** 63n) + 1n, max: 2n ** 63n - 1n }),
        ),
      }),
      { maxLength: 24, selector: (c) => c.householdId },
    )
    await fc.assert(
      fc.asyncProperty(credits, async (list) => {
        const payload = ledgerEntryPayload({ ...content, seq: 0 }, list)
        const [links] = await db.transaction(async (tx) => {
          const sent = await sendChainAppends(tx, [{ chain, payloads: [payload], inserts: () => [] }])
          return sent.done
        })
        const link = links![0]!
        expect(link.hash).toBe(
          chainHash(link.prevHash, ledgerEntryPayload({ ...content, seq: link.seq }, list)),
        )
      }),
      fcParams(),
    )
  })

  it('fails without writing anything when a head is missing', async () => {
    const present = `test-append-c-${Date.now().toString(36)}`
    const missing = `test-append-d-${Date.now().toString(36)}`
    await ensureChainHeads(db, [present])
    await expect(
      db.transaction(async (tx) => {
        const sent = await sendChainAppends(tx, [
          { chain: present, payloads: [{ n: 1 }], inserts: () => [] },
          { chain: missing, payloads: [{ n: 2 }], inserts: () => [] },
        ])
        return sent.done
      }),
    ).rejects.toThrow()
    expect(await chainHead(db, present)).toMatchObject({ seq: 0, hash: GENESIS_HASH })
    expect(await chainHead(db, missing)).toMatchObject({ seq: 0, updatedAt: null })
  })

  it('concurrent confirmations keep both chains gap-free and the rollups equal to the entries', async () => {
    const pending = await Promise.all(
      Array.from({ length: 16 }, (_, i) => pendingPayment(i % 2 === 0 ? '350102' : '330102')),
    )
    const ledgerBefore = await ledgerHead(db)
    const results = await Promise.all(
      pending.map((p) =>
        confirmBankTransfer(db, { paymentId: p.id, receivedFen: p.amountFen, financeUserId: finance }, clock),
      ),
    )
    expect(results.every((r) => r.ok)).toBe(true)
    const ledgerAfter = await ledgerHead(db)
    expect(ledgerAfter.seq - ledgerBefore.seq).toBe(32)
    expect(await verifyChain(db, ledgerChainSource)).toMatchObject({ ok: true, headSeq: ledgerAfter.seq })
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true })
    const audits = await db
      .select({ seq: auditEvents.seq })
      .from(auditEvents)
      .where(eq(auditEvents.action, 'payment.confirmed'))
    expect(audits.length).toBeGreaterThanOrEqual(16)
    expect(await rollupMismatches(db)).toBe(0)
  })

  it('a confirmation whose last statement fails is rolled back whole, and the caller hears of it', async () => {
    const payment = await pendingPayment()
    await forgeSaleOfFirstLine(payment)
    const ledgerBefore = await ledgerHead(db)
    const auditBefore = await chainHead(db, 'audit')

    const failure = await confirmBankTransfer(
      db,
      { paymentId: payment.id, receivedFen: payment.amountFen, financeUserId: finance },
      clock,
    ).then(
      () => 'confirmed',
      (error: unknown) => messagesOf(error),
    )
    expect(failure).toMatch(/aid_entries_sale_line_unique/)

    await expectUnconfirmed(payment)
    expect(await ledgerHead(db)).toEqual(ledgerBefore)
    expect(await chainHead(db, 'audit')).toEqual(auditBefore)
  })

  it("inside a caller's transaction, a failed confirmation is undone to its savepoint and the caller goes on", async () => {
    const payment = await pendingPayment()
    await forgeSaleOfFirstLine(payment)
    const ledgerBefore = await ledgerHead(db)
    const outcome = await db.transaction(async (tx) => {
      const failure = await confirmBankTransfer(
        tx,
        { paymentId: payment.id, receivedFen: payment.amountFen, financeUserId: finance },
        clock,
      ).then(
        () => 'confirmed',
        (error: unknown) => messagesOf(error),
      )
      // The transaction is still usable: the failure was rolled back to the confirmation's savepoint.
      const [row] = await tx
        .select({ status: payments.status })
        .from(payments)
        .where(eq(payments.id, payment.id))
      return { failure, status: row?.status }
    })
    expect(outcome.failure).toMatch(/aid_entries_sale_line_unique/)
    expect(outcome.status).toBe('pending')
    await expectUnconfirmed(payment)
    expect(await ledgerHead(db)).toEqual(ledgerBefore)
  })
})
