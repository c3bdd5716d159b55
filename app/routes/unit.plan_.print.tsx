import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { getUnitYearSummary } from '~/domains/procurement/index.server'
import { shanghaiDateTime, systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { useLocale, useT } from '~/utils/locale'
import { formatFen, progressPercent } from '~/utils/money'
import { requireAccess } from '~/utils/permissions.server'
import { unitActor, unitYearParam } from '~/utils/unit-console.server'

export const meta: MetaFunction = () => [{ title: '采购汇总 · 单位采购 · 消费帮扶集市' }]

/** The one-page 考核 summary of the unit's year: the reserved share, what was done, and purchases by county. */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/unit.plan_.print', 'loader')
  const actor = unitActor(auth)
  const summary = await getUnitYearSummary(getDb(), {
    orgId: actor.orgId,
    year: unitYearParam(new URL(args.request.url)),
  })
  return { summary, printedAt: shanghaiDateTime(systemClock.now()) }
}

export default function UnitYearPrint() {
  const t = useT()
  const locale = useLocale()
  const { summary, printedAt } = useLoaderData<typeof loader>()
  const { plan } = summary
  return (
    <article data-print-page className="space-y-4">
      <p className="flex flex-wrap gap-3 text-sm print:hidden">
        <Link to={`/unit/plan?year=${summary.year}`} className="text-brand-700 underline">
          {t('unit.tab.plan')}
        </Link>
      </p>
      <h1 className="text-xl font-semibold">{t('unit.print.title', { year: String(summary.year) })}</h1>
      <p className="text-sm text-stone-600">
        {t('unit.print.unit', { name: summary.unitName })} · {printedAt}
      </p>
      {plan.plan ? null : <p className="text-sm">{t('unit.print.noPlan')}</p>}
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-stone-500">{t('unit.print.reserved')}</dt>
        <dd>{plan.plan ? formatFen(plan.plan.reservedFen, locale) : '—'}</dd>
        <dt className="text-stone-500">{t('unit.print.platform')}</dt>
        <dd data-testid="print-platform">{formatFen(summary.totalFen, locale)}</dd>
        <dt className="text-stone-500">{t('unit.print.external')}</dt>
        <dd>{formatFen(plan.externalFen, locale)}</dd>
        <dt className="text-stone-500">{t('unit.print.done')}</dt>
        <dd>{formatFen(plan.doneFen, locale)}</dd>
        <dt className="text-stone-500">{t('unit.print.progress')}</dt>
        <dd>{plan.plan ? progressPercent(plan.doneFen, plan.plan.reservedFen) : '—'}</dd>
      </dl>
      <section aria-labelledby="by-county">
        <h2 id="by-county" className="mb-2 font-semibold">
          {t('unit.print.byCounty')}
        </h2>
        <table className="w-full text-sm">
          <caption className="sr-only">{t('unit.print.byCountyCaption')}</caption>
          <thead className="text-left text-stone-500">
            <tr>
              <th scope="col" className="py-1 pr-3">
                {t('unit.export.col.county')}
              </th>
              <th scope="col" className="py-1 pr-3 text-right">
                {t('unit.print.orders')}
              </th>
              <th scope="col" className="py-1 text-right">
                {t('unit.export.col.amount')}
              </th>
            </tr>
          </thead>
          <tbody>
            {summary.byCounty.map((row) => (
              <tr key={row.county} className="border-t border-stone-100">
                <th scope="row" className="py-1 pr-3 text-left font-normal">
                  {row.county}
                </th>
                <td className="py-1 pr-3 text-right">{row.orders}</td>
                <td className="py-1 text-right">{formatFen(row.amountFen, locale)}</td>
              </tr>
            ))}
            <tr className="border-t border-stone-300 font-semibold">
              <th scope="row" className="py-1 pr-3 text-left">
                {t('unit.export.total')}
              </th>
              <td />
              <td className="py-1 text-right">{formatFen(summary.totalFen, locale)}</td>
            </tr>
          </tbody>
        </table>
      </section>
    </article>
  )
}
