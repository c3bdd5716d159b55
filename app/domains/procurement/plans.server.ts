import type { Readable } from 'node:stream'
import { and, desc, eq, sql } from 'drizzle-orm'
import { type Db, queryRows, toBigInt } from '../../../db/client.server'
import { users } from '../../../db/schema/accounts'
import { files } from '../../../db/schema/files'
import { organizations } from '../../../db/schema/organizations'
import { isFileKey } from '../../services/files/keys.server'
import { defaultFileStore, type FileStore } from '../../services/files/store.server'
import { externalPurchases, procurementPlans, unitPaymentTerms } from '../../../db/schema/procurement'
import { DEFAULT_PAYMENT_TERM_DAYS } from './acceptance-math'
import type { Clock } from '../../utils/clock'
import { recordAuditEvent } from '../audit/index.server'
import { isBuyerOrganizationKind } from '../orders'
import type { ExternalPurchaseForm, PlanForm } from './forms'
import {
  type BurnDownRow,
  burnDown,
  type MonthFigures,
  progressBp,
  proRataReservedFen,
  reservedAmountFen,
  yearElapsed,
} from './plan-math'
import { subtreePrefix } from '../regions'
import type { UnitActor } from './unit-actor'

export type PlanView = {
  year: number
  plan: {
    baseFen: bigint
    reservedShareBp: number
    noCanteen: boolean
    representative: { name: string; uscc: string | null } | null
    reservedFen: bigint
    updatedAt: string
  } | null
  months: BurnDownRow[]
  /** Platform + external, the year so far (the unit's share; staff purchases apart). */
  doneFen: bigint
  platformFen: bigint
  externalFen: bigint
  staffFen: bigint
  progressBp: number
  /** The unit's payment term in days from acceptance (decision 022). */
  paymentTermDays: number
  purchases: Array<{
    id: string
    kind: 'unit' | 'staff'
    purchasedOn: string
    channel: string
    description: string
    amountFen: bigint
    evidenceFile: string
    recordedBy: string
    recordedAt: Date
  }>
}

/**
 * The unit's counted purchases on this platform in a year, by Asia/Shanghai month: from the ledger's buyer rollups
 * (sales minus reversals, kept in the confirming transaction), never a sum over the entries.
 */
export async function platformPurchasesByMonth(
  db: Db,
  orgId: string,
  year: number,
): Promise<Map<number, bigint>> {
  const rows = await queryRows<{ month: number; amount: string }>(
    db,
    sql`select extract(month from day)::int as month, sum(amount_fen)::text as amount
        from aid_buyer_rollups
        where buyer_org_id = ${orgId} and day >= make_date(${year}::int, 1, 1) and day < make_date(${year + 1}::int, 1, 1)
        group by 1`,
  )
  return new Map(rows.map((r) => [Number(r.month), toBigInt(r.amount)]))
}

