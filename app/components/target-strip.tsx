import { Link } from '@remix-run/react'
import { useLocale, useT } from '~/utils/locale'
import { formatAmountShort, progressPercent } from '~/utils/money'
import type { TargetCardView } from './target-card'

/**
 * The home page's one line about targets: the headline target's amount so far against its goal, how far through
 * its period we are (the pace even progress would have reached), and the way to every target. Compact on purpose:
 * on a phone the products come right after it.
 */
export function TargetStrip({
  target,
  paceBp,
  targetCount,
}: {
  target: TargetCardView & { parentId: string | null }
  /** periodElapsedBp for today. */
  paceBp: number
  targetCount: number
}) {
  const t = useT()
  const locale = useLocale()
  const goal = BigInt(target.goal)
  const achieved = target.progress.state === 'counted' ? BigInt(target.progress.achieved) : 0n
  const barPermille = achieved >= goal ? 1000 : Number((achieved * 1000n) / goal)
  const percent = progressPercent(achieved, goal)
  const pace = `${Math.floor(paceBp / 10) / 10}%`
  return (
    <section
      aria-labelledby="headline-target"
      className="rounded-lg border border-brand-100 bg-white p-3 text-sm"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
        <h2 id="headline-target" className="font-medium">
          {target.name}
        </h2>
        <Link to="/targets" className="text-brand-700 underline">
          {t('home.allTargets', { n: targetCount })}
        </Link>
      </div>
      <p className="mt-1 text-stone-700">
        {t('home.targetLine', {
          achieved: formatAmountShort(achieved, locale),
          goal: formatAmountShort(goal, locale),
          percent,
        })}
      </p>
      <div
        role="progressbar"
        aria-label={t('target.progressLabel', { name: target.name })}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={barPermille / 10}
        aria-valuetext={percent}
        className="relative mt-2 h-2 overflow-hidden rounded bg-stone-200"
      >
        <div className="h-full bg-brand-600" style={{ width: `${barPermille / 10}%` }} />
        {/* Where even progress would be today. */}
        <div
          aria-hidden="true"
          className="absolute inset-y-0 w-0.5 bg-earth-700"
          style={{ left: `${paceBp / 100}%` }}
        />
      </div>
      <p className="mt-1 flex flex-wrap justify-between gap-2 text-xs text-stone-500">
        <span>{t('home.targetPace', { pace })}</span>
        {/* Office dashboard and 公示 (issue 19). */}
        <Link to={`/targets/${target.id}/gongshi`} className="text-brand-700 underline">
          {t('gongshi.link')}
        </Link>
      </p>
    </section>
  )
}
