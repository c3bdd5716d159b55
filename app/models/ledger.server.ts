import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../db/client.server'
import { certifications, products } from '../../db/schema/catalog'
import { households, productBeneficiaries } from '../../db/schema/households'
import {
  type AidCategory,
  aidEntries,
  aidRollups,
  householdCredits,
  targetReach,
} from '../../db/schema/ledger'
import { orderLines, orders, payments } from '../../db/schema/orders'
import { targets } from '../../db/schema/targets'
import {
  appendManyToChain,
  type CanonicalInput,
  type ChainSource,
  type StoredChainRow,
} from '../services/hash-chain.server'
import { shanghaiDate } from '../utils/clock'
import { splitLargestRemainder } from '../utils/money'
import { isInSubtree } from '../utils/regions'
import type { ConfirmationHooks } from './orders.server'
import { type PairingRecord, referenceData, regionChainCodes } from './reference-data.server'

/**
 * The consumption-aid ledger (DESIGN §5). A sale counts when its payment is confirmed: inside confirmPayment's
 * transaction, one entry per order line is appended to the hash chain 'ledger', its proceeds are split over the
 * product's households (largest remainder, ties by household id), and the rollups and target reach that every
 * dashboard reads are kept in step — all or nothing.
 */
export const LEDGER_CHAIN = 'ledger'

/** Everything an entry's hash covers: every column but prev_hash and hash. */
export type LedgerEntryContent = {
  seq: number
  kind: 'sale' | 'reversal'
  occurredAt: Date
  day: string
  paymentId: string
  refundId: string | null
  orderId: string
  orderLineId: string
  productId: string
  sellerOrgId: string
  originCode: string
  buyerOrgId: string | null
  buyerRegionCode: string
  buyerChannel: string
  certified: boolean
  aidCategory: AidCategory
  productCategory: string
  pairingId: string | null
  quantity: number
  amountFen: bigint
  proceedsFen: bigint
}

export function ledgerEntryPayload(entry: LedgerEntryContent): CanonicalInput {
  return { ...entry }
}

/** A unit's own purchase is 直接采购; a consumer's purchase through the platform is 帮助销售. */
export function aidCategoryOf(buyerChannel: string): AidCategory {
  return buyerChannel === 'consumer' ? 'sales_assist' : 'direct_purchase'
}

/**
 * The documented pairing a sale serves: helped side on the origin's chain, helper side on the buyer region's
 * chain, the most specific match on the helped side first, then on the helper side. None when nothing matches —
 * never a guess.
 */
export function pairingFor(
  pairings: readonly PairingRecord[],
  originCode: string,
  buyerRegionCode: string,
): PairingRecord | null {
  const helped = regionChainCodes(originCode)
  const helper = regionChainCodes(buyerRegionCode)
  let best: { pairing: PairingRecord; score: number } | null = null
  for (const pairing of pairings) {
    if (!pairing.helperCode) continue
    const h = helped.indexOf(pairing.helpedCode)
    const k = helper.indexOf(pairing.helperCode)
    if (h < 0 || k < 0) continue
    const score = h * 10 + k
    if (!best || score > best.score || (score === best.score && pairing.id < best.pairing.id))
      best = { pairing, score }
  }
  return best?.pairing ?? null
}

type TargetScope = {
  id: string
  periodStart: string
  periodEnd: string
  helpedCodes: string[]
  helperCodes: string[]
  buyerChannels: string[]
  certifiedOnly: boolean
}

/** Whether an entry counts toward a target: in its period and inside every part of its scope (empty = any). */
export function entryInScope(
  target: TargetScope,
  entry: Pick<LedgerEntryContent, 'day' | 'originCode' | 'buyerRegionCode' | 'buyerChannel' | 'certified'>,
): boolean {
  return (
    entry.day >= target.periodStart &&
    entry.day <= target.periodEnd &&
    (target.helpedCodes.length === 0 || target.helpedCodes.some((c) => isInSubtree(entry.originCode, c))) &&
    (target.helperCodes.length === 0 ||
      target.helperCodes.some((c) => isInSubtree(entry.buyerRegionCode, c))) &&
    (target.buyerChannels.length === 0 || target.buyerChannels.includes(entry.buyerChannel)) &&
    (!target.certifiedOnly || entry.certified)
  )
}

export type Credit = { householdId: string; amountFen: bigint; members: number }

/** Splits an entry's proceeds over the product's households by weight; sums exactly to the proceeds. */
export function creditsFor(
  proceedsFen: bigint,
  beneficiaries: ReadonlyArray<{ householdId: string; weight: number; members: number }>,
): Credit[] {
  if (beneficiaries.length === 0 || proceedsFen === 0n) return []
  const sorted = [...beneficiaries].sort((a, b) => (a.householdId < b.householdId ? -1 : 1))
  const split = splitLargestRemainder(
    proceedsFen,
    sorted.map((b) => ({ key: b.householdId, weight: b.weight })),
  )
  return split
    .map((s, i) => ({ householdId: s.key, amountFen: s.amount, members: sorted[i]!.members }))
    .filter((c) => c.amountFen !== 0n)
}