/** The plan of a year with its month-by-month burn-down and the purchases recorded from elsewhere. */
export async function getPlanView(db: Db, input: { orgId: string; year: number }): Promise<PlanView> {
  const { orgId, year } = input
  const [planRow] = await db
    .select({
      p: procurementPlans,
      representativeName: organizations.name,
      representativeUscc: organizations.uscc,
    })
    .from(procurementPlans)
    .leftJoin(organizations, eq(organizations.id, procurementPlans.representativeOrgId))
    .where(and(eq(procurementPlans.orgId, orgId), eq(procurementPlans.year, year)))
  const [platform, external, purchases, term] = await Promise.all([
    platformPurchasesByMonth(db, orgId, year),
    queryRows<{ month: number; kind: 'unit' | 'staff'; amount: string }>(
      db,
      sql`select extract(month from purchased_on)::int as month, kind, sum(amount_fen)::text as amount
          from external_purchases
          where org_id = ${orgId} and purchased_on >= make_date(${year}::int, 1, 1)
            and purchased_on < make_date(${year + 1}::int, 1, 1)
          group by 1, 2`,
    ),
    db
      .select({
        id: externalPurchases.id,
        kind: externalPurchases.kind,
        purchasedOn: externalPurchases.purchasedOn,
        channel: externalPurchases.channel,
        description: externalPurchases.description,
        amountFen: externalPurchases.amountFen,
        evidenceFile: externalPurchases.evidenceFile,
        recordedBy: users.displayName,
        recordedAt: externalPurchases.recordedAt,
      })
      .from(externalPurchases)
      .innerJoin(users, eq(users.id, externalPurchases.recordedBy))
      .where(
        and(
          eq(externalPurchases.orgId, orgId),
          sql`${externalPurchases.purchasedOn} >= make_date(${year}::int, 1, 1)`,
          sql`${externalPurchases.purchasedOn} < make_date(${year + 1}::int, 1, 1)`,
        ),
      )
      .orderBy(desc(externalPurchases.purchasedOn), desc(externalPurchases.recordedAt)),
    db
      .select({ days: unitPaymentTerms.days })
      .from(unitPaymentTerms)
      .where(eq(unitPaymentTerms.orgId, orgId)),
  ])
  const months: MonthFigures[] = Array.from({ length: 12 }, (_, i) => ({
    month: i + 1,
    platformFen: platform.get(i + 1) ?? 0n,
    externalFen: 0n,
    staffFen: 0n,
  }))
  for (const row of external) {
    const m = months[Number(row.month) - 1]!
    if (row.kind === 'staff') m.staffFen += toBigInt(row.amount)
    else m.externalFen += toBigInt(row.amount)
  }
  const plan = planRow
    ? {
        baseFen: planRow.p.baseFen,
        reservedShareBp: planRow.p.reservedShareBp,
        noCanteen: planRow.p.noCanteen,
        representative: planRow.representativeName
          ? { name: planRow.representativeName, uscc: planRow.representativeUscc }
          : null,
        reservedFen: reservedAmountFen(planRow.p.baseFen, planRow.p.reservedShareBp),
        updatedAt: planRow.p.updatedAt.toISOString(),
      }
    : null
  const rows = burnDown(plan?.reservedFen ?? 0n, months)
  const platformFen = months.reduce((s, m) => s + m.platformFen, 0n)
  const externalFen = months.reduce((s, m) => s + m.externalFen, 0n)
  const staffFen = months.reduce((s, m) => s + m.staffFen, 0n)
  const doneFen = platformFen + externalFen
  return {
    year,
    plan,
    months: rows,
    doneFen,
    platformFen,
    externalFen,
    staffFen,
    progressBp: progressBp(doneFen, plan?.reservedFen ?? 0n),
    paymentTermDays: term[0]?.days ?? DEFAULT_PAYMENT_TERM_DAYS,
    purchases,
  }
}

export type SavePlanResult =
  | { ok: true }
  | { ok: false; errors: Partial<Record<'share' | 'representativeUscc', string[]>> }

/**
 * Saves the unit's plan for a year (the unit admin). The reserved share may only go up once saved (at least 10%);
 * the representative unit, named by its 统一社会信用代码, must be another buying unit. Audited.
 */
