import type { MetaFunction } from '@remix-run/node'
import { useT } from '~/utils/locale'

export const meta: MetaFunction = () => [{ title: '关于 · 消费帮扶集市' }]

/** A page with no data at all: also the "static route" baseline of the product-page benchmark. */
export default function About() {
  const t = useT()
  return (
    <article className="max-w-3xl space-y-4 leading-relaxed">
      <h1 className="text-3xl font-bold">{t('about.title')}</h1>
      <p>{t('about.body1')}</p>
      <p>{t('about.body2')}</p>
      <p className="text-stone-600">{t('about.body3')}</p>
      <h2 className="pt-2 text-xl font-semibold">{t('about.forWhom')}</h2>
      <p>{t('about.users')}</p>
    </article>
  )
}
