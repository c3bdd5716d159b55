import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import type { ReactNode } from 'react'
import { Link, useLoaderData } from '@remix-run/react'
import { type OfficeTargetView, TargetFigures } from '~/components/office-targets'
import { listOfficeTargets } from '~/domains/targets/index.server'
import { invariantResponse } from '~/utils/guards.server'
import { systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'
import { officeReviewer } from '~/utils/reviewers.server'

export const meta: MetaFunction = () => [{ title: '目标任务 · 帮扶工作机构 · 消费帮扶集市' }]

/** The office's targets (its jurisdiction's), each with its sub-targets, progress against pace, forecast and reach. */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/office.targets._index', 'loader')
  const office = officeReviewer(auth)
  const groups = await listOfficeTargets(getDb(), { userId: office.userId, orgId: office.orgId }, systemClock)
  invariantResponse(groups, 'Not acting for an office', { status: 403 })
  return { groups, canEdit: office.role === 'office_admin' }
}

export default function OfficeTargets() {
  const { groups, canEdit } = useLoaderData<typeof loader>()
  const t = useT()
  // Office dashboard II (decision 024): admins create and edit the office's own targets.
  const editLink = (target: { id: string; ownTarget: boolean }) =>
    canEdit && target.ownTarget ? (
      <Link
        to={`/office/targets/${target.id}/edit`}
        className="ml-2 text-sm font-normal text-brand-700 underline"
      >
        {t('office.targets.edit')}
      </Link>
    ) : null
  return (
    <div className="space-y-4">
      <h2 className="text-xl font-semibold">{t('office.targets.title')}</h2>
      <p className="text-sm text-stone-600">{t('office.targets.intro')}</p>
      {canEdit ? (
        <p>
          <Link
            to="/office/targets/new"
            className="inline-block rounded bg-brand-600 px-3 py-1.5 text-sm text-white hover:bg-brand-700"
          >
            {t('office.targets.new')}
          </Link>
        </p>
      ) : (
        <p className="text-sm text-stone-600">{t('office.targets.analystReadOnly')}</p>
      )}
      {groups.length === 0 ? <p className="text-stone-600">{t('office.targets.empty')}</p> : null}
      {groups.map((group) => (
        <section
          key={group.id}
          aria-labelledby={`target-${group.id}`}
          className="rounded-lg border border-stone-200 bg-white p-4"
          data-testid="office-target"
        >
          <h3 id={`target-${group.id}`} className="font-semibold">
            {group.metric === 'amount_fen' ? (
              <Link to={`/office/targets/${group.id}`} className="text-brand-700 underline">
                {group.name}
              </Link>
            ) : (
              group.name
            )}
            {group.kind === 'office' ? (
              <span className="ml-2 rounded bg-amber-100 px-1.5 text-xs font-normal text-amber-900">
                {t('target.office')}
              </span>
            ) : null}
            {editLink(group)}
            <Link
              to={`/targets/${group.id}/gongshi`}
              className="ml-2 text-sm font-normal text-brand-700 underline"
            >
              {t('office.targets.gongshiLink')}
            </Link>
          </h3>
          <TargetFigures target={group} />
          {group.children.length > 0 ? (
            <div className="mt-3 overflow-x-auto">
              <table className="w-full text-sm">
                <caption className="text-left font-medium">{t('office.targets.children')}</caption>
                <thead>
                  <tr className="border-b text-left text-stone-500">
                    <th scope="col" className="py-1 pr-2">
                      {t('office.targets.col.name')}
                    </th>
                    <th scope="col" className="py-1 pr-2">
                      {t('office.targets.col.progress')}
                    </th>
                    <th scope="col" className="py-1 pr-2">
                      {t('office.targets.col.pace')}
                    </th>
                    <th scope="col" className="py-1">
                      {t('office.targets.col.forecast')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {group.children.map((child) => (
                    <ChildRow key={child.id} target={child} edit={editLink(child)} />
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </section>
      ))}
    </div>
  )
}

function ChildRow({ target, edit }: { target: OfficeTargetView; edit: ReactNode }) {
  return (
    <tr className="border-b align-top" data-testid="office-subtarget">
      <th scope="row" className="py-1 pr-2 text-left font-normal">
        {target.metric === 'amount_fen' ? (
          <Link to={`/office/targets/${target.id}`} className="text-brand-700 underline">
            {target.name}
          </Link>
        ) : (
          target.name
        )}
        {edit}
      </th>
      <TargetFigures target={target} cells />
    </tr>
  )
}