export async function savePlan(
  db: Db,
  input: { actor: UnitActor; form: PlanForm },
  clock: Clock,
): Promise<SavePlanResult> {
  const { actor, form } = input
  return db.transaction(async (tx): Promise<SavePlanResult> => {
    const [existing] = await tx
      .select({ shareBp: procurementPlans.reservedShareBp })
      .from(procurementPlans)
      .where(and(eq(procurementPlans.orgId, actor.orgId), eq(procurementPlans.year, form.year)))
      .for('update')
    if (existing && form.share < existing.shareBp) {
      return { ok: false as const, errors: { share: ['unit.plan.error.shareDown'] } }
    }
    let representativeOrgId: string | null = null
    if (form.representativeUscc) {
      const [rep] = await tx
        .select({ id: organizations.id, kind: organizations.kind })
        .from(organizations)
        .where(eq(organizations.uscc, form.representativeUscc))
      if (!rep || rep.id === actor.orgId || !isBuyerOrganizationKind(rep.kind))
        return { ok: false as const, errors: { representativeUscc: ['unit.plan.error.representative'] } }
      representativeOrgId = rep.id
    }
    const now = clock.now()
    const values = {
      baseFen: form.base,
      reservedShareBp: form.share,
      noCanteen: form.noCanteen,
      representativeOrgId,
      updatedBy: actor.userId,
      updatedAt: now,
    }
    await tx
      .insert(procurementPlans)
      .values({ orgId: actor.orgId, year: form.year, ...values })
      .onConflictDoUpdate({ target: [procurementPlans.orgId, procurementPlans.year], set: values })
    await recordAuditEvent(tx, {
      actorUserId: actor.userId,
      action: 'procurement_plan.saved',
      subjectType: 'organization',
      subjectId: actor.orgId,
      details: {
        year: form.year,
        baseFen: form.base.toString(),
        reservedShareBp: form.share,
        noCanteen: form.noCanteen,
        representativeOrgId,
      },
      occurredAt: now,
    })
    return { ok: true as const }
  })
}

/** Records a purchase made elsewhere, with its stored evidence file and who recorded it. Audited. */
export async function recordExternalPurchase(
  db: Db,
  input: { actor: UnitActor; form: ExternalPurchaseForm; evidenceFile: string },
  clock: Clock,
): Promise<{ ok: true; id: string }> {
  const { actor, form } = input
  return db.transaction(async (tx) => {
    const now = clock.now()
    const [row] = await tx
      .insert(externalPurchases)
      .values({
        orgId: actor.orgId,
        kind: form.kind,
        purchasedOn: form.purchasedOn,
        channel: form.channel,
        description: form.description,
        amountFen: form.amount,
        evidenceFile: input.evidenceFile,
        recordedBy: actor.userId,
        recordedAt: now,
      })
      .returning({ id: externalPurchases.id })
    await recordAuditEvent(tx, {
      actorUserId: actor.userId,
      action: 'external_purchase.recorded',
      subjectType: 'organization',
      subjectId: actor.orgId,
      details: {
        purchaseId: row!.id,
        kind: form.kind,
        purchasedOn: form.purchasedOn,
        amountFen: form.amount.toString(),
      },
      occurredAt: now,
    })
    return { ok: true as const, id: row!.id }
  })
}

/**
 * The evidence file of a purchase recorded from elsewhere, for a member of the unit that recorded it (acting for
 * it); null for anyone else (not distinguished from a file that does not exist).
 */
export async function openPurchaseEvidence(
  db: Db,
  input: { actor: UnitActor; key: string; store?: FileStore },
): Promise<{ contentType: string; size: number; stream: Readable; filename: string } | null> {
  if (!isFileKey(input.key) || input.key.endsWith('.webp')) return null
  const [row] = await db
    .select({ contentType: files.contentType, purchasedOn: externalPurchases.purchasedOn })
    .from(externalPurchases)
    .innerJoin(files, eq(files.key, externalPurchases.evidenceFile))
    .where(and(eq(externalPurchases.evidenceFile, input.key), eq(externalPurchases.orgId, input.actor.orgId)))
    .limit(1)
  if (!row) return openAcceptancePhoto(db, input)
  const opened = await (input.store ?? defaultFileStore()).open(input.key)
  if (!opened) return null
  const extension = input.key.slice(input.key.lastIndexOf('.') + 1)
  return { contentType: row.contentType, ...opened, filename: `purchase-${row.purchasedOn}.${extension}` }
}

// Office dashboard II (decision 024) -----------------------------------------------------------------------------

