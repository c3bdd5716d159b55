import { and, asc, ne, sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../../db/client.server'
import { type AidCategory, aidEntries, householdCredits } from '../../../db/schema/ledger'
import { targetScopeColumns, targets } from '../../../db/schema/targets'
import {
  type CanonicalInput,
  type ChainAppend,
  type ChainSource,
  ensureChainHeads,
  preparedText,
  sendChainAppends,
  StatementParams,
  type StoredChainRow,
} from '../../services/hash-chain/index.server'
import { shanghaiDate } from '../../utils/clock'
import { splitLargestRemainder } from '../../utils/money'
import { isInSubtree } from '../regions'
import { type PairingRecord, regionChainCodes } from '../regions/index.server'

/**
 * The consumption-aid ledger (docs/architecture.md §5). A sale counts when its payment is confirmed: inside confirmPayment's
 * transaction, one entry per order line is appended to the hash chain 'ledger', its proceeds are split over the
 * product's households (largest remainder, ties by household id), and the rollups and target reach that every
 * dashboard reads are kept in step — all or nothing.
 */
export const LEDGER_CHAIN = 'ledger'

/** An entry's columns: every column but payload_version, prev_hash and hash. */
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

/** The payload version every new entry is written with (ledgerEntryPayload). */
export const LEDGER_PAYLOAD_VERSION = 2

export type LedgerPayloadVersion = 1 | 2

/** One household's credit as the hash covers it. */
export type HashedCredit = Pick<Credit, 'householdId' | 'amountFen'>

/**
 * What an entry's hash covers, by its payload version (docs/decisions/010): 1 — the entry's columns, as entries
 * written before credits were hashed were chained (they keep their hashes); 2 — the columns, the version and the
 * entry's credits as a list of [household id, fen] sorted by household id, so that money moved between households,
 * or to another one, changes the hash. The order of `credits` does not matter.
 */
export function ledgerEntryPayload(
  entry: LedgerEntryContent,
  credits: readonly HashedCredit[],
  version: LedgerPayloadVersion = LEDGER_PAYLOAD_VERSION,
): { [key: string]: CanonicalInput } {
  if (version === 1) return { ...entry }
  // Any other number read back from a row (the check constraint allows 1 and 2) is hashed in this shape with that
  // number, which no writer produces: such a row fails its hash rather than the verifier.
  const sorted = [...credits].sort((a, b) =>
    a.householdId < b.householdId ? -1 : a.householdId > b.householdId ? 1 : 0,
  )
  return {
    ...entry,
    payloadVersion: version,
    credits: sorted.map((c) => [c.householdId, c.amountFen]),
  }
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

export type TargetScope = {
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

/**
 * The ledger's part of every payment confirmation: confirmPayment (payments) calls it inside its transaction. Typed
 * here by its own shape, so that the ledger needs nothing from the payments domain.
 */
export const ledgerConfirmationHook = {
  async onConfirmed(tx: Db, event: { orderId: string; paymentId: string }): Promise<void> {
    await appendSaleEntries(tx, event)
  },
}

/** A certificate's validity, both ends included (YYYY-MM-DD). */
type Validity = [validFrom: string, validUntil: string]

/** Whether a product with these certificates was certified on `day` (YYYY-MM-DD, Asia/Shanghai). */
export function certifiedOn(validities: ReadonlyArray<Validity>, day: string): boolean {
  return validities.some(([from, until]) => from <= day && day <= until)
}

/** What one statement reads for a confirmation: the payment's time and, per order line, everything an entry needs. */
type SaleRead = {
  /** Milliseconds since the epoch, as text; null while the payment is not confirmed. */
  confirmed_ms: string | null
  lines: unknown
  targets: unknown
  /** How many of the chains to append to have a head row already. */
  heads: unknown
}

type SaleLine = {
  orderLineId: string
  productId: string
  quantity: number
  amountFen: string
  proceedsFen: string
  sellerOrgId: string
  originCode: string
  productCategory: string
  buyerOrgId: string | null
  buyerRegionCode: string
  buyerChannel: string
  /** The product's certificates. */
  validities: Validity[]
  /** The pairings whose helped side is on the origin's chain and helper side on the buyer region's (pairingFor). */
  pairings: Array<[id: string, helperCode: string, helpedCode: string]>
  /**
   * The product's beneficiaries at the confirmation (links valid at confirmed_at: the verifier's definition, so
   * the two agree even if a link changes while this confirmation is under way): household, weight, members.
   */
  beneficiaries: Array<[householdId: string, weight: number, members: number]>
}

const json = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T

/** How appendEntries hands back its last statement (sendChainAppends): `written` settles when it has run. */
export type Appended = { written: Promise<unknown> }

/**
 * Appends a confirmed payment's sale entries — one per order line, in line id order — with their credits, rollups
 * and reach, and with them `also`: other chains' entries written in the same statement (finance's audit event).
 * Three statements whatever the number of lines: one read (payment, lines, certificates, pairings, beneficiaries,
 * demo targets, chain heads), the rollups, and the append (appendEntries). With `pipelined`, returns as soon as
 * the append is sent (see sendChainAppends: the caller commits, then awaits `written`).
 */
export async function appendSaleEntries(
  tx: Db,
  event: { orderId: string; paymentId: string },
  options: { also?: readonly ChainAppend[]; pipelined?: boolean } = {},
): Promise<Appended> {
  const also = options.also ?? []
  const chains = [LEDGER_CHAIN, ...also.map((a) => a.chain)]
  const params = new StatementParams()
  const [read] = await preparedText<SaleRead>(
    tx,
    `select (floor(extract(epoch from pay.confirmed_at) * 1000))::bigint::text as confirmed_ms,
       (select coalesce(json_agg(json_build_object(
                 'orderLineId', l.id, 'productId', l.product_id, 'quantity', coalesce(al.accepted_qty, l.qty),
                 'amountFen', coalesce(al.accepted_amount_fen, l.amount_fen)::text,
                 'proceedsFen', coalesce(al.accepted_proceeds_fen, l.proceeds_fen)::text,
                 'sellerOrgId', p.org_id, 'originCode', p.origin_code, 'productCategory', p.category,
                 'buyerOrgId', o.buyer_org_id, 'buyerRegionCode', o.buyer_region_code,
                 'buyerChannel', o.buyer_channel,
                 'validities', (select coalesce(json_agg(json_build_array(to_char(c.valid_from, 'YYYY-MM-DD'),
                                                                           to_char(c.valid_until, 'YYYY-MM-DD'))),
                                                '[]'::json)
                                from certifications c where c.product_id = p.id),
                 'pairings', (select coalesce(json_agg(json_build_array(pr.id, pr.helper_code, pr.helped_code)),
                                              '[]'::json)
                              from pairings pr
                              where pr.helper_code in (left(o.buyer_region_code, 2) || '0000',
                                                       left(o.buyer_region_code, 4) || '00', o.buyer_region_code)
                                and pr.helped_code in (left(p.origin_code, 2) || '0000',
                                                       left(p.origin_code, 4) || '00', p.origin_code)),
                 'beneficiaries', (select coalesce(json_agg(json_build_array(b.household_id, b.weight, h.members)),
                                                   '[]'::json)
                                   from product_beneficiaries b join households h on h.id = b.household_id
                                   where b.product_id = p.id and b.linked_at <= pay.confirmed_at
                                     and (b.unlinked_at is null or b.unlinked_at > pay.confirmed_at)))
               order by l.id), '[]'::json)
          from order_lines l
          join orders o on o.id = l.order_id
          join products p on p.id = l.product_id
          left join acceptance_lines al on al.order_line_id = l.id
          where l.order_id = ${params.add(event.orderId, 'uuid')}
            and (al.accepted_qty is null or al.accepted_qty > 0)) as lines,
       (select coalesce(json_agg(json_build_object(
                 'id', t.id, 'periodStart', to_char(t.period_start, 'YYYY-MM-DD'),
                 'periodEnd', to_char(t.period_end, 'YYYY-MM-DD'), 'helpedCodes', t.helped_codes,
                 'helperCodes', t.helper_codes, 'buyerChannels', t.buyer_channels,
                 'certifiedOnly', t.certified_only)), '[]'::json)
          from targets t where t.kind <> 'reference') as targets,
       (select count(*)::int from chain_heads where chain = any(${params.array(chains, 'text')})) as heads
     from payments pay
     where pay.id = ${params.add(event.paymentId, 'uuid')}`,
    params,
  )
  if (!read?.confirmed_ms) throw new Error('appendSaleEntries: the payment is not confirmed')
  const headsExist = Number(read.heads) === chains.length
  const occurredAt = new Date(Number(read.confirmed_ms))
  const day = shanghaiDate(occurredAt)
  const lines = json<SaleLine[]>(read.lines)
  if (lines.length === 0) {
    // Nothing to count (an order always has lines); whatever else was to be appended still is.
    if (also.length === 0) return { written: Promise.resolve() }
    if (!headsExist) await ensureChainHeads(tx, chains)
    const sent = await sendChainAppends(tx, also)
    if (!options.pipelined) await sent.done
    return { written: sent.done }
  }
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
      certified: certifiedOn(line.validities, day),
      aidCategory: aidCategoryOf(line.buyerChannel),
      productCategory: line.productCategory,
      pairingId:
        pairingFor(
          line.pairings.map(([id, helperCode, helpedCode]) => ({
            id,
            programme: '',
            helperName: '',
            helperCode,
            helpedCode,
          })),
          line.originCode,
          line.buyerRegionCode,
        )?.id ?? null,
      quantity: line.quantity,
      amountFen: BigInt(line.amountFen),
      proceedsFen: BigInt(line.proceedsFen),
    }),
  )
  const credits = contents.map((content, i) =>
    creditsFor(
      content.proceedsFen,
      lines[i]!.beneficiaries.map(([householdId, weight, members]) => ({ householdId, weight, members })),
    ),
  )
  return appendEntries(tx, contents, credits, {
    scopes: json<TargetScope[]>(read.targets),
    also,
    headsExist,
    pipelined: options.pipelined ?? false,
  })
}

