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

/** Every public target: this year's (counted from the ledger) and the documented historical ones, with sources. */
export default function Targets() {
  const { targets } = useLoaderData<typeof loader>()
  const t = useT()
  const demo = targets.filter((target) => target.kind === 'demo')
  const reference = targets.filter((target) => target.kind === 'reference')
  return (
    <div>
      <h1 className="text-2xl font-bold">{t('home.targets')}</h1>
      {targets.length === 0 ? <p className="mt-3 text-stone-600">{t('home.noTargets')}</p> : null}
      {demo.length > 0 ? (
        <section aria-labelledby="demo-targets">
          <h2 id="demo-targets" className="mt-4 text-lg font-medium">
            {t('home.demoTargets')}
          </h2>
          <ul className="mt-3 grid gap-4 md:grid-cols-2">
            {demo.map((target) => (
              <TargetCard key={target.id} target={target} />
            ))}
          </ul>
        </section>
      ) : null}
      {reference.length > 0 ? (
        <section aria-labelledby="reference-targets">
          <h2 id="reference-targets" className="mt-6 text-lg font-medium">
            {t('home.referenceTargets')}
          </h2>
          <ul className="mt-3 grid gap-4 md:grid-cols-2">
            {reference.map((target) => (
              <TargetCard key={target.id} target={target} />
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  )
}
