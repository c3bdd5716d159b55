import { Link } from '@remix-run/react'
import { Badge } from '~/components/ui/badge'
import { useLocale, useT } from '~/utils/locale'
import { formatAmountShort, progressPercent } from '~/utils/money'

export type TargetCardView = {
  id: string
  name: string
  kind: 'demo' | 'reference' | 'office'
  metric: 'amount_fen' | 'people'
  goal: string
  periodStart: string
  periodEnd: string
  sourceText: string | null
  documentedOutcomes: string[]
  progress: { state: 'unavailable' } | { state: 'counted'; achieved: string }
  reach?: { households: number; people: number } | null
}

function formatMetric(value: bigint, metric: 'amount_fen' | 'people', locale: 'zh' | 'en', people: string) {
  if (metric === 'people') return `${value.toLocaleString(locale === 'zh' ? 'zh-CN' : 'en-US')} ${people}`
  return formatAmountShort(value, locale)
}

export function TargetCard({ target }: { target: TargetCardView }) {
  const t = useT()
  const locale = useLocale()
  const goal = BigInt(target.goal)
  const achieved = target.progress.state === 'counted' ? BigInt(target.progress.achieved) : null
  // Floored, and capped at the bar's end; the label keeps the true (possibly >100%) figure.
  const ratio = achieved === null ? null : achieved >= goal ? 1000n : (achieved * 1000n) / goal
  return (
    <li className="rounded-lg border border-stone-200 bg-white p-4">
      <div className="flex items-start justify-between gap-2">
        <h4 className="font-medium">{target.name}</h4>
        <Badge tone={target.kind === 'reference' ? 'blue' : 'amber'}>
          {t(
            target.kind === 'demo'
              ? 'target.demo'
              : target.kind === 'office'
                ? 'target.office'
                : 'target.reference',
          )}
        </Badge>
      </div>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
        <dt className="text-stone-500">{t('target.goal')}</dt>
        <dd>{formatMetric(goal, target.metric, locale, t('target.people'))}</dd>
        <dt className="text-stone-500">{t('target.period')}</dt>
        <dd>
          {target.periodStart} — {target.periodEnd}
        </dd>
      </dl>
      {target.kind !== 'reference' ? (
        <div className="mt-3">
          <div className="flex justify-between text-sm">
            <span className="text-stone-500">{t('target.progress')}</span>
            <span>
              {achieved === null
                ? t('target.progressPending')
                : `${formatMetric(achieved, target.metric, locale, t('target.people'))} · ${progressPercent(achieved, goal)}`}
            </span>
          </div>
          <div
            role="progressbar"
            aria-label={t('target.progressLabel', { name: target.name })}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={ratio === null ? undefined : Number(ratio) / 10}
            aria-valuetext={
              achieved === null ? t('target.progressPendingHint') : progressPercent(achieved, goal)
            }
            className="mt-1 h-2 overflow-hidden rounded bg-stone-200"
          >
            {ratio === null ? null : (
              <div className="h-full bg-brand-600" style={{ width: `${Number(ratio) / 10}%` }} />
            )}
          </div>
          {achieved === null ? (
            <p className="mt-1 text-xs text-stone-500">{t('target.progressPendingHint')}</p>
          ) : null}
          {target.reach ? (
            <p className="mt-1 text-xs text-stone-600" data-testid="target-reach">
              {t('target.reach', { households: target.reach.households, people: target.reach.people })}
            </p>
          ) : null}
        </div>
      ) : null}
      {target.kind === 'reference' && target.documentedOutcomes.length > 0 ? (
        <div className="mt-3 text-sm">
          <p className="text-stone-500">{t('target.outcomes')}</p>
          <ul className="mt-1 list-disc space-y-1 pl-5 text-stone-700">
            {target.documentedOutcomes.map((outcome) => (
              <li key={outcome}>{outcome}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {/* Office dashboard and 公示 (issue 19): a counted target's public notice. */}
      {target.kind !== 'reference' ? (
        <p className="mt-2 text-sm">
          <Link
            to={`/targets/${target.id}/gongshi`}
            className="text-brand-700 underline"
            aria-label={`${t('gongshi.link')}：${target.name}`}
          >
            {t('gongshi.link')}
          </Link>
        </p>
      ) : null}
      {target.sourceText ? (
        <p className="mt-3 text-xs text-stone-500">
          {t('target.source')}：{target.sourceText}
        </p>
      ) : null}
    </li>
  )
}