/**
 * Writes entries (sales or reversals) with their credits, rollups and reach. Rollups are added first, in key
 * order (no deadlock between confirmations); the chain head is locked last, by the one statement that hashes and
 * inserts the entries, their credits and reach (and whatever `also` appends to other chains, whose heads are
 * locked after the ledger's) and moves the heads (sendChainAppends): the lock is held for that statement and the
 * commit only. Each entry is hashed with its credits (payload version 2).
 */
export async function appendEntries(
  tx: Db,
  contents: ReadonlyArray<Omit<LedgerEntryContent, 'seq'>>,
  /** Each entry's credits: a sale's split of its proceeds, a reversal's mirror of its sale's split. */
  creditsOf: ReadonlyArray<ReadonlyArray<Credit>>,
  options: {
    /** The demo targets, when already read (reach); read here otherwise. */
    scopes?: readonly TargetScope[]
    /** Entries of other chains to append in the same statement. */
    also?: readonly ChainAppend[]
    /** Every head row is known to exist (heads are never deleted); otherwise they are created if missing. */
    headsExist?: boolean
    /** Return once the last statement is sent (see sendChainAppends); the caller awaits `written` after COMMIT. */
    pipelined?: boolean
  } = {},
): Promise<Appended> {
  if (contents.length === 0) throw new RangeError('appendEntries: no entries')
  if (creditsOf.length !== contents.length) throw new RangeError('appendEntries: one credit list per entry')
  const also = options.also ?? []

  if (!options.headsExist) await ensureChainHeads(tx, [LEDGER_CHAIN, ...also.map((a) => a.chain)])
  // Reach grows with sales only: a reversal does not un-reach a household already reached.
  const scopes = contents.some((c) => c.kind === 'sale')
    ? (options.scopes ?? (await demoScopes(tx, contents)))
    : []
  const rows = ledgerRows(contents, creditsOf, scopes)

  // Sent together, run in this order: the rollups, then (sendChainAppends) the heads' lock and the append.
  const rolledUp = addToRollups(tx, contents)
  rolledUp.catch(() => {}) // observed through `written`
  const sent = await sendChainAppends(tx, [
    {
      chain: LEDGER_CHAIN,
      // The seq is the database's to fill in (sendChainAppends): 0 only holds its place.
      payloads: contents.map((c, i) => ledgerEntryPayload({ ...c, seq: 0 }, creditsOf[i]!)),
      inserts: (links, params) => ledgerInserts(rows, links, params),
    },
    ...also,
  ])
  const written = Promise.all([rolledUp, sent.done])
  written.catch(() => {})
  if (!options.pipelined) await written
  return { written }
}

