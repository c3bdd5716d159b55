import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { EmptyState } from '~/components/coop-console'
import { Badge } from '~/components/ui/badge'
import { Pagination } from '~/components/ui/pagination'
import { listUnitOrders } from '~/domains/procurement/index.server'
import { shanghaiDate, shanghaiDateTime, systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { useLocale, useT } from '~/utils/locale'
import { formatFen } from '~/utils/money'
import { requireAccess } from '~/utils/permissions.server'
import { unitActor, unitPageParam } from '~/utils/unit-console.server'

export const meta: MetaFunction = () => [{ title: '单位订单 · 单位采购 · 消费帮扶集市' }]

/** The unit's orders (a buyer: their own), newest first. */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/unit.orders', 'loader')
  const url = new URL(args.request.url)
  return listUnitOrders(getDb(), { actor: unitActor(auth), page: unitPageParam(url), now: systemClock.now() })
}

const statusTone = { pending_payment: 'amber', paid: 'green', cancelled: 'grey', expired: 'grey' } as const

export default function UnitOrders() {
  const t = useT()
  const locale = useLocale()
  const data = useLoaderData<typeof loader>()
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">{t('unit.orders.title')}</h1>
      {data.items.length === 0 ? (
        <EmptyState>{t('unit.orders.empty')}</EmptyState>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm">
            <caption className="sr-only">{t('unit.orders.caption')}</caption>
            <thead className="text-left text-stone-500">
              <tr>
                <th scope="col" className="py-2 pr-3">
                  {t('unit.orders.col.number')}
                </th>
                <th scope="col" className="py-2 pr-3">
                  {t('unit.orders.col.buyer')}
                </th>
                <th scope="col" className="py-2 pr-3">
                  {t('unit.orders.col.po')}
                </th>
                <th scope="col" className="py-2 pr-3 text-right">
                  {t('unit.orders.col.total')}
                </th>
                <th scope="col" className="py-2 pr-3">
                  {t('unit.orders.col.status')}
                </th>
                <th scope="col" className="py-2 pr-3">
                  {t('unit.orders.col.due')}
                </th>
                <th scope="col" className="py-2">
                  {t('unit.orders.col.date')}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((o) => {
                const status = o.status as keyof typeof statusTone
                return (
                  <tr key={o.id} className="border-t border-stone-100" data-testid="unit-order">
                    <td className="py-2 pr-3 font-mono">
                      <Link to={`/unit/orders/${o.id}`} className="text-brand-700 underline">
                        {o.number}
                      </Link>
                    </td>
                    <td className="py-2 pr-3">{o.buyerName}</td>
                    <td className="py-2 pr-3 font-mono">{o.poNumber ?? '—'}</td>
                    <td className="py-2 pr-3 text-right">{formatFen(o.subtotalFen, locale)}</td>
                    <td className="py-2 pr-3">
                      <span className="flex flex-wrap gap-1">
                        <Badge tone={statusTone[status] ?? 'grey'}>{t(`unit.orders.status.${status}`)}</Badge>
                        {o.overdue ? (
                          <span data-testid="overdue">
                            <Badge tone="red">{t('unit.orders.overdue')}</Badge>
                          </span>
                        ) : null}
                      </span>
                    </td>
                    <td className="py-2 pr-3 whitespace-nowrap">
                      {o.paymentDueAt ? shanghaiDate(new Date(o.paymentDueAt)) : '—'}
                    </td>
                    <td className="py-2 whitespace-nowrap">{shanghaiDateTime(o.createdAt)}</td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={data.page} pageSize={data.pageSize} total={data.total} />
    </div>
  )
}
