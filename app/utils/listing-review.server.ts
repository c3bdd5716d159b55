import { data } from '@remix-run/node'
import { z } from 'zod'
import type { ReviewAnswer } from '~/components/review-queue'
import { reviewListingForm } from '~/domains/catalog'
import { listReviewQueue, reviewListing } from '~/domains/catalog/index.server'
import { systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { parseForm } from '~/utils/form.server'
import { invariantResponse } from '~/utils/guards.server'
import type { ActingReviewer } from '~/utils/reviewers.server'

/**
 * The listing review queue's loader and action, shared by the platform's page (/admin/listings) and an office's
 * (/office/listings): each route checks its own access and says who reviews, then hands over to these. The domain
 * decides what the reviewer may see and decide (everything for the platform, the jurisdiction for an office).
 */

export const REVIEW_PAGE_SIZE = 10

const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(100_000).default(1) })

/** One page of the queue, the oldest submission first. */
export async function loadReviewQueue(request: Request, reviewer: ActingReviewer) {
  const parsed = pageQuery.safeParse({ page: new URL(request.url).searchParams.get('page') || undefined })
  invariantResponse(parsed.success, 'Bad request: page')
  return listReviewQueue(
    getDb(),
    { userId: reviewer.userId, orgId: reviewer.orgId },
    { page: parsed.data.page, pageSize: REVIEW_PAGE_SIZE },
    systemClock,
  )
}

/** The submitted decision, read before the access check (it names the intent the access map rules on). */
export function readDecision(request: Request) {
  return parseForm(request, reviewListingForm)
}

/**
 * Approve, or reject with a reason. Invalid input is answered next to its field (400) and writes nothing; a listing
 * the reviewer may not decide is 404; one someone else decided first is 409 with the status it has now.
 */
export async function decideListing(
  submission: Awaited<ReturnType<typeof readDecision>>,
  reviewer: ActingReviewer,
) {
  const sent = submission.payload.productId
  const productId = typeof sent === 'string' ? sent : ''
  const answer = (body: Omit<ReviewAnswer, 'productId'>, status = 200) =>
    data<ReviewAnswer>({ productId, ...body }, { status })
  if (submission.status !== 'success') {
    return answer({ result: submission.reply(), done: null, error: null, status: null }, 400)
  }
  const form = submission.value
  const result = await reviewListing(
    getDb(),
    {
      productId: form.productId,
      reviewer: { userId: reviewer.userId, orgId: reviewer.orgId },
      decision: form.intent,
      reason: form.intent === 'reject' ? form.reason : null,
    },
    systemClock,
  )
  if (result.ok) return answer({ result: null, done: result.status, error: null, status: null })
  switch (result.error) {
    case 'invalid':
      return answer(
        { result: submission.reply({ fieldErrors: result.errors }), done: null, error: null, status: null },
        400,
      )
    case 'not_found':
      return answer({ result: null, done: null, error: 'not_found', status: null }, 404)
    case 'already_decided':
      return answer({ result: null, done: null, error: 'already_decided', status: result.status }, 409)
  }
}