/** The counted (demo and office) targets whose period overlaps the entries' days. */
async function demoScopes(
  tx: Db,
  contents: ReadonlyArray<Omit<LedgerEntryContent, 'seq'>>,
): Promise<TargetScope[]> {
  const days = [...new Set(contents.map((c) => c.day))]
  return tx
    .select(targetScopeColumns)
    .from(targets)
    .where(
      and(
        ne(targets.kind, 'reference'),
        sql`${targets.periodStart} <= ${days.reduce((a, b) => (a > b ? a : b))}::date`,
        sql`${targets.periodEnd} >= ${days.reduce((a, b) => (a < b ? a : b))}::date`,
      ),
    )
}

/**
 * What one append writes besides the chain's own bookkeeping, by entry (i: 1, 2, … in the order of `contents`,
 * the order of their seqs): the entries, each entry's credits, and the reach of every sale in every target whose
 * scope it falls in — a household already reached by an earlier entry of the same append is left out, as a
 * multi-row INSERT … ON CONFLICT DO NOTHING would keep the first.
 */
export function ledgerRows(
  contents: ReadonlyArray<Omit<LedgerEntryContent, 'seq'>>,
  creditsOf: ReadonlyArray<ReadonlyArray<Credit>>,
  scopes: readonly TargetScope[],
): {
  entries: Array<Omit<LedgerEntryContent, 'seq'> & { i: number }>
  credits: Array<{ i: number; householdId: string; amountFen: bigint }>
  reach: Array<{ i: number; targetId: string; householdId: string; members: number }>
} {
  const reached = new Set<string>()
  return {
    entries: contents.map((content, i) => ({ ...content, i: i + 1 })),
    credits: contents.flatMap((_, i) =>
      creditsOf[i]!.map((c) => ({ i: i + 1, householdId: c.householdId, amountFen: c.amountFen })),
    ),
    reach: contents.flatMap((content, i) =>
      content.kind === 'sale'
        ? scopes
            .filter((target) => entryInScope(target, content))
            .flatMap((target) =>
              creditsOf[i]!.flatMap((c) => {
                const key = `${target.id} ${c.householdId}`
                if (reached.has(key)) return []
                reached.add(key)
                return [{ i: i + 1, targetId: target.id, householdId: c.householdId, members: c.members }]
              }),
            )
        : [],
    ),
  }
}

