import { BarChart } from '~/components/charts'
import { useLocale, useT } from '~/utils/locale'
import { formatAmountShort, formatFen, progressPercent } from '~/utils/money'

/** A target as the office pages receive it (OfficeTarget, serialised). */
export type OfficeTargetView = {
  id: string
  name: string
  metric: 'amount_fen' | 'people'
  goal: string
  periodStart: string
  periodEnd: string
  progress: { state: 'unavailable' } | { state: 'counted'; achieved: string }
  reach: { households: number; people: number } | null
  paceBp: number
  expected: string
  forecast:
    | { state: 'no_pace' }
    | { state: 'projected'; dailyPaceFen: string; projectedFen: string; completionDate: string | null }
    | null
}

export function useMetricFormat() {
  const t = useT()
  const locale = useLocale()
  return (value: string | bigint, metric: 'amount_fen' | 'people') =>
    metric === 'people'
      ? `${BigInt(value).toLocaleString(locale === 'zh' ? 'zh-CN' : 'en-US')} ${t('target.people')}`
      : formatAmountShort(BigInt(value), locale)
}

/**
 * A target's figures: progress (floored, never 100% before the goal), where even progress would be today, the
 * forecast at the period's end and the expected completion date, and reach. As a definition list, or as three table
 * cells (progress, pace, forecast) for the sub-targets' table.
 */
export function TargetFigures({ target, cells = false }: { target: OfficeTargetView; cells?: boolean }) {
  const t = useT()
  const format = useMetricFormat()
  const goal = BigInt(target.goal)
  const achieved = target.progress.state === 'counted' ? BigInt(target.progress.achieved) : 0n
  const progress = t('office.targets.progressLine', {
    achieved: format(achieved, target.metric),
    goal: format(goal, target.metric),
    percent: progressPercent(achieved, goal),
  })
  const pace = t('office.targets.paceLine', {
    expected: format(target.expected, target.metric),
    percent: `${Math.floor(target.paceBp / 10) / 10}%`,
    status: t(achieved >= BigInt(target.expected) ? 'office.targets.ahead' : 'office.targets.behind'),
  })
  const forecast =
    target.forecast === null
      ? t('office.targets.forecast.none')
      : target.forecast.state === 'no_pace'
        ? t('office.targets.forecast.noPace')
        : target.forecast.completionDate === null
          ? t('office.targets.forecast.notInPeriod', {
              projected: format(target.forecast.projectedFen, target.metric),
            })
          : t('office.targets.forecast.line', {
              projected: format(target.forecast.projectedFen, target.metric),
              date: target.forecast.completionDate,
            })
  const reach = target.reach
    ? t('target.reach', { households: target.reach.households, people: target.reach.people })
    : null
  if (cells) {
    return (
      <>
        <td className="py-1 pr-2">
          {progress}
          {reach ? <div className="text-xs text-stone-500">{reach}</div> : null}
        </td>
        <td className="py-1 pr-2">{pace}</td>
        <td className="py-1">{forecast}</td>
      </>
    )
  }
  return (
    <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
      <dt className="text-stone-500">{t('target.period')}</dt>
      <dd>
        {target.periodStart} — {target.periodEnd}
      </dd>
      <dt className="text-stone-500">{t('target.progress')}</dt>
      <dd data-testid="target-progress">{progress}</dd>
      <dt className="text-stone-500">{t('office.targets.col.pace')}</dt>
      <dd>{pace}</dd>
      <dt className="text-stone-500">{t('office.targets.col.forecast')}</dt>
      <dd data-testid="target-forecast">{forecast}</dd>
      {reach ? (
        <>
          <dt className="text-stone-500">{t('office.targets.reach')}</dt>
          <dd data-testid="target-reach">{reach}</dd>
        </>
      ) : null}
    </dl>
  )
}

export type BreakdownView = { key: string; label: string; amountFen: string }

/** The label a channel key shows. */
export function useChannelLabel() {
  const t = useT()
  return (key: string) => {
    switch (key) {
      case 'consumer':
        return t('console.orders.channel.consumer')
      case 'gov_unit':
        return t('console.orders.channel.gov_unit')
      case 'trade_union':
        return t('console.orders.channel.trade_union')
      case 'enterprise':
        return t('console.orders.channel.enterprise')
      default:
        return key
    }
  }
}

