import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../../db/client.server'
import { type CsvCell, toCsv, toXlsx, type XlsxColumn } from '../../services/exports/index.server'
import { type Clock, shanghaiDate } from '../../utils/clock'
import { listingRoles, sellerFor } from '../catalog/index.server'

/**
 * The cooperative's reports: sales by product and month (from the product rollups the confirmations keep), and
 * what each of its households was credited in a period (from the ledger's household credits of the entries of
 * those days). A period is a range of Asia/Shanghai days, both ends included. Names are the roster's masked ones.
 */

export type ReportPeriod = { from: string; to: string }

const DAY = /^\d{4}-\d{2}-\d{2}$/

/**
 * The period a query asks for: this year so far for what it leaves out; null when a date it gives is not a real
 * YYYY-MM-DD day (the page then answers 400, as for any other malformed query).
 */
export function reportPeriod(
  query: { from?: string | null; to?: string | null },
  clock: Clock,
): ReportPeriod | null {
  const today = shanghaiDate(clock.now())
  const read = (d: string | null | undefined, fallback: string): string | null => {
    if (d === null || d === undefined || d === '') return fallback
    if (!DAY.test(d)) return null
    const parsed = new Date(`${d}T00:00:00Z`)
    return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(d) ? d : null
  }
  const from = read(query.from, `${today.slice(0, 4)}-01-01`)
  const to = read(query.to, today)
  if (!from || !to) return null
  return from <= to ? { from, to } : { from: to, to: from }
}

export type SalesRow = {
  month: string
  sku: string
  name: string
  quantity: string
  amountFen: string
  proceedsFen: string
}

export type HouseholdCreditRow = {
  code: string
  maskedName: string
  village: string
  creditedFen: string
  entries: number
}

export type CoopReport = {
  period: ReportPeriod
  sales: SalesRow[]
  salesTotal: { quantity: string; amountFen: string; proceedsFen: string }
  households: HouseholdCreditRow[]
  householdsTotalFen: string
}

export async function getCoopReport(
  db: Db,
  input: { orgId: string; actorUserId: string; period: ReportPeriod },
): Promise<CoopReport | null> {
  const seller = await sellerFor(db, input.orgId, input.actorUserId, listingRoles)
  if (!seller) return null
  const { from, to } = input.period
  const [sales, households] = await Promise.all([
    queryRows<{
      month: string
      sku: string
      name: string
      quantity: string
      amount_fen: string
      proceeds_fen: string
    }>(
      db,
      sql`select to_char(r.day, 'YYYY-MM') as month, p.sku, p.name, sum(r.quantity)::text as quantity,
                 sum(r.amount_fen)::text as amount_fen, sum(r.proceeds_fen)::text as proceeds_fen
            from aid_product_rollups r join products p on p.id = r.product_id
           where r.seller_org_id = ${seller.id} and r.day between ${from}::date and ${to}::date
           group by 1, 2, 3
          having sum(r.entries) > 0
           order by 1, 2`,
    ),
    queryRows<{ code: string; masked_name: string; village: string; credited_fen: string; entries: number }>(
      db,
      sql`select h.code, h.masked_name, h.village, sum(c.amount_fen)::text as credited_fen, count(*)::int as entries
            from household_credits c
            join aid_entries e on e.seq = c.entry_seq
            join households h on h.id = c.household_id
           where h.org_id = ${seller.id} and e.day between ${from}::date and ${to}::date
           group by h.id, h.code, h.masked_name, h.village
           order by h.code`,
    ),
  ])
  const sum = (values: string[]) => values.reduce((acc, v) => acc + BigInt(v), 0n).toString()
  return {
    period: input.period,
    sales: sales.map((r) => ({
      month: r.month,
      sku: r.sku,
      name: r.name,
      quantity: r.quantity,
      amountFen: r.amount_fen,
      proceedsFen: r.proceeds_fen,
    })),
    salesTotal: {
      quantity: sum(sales.map((r) => r.quantity)),
      amountFen: sum(sales.map((r) => r.amount_fen)),
      proceedsFen: sum(sales.map((r) => r.proceeds_fen)),
    },
    households: households.map((r) => ({
      code: r.code,
      maskedName: r.masked_name,
      village: r.village,
      creditedFen: r.credited_fen,
      entries: r.entries,
    })),
    householdsTotalFen: sum(households.map((r) => r.credited_fen)),
  }
}

export const reportKinds = ['sales', 'households'] as const
export type ReportKind = (typeof reportKinds)[number]
export const reportFormats = ['csv', 'xlsx'] as const
export type ReportFormat = (typeof reportFormats)[number]

const yuan = (fen: string) => {
  const v = BigInt(fen)
  const sign = v < 0n ? '-' : ''
  const abs = v < 0n ? -v : v
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`
}

/** A report as a file: CSV (UTF-8 with a BOM) or XLSX, with a total row. */
export async function exportCoopReport(
  db: Db,
  input: { orgId: string; actorUserId: string; period: ReportPeriod; kind: ReportKind; format: ReportFormat },
): Promise<{ fileName: string; contentType: string; body: Buffer } | null> {
  const report = await getCoopReport(db, input)
  if (!report) return null
  const { from, to } = report.period
  const base = `${input.kind === 'sales' ? 'sales' : 'household-credits'}-${from}-${to}`
  const columns: XlsxColumn[] =
    input.kind === 'sales'
      ? [
          { header: '月份', kind: 'text', width: 10 },
          { header: 'SKU', kind: 'text', width: 12 },
          { header: '商品', kind: 'text', width: 24 },
          { header: '数量', kind: 'count' },
          { header: '销售额（元）', kind: 'fen' },
          { header: '计入农户（元）', kind: 'fen' },
        ]
      : [
          { header: '农户编号', kind: 'text', width: 18 },
          { header: '户主', kind: 'text', width: 10 },
          { header: '乡镇村', kind: 'text', width: 20 },
          { header: '笔数', kind: 'count' },
          { header: '计入收益（元）', kind: 'fen' },
        ]
  const rows =
    input.kind === 'sales'
      ? report.sales.map((r) => [r.month, r.sku, r.name, r.quantity, r.amountFen, r.proceedsFen])
      : report.households.map((r) => [r.code, r.maskedName, r.village, r.entries, r.creditedFen])
  if (input.format === 'xlsx') {
    return {
      fileName: `${base}.xlsx`,
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      body: await toXlsx({
        name: input.kind === 'sales' ? '销售' : '农户收益',
        columns,
        rows,
        totalLabel: '合计',
      }),
    }
  }
  const csvRows: CsvCell[][] = [
    columns.map((c) => c.header),
    ...rows.map((row) =>
      row.map((cell, i): CsvCell => (columns[i]!.kind === 'fen' ? { decimal: yuan(String(cell)) } : cell)),
    ),
  ]
  const total = columns.map((c, i): CsvCell => {
    if (i === 0) return '合计'
    if (c.kind === 'text') return ''
    const s = rows.reduce((acc, row) => acc + BigInt(row[i] ?? 0), 0n)
    return c.kind === 'fen' ? { decimal: yuan(s.toString()) } : s
  })
  csvRows.push(total)
  return { fileName: `${base}.csv`, contentType: 'text/csv; charset=utf-8', body: toCsv(csvRows) }
}
