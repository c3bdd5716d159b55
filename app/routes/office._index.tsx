import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { listReviewQueue } from '~/domains/catalog/index.server'
import { listSuppliersAwaitingRecommendation } from '~/domains/organizations/index.server'
import { systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'
import { officeReviewer } from '~/utils/reviewers.server'

export const meta: MetaFunction = () => [{ title: '帮扶工作机构 · 消费帮扶集市' }]

/** The office's landing page: how many listings wait for its review and how many suppliers for its recommendation. */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/office._index', 'loader')
  const office = officeReviewer(auth)
  const actor = { userId: office.userId, orgId: office.orgId }
  const isAdmin = office.role === 'office_admin'
  const [queue, suppliers] = await Promise.all([
    listReviewQueue(getDb(), actor, { page: 1, pageSize: 1 }, systemClock),
    // Only admins recommend (the domain finds nothing for an analyst anyway).
    isAdmin ? listSuppliersAwaitingRecommendation(getDb(), actor) : Promise.resolve([]),
  ])
  return { pendingListings: queue.total, awaitingRecommendation: suppliers.length, isAdmin }
}

export default function OfficeHome() {
  const data = useLoaderData<typeof loader>()
  const t = useT()
  const card = 'rounded-lg border border-stone-200 bg-white p-4'
  const link = 'mt-3 inline-block rounded bg-brand-600 px-3 py-1.5 text-sm text-white hover:bg-brand-700'
  return (
    <div className="space-y-4">
      <h2 className="text-xl font-semibold">{t('office.home.title')}</h2>
      <div className="grid gap-4 sm:grid-cols-2">
        <section aria-labelledby="office-listings" className={card}>
          <h3 id="office-listings" className="font-semibold">
            {t('office.home.listings')}
          </h3>
          <p className="mt-1 text-2xl font-bold" data-testid="pending-listings">
            {data.pendingListings}
          </p>
          <p className="text-sm text-stone-600">
            {data.pendingListings === 0
              ? t('review.empty')
              : t('office.home.listings.count', { n: data.pendingListings })}
          </p>
          <Link to="/office/listings" className={link}>
            {t('office.home.listings.link')}
          </Link>
        </section>
        <section aria-labelledby="office-suppliers" className={card}>
          <h3 id="office-suppliers" className="font-semibold">
            {t('office.home.suppliers')}
          </h3>
          {data.isAdmin ? (
            <>
              <p className="mt-1 text-2xl font-bold" data-testid="awaiting-recommendation">
                {data.awaitingRecommendation}
              </p>
              <p className="text-sm text-stone-600">
                {data.awaitingRecommendation === 0
                  ? t('supplier.recommend.empty')
                  : t('office.home.suppliers.count', { n: data.awaitingRecommendation })}
              </p>
              <Link to="/office/suppliers" className={link}>
                {t('office.home.suppliers.link')}
              </Link>
            </>
          ) : (
            <p className="mt-1 text-sm text-stone-600">{t('office.home.suppliers.adminsOnly')}</p>
          )}
        </section>
      </div>
    </div>
  )
}
