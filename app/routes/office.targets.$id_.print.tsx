import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { tableTitles } from '~/components/office-dashboard-tables'
import { BreakdownSection, LaggingUnits, TargetFigures, useChannelLabel } from '~/components/office-targets'
import { dashboardFilters, exportTables } from '~/domains/targets'
import { getTargetDashboard } from '~/domains/targets/index.server'
import { shanghaiDateTime, systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { invariantResponse } from '~/utils/guards.server'
import { useLocale, useT } from '~/utils/locale'
import { formatFen } from '~/utils/money'
import { requireAccess } from '~/utils/permissions.server'
import { officeReviewer } from '~/utils/reviewers.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.dashboard.target.name ?? '目标'} 考核汇总 · 消费帮扶集市` },
]

/** The 考核 summary of one of the office's targets, laid out for paper: figures and every table, no charts. */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/office.targets.$id_.print', 'loader')
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
  return { dashboard, officeName: office.orgName, printedAt: shanghaiDateTime(systemClock.now()) }
}

export default function TargetPrintSummary() {
  const { dashboard, officeName, printedAt } = useLoaderData<typeof loader>()
  const t = useT()
  const locale = useLocale()
  const channelLabel = useChannelLabel()
  const { target, filters, tables } = dashboard
  return (
    <article data-print-page className="space-y-4">
      <p className="text-sm print:hidden">
        <Link to={`/office/targets/${target.id}`} className="text-brand-700 underline">
          {t('office.print.back')}
        </Link>
      </p>
      <h2 className="text-xl font-semibold">{t('office.print.title', { name: target.name })}</h2>
      <p className="text-sm text-stone-600">
        {t('office.print.meta', { office: officeName, from: filters.from, to: filters.to, at: printedAt })}
      </p>
      <TargetFigures target={target} />
      <p className="font-medium" data-testid="print-total">
        {t('office.dashboard.totalLine', {
          total: formatFen(BigInt(dashboard.totalFen), locale),
          from: filters.from,
          to: filters.to,
        })}
      </p>
      {exportTables.map((table) => (
        <BreakdownSection
          key={table}
          id={`print-${table}`}
          title={t(tableTitles[table])}
          chart={false}
          rows={
            table === 'byChannel'
              ? tables.byChannel.map((r) => ({ ...r, label: channelLabel(r.key) }))
              : tables[table]
          }
          note={table === 'byProduct' ? t('office.dashboard.byProductNote') : undefined}
        />
      ))}
      <LaggingUnits lagging={dashboard.lagging} />
      <p className="text-sm text-stone-600">{t('office.print.hint')}</p>
    </article>
  )
}
