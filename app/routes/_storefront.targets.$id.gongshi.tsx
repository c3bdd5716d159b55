import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { BreakdownSection, useChannelLabel } from '~/components/office-targets'
import { getPublicNotice } from '~/domains/targets/index.server'
import { shanghaiDateTime, systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { invariantResponse } from '~/utils/guards.server'
import { useLocale, useT } from '~/utils/locale'
import { formatAmountShort, formatFen, progressPercent } from '~/utils/money'
import { requireAccess } from '~/utils/permissions.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.notice.target.name ?? '目标'} 公示 · 消费帮扶集市` },
]

/**
 * 公示: a counted target's public notice, for anyone (no sign-in): totals, breakdowns by helped county and by
 * channel, households and people reached (counts only, never names), and the ledger's head with how to check it.
 */
export async function loader(args: LoaderFunctionArgs) {
  requireAccess(args, 'routes/_storefront.targets.$id.gongshi', 'loader')
  const notice = await getPublicNotice(getDb(), args.params.id ?? '', systemClock)
  invariantResponse(notice, 'No such target', { status: 404 })
  return { notice }
}

export default function TargetPublicNotice() {
  const { notice } = useLoaderData<typeof loader>()
  const { target, head } = notice
  const t = useT()
  const locale = useLocale()
  const channelLabel = useChannelLabel()
  const goal = BigInt(target.goal)
  const achieved = target.progress.state === 'counted' ? BigInt(target.progress.achieved) : 0n
  const isAmount = target.metric === 'amount_fen'
  const command = `npm run ledger:verify -- --expect ${head.seq}:${head.hash}`
  return (
    <article className="space-y-4" data-print-page>
      <p className="text-sm print:hidden">
        <Link to="/targets" className="text-brand-700 underline">
          {t('gongshi.back')}
        </Link>
      </p>
      <h1 className="text-2xl font-bold">{t('gongshi.title', { name: target.name })}</h1>
      <p className="text-sm text-stone-600">{t('gongshi.intro')}</p>
      <section aria-labelledby="gongshi-totals" className="rounded-lg border border-stone-200 bg-white p-4">
        <h2 id="gongshi-totals" className="font-semibold">
          {t('gongshi.totals')}
        </h2>
        <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
          <dt className="text-stone-500">{t('target.period')}</dt>
          <dd>
            {target.periodStart} — {target.periodEnd}
          </dd>
          <dt className="text-stone-500">{t('target.goal')}</dt>
          <dd>{isAmount ? formatAmountShort(goal, locale) : `${goal.toString()} ${t('target.people')}`}</dd>
          <dt className="text-stone-500">{t('target.progress')}</dt>
          <dd data-testid="gongshi-progress">
            {isAmount ? formatFen(achieved, locale) : `${achieved.toString()} ${t('target.people')}`} ·{' '}
            {progressPercent(achieved, goal)}
          </dd>
          {target.reach ? (
            <>
              <dt className="text-stone-500">{t('office.targets.reach')}</dt>
              <dd data-testid="gongshi-reach">
                {t('target.reach', { households: target.reach.households, people: target.reach.people })}
              </dd>
            </>
          ) : null}
        </dl>
      </section>
      {target.breakdown && isAmount ? (
        <>
          <BreakdownSection
            id="gongshi-county"
            title={t('office.dashboard.byHelpedRegion')}
            rows={target.breakdown.byHelpedRegion}
          />
          <BreakdownSection
            id="gongshi-channel"
            title={t('office.dashboard.byChannel')}
            rows={target.breakdown.byChannel.map((r) => ({ ...r, label: channelLabel(r.key) }))}
          />
        </>
      ) : null}
      <section aria-labelledby="gongshi-head" className="rounded-lg border border-stone-200 bg-white p-4">
        <h2 id="gongshi-head" className="font-semibold">
          {t('gongshi.head')}
        </h2>
        <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
          <dt className="text-stone-500">{t('gongshi.head.seq')}</dt>
          <dd data-testid="gongshi-seq">{head.seq}</dd>
          <dt className="text-stone-500">{t('gongshi.head.hash')}</dt>
          <dd className="break-all font-mono text-xs" data-testid="gongshi-hash">
            {head.hash}
          </dd>
          <dt className="text-stone-500">{t('gongshi.head.time')}</dt>
          <dd>{head.updatedAt ? shanghaiDateTime(head.updatedAt, { seconds: true }) : '—'}</dd>
        </dl>
        <p className="mt-3 text-sm">{t('gongshi.verify')}</p>
        <pre className="mt-1 overflow-x-auto rounded bg-stone-100 p-2 text-xs">
          <code>{command}</code>
        </pre>
      </section>
      {/* Office dashboard II (decision 024): the heads published once a day, kept as history. */}
      <section aria-labelledby="gongshi-history" className="rounded-lg border border-stone-200 bg-white p-4">
        <h2 id="gongshi-history" className="font-semibold">
          {t('gongshi.history')}
        </h2>
        {notice.published.length === 0 ? (
          <p className="mt-2 text-sm text-stone-600">{t('gongshi.history.empty')}</p>
        ) : (
          <>
            <p className="mt-2 text-sm">{t('gongshi.history.intro')}</p>
            <pre className="mt-1 overflow-x-auto rounded bg-stone-100 p-2 text-xs">
              <code data-testid="gongshi-history-command">
                {`npm run ledger:verify -- --expect ${notice.published[0]!.seq}:${notice.published[0]!.hash}`}
              </code>
            </pre>
            <div className="mt-2 overflow-x-auto">
              <table className="w-full text-sm" data-testid="gongshi-history">
                <caption className="sr-only">{t('gongshi.history')}</caption>
                <thead>
                  <tr className="border-b text-left text-stone-500">
                    <th scope="col" className="py-1 pr-2">
                      {t('gongshi.history.col.day')}
                    </th>
                    <th scope="col" className="py-1 pr-2">
                      {t('gongshi.history.col.seq')}
                    </th>
                    <th scope="col" className="py-1 pr-2">
                      {t('gongshi.history.col.hash')}
                    </th>
                    <th scope="col" className="py-1">
                      {t('gongshi.history.col.time')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {notice.published.map((p) => (
                    <tr key={p.day} className="border-b align-top">
                      <th scope="row" className="py-1 pr-2 text-left font-normal whitespace-nowrap">
                        {p.day}
                      </th>
                      <td className="py-1 pr-2 tabular-nums">{p.seq}</td>
                      <td className="py-1 pr-2 break-all font-mono text-xs">{p.hash}</td>
                      <td className="py-1 whitespace-nowrap">{shanghaiDateTime(p.publishedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p className="mt-2 text-sm text-stone-600">{t('gongshi.history.check')}</p>
          </>
        )}
      </section>
    </article>
  )
}
