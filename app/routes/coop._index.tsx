import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import type { ReactNode } from 'react'
import { EmptyState, ListingStatusBadge } from '~/components/coop-console'
import { getCoopHome } from '~/domains/coop/index.server'
import { systemClock } from '~/utils/clock'
import { activeOrgScope, coopActor } from '~/utils/coop-console.server'
import { getDb } from '~/utils/db.server'
import { invariantResponse } from '~/utils/guards.server'
import { useLocale, useT } from '~/utils/locale'
import { formatFen } from '~/utils/money'
import { requireAccess } from '~/utils/permissions.server'

export const meta: MetaFunction = () => [{ title: '合作社后台 · 消费帮扶集市' }]

/** The console home: what needs doing today, and how the month goes (from the ledger's rollups). */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/coop._index', 'loader', activeOrgScope(args))
  const home = await getCoopHome(getDb(), coopActor(auth), systemClock)
  invariantResponse(home, '无权访问 / Forbidden', { status: 403 })
  return home
}

function Panel({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="rounded-lg border border-stone-200 bg-white p-4">
      <h3 id={id} className="mb-3 text-lg font-semibold">
        {title}
      </h3>
      {children}
    </section>
  )
}

export default function CoopHome() {
  const home = useLoaderData<typeof loader>()
  const t = useT()
  const locale = useLocale()
  return (
    <div className="space-y-4">
      <h2 className="text-xl font-semibold">{t('coop.home.title')}</h2>
      <div className="grid gap-4 md:grid-cols-2">
        <Panel id="home-month" title={t('coop.home.month')}>
          <p className="mb-2 text-sm text-stone-500">
            {t('console.home.month.period', { from: home.month.from, to: home.month.to })}
          </p>
          <dl className="grid grid-cols-3 gap-2 text-center">
            <div>
              <dt className="text-xs text-stone-500">{t('coop.home.month.sales')}</dt>
              <dd className="text-lg font-semibold" data-testid="month-sales">
                {formatFen(BigInt(home.month.salesFen), locale)}
              </dd>
            </div>
            <div>
              <dt className="text-xs text-stone-500">{t('coop.home.month.credits')}</dt>
              <dd className="text-lg font-semibold">
                {formatFen(BigInt(home.month.householdCreditsFen), locale)}
              </dd>
            </div>
            <div>
              <dt className="text-xs text-stone-500">{t('console.home.month.quantity')}</dt>
              <dd className="text-lg font-semibold">{home.month.quantity}</dd>
            </div>
          </dl>
        </Panel>

        <Panel id="home-to-ship" title={t('coop.home.toShip')}>
          {home.toShip.count === 0 ? (
            <EmptyState>{t('coop.home.toShip.empty')}</EmptyState>
          ) : (
            <>
              <p className="mb-2 text-sm">{t('console.home.toShip.count', { count: home.toShip.count })}</p>
              <ul className="space-y-1 text-sm">
                {home.toShip.oldest.map((order) => (
                  <li key={order.sellerOrderId} className="flex flex-wrap justify-between gap-2">
                    <span className="font-mono">{order.number}</span>
                    <span>{order.deliveryRegion}</span>
                    <span>{formatFen(order.subtotalFen, locale)}</span>
                  </li>
                ))}
              </ul>
              <p className="mt-2 text-sm">
                <Link to="/coop/orders?status=paid" className="text-brand-700 underline">
                  {t('console.home.allOrders')}
                </Link>
              </p>
            </>
          )}
        </Panel>

        <Panel id="home-low-stock" title={t('coop.home.lowStock')}>
          <p className="mb-2 text-xs text-stone-500">{t('coop.home.lowStock.rule')}</p>
          {home.lowStock.length === 0 ? (
            <EmptyState>{t('coop.home.lowStock.empty')}</EmptyState>
          ) : (
            <ul className="space-y-1 text-sm">
              {home.lowStock.map((item) => (
                <li key={item.productId} className="flex flex-wrap justify-between gap-2">
                  <span>{item.name}</span>
                  <span className="text-amber-800">
                    {t('console.home.lowStock.item', {
                      stock: `${item.stock}${item.unit}`,
                      threshold: item.threshold,
                    })}
                  </span>
                  <Link to={`/coop/products/${item.productId}/stock`} className="text-brand-700 underline">
                    {t('console.home.adjust')}
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </Panel>

        <Panel id="home-expiring" title={t('coop.home.expiring')}>
          {home.expiringCertifications.length === 0 ? (
            <EmptyState>{t('coop.home.expiring.empty')}</EmptyState>
          ) : (
            <ul className="space-y-1 text-sm">
              {home.expiringCertifications.map((cert) => (
                <li key={`${cert.productId}-${cert.number}`}>
                  <Link
                    to={`/coop/products/${cert.productId}/certifications`}
                    className="text-brand-700 underline"
                  >
                    {t('console.home.expiring.item', {
                      name: cert.productName,
                      number: cert.number,
                      until: cert.validUntil,
                      days: cert.daysLeft,
                    })}
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </Panel>
      </div>

      <Panel id="home-listings" title={t('coop.home.listings')}>
        {home.listings.length === 0 ? (
          <EmptyState>{t('coop.home.listings.empty')}</EmptyState>
        ) : (
          <ul className="divide-y divide-stone-100 text-sm">
            {home.listings.map((listing) => (
              <li key={listing.productId} className="flex flex-wrap items-center gap-2 py-2">
                <ListingStatusBadge status={listing.status} />
                <span className="font-medium">{listing.name}</span>
                {listing.pendingBecause ? (
                  <span className="text-stone-600">{t(`listing.pending.${listing.pendingBecause}`)}</span>
                ) : null}
                {listing.rejectionReason ? (
                  <span className="text-red-800">
                    {t('console.products.rejectedBecause', { reason: listing.rejectionReason })}
                  </span>
                ) : null}
                {listing.status === 'rejected' ? (
                  <Link to={`/coop/products/${listing.productId}`} className="text-brand-700 underline">
                    {t('console.home.edit')}
                  </Link>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </Panel>
    </div>
  )
}
