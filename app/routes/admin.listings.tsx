import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { ReviewQueue } from '~/components/review-queue'
import { decideListing, loadReviewQueue, readDecision } from '~/utils/listing-review.server'
import { useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'
import { platformReviewer } from '~/utils/reviewers.server'

export const meta: MetaFunction = () => [{ title: '商品审核 · 消费帮扶集市' }]

/** The platform's listing review: a platform admin acting for the platform reviews every pending listing. */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/admin.listings', 'loader')
  return loadReviewQueue(args.request, platformReviewer(auth))
}

export async function action(args: ActionFunctionArgs) {
  const submission = await readDecision(args.request)
  const { intent } = submission.payload
  const auth = requireAccess(args, 'routes/admin.listings', 'action', {
    intent: typeof intent === 'string' ? intent : '',
  })
  return decideListing(submission, platformReviewer(auth))
}

export default function AdminListingReview() {
  const queue = useLoaderData<typeof loader>()
  const answer = useActionData<typeof action>()
  const t = useT()
  return (
    <div className="space-y-4">
      <h2 className="text-xl font-semibold">{t('admin.listings')}</h2>
      <ReviewQueue queue={queue} answer={answer} />
    </div>
  )
}
