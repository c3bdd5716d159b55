import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { ReviewQueue } from '~/components/review-queue'
import { decideListing, loadReviewQueue, readDecision } from '~/utils/listing-review.server'
import { useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'
import { officeReviewer } from '~/utils/reviewers.server'

export const meta: MetaFunction = () => [{ title: '商品审核 · 消费帮扶集市' }]

/**
 * An office's listing review: its admins and analysts review the pending listings whose origin lies in its
 * jurisdiction (the domain narrows the queue and refuses a decision outside it with 404).
 */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/office.listings', 'loader')
  return loadReviewQueue(args.request, officeReviewer(auth))
}

export async function action(args: ActionFunctionArgs) {
  const submission = await readDecision(args.request)
  const { intent } = submission.payload
  const auth = requireAccess(args, 'routes/office.listings', 'action', {
    intent: typeof intent === 'string' ? intent : '',
  })
  return decideListing(submission, officeReviewer(auth))
}

export default function OfficeListingReview() {
  const queue = useLoaderData<typeof loader>()
  const answer = useActionData<typeof action>()
  const t = useT()
  return (
    <div className="space-y-4">
      <h2 className="text-xl font-semibold">{t('office.listings')}</h2>
      <ReviewQueue queue={queue} answer={answer} />
    </div>
  )
}
