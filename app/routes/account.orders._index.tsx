import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { OrderStatusBadge } from '~/components/order-status'
import { Pagination } from '~/components/ui/pagination'
import { listBuyerOrders } from '~/domains/orders/index.server'
import { shanghaiDateTime } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { useLocale, useT } from '~/utils/locale'
import { formatFen } from '~/utils/money'
import { requireAccess } from '~/utils/permissions.server'

export const meta: MetaFunction = () => [{ title: '我的订单 · 消费帮扶集市' }]

const PAGE_SIZE = 20
const pageParam = z.coerce.number().int().min(1).max(100_000).catch(1)

export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/account.orders._index', 'loader')
  const page = pageParam.parse(new URL(args.request.url).searchParams.get('page') ?? 1)
  const result = await listBuyerOrders(getDb(), auth.userId, { page, pageSize: PAGE_SIZE })
  return { ...result, page, pageSize: PAGE_SIZE }
}

export default function MyOrders() {
  const { items, total, page, pageSize } = useLoaderData<typeof loader>()
  const t = useT()
  const locale = useLocale()
  return (
    <div className="space-y-4">
      <h2 className="text-xl font-semibold">{t('orders.title')}</h2>
      {items.length === 0 ? (
        <div className="rounded-lg border border-dashed border-stone-300 p-8 text-center">
          <p className="text-stone-600">{t('orders.empty')}</p>
          <Link to="/products" className="mt-3 inline-block text-brand-700 underline">
            {t('cart.browse')}
          </Link>
        </div>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm">
            <thead className="text-left text-stone-500">
              <tr>
                <th scope="col" className="py-2 pr-3">
                  {t('orders.col.number')}
                </th>
                <th scope="col" className="py-2 pr-3">
                  {t('orders.col.date')}
                </th>
                <th scope="col" className="py-2 pr-3">
                  {t('orders.col.items')}
                </th>
                <th scope="col" className="py-2 pr-3 text-right">
                  {t('orders.col.total')}
                </th>
                <th scope="col" className="py-2">
                  {t('orders.col.status')}
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((order) => (
                <tr key={order.id} className="border-t border-stone-100">
                  <td className="py-2 pr-3">
                    <Link to={`/account/orders/${order.id}`} className="font-mono text-brand-700 underline">
                      {order.number}
                    </Link>
                  </td>
                  <td className="py-2 pr-3">
                    <time dateTime={order.createdAt}>{shanghaiDateTime(order.createdAt)}</time>
                  </td>
                  <td className="py-2 pr-3">
                    {order.itemNames.length > 1
                      ? t('orders.itemsMore', { first: order.itemNames[0]!, count: order.itemNames.length })
                      : order.itemNames[0]}
                  </td>
                  <td className="py-2 pr-3 text-right">{formatFen(order.totalFen, locale)}</td>
                  <td className="py-2">
                    <OrderStatusBadge status={order.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={page} pageSize={pageSize} total={total} />
    </div>
  )
}