/** The ledger's part of every payment confirmation (confirmPayment calls it inside its transaction). */
export const ledgerConfirmationHook: ConfirmationHooks = {
  async onConfirmed(tx, event) {
    await appendSaleEntries(tx, event)
  },
}

async function appendSaleEntries(tx: Db, event: { orderId: string; paymentId: string }): Promise<void> {
  const [payment] = await tx
    .select({ confirmedAt: payments.confirmedAt })
    .from(payments)
    .where(eq(payments.id, event.paymentId))
  if (!payment?.confirmedAt) throw new Error('appendSaleEntries: the payment is not confirmed')
  const occurredAt = payment.confirmedAt
  const day = shanghaiDate(occurredAt)
  const lines = await tx
    .select({
      orderLineId: orderLines.id,
      productId: orderLines.productId,
      quantity: orderLines.qty,
      amountFen: orderLines.amountFen,
      proceedsFen: orderLines.proceedsFen,
      sellerOrgId: products.orgId,
      originCode: products.originCode,
      productCategory: products.category,
      buyerOrgId: orders.buyerOrgId,
      buyerRegionCode: orders.buyerRegionCode,
      buyerChannel: orders.buyerChannel,
      certified: sql<boolean>`exists (select 1 from ${certifications} c where c.product_id = ${products.id}
        and ${day}::date between c.valid_from and c.valid_until)`,
    })
    .from(orderLines)
    .innerJoin(orders, eq(orders.id, orderLines.orderId))
    .innerJoin(products, eq(products.id, orderLines.productId))
    .where(eq(orderLines.orderId, event.orderId))
    .orderBy(asc(orderLines.id))
  if (lines.length === 0) return
  const { pairings } = await referenceData(tx)
  const contents = lines.map(
    (line): Omit<LedgerEntryContent, 'seq'> => ({
      kind: 'sale',
      occurredAt,
      day,
      paymentId: event.paymentId,
      refundId: null,
      orderId: event.orderId,
      orderLineId: line.orderLineId,
      productId: line.productId,
      sellerOrgId: line.sellerOrgId,
      originCode: line.originCode,
      buyerOrgId: line.buyerOrgId,
      buyerRegionCode: line.buyerRegionCode,
      buyerChannel: line.buyerChannel,
      certified: Boolean(line.certified),
      aidCategory: aidCategoryOf(line.buyerChannel),
      productCategory: line.productCategory,
      pairingId: pairingFor(pairings, line.originCode, line.buyerRegionCode)?.id ?? null,
      quantity: line.quantity,
      amountFen: line.amountFen,
      proceedsFen: line.proceedsFen,
    }),
  )
  await appendEntries(tx, contents)
}

/**
 * Writes entries (sales or reversals) with their credits, rollups and reach. Rollups are added first, in key
 * order (no deadlock between confirmations); the chain head is locked last and held only for the inserts.
 */
export async function appendEntries(
  tx: Db,
  contents: ReadonlyArray<Omit<LedgerEntryContent, 'seq'>>,
  /** Reversals bring their own credits (the mirror of the sale's split); sales are split here. */
  givenCredits?: ReadonlyArray<ReadonlyArray<Credit>>,
): Promise<void> {
  const creditsOf = givenCredits ?? (await splitProceeds(tx, contents))

  await addToRollups(tx, contents)

  const days = [...new Set(contents.map((c) => c.day))]
  const scopes = await tx
    .select({
      id: targets.id,
      periodStart: targets.periodStart,
      periodEnd: targets.periodEnd,
      helpedCodes: targets.helpedCodes,
      helperCodes: targets.helperCodes,
      buyerChannels: targets.buyerChannels,
      certifiedOnly: targets.certifiedOnly,
    })
    .from(targets)
    .where(
      and(
        eq(targets.kind, 'demo'),
        sql`${targets.periodStart} <= ${days.reduce((a, b) => (a > b ? a : b))}::date`,
        sql`${targets.periodEnd} >= ${days.reduce((a, b) => (a < b ? a : b))}::date`,
      ),
    )

  await appendManyToChain(tx, LEDGER_CHAIN, contents.length, async (links) => {
    const rows = links.map((link, i) => ({ ...contents[i]!, seq: link.seq }))
    return {
      payloads: rows.map(ledgerEntryPayload),
      insert: async (entries) => {
        await tx
          .insert(aidEntries)
          .values(rows.map((row, i) => ({ ...row, prevHash: entries[i]!.prevHash, hash: entries[i]!.hash })))
        const credits = rows.flatMap((row, i) =>
          creditsOf[i]!.map((c) => ({
            entrySeq: row.seq,
            householdId: c.householdId,
            amountFen: c.amountFen,
          })),
        )
        if (credits.length > 0) await tx.insert(householdCredits).values(credits)
        // Reach grows with sales only: a reversal does not un-reach a household already reached.
        const reach = rows.flatMap((row, i) =>
          row.kind === 'sale'
            ? scopes
                .filter((target) => entryInScope(target, row))
                .flatMap((target) =>
                  creditsOf[i]!.map((c) => ({
                    targetId: target.id,
                    householdId: c.householdId,
                    firstSeq: row.seq,
                    members: c.members,
                  })),
                )
            : [],
        )
        if (reach.length > 0) await tx.insert(targetReach).values(reach).onConflictDoNothing()
      },
    }
  })
}