export type LaggingUnit = {
  orgId: string
  name: string
  uscc: string | null
  regionCode: string
  reservedFen: bigint
  /** What an even pace through the year would have bought by today. */
  expectedFen: bigint
  /** Counted here (the buyer rollups, to today) plus the unit's own purchases recorded from elsewhere. */
  doneFen: bigint
  shortfallFen: bigint
}

/**
 * The units of an office's jurisdiction (their region in one of `regionRoots`' subtrees) whose purchases this year
 * so far are behind the pro-rata pace of their reserved amount, the largest shortfall first. Platform purchases come
 * from the buyer rollups, never the entries; staff purchases (职工消费帮扶) do not count, as on the plan page.
 */
export async function listLaggingUnits(
  db: Db,
  input: { regionRoots: readonly string[]; today: string },
): Promise<{ year: number; units: LaggingUnit[] }> {
  const { year, elapsedDays, yearDays } = yearElapsed(input.today)
  if (input.regionRoots.length === 0) return { year, units: [] }
  const prefixes = input.regionRoots.map((code) => `${subtreePrefix(code)}%`)
  const rows = await queryRows<{
    org_id: string
    name: string
    uscc: string | null
    region_code: string
    base_fen: string
    share_bp: number
    platform: string
    external: string
  }>(
    db,
    sql`select o.id as org_id, o.name, o.uscc, o.region_code, p.base_fen::text as base_fen,
               p.reserved_share_bp as share_bp,
               (select coalesce(sum(r.amount_fen), 0)::text from aid_buyer_rollups r
                 where r.buyer_org_id = o.id and r.day >= make_date(${year}::int, 1, 1)
                   and r.day <= ${input.today}::date) as platform,
               (select coalesce(sum(x.amount_fen), 0)::text from external_purchases x
                 where x.org_id = o.id and x.kind = 'unit' and x.purchased_on >= make_date(${year}::int, 1, 1)
                   and x.purchased_on <= ${input.today}::date) as external
          from procurement_plans p
          join organizations o on o.id = p.org_id
         where p.year = ${year} and not p.no_canteen
           and (${sql.join(
             prefixes.map((prefix) => sql`o.region_code like ${prefix}`),
             sql` or `,
           )})
         order by o.name`,
  )
  const units = rows
    .map((r): LaggingUnit => {
      const reservedFen = reservedAmountFen(toBigInt(r.base_fen), Number(r.share_bp))
      const expectedFen = proRataReservedFen(reservedFen, elapsedDays, yearDays)
      const doneFen = toBigInt(r.platform) + toBigInt(r.external)
      return {
        orgId: r.org_id,
        name: r.name,
        uscc: r.uscc,
        regionCode: r.region_code,
        reservedFen,
        expectedFen,
        doneFen,
        shortfallFen: expectedFen - doneFen,
      }
    })
    .filter((u) => u.shortfallFen > 0n)
    .sort((a, b) => (a.shortfallFen === b.shortfallFen ? 0 : a.shortfallFen > b.shortfallFen ? -1 : 1))
  return { year, units }
}

/** A photo attached to one of the unit's acceptances (decision 022), for a member of that unit; null otherwise. */
async function openAcceptancePhoto(
  db: Db,
  input: { actor: UnitActor; key: string; store?: FileStore },
): Promise<{ contentType: string; size: number; stream: Readable; filename: string } | null> {
  const [row] = await queryRows<{ content_type: string }>(
    db,
    sql`select f.content_type from acceptances a
          join orders o on o.id = a.order_id
          join files f on f.key = ${input.key}
        where o.buyer_org_id = ${input.actor.orgId}::uuid and ${input.key} = any(a.photo_keys)
        limit 1`,
  )
  if (!row) return null
  const opened = await (input.store ?? defaultFileStore()).open(input.key)
  if (!opened) return null
  const extension = input.key.slice(input.key.lastIndexOf('.') + 1)
  return { contentType: row.content_type, ...opened, filename: `acceptance-photo.${extension}` }
}