/** The three INSERTs of ledgerRows, each row joined to its link (seq, prev_hash, hash) by entry. */
function ledgerInserts(
  rows: ReturnType<typeof ledgerRows>,
  links: string,
  params: StatementParams,
): string[] {
  const { entries, credits, reach } = rows
  const e = (
    pick: (row: (typeof entries)[number]) => string | number | bigint | boolean | null,
    type: string,
  ) => params.array(entries.map(pick), type)
  return [
    `insert into aid_entries (seq, kind, occurred_at, day, payment_id, refund_id, order_id, order_line_id,
       product_id, seller_org_id, origin_code, buyer_org_id, buyer_region_code, buyer_channel, certified,
       aid_category, product_category, pairing_id, quantity, amount_fen, proceeds_fen, payload_version,
       prev_hash, hash)
     select l.seq, v.kind, v.occurred_at, v.day, v.payment_id, v.refund_id, v.order_id, v.order_line_id,
       v.product_id, v.seller_org_id, v.origin_code, v.buyer_org_id, v.buyer_region_code, v.buyer_channel,
       v.certified, v.aid_category, v.product_category, v.pairing_id, v.quantity, v.amount_fen, v.proceeds_fen,
       ${params.add(LEDGER_PAYLOAD_VERSION, 'smallint')}, l.prev_hash, l.hash
     from unnest(${[
       e((r) => r.i, 'integer'),
       e((r) => r.kind, 'text'),
       e((r) => r.occurredAt.toISOString(), 'timestamptz'),
       e((r) => r.day, 'date'),
       e((r) => r.paymentId, 'uuid'),
       e((r) => r.refundId, 'uuid'),
       e((r) => r.orderId, 'uuid'),
       e((r) => r.orderLineId, 'uuid'),
       e((r) => r.productId, 'uuid'),
       e((r) => r.sellerOrgId, 'uuid'),
       e((r) => r.originCode, 'text'),
       e((r) => r.buyerOrgId, 'uuid'),
       e((r) => r.buyerRegionCode, 'text'),
       e((r) => r.buyerChannel, 'text'),
       e((r) => r.certified, 'boolean'),
       e((r) => r.aidCategory, 'text'),
       e((r) => r.productCategory, 'text'),
       e((r) => r.pairingId, 'text'),
       e((r) => r.quantity, 'integer'),
       e((r) => r.amountFen, 'bigint'),
       e((r) => r.proceedsFen, 'bigint'),
     ].join(
       ', ',
     )}) as v(i, kind, occurred_at, day, payment_id, refund_id, order_id, order_line_id, product_id,
                        seller_org_id, origin_code, buyer_org_id, buyer_region_code, buyer_channel, certified,
                        aid_category, product_category, pairing_id, quantity, amount_fen, proceeds_fen)
     join ${links} l on l.i = v.i`,
    `insert into household_credits (entry_seq, household_id, amount_fen)
     select l.seq, v.household_id, v.amount_fen
     from unnest(${params.array(
       credits.map((c) => c.i),
       'integer',
     )}, ${params.array(
       credits.map((c) => c.householdId),
       'uuid',
     )}, ${params.array(
       credits.map((c) => c.amountFen),
       'bigint',
     )}) as v(i, household_id, amount_fen)
     join ${links} l on l.i = v.i`,
    `insert into target_reach (target_id, household_id, first_seq, members)
     select v.target_id, v.household_id, l.seq, v.members
     from unnest(${params.array(
       reach.map((r) => r.i),
       'integer',
     )}, ${params.array(
       reach.map((r) => r.targetId),
       'uuid',
     )}, ${params.array(
       reach.map((r) => r.householdId),
       'uuid',
     )}, ${params.array(
       reach.map((r) => r.members),
       'smallint',
     )}) as v(i, target_id, household_id, members)
     join ${links} l on l.i = v.i
     on conflict do nothing`,
  ]
}

