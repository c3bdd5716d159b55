import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, useLoaderData } from '@remix-run/react'
import { EmptyState } from '~/components/coop-console'
import { getCoopReport, reportPeriod } from '~/domains/coop/index.server'
import { systemClock } from '~/utils/clock'
import { activeOrgScope, coopActor } from '~/utils/coop-console.server'
import { getDb } from '~/utils/db.server'
import { invariantResponse } from '~/utils/guards.server'
import { useLocale, useT } from '~/utils/locale'
import { formatFen } from '~/utils/money'
import { requireAccess } from '~/utils/permissions.server'

export const meta: MetaFunction = () => [{ title: '报表 · 合作社后台 · 消费帮扶集市' }]

/** Sales by product and month, and proceeds credited per household, for a period of days (this year by default). */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/coop.reports', 'loader', activeOrgScope(args))
  const url = new URL(args.request.url)
  const period = reportPeriod(
    { from: url.searchParams.get('from'), to: url.searchParams.get('to') },
    systemClock,
  )
  invariantResponse(period, '日期无效 / Invalid dates', { status: 400 })
  const report = await getCoopReport(getDb(), { ...coopActor(auth), period })
  invariantResponse(report, '无权访问 / Forbidden', { status: 403 })
  return report
}

export default function CoopReports() {
  const t = useT()
  const locale = useLocale()
  const report = useLoaderData<typeof loader>()
  const { from, to } = report.period
  const exportLink = (kind: string, format: string) =>
    `/coop/reports/export?${new URLSearchParams({ kind, format, from, to })}`
  const fen = (v: string) => formatFen(BigInt(v), locale)
  return (
    <div className="space-y-6">
      <h2 className="text-xl font-semibold">{t('report.title')}</h2>
      <Form
        method="get"
        className="flex flex-wrap items-end gap-3 rounded-lg border border-stone-200 bg-white p-3"
      >
        <div>
          <label htmlFor="report-from" className="mb-1 block text-sm font-medium">
            {t('report.from')}
          </label>
          <input
            id="report-from"
            name="from"
            type="date"
            defaultValue={from}
            className="rounded border border-stone-300 px-2 py-1"
          />
        </div>
        <div>
          <label htmlFor="report-to" className="mb-1 block text-sm font-medium">
            {t('report.to')}
          </label>
          <input
            id="report-to"
            name="to"
            type="date"
            defaultValue={to}
            className="rounded border border-stone-300 px-2 py-1"
          />
        </div>
        <button type="submit" className="rounded bg-brand-700 px-4 py-1.5 text-white hover:bg-brand-800">
          {t('report.apply')}
        </button>
      </Form>

      <section aria-labelledby="households-report" className="space-y-2">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h3 id="households-report" className="text-lg font-semibold">
            {t('report.households.title')}
          </h3>
          <p className="text-sm">
            <a href={exportLink('households', 'csv')} className="text-brand-700 underline">
              {t('report.csv')}
            </a>{' '}
            ·{' '}
            <a href={exportLink('households', 'xlsx')} className="text-brand-700 underline">
              {t('report.xlsx')}
            </a>
          </p>
        </div>
        {report.households.length === 0 ? (
          <EmptyState>{t('report.households.empty')}</EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-sm" data-testid="household-report">
              <caption className="sr-only">{t('report.households.caption', { from, to })}</caption>
              <thead className="text-left text-stone-600">
                <tr>
                  <th scope="col" className="py-2 pr-3">
                    {t('report.col.household')}
                  </th>
                  <th scope="col" className="py-2 pr-3">
                    {t('report.col.head')}
                  </th>
                  <th scope="col" className="py-2 pr-3">
                    {t('report.col.village')}
                  </th>
                  <th scope="col" className="py-2 text-right">
                    {t('report.col.credited')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {report.households.map((h) => (
                  <tr key={h.code} className="border-t border-stone-200">
                    <td className="py-2 pr-3 font-mono">{h.code}</td>
                    <td className="py-2 pr-3">{h.maskedName}</td>
                    <td className="py-2 pr-3">{h.village}</td>
                    <td className="py-2 text-right tabular-nums">{fen(h.creditedFen)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr className="border-t-2 border-stone-300 font-semibold">
                  <th scope="row" colSpan={3} className="py-2 pr-3 text-left">
                    {t('report.total')}
                  </th>
                  <td className="py-2 text-right tabular-nums" data-testid="household-total">
                    {fen(report.householdsTotalFen)}
                  </td>
                </tr>
              </tfoot>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="sales-report" className="space-y-2">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h3 id="sales-report" className="text-lg font-semibold">
            {t('report.sales.title')}
          </h3>
          <p className="text-sm">
            <a href={exportLink('sales', 'csv')} className="text-brand-700 underline">
              {t('report.csv')}
            </a>{' '}
            ·{' '}
            <a href={exportLink('sales', 'xlsx')} className="text-brand-700 underline">
              {t('report.xlsx')}
            </a>
          </p>
        </div>
        {report.sales.length === 0 ? (
          <EmptyState>{t('report.sales.empty')}</EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-sm">
              <caption className="sr-only">{t('report.sales.caption', { from, to })}</caption>
              <thead className="text-left text-stone-600">
                <tr>
                  <th scope="col" className="py-2 pr-3">
                    {t('report.col.month')}
                  </th>
                  <th scope="col" className="py-2 pr-3">
                    {t('report.col.product')}
                  </th>
                  <th scope="col" className="py-2 pr-3 text-right">
                    {t('report.col.quantity')}
                  </th>
                  <th scope="col" className="py-2 pr-3 text-right">
                    {t('report.col.amount')}
                  </th>
                  <th scope="col" className="py-2 text-right">
                    {t('report.col.proceeds')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {report.sales.map((r) => (
                  <tr key={`${r.month}-${r.sku}`} className="border-t border-stone-200">
                    <td className="py-2 pr-3">{r.month}</td>
                    <td className="py-2 pr-3">{r.name}</td>
                    <td className="py-2 pr-3 text-right tabular-nums">{r.quantity}</td>
                    <td className="py-2 pr-3 text-right tabular-nums">{fen(r.amountFen)}</td>
                    <td className="py-2 text-right tabular-nums">{fen(r.proceedsFen)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr className="border-t-2 border-stone-300 font-semibold">
                  <th scope="row" colSpan={2} className="py-2 pr-3 text-left">
                    {t('report.total')}
                  </th>
                  <td className="py-2 pr-3 text-right tabular-nums">{report.salesTotal.quantity}</td>
                  <td className="py-2 pr-3 text-right tabular-nums">{fen(report.salesTotal.amountFen)}</td>
                  <td className="py-2 text-right tabular-nums">{fen(report.salesTotal.proceedsFen)}</td>
                </tr>
              </tfoot>
            </table>
          </div>
        )}
      </section>
    </div>
  )
}
