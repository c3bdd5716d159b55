import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { TargetCard } from '~/components/target-card'
import { listTargets } from '~/domains/targets/index.server'
import { getDb } from '~/utils/db.server'
import { useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'

export const meta: MetaFunction = () => [{ title: '消费帮扶目标 · 消费帮扶集市' }]

export async function loader(args: LoaderFunctionArgs) {
  requireAccess(args, 'routes/_storefront.targets._index', 'loader')
  return { targets: await listTargets(getDb()) }
}

/**
 * Every public target: this year's demo targets, those the offices set (their sub-targets too), and the documented
 * historical ones with sources — each with its 公示 page.
 */
export default function Targets() {
  const { targets } = useLoaderData<typeof loader>()
  const t = useT()
  const sections = [
    { kind: 'demo', id: 'demo-targets', title: t('home.demoTargets') },
    { kind: 'office', id: 'office-targets', title: t('home.officeTargets') },
    { kind: 'reference', id: 'reference-targets', title: t('home.referenceTargets') },
  ] as const
  return (
    <div>
      <h1 className="text-2xl font-bold">{t('home.targets')}</h1>
      {targets.length === 0 ? <p className="mt-3 text-stone-600">{t('home.noTargets')}</p> : null}
      {sections.map((section) => {
        const listed = targets.filter((target) => target.kind === section.kind)
        if (listed.length === 0) return null
        return (
          <section key={section.kind} aria-labelledby={section.id}>
            <h2 id={section.id} className="mt-6 text-lg font-medium">
              {section.title}
            </h2>
            <ul className="mt-3 grid gap-4 md:grid-cols-2">
              {listed.map((target) => (
                <TargetCard key={target.id} target={target} />
              ))}
            </ul>
          </section>
        )
      })}
    </div>
  )
}