export type RollupRow = {
  day: string
  helpedCode: string
  helperCode: string
  buyerChannel: string
  aidCategory: AidCategory
  productCategory: string
  certified: boolean
  amountFen: bigint
  proceedsFen: bigint
  entries: number
}

/** The entries summed by rollup key, in key order (the order every transaction locks rollup rows in). */
export function rollupRows(contents: ReadonlyArray<Omit<LedgerEntryContent, 'seq'>>): RollupRow[] {
  const sums = new Map<string, RollupRow>()
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
      existing.amountFen += c.amountFen
      existing.proceedsFen += c.proceedsFen
      existing.entries += 1
    } else {
      sums.set(id, { ...dims, amountFen: c.amountFen, proceedsFen: c.proceedsFen, entries: 1 })
    }
  }
  return [...sums.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row)
}

export type ProductRollupRow = {
  day: string
  productId: string
  sellerOrgId: string
  buyerChannel: string
  certified: boolean
  /** Units sold (reversals carry no quantity: refunds are in money). */
  quantity: bigint
  amountFen: bigint
  proceedsFen: bigint
  entries: number
}

/** The entries summed by product rollup key, in key order. */
export function productRollupRows(
  contents: ReadonlyArray<Omit<LedgerEntryContent, 'seq'>>,
): ProductRollupRow[] {
  const sums = new Map<string, ProductRollupRow>()
  for (const c of contents) {
    const id = JSON.stringify([c.day, c.productId, c.buyerChannel, c.certified])
    const existing = sums.get(id)
    if (existing) {
      existing.quantity += BigInt(c.quantity)
      existing.amountFen += c.amountFen
      existing.proceedsFen += c.proceedsFen
      existing.entries += 1
    } else {
      sums.set(id, {
        day: c.day,
        productId: c.productId,
        sellerOrgId: c.sellerOrgId,
        buyerChannel: c.buyerChannel,
        certified: c.certified,
        quantity: BigInt(c.quantity),
        amountFen: c.amountFen,
        proceedsFen: c.proceedsFen,
        entries: 1,
      })
    }
  }
  return [...sums.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row)
}

export type BuyerRollupRow = {
  day: string
  buyerOrgId: string
  helpedCode: string
  buyerChannel: string
  certified: boolean
  amountFen: bigint
  proceedsFen: bigint
  entries: number
}