/** One breakdown: its bar chart and, beside it, a table of the same numbers (with a total); an empty state. */
export function BreakdownSection({
  id,
  title,
  rows,
  note,
  exportLinks,
  chart = true,
}: {
  id: string
  title: string
  rows: BreakdownView[]
  note?: string
  exportLinks?: { csv: string; xlsx: string }
  chart?: boolean
}) {
  const t = useT()
  const locale = useLocale()
  const total = rows.reduce((sum, r) => sum + BigInt(r.amountFen), 0n)
  return (
    <section
      aria-labelledby={id}
      className="rounded-lg border border-stone-200 bg-white p-4 break-inside-avoid"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 id={id} className="font-semibold">
          {title}
        </h3>
        {exportLinks ? (
          <p className="flex gap-3 text-sm print:hidden">
            <a href={exportLinks.csv} className="text-brand-700 underline" download>
              {t('office.export.csv', { title })}
            </a>
            <a
              href={exportLinks.xlsx}
              className="text-brand-700 underline"
              download
              data-testid={`${id}-xlsx`}
            >
              {t('office.export.xlsx', { title })}
            </a>
          </p>
        ) : null}
      </div>
      {note ? <p className="mt-1 text-xs text-stone-500">{note}</p> : null}
      {rows.length === 0 ? (
        <p className="mt-2 text-sm text-stone-600">{t('office.dashboard.empty')}</p>
      ) : (
        <div className={chart ? 'mt-2 grid gap-3 md:grid-cols-2' : 'mt-2'}>
          {chart ? (
            <div className="print:hidden">
              <BarChart
                title={title}
                description={t('office.dashboard.barDesc', { title, n: rows.length })}
                rows={rows.map((r) => ({
                  key: r.key,
                  label: r.label,
                  value: r.amountFen,
                  display: formatAmountShort(BigInt(r.amountFen), locale),
                }))}
              />
            </div>
          ) : null}
          <div className="overflow-x-auto">
            <table className="w-full text-sm">
              <caption className="sr-only">{title}</caption>
              <thead>
                <tr className="border-b text-left text-stone-500">
                  <th scope="col" className="py-1 pr-2">
                    {t('office.dashboard.col.name')}
                  </th>
                  <th scope="col" className="py-1 text-right">
                    {t('office.dashboard.col.amount')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.key} className="border-b">
                    <th scope="row" className="py-1 pr-2 text-left font-normal">
                      {r.label}
                    </th>
                    <td className="py-1 text-right tabular-nums">{formatFen(BigInt(r.amountFen), locale)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr className="font-semibold">
                  <th scope="row" className="py-1 pr-2 text-left">
                    {t('office.dashboard.total')}
                  </th>
                  <td className="py-1 text-right tabular-nums" data-testid={`${id}-total`}>
                    {formatFen(total, locale)}
                  </td>
                </tr>
              </tfoot>
            </table>
          </div>
        </div>
      )}
    </section>
  )
}

/** Office dashboard II (decision 024): the jurisdiction's units behind the pace of their reserved share. */
export function LaggingUnits({
  lagging,
  exportLinks,
}: {
  lagging: {
    year: number
    units: Array<{
      orgId: string
      name: string
      reservedFen: string
      expectedFen: string
      doneFen: string
      shortfallFen: string
    }>
  }
  /** The table's exports; none on paper. */
  exportLinks?: { csv: string; xlsx: string }
}) {
  const t = useT()
  const locale = useLocale()
  const money = (fen: string) => formatFen(BigInt(fen), locale)
  return (
    <section aria-labelledby="lagging-units" className="rounded-lg border border-stone-200 bg-white p-4">
      <h3 id="lagging-units" className="font-semibold">
        {t('office.lagging.title')}
      </h3>
      <p className="mt-1 text-sm text-stone-600">{t('office.lagging.intro', { year: lagging.year })}</p>
      {lagging.units.length === 0 ? (
        <p className="mt-2 text-sm text-stone-600">{t('office.lagging.empty')}</p>
      ) : (
        <div className="mt-2 overflow-x-auto">
          <table className="w-full text-sm" data-testid="lagging-units">
            <caption className="sr-only">{t('office.lagging.title')}</caption>
            <thead>
              <tr className="border-b text-left text-stone-500">
                <th scope="col" className="py-1 pr-2">
                  {t('office.lagging.col.unit')}
                </th>
                <th scope="col" className="py-1 pr-2 text-right">
                  {t('office.lagging.col.reserved')}
                </th>
                <th scope="col" className="py-1 pr-2 text-right">
                  {t('office.lagging.col.expected')}
                </th>
                <th scope="col" className="py-1 pr-2 text-right">
                  {t('office.lagging.col.done')}
                </th>
                <th scope="col" className="py-1 text-right">
                  {t('office.lagging.col.shortfall')}
                </th>
              </tr>
            </thead>
            <tbody>
              {lagging.units.map((u) => (
                <tr key={u.orgId} className="border-b">
                  <th scope="row" className="py-1 pr-2 text-left font-normal">
                    {u.name}
                  </th>
                  <td className="py-1 pr-2 text-right tabular-nums">{money(u.reservedFen)}</td>
                  <td className="py-1 pr-2 text-right tabular-nums">{money(u.expectedFen)}</td>
                  <td className="py-1 pr-2 text-right tabular-nums">{money(u.doneFen)}</td>
                  <td className="py-1 text-right tabular-nums">{money(u.shortfallFen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {exportLinks ? (
        <p className="mt-2 flex gap-3 text-sm">
          <a href={exportLinks.csv} className="text-brand-700 underline" download>
            {t('office.export.csv')}
          </a>
          <a href={exportLinks.xlsx} className="text-brand-700 underline" download>
            {t('office.export.xlsx')}
          </a>
        </p>
      ) : null}
    </section>
  )
}
