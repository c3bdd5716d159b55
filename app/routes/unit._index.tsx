import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { EmptyState } from '~/components/coop-console'
import { RequisitionStatusBadge } from '~/components/unit-console'
import { Pagination } from '~/components/ui/pagination'
import { FilterTabs } from '~/components/ui/filter-tabs'
import { seesAllOfUnit } from '~/domains/procurement'
import { listRequisitions, type RequisitionFilter } from '~/domains/procurement/index.server'
import { shanghaiDateTime } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { useLocale, useT } from '~/utils/locale'
import { formatFen } from '~/utils/money'
import { requireAccess } from '~/utils/permissions.server'
import { unitActor, unitPageParam } from '~/utils/unit-console.server'

export const meta: MetaFunction = () => [{ title: '请购单 · 单位采购 · 消费帮扶集市' }]

const filters = [
  'all',
  'pending_approval',
  'ordered',
  'rejected',
] as const satisfies readonly RequisitionFilter[]

/** The unit's requisitions by status (a buyer: their own), newest first. */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/unit._index', 'loader')
  const actor = unitActor(auth)
  const url = new URL(args.request.url)
  const sent = url.searchParams.get('status') ?? 'all'
  const status = (filters as readonly string[]).includes(sent) ? (sent as (typeof filters)[number]) : 'all'
  const list = await listRequisitions(getDb(), { actor, status, page: unitPageParam(url) })
  return { status, seesAll: seesAllOfUnit(actor.role), ...list }
}

export default function UnitRequisitions() {
  const t = useT()
  const locale = useLocale()
  const data = useLoaderData<typeof loader>()
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-xl font-semibold">{t('unit.reqs.title')}</h1>
        <Link
          to="/unit/requisitions/new"
          className="rounded bg-brand-700 px-4 py-2 text-sm text-white hover:bg-brand-800"
        >
          {t('unit.reqs.new')}
        </Link>
      </div>
      <p className="text-sm text-stone-600">{data.seesAll ? t('unit.reqs.all') : t('unit.reqs.own')}</p>
      <FilterTabs
        label={t('unit.reqs.filter')}
        current={data.status}
        tabs={filters.map((filter) => ({
          key: filter,
          to: filter === 'all' ? '/unit' : `/unit?status=${filter}`,
          label: `${t(`unit.reqs.status.${filter}`)}${filter === 'all' ? '' : ` (${data.counts[filter]})`}`,
        }))}
      />
      {data.items.length === 0 ? (
        <EmptyState>{data.status === 'all' ? t('unit.reqs.empty') : t('unit.reqs.emptyFiltered')}</EmptyState>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm">
            <caption className="sr-only">{t('unit.reqs.caption')}</caption>
            <thead className="text-left text-stone-500">
              <tr>
                <th scope="col" className="py-2 pr-3">
                  {t('unit.reqs.col.number')}
                </th>
                <th scope="col" className="py-2 pr-3">
                  {t('unit.reqs.col.requester')}
                </th>
                <th scope="col" className="py-2 pr-3 text-right">
                  {t('unit.reqs.col.total')}
                </th>
                <th scope="col" className="py-2 pr-3">
                  {t('unit.reqs.col.status')}
                </th>
                <th scope="col" className="py-2">
                  {t('unit.reqs.col.date')}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((r) => (
                <tr key={r.id} className="border-t border-stone-100" data-testid="requisition-row">
                  <td className="py-2 pr-3 font-mono">
                    <Link to={`/unit/requisitions/${r.id}`} className="text-brand-700 underline">
                      {r.number}
                    </Link>
                  </td>
                  <td className="py-2 pr-3">{r.requesterName}</td>
                  <td className="py-2 pr-3 text-right">{formatFen(r.totalFen, locale)}</td>
                  <td className="py-2 pr-3">
                    <RequisitionStatusBadge status={r.status} />
                  </td>
                  <td className="py-2 whitespace-nowrap">{shanghaiDateTime(r.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={data.page} pageSize={data.pageSize} total={data.total} />
    </div>
  )
}