/** The entries of buyer organisations summed by buyer rollup key, in key order; consumers' entries have none. */
export function buyerRollupRows(contents: ReadonlyArray<Omit<LedgerEntryContent, 'seq'>>): BuyerRollupRow[] {
  const sums = new Map<string, BuyerRollupRow>()
  for (const c of contents) {
    if (c.buyerOrgId === null) continue
    const id = JSON.stringify([c.buyerOrgId, c.day, c.originCode, c.buyerChannel, c.certified])
    const existing = sums.get(id)
    if (existing) {
      existing.amountFen += c.amountFen
      existing.proceedsFen += c.proceedsFen
      existing.entries += 1
    } else {
      sums.set(id, {
        day: c.day,
        buyerOrgId: c.buyerOrgId,
        helpedCode: c.originCode,
        buyerChannel: c.buyerChannel,
        certified: c.certified,
        amountFen: c.amountFen,
        proceedsFen: c.proceedsFen,
        entries: 1,
      })
    }
  }
  return [...sums.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row)
}

/**
 * What a payment has credited to households so far: its sales' credits less their reversals, per household; the
 * households still credited (net above zero) and the sum. A fully refunded payment credits no one.
 */
export async function creditedByPayment(
  db: Db,
  paymentId: string,
): Promise<{ households: number; amountFen: bigint }> {
  const [row] = await queryRows<{ households: unknown; amount: unknown }>(
    db,
    sql`select count(*) as households, coalesce(sum(net), 0)::text as amount
          from (select c.household_id, sum(c.amount_fen) as net
                  from aid_entries e join household_credits c on c.entry_seq = e.seq
                 where e.payment_id = ${paymentId}::uuid
                 group by c.household_id) per_household
         where net > 0`,
  )
  return { households: Number(row?.households ?? 0), amountFen: BigInt(String(row?.amount ?? 0)) }
}
/** One statement, rows in key order (unnest keeps the order of its arrays). */
function addToRollups(tx: Db, contents: ReadonlyArray<Omit<LedgerEntryContent, 'seq'>>): Promise<unknown> {
  const rows = rollupRows(contents)
  const products = productRollupRows(contents)
  const params = new StatementParams()
  const column = (pick: (row: RollupRow) => string | number | bigint | boolean, type: string) =>
    params.array(rows.map(pick), type)
  const productColumn = (pick: (row: ProductRollupRow) => string | number | bigint | boolean, type: string) =>
    params.array(products.map(pick), type)
  const buyers = buyerRollupRows(contents)
  const buyerColumn = (pick: (row: BuyerRollupRow) => string | number | bigint | boolean, type: string) =>
    params.array(buyers.map(pick), type)
  // Each rollup table is written only after the one before (each insert reads the previous one's result), so every
  // confirmation locks rollup rows in the same order: area keys, then product keys, then buyer keys, each sorted.
  return preparedText(
    tx,
    `with area as (
       insert into aid_rollups (day, helped_code, helper_code, buyer_channel, aid_category, product_category,
         certified, amount_fen, proceeds_fen, entries)
       select * from unnest(${[
         column((r) => r.day, 'date'),
         column((r) => r.helpedCode, 'text'),
         column((r) => r.helperCode, 'text'),
         column((r) => r.buyerChannel, 'text'),
         column((r) => r.aidCategory, 'text'),
         column((r) => r.productCategory, 'text'),
         column((r) => r.certified, 'boolean'),
         column((r) => r.amountFen, 'bigint'),
         column((r) => r.proceedsFen, 'bigint'),
         column((r) => r.entries, 'integer'),
       ].join(', ')})
       on conflict (day, helped_code, helper_code, buyer_channel, aid_category, product_category, certified)
       do update set amount_fen = aid_rollups.amount_fen + excluded.amount_fen,
                     proceeds_fen = aid_rollups.proceeds_fen + excluded.proceeds_fen,
                     entries = aid_rollups.entries + excluded.entries
       returning 1)
     , product as (
       insert into aid_product_rollups (day, product_id, seller_org_id, buyer_channel, certified, quantity, amount_fen,
       proceeds_fen, entries)
     select * from unnest(${[
       productColumn((r) => r.day, 'date'),
       productColumn((r) => r.productId, 'uuid'),
       productColumn((r) => r.sellerOrgId, 'uuid'),
       productColumn((r) => r.buyerChannel, 'text'),
       productColumn((r) => r.certified, 'boolean'),
       productColumn((r) => r.quantity, 'bigint'),
       productColumn((r) => r.amountFen, 'bigint'),
       productColumn((r) => r.proceedsFen, 'bigint'),
       productColumn((r) => r.entries, 'integer'),
     ].join(', ')})
     where (select count(*) from area) > 0
     on conflict (day, product_id, buyer_channel, certified)
     do update set quantity = aid_product_rollups.quantity + excluded.quantity,
                   amount_fen = aid_product_rollups.amount_fen + excluded.amount_fen,
                   proceeds_fen = aid_product_rollups.proceeds_fen + excluded.proceeds_fen,
                   entries = aid_product_rollups.entries + excluded.entries
       returning 1)
     insert into aid_buyer_rollups (day, buyer_org_id, helped_code, buyer_channel, certified, amount_fen,
       proceeds_fen, entries)
     select * from unnest(${[
       buyerColumn((r) => r.day, 'date'),
       buyerColumn((r) => r.buyerOrgId, 'uuid'),
       buyerColumn((r) => r.helpedCode, 'text'),
       buyerColumn((r) => r.buyerChannel, 'text'),
       buyerColumn((r) => r.certified, 'boolean'),
       buyerColumn((r) => r.amountFen, 'bigint'),
       buyerColumn((r) => r.proceedsFen, 'bigint'),
       buyerColumn((r) => r.entries, 'integer'),
     ].join(', ')})
     where (select count(*) from product) >= 0
     on conflict (buyer_org_id, day, helped_code, buyer_channel, certified)
     do update set amount_fen = aid_buyer_rollups.amount_fen + excluded.amount_fen,
                   proceeds_fen = aid_buyer_rollups.proceeds_fen + excluded.proceeds_fen,
                   entries = aid_buyer_rollups.entries + excluded.entries`,
    params,
  )
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

/** A stored entry as the verifier reads it: its columns, its credits (by household id) and its chain fields. */
export type StoredLedgerEntry = {
  content: LedgerEntryContent
  payloadVersion: LedgerPayloadVersion
  credits: HashedCredit[]
  prevHash: string
  hash: string
}

/** Entries with seq > afterSeq in seq order, at most `limit`, each with its credits: two statements. */
export async function readLedgerEntries(
  db: Db,
  afterSeq: number,
  limit: number,
): Promise<StoredLedgerEntry[]> {
  const rows = await db
    .select()
    .from(aidEntries)
    .where(sql`${aidEntries.seq} > ${afterSeq}`)
    .orderBy(asc(aidEntries.seq))
    .limit(limit)
  if (rows.length === 0) return []
  const credits = await db
    .select({
      entrySeq: householdCredits.entrySeq,
      householdId: householdCredits.householdId,
      amountFen: householdCredits.amountFen,
    })
    .from(householdCredits)
    .where(
      sql`${householdCredits.entrySeq} between ${Number(rows[0]!.seq)} and ${Number(rows[rows.length - 1]!.seq)}`,
    )
    .orderBy(asc(householdCredits.entrySeq), asc(householdCredits.householdId))
  const creditsBySeq = new Map<number, HashedCredit[]>()
  for (const c of credits) {
    const list = creditsBySeq.get(Number(c.entrySeq))
    const credit = { householdId: c.householdId, amountFen: c.amountFen }
    if (list) list.push(credit)
    else creditsBySeq.set(Number(c.entrySeq), [credit])
  }
  return rows.map((row) => ({
    content: contentOf(row),
    payloadVersion: row.payloadVersion as LedgerPayloadVersion,
    credits: creditsBySeq.get(Number(row.seq)) ?? [],
    prevHash: row.prevHash,
    hash: row.hash,
  }))
}

/** A stored entry as its chain link: the payload of its own version (credits included from version 2). */
export function ledgerChainRow(entry: StoredLedgerEntry): StoredChainRow {
  return {
    seq: entry.content.seq,
    prevHash: entry.prevHash,
    hash: entry.hash,
    payload: ledgerEntryPayload(entry.content, entry.credits, entry.payloadVersion),
  }
}

export const ledgerChainSource: ChainSource = {
  chain: LEDGER_CHAIN,
  async readAfter(db, afterSeq, limit): Promise<StoredChainRow[]> {
    return (await readLedgerEntries(db, afterSeq, limit)).map(ledgerChainRow)
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
