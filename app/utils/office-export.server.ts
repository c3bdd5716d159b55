import type { LoaderFunctionArgs } from '@remix-run/node'
import { tableTitles } from '~/components/office-dashboard-tables'
import { exportQuery } from '~/domains/targets'
import { getTargetDashboard, type TargetDashboard } from '~/domains/targets/index.server'
import type { RequestAuth } from '~/domains/accounts/index.server'
import { systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { invariantResponse } from '~/utils/guards.server'
import { localeOf, translate } from '~/utils/i18n.server'
import type { Locale } from '~/utils/i18n'
import { officeReviewer } from '~/utils/reviewers.server'

export type ExportTable = {
  title: string
  fileName: string
  headers: [string, string, string]
  rows: Array<[string, string, bigint]>
  totalLabel: string
}

const channelKeys = {
  consumer: 'console.orders.channel.consumer',
  gov_unit: 'console.orders.channel.gov_unit',
  trade_union: 'console.orders.channel.trade_union',
  enterprise: 'console.orders.channel.enterprise',
} as const

function labelOf(locale: Locale, table: string, row: { key: string; label: string }): string {
  if (table !== 'byChannel') return row.label
  const key = channelKeys[row.key as keyof typeof channelKeys]
  return key ? translate(locale, key) : row.label
}

/**
 * The one dashboard table an export asks for (`?table=` and the dashboard's filters), for the acting office: the
 * same domain call the page makes, so a download always equals what the page shows. 404 for a target that is not
 * the office's.
 */
export async function exportTableFor(args: LoaderFunctionArgs, auth: RequestAuth): Promise<ExportTable> {
  const office = officeReviewer(auth)
  const parsed = exportQuery.safeParse(Object.fromEntries(new URL(args.request.url).searchParams))
  invariantResponse(parsed.success, 'Unknown table or malformed filter', { status: 400 })
  const query = parsed.data
  const dashboard: TargetDashboard | null = await getTargetDashboard(
    getDb(),
    { userId: office.userId, orgId: office.orgId },
    args.params.id ?? '',
    query,
    systemClock,
  )
  invariantResponse(dashboard, 'Not one of this office’s targets', { status: 404 })
  const locale = await localeOf(args.request)
  const { from, to } = dashboard.filters
  if (query.table === 'laggingUnits') {
    // Office dashboard II (decision 024): one row per lagging unit, its shortfall as the amount.
    const { year, units } = dashboard.lagging
    return {
      title: `${translate(locale, 'office.dashboard.laggingUnits')} · ${year}`,
      fileName: `lagging-units-${year}`,
      headers: [
        translate(locale, 'office.lagging.col.unit'),
        translate(locale, 'office.export.col.uscc'),
        translate(locale, 'office.lagging.col.shortfall'),
      ],
      rows: units.map((u) => [u.name, u.uscc ?? '', BigInt(u.shortfallFen)]),
      totalLabel: translate(locale, 'office.dashboard.total'),
    }
  }
  const tableTitle = translate(locale, tableTitles[query.table])
  return {
    title: `${dashboard.target.name} · ${tableTitle} · ${from} — ${to}`,
    fileName: `target-${query.table}-${from}-${to}`,
    headers: [
      translate(locale, 'office.dashboard.col.name'),
      translate(locale, 'office.export.col.code'),
      translate(locale, 'office.export.col.amount'),
    ],
    rows: dashboard.tables[query.table].map((row) => [
      labelOf(locale, query.table, row),
      row.key,
      BigInt(row.amountFen),
    ]),
    totalLabel: translate(locale, 'office.dashboard.total'),
  }
}
