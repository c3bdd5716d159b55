import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { CumulativeChart } from '~/components/charts'
import { filterQuery, tableTitles } from '~/components/office-dashboard-tables'
import { BreakdownSection, LaggingUnits, TargetFigures, useChannelLabel } from '~/components/office-targets'
import { dashboardFilters, exportTables } from '~/domains/targets'
import { getTargetDashboard } from '~/domains/targets/index.server'
import { shanghaiToday, systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { invariantResponse } from '~/utils/guards.server'
import { useLocale, useT } from '~/utils/locale'
import { formatAmountShort, formatFen } from '~/utils/money'
import { requireAccess } from '~/utils/permissions.server'
import { officeReviewer } from '~/utils/reviewers.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.dashboard.target.name ?? '目标'} · 帮扶工作机构 · 消费帮扶集市` },
]

/**
 * One of the office's targets in detail: progress against pace (SVG), breakdowns by helped county, channel, helping
 * district, buyer unit, product category and product (each a chart with its table), filtered by period and region
 * through the URL (a GET form: works without JavaScript). Exports and the printable summary link from here.
 */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/office.targets.$id', 'loader')
  const office = officeReviewer(auth)
  const filters = dashboardFilters.parse(Object.fromEntries(new URL(args.request.url).searchParams))
  const dashboard = await getTargetDashboard(
    getDb(),
    { userId: office.userId, orgId: office.orgId },
    args.params.id ?? '',
    filters,
    systemClock,
  )
  invariantResponse(dashboard, 'Not one of this office’s targets', { status: 404 })
  return { dashboard, today: shanghaiToday(systemClock) }
}

export default function OfficeTargetDashboard() {
  const { dashboard, today } = useLoaderData<typeof loader>()
  const t = useT()
  const locale = useLocale()
  const channelLabel = useChannelLabel()
  const { target, filters, options, tables } = dashboard
  const base = `/office/targets/${target.id}`
  const exportLink = (table: string, format: 'csv' | 'xlsx') => {
    const query = filterQuery(filters)
    query.set('table', table)
    return `${base}/export.${format}?${query.toString()}`
  }
  return (
    <div className="space-y-4">
      <p className="text-sm">
        <Link to="/office/targets" className="text-brand-700 underline">
          {t('office.targets.back')}
        </Link>
      </p>
      <h2 className="text-xl font-semibold">{target.name}</h2>
      <TargetFigures target={target} />
      <Form
        method="get"
        className="flex flex-wrap items-end gap-3 rounded-lg border border-stone-200 bg-white p-3 text-sm"
      >
        <label className="flex flex-col">
          {t('office.dashboard.from')}
          <input
            type="date"
            name="from"
            defaultValue={filters.from}
            min={target.periodStart}
            max={target.periodEnd}
            className="rounded border px-2 py-1"
          />
        </label>
        <label className="flex flex-col">
          {t('office.dashboard.to')}
          <input
            type="date"
            name="to"
            defaultValue={filters.to}
            min={target.periodStart}
            max={target.periodEnd}
            className="rounded border px-2 py-1"
          />
        </label>
        <label className="flex flex-col">
          {t('office.dashboard.helped')}
          <select name="helped" defaultValue={filters.helped ?? ''} className="rounded border px-2 py-1">
            <option value="">{t('office.dashboard.all')}</option>
            {options.helped.map((o) => (
              <option key={o.code} value={o.code}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col">
          {t('office.dashboard.helper')}
          <select name="helper" defaultValue={filters.helper ?? ''} className="rounded border px-2 py-1">
            <option value="">{t('office.dashboard.all')}</option>
            {options.helper.map((o) => (
              <option key={o.code} value={o.code}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="rounded bg-brand-600 px-3 py-1.5 text-white hover:bg-brand-700">
          {t('office.dashboard.apply')}
        </button>
        <Link to={`${base}/print?${filterQuery(filters).toString()}`} className="text-brand-700 underline">
          {t('office.dashboard.print')}
        </Link>
      </Form>
      <section aria-labelledby="dash-total" className="rounded-lg border border-stone-200 bg-white p-4">
        <h3 id="dash-total" className="font-semibold">
          {t('office.dashboard.cumulative')}
        </h3>
        <p className="mt-1 text-sm" data-testid="dashboard-total">
          {t('office.dashboard.totalLine', {
            total: formatFen(BigInt(dashboard.totalFen), locale),
            from: filters.from,
            to: filters.to,
          })}
        </p>
        {dashboard.cumulative.length === 0 ? (
          <p className="mt-2 text-sm text-stone-600">{t('office.dashboard.empty')}</p>
        ) : (
          <div className="mt-2 grid gap-3 md:grid-cols-2">
            <CumulativeChart
              title={t('office.dashboard.cumulative')}
              description={t('office.dashboard.cumulativeDesc', {
                total: formatAmountShort(BigInt(dashboard.totalFen), locale),
                goal: formatAmountShort(BigInt(target.goal), locale),
              })}
              periodStart={target.periodStart}
              periodEnd={target.periodEnd}
              goal={target.goal}
              points={dashboard.cumulative}
              today={today}
              legendActual={t('office.dashboard.legendActual')}
              legendPace={t('office.dashboard.legendPace')}
            />
            {/* A year of days is long: folded (no scrolling box), and open without JavaScript. */}
            <details>
              <summary className="cursor-pointer text-sm text-brand-700">
                {t('office.dashboard.cumulativeShow', { n: dashboard.cumulative.length })}
              </summary>
              <table className="mt-1 w-full text-sm">
                <caption className="text-left text-stone-600">
                  {t('office.dashboard.cumulativeTable')}
                </caption>
                <thead>
                  <tr className="border-b text-left text-stone-500">
                    <th scope="col" className="py-1 pr-2">
                      {t('office.dashboard.col.day')}
                    </th>
                    <th scope="col" className="py-1 text-right">
                      {t('office.dashboard.col.cumulative')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {dashboard.cumulative.map((p) => (
                    <tr key={p.day} className="border-b">
                      <th scope="row" className="py-1 pr-2 text-left font-normal tabular-nums">
                        {p.day}
                      </th>
                      <td className="py-1 text-right tabular-nums">{formatFen(BigInt(p.fen), locale)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          </div>
        )}
      </section>
      {exportTables.map((table) => (
        <BreakdownSection
          key={table}
          id={`table-${table}`}
          title={t(tableTitles[table])}
          rows={
            table === 'byChannel'
              ? tables.byChannel.map((r) => ({ ...r, label: channelLabel(r.key) }))
              : tables[table]
          }
          note={table === 'byProduct' ? t('office.dashboard.byProductNote') : undefined}
          exportLinks={{ csv: exportLink(table, 'csv'), xlsx: exportLink(table, 'xlsx') }}
        />
      ))}
      <LaggingUnits
        lagging={dashboard.lagging}
        exportLinks={{ csv: exportLink('laggingUnits', 'csv'), xlsx: exportLink('laggingUnits', 'xlsx') }}
      />
    </div>
  )
}
