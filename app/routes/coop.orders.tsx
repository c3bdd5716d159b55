import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { EmptyState } from '~/components/coop-console'
import { Badge } from '~/components/ui/badge'
import { Pagination } from '~/components/ui/pagination'
import { FilterTabs } from '~/components/ui/filter-tabs'
import { type SellerOrderStatusFilter, sellerOrderStatusFilters } from '~/domains/coop'
import { listSellerOrders } from '~/domains/coop/index.server'
import { shanghaiDateTime } from '~/utils/clock'
import { activeOrgScope, coopActor, pageParam } from '~/utils/coop-console.server'
import { getDb } from '~/utils/db.server'
import { invariantResponse } from '~/utils/guards.server'
import { useLocale, useT } from '~/utils/locale'
import { formatFen } from '~/utils/money'
import { requireAccess } from '~/utils/permissions.server'

export const meta: MetaFunction = () => [{ title: '订单 · 合作社后台 · 消费帮扶集市' }]

const PAGE_SIZE = 20

/** The cooperative's part of each order (its seller orders), newest first, by status. */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/coop.orders', 'loader', activeOrgScope(args))
  const url = new URL(args.request.url)
  const sent = url.searchParams.get('status') ?? 'all'
  const status: SellerOrderStatusFilter = (sellerOrderStatusFilters as readonly string[]).includes(sent)
    ? (sent as SellerOrderStatusFilter)
    : 'all'
  const orders = await listSellerOrders(getDb(), {
    ...coopActor(auth),
    status,
    page: pageParam(url),
    pageSize: PAGE_SIZE,
  })
  invariantResponse(orders, '无权访问 / Forbidden', { status: 403 })
  return { status, ...orders }
}

const statusTone = { pending_payment: 'amber', paid: 'green', cancelled: 'grey', expired: 'grey' } as const

export default function CoopOrders() {
  const t = useT()
  const locale = useLocale()
  const data = useLoaderData<typeof loader>()
  return (
    <div className="space-y-4">
      <h2 className="text-xl font-semibold">{t('coop.orders.title')}</h2>
      <FilterTabs
        label={t('console.orders.filter')}
        current={data.status}
        tabs={sellerOrderStatusFilters.map((filter) => ({
          key: filter,
          to: filter === 'all' ? '/coop/orders' : `/coop/orders?status=${filter}`,
          label: filter === 'all' ? t('coop.orders.status.all') : t(`orders.status.${filter}`),
        }))}
      />
      {data.items.length === 0 ? (
        <EmptyState>
          {data.status === 'all' ? t('coop.orders.empty') : t('coop.orders.empty.filtered')}
        </EmptyState>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm">
            <caption className="sr-only">{t('console.orders.caption', { total: data.total })}</caption>
            <thead className="text-left text-stone-500">
              <tr>
                <th scope="col" className="py-2 pr-3">
                  {t('console.orders.col.number')}
                </th>
                <th scope="col" className="py-2 pr-3">
                  {t('console.orders.col.date')}
                </th>
                <th scope="col" className="py-2 pr-3">
                  {t('console.orders.col.buyer')}
                </th>
                <th scope="col" className="py-2 pr-3">
                  {t('console.orders.col.lines')}
                </th>
                <th scope="col" className="py-2 pr-3 text-right">
                  {t('console.orders.col.amount')}
                </th>
                <th scope="col" className="py-2">
                  {t('console.orders.col.status')}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((order) => (
                <tr
                  key={order.sellerOrderId}
                  className="border-t border-stone-100 align-top"
                  data-testid="seller-order"
                >
                  <td className="py-2 pr-3 font-mono whitespace-nowrap">{order.number}</td>
                  <td className="py-2 pr-3 whitespace-nowrap">
                    <time dateTime={order.placedAt}>{shanghaiDateTime(order.placedAt)}</time>
                  </td>
                  <td className="py-2 pr-3">
                    {t(`console.orders.channel.${order.channel}`)}
                    <span className="block text-xs text-stone-500">{order.deliveryRegion}</span>
                    {order.shipTo ? (
                      <span className="block text-xs text-stone-600">
                        {order.shipTo.recipient} · {order.shipTo.phone}
                      </span>
                    ) : null}
                  </td>
                  <td className="py-2 pr-3">
                    <ul>
                      {order.lines.map((line) => (
                        <li key={line.productId}>
                          {t('console.orders.line', { name: line.name, qty: line.qty, unit: line.unit })}
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td className="py-2 pr-3 text-right whitespace-nowrap">
                    {formatFen(order.subtotalFen, locale)}
                  </td>
                  <td className="py-2">
                    <Badge tone={statusTone[order.status]}>{t(`orders.status.${order.status}`)}</Badge>
                  </td>
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