/** Each sale's proceeds split over its product's beneficiaries as they are now. */
async function splitProceeds(
  tx: Db,
  contents: ReadonlyArray<Omit<LedgerEntryContent, 'seq'>>,
): Promise<Credit[][]> {
  const productIds = [...new Set(contents.map((c) => c.productId))]
  const beneficiaryRows = await tx
    .select({
      productId: productBeneficiaries.productId,
      householdId: productBeneficiaries.householdId,
      weight: productBeneficiaries.weight,
      members: households.members,
    })
    .from(productBeneficiaries)
    .innerJoin(households, eq(households.id, productBeneficiaries.householdId))
    .where(inArray(productBeneficiaries.productId, productIds))
  return contents.map((c) =>
    creditsFor(
      c.proceedsFen,
      beneficiaryRows.filter((b) => b.productId === c.productId),
    ),
  )
}

async function addToRollups(tx: Db, contents: ReadonlyArray<Omit<LedgerEntryContent, 'seq'>>) {
  const sums = new Map<string, { key: typeof aidRollups.$inferInsert }>()
  for (const c of contents) {
    const dims = {
      day: c.day,
      helpedCode: c.originCode,
      helperCode: c.buyerRegionCode,
      buyerChannel: c.buyerChannel,
      aidCategory: c.aidCategory,
      productCategory: c.productCategory,
      certified: c.certified,
    }
    const id = JSON.stringify(dims)
    const existing = sums.get(id)
    if (existing) {
      existing.key.amountFen = existing.key.amountFen + c.amountFen
      existing.key.proceedsFen = existing.key.proceedsFen + c.proceedsFen
      existing.key.entries = existing.key.entries + 1
    } else {
      sums.set(id, { key: { ...dims, amountFen: c.amountFen, proceedsFen: c.proceedsFen, entries: 1 } })
    }
  }
  const rows = [...sums.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v.key)
  await tx
    .insert(aidRollups)
    .values(rows)
    .onConflictDoUpdate({
      target: [
        aidRollups.day,
        aidRollups.helpedCode,
        aidRollups.helperCode,
        aidRollups.buyerChannel,
        aidRollups.aidCategory,
        aidRollups.productCategory,
        aidRollups.certified,
      ],
      set: {
        amountFen: sql`${aidRollups.amountFen} + excluded.amount_fen`,
        proceedsFen: sql`${aidRollups.proceedsFen} + excluded.proceeds_fen`,
        entries: sql`${aidRollups.entries} + excluded.entries`,
      },
    })
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the chain back (verification)

type EntryRow = typeof aidEntries.$inferSelect

function contentOf(row: EntryRow): LedgerEntryContent {
  return {
    seq: Number(row.seq),
    kind: row.kind,
    occurredAt: row.occurredAt,
    day: row.day,
    paymentId: row.paymentId,
    refundId: row.refundId,
    orderId: row.orderId,
    orderLineId: row.orderLineId,
    productId: row.productId,
    sellerOrgId: row.sellerOrgId,
    originCode: row.originCode,
    buyerOrgId: row.buyerOrgId,
    buyerRegionCode: row.buyerRegionCode,
    buyerChannel: row.buyerChannel,
    certified: row.certified,
    aidCategory: row.aidCategory,
    productCategory: row.productCategory,
    pairingId: row.pairingId,
    quantity: row.quantity,
    amountFen: row.amountFen,
    proceedsFen: row.proceedsFen,
  }
}

export const ledgerChainSource: ChainSource = {
  chain: LEDGER_CHAIN,
  async readAfter(db, afterSeq, limit): Promise<StoredChainRow[]> {
    const rows = await db
      .select()
      .from(aidEntries)
      .where(sql`${aidEntries.seq} > ${afterSeq}`)
      .orderBy(asc(aidEntries.seq))
      .limit(limit)
    return rows.map((row) => ({
      seq: Number(row.seq),
      prevHash: row.prevHash,
      hash: row.hash,
      payload: ledgerEntryPayload(contentOf(row)),
    }))
  },
}

/** The published head of the ledger (GET /api/v1/ledger/head). */
export async function ledgerHead(db: Db): Promise<{ seq: number; hash: string; updatedAt: string | null }> {
  const [row] = await queryRows<{ seq: unknown; hash: string; updated_at: unknown }>(
    db,
    sql`select seq, hash, updated_at from chain_heads where chain = ${LEDGER_CHAIN}`,
  )
  if (!row) return { seq: 0, hash: '0'.repeat(64), updatedAt: null }
  return {
    seq: Number(row.seq),
    hash: row.hash,
    updatedAt: new Date(row.updated_at as string | Date).toISOString(),
  }
}
