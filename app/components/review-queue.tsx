import { getFormProps, type SubmissionResult } from '@conform-to/react'
import { Form } from '@remix-run/react'
import { TextareaField, useSchemaForm } from '~/components/forms'
import { Badge } from '~/components/ui/badge'
import { Pagination } from '~/components/ui/pagination'
import { reviewListingForm } from '~/domains/catalog'
import type { ReviewQueueItem } from '~/domains/catalog/index.server'
import { shanghaiDateTime } from '~/utils/clock'
import type { MessageKey } from '~/utils/i18n'
import { useLocale, useT } from '~/utils/locale'
import { formatFen } from '~/utils/money'
import { useIsPending } from '~/utils/use-is-pending'

/**
 * The listing review queue, one page of it: the same on the platform's page (/admin/listings) and an office's
 * (/office/listings); app/utils/listing-review.server.ts is its loader and action. Each pending listing is a card
 * (phones first) with what a reviewer checks — photo, cooperative, origin, price and how it moved, tiers,
 * certificates — and the two decisions: approve, or reject with a reason shown next to its field.
 */

type ListingStatus = 'draft' | 'pending' | 'active' | 'rejected' | 'archived'

/** What the action answers: about which listing, and the form's problems, the decision, or why there was none. */
export type ReviewAnswer = {
  productId: string
  result: SubmissionResult | null
  done: 'active' | 'rejected' | null
  error: 'not_found' | 'already_decided' | null
  /** With `already_decided`: the status the listing has now. */
  status: ListingStatus | null
}

export type ReviewQueuePage = {
  items: ReviewQueueItem[]
  total: number
  page: number
  pageSize: number
}

/**
 * "+30.01%" / "−12.50%": the move from the approved price, in hundredths of a percent, toward zero (integer
 * arithmetic, like the 30% rule itself).
 */
export function priceChangeText(approvedFen: number, priceFen: number): string {
  const basisPoints = (BigInt(priceFen - approvedFen) * 10_000n) / BigInt(approvedFen)
  const sign = basisPoints > 0n ? '+' : basisPoints < 0n ? '−' : ''
  const abs = basisPoints < 0n ? -basisPoints : basisPoints
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}%`
}

export function ReviewQueue({ queue, answer }: { queue: ReviewQueuePage; answer: ReviewAnswer | undefined }) {
  const t = useT()
  return (
    <div className="space-y-4">
      <p className="text-sm text-stone-600">{t('review.intro')}</p>
      {answer?.done ? (
        <p role="status" className="rounded border border-brand-100 bg-brand-50 p-3 text-sm text-brand-800">
          {t(answer.done === 'active' ? 'review.result.approved' : 'review.result.rejected')}
        </p>
      ) : null}
      {answer?.error ? (
        // The card may be gone already (someone decided first), so this is said above the list.
        <p role="alert" className="rounded border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          {answer.error === 'already_decided'
            ? t('listing.error.already_decided', {
                status: t(`listing.status.${answer.status ?? 'pending'}` as MessageKey),
              })
            : t('review.error.not_found')}
        </p>
      ) : null}
      {queue.items.length === 0 ? (
        <p className="rounded-lg border border-dashed border-stone-300 bg-white p-6 text-center text-stone-600">
          {t('review.empty')}
        </p>
      ) : (
        <>
          <p className="text-sm text-stone-600">{t('review.queue.total', { n: queue.total })}</p>
          <ul className="space-y-4" aria-label={t('review.title')}>
            {queue.items.map((item) => (
              <ReviewCard
                key={item.productId}
                item={item}
                lastResult={answer?.productId === item.productId ? answer.result : null}
              />
            ))}
          </ul>
        </>
      )}
      <Pagination page={queue.page} pageSize={queue.pageSize} total={queue.total} />
    </div>
  )
}

function ReviewCard({ item, lastResult }: { item: ReviewQueueItem; lastResult: SubmissionResult | null }) {
  const t = useT()
  const locale = useLocale()
  const busy = useIsPending()
  // One rejection form per card: its own id, and the server's answer only when it was about this listing.
  const [form, fields] = useSchemaForm(reviewListingForm, { id: `reject-${item.productId}`, lastResult })
  const headingId = `listing-${item.productId}`
  const price = (fen: number) => formatFen(fen, locale)
  const origin = [item.originParentName, item.originName].filter(Boolean).join(' ')
  return (
    <li
      aria-labelledby={headingId}
      className="rounded-lg border border-stone-200 bg-white p-4"
      data-testid="review-item"
    >
      <div className="flex flex-col gap-4 sm:flex-row">
        {item.coverUrl ? (
          <img
            src={item.coverUrl}
            alt={t('review.photoAlt', { name: item.name })}
            width={160}
            height={160}
            className="h-40 w-full rounded object-cover sm:w-40"
          />
        ) : (
          <div className="flex h-40 w-full items-center justify-center rounded bg-stone-100 text-sm text-stone-600 sm:w-40">
            {t('review.noPhoto')}
          </div>
        )}
        <div className="min-w-0 flex-1 space-y-2">
          <h3 id={headingId} className="text-lg font-semibold">
            {item.name}{' '}
            {item.because === 'price_change' ? (
              <Badge tone="amber">{t('listing.pending.price_change')}</Badge>
            ) : null}
          </h3>
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
            <dt className="text-stone-600">{t('review.col.cooperative')}</dt>
            <dd>{item.cooperative}</dd>
            <dt className="text-stone-600">{t('review.col.origin')}</dt>
            <dd>{origin}</dd>
            <dt className="text-stone-600">{t('review.col.category')}</dt>
            <dd>{item.category}</dd>
            <dt className="text-stone-600">{t('review.col.sku')}</dt>
            <dd className="font-mono text-xs leading-5">{item.sku}</dd>
            <dt className="text-stone-600">{t('review.col.price')}</dt>
            <dd>
              <span className="font-semibold">
                {t('review.price.perUnit', { price: price(item.priceFen), unit: item.unit })}
              </span>
              {item.because === 'price_change' && item.approvedPriceFen !== null ? (
                <span className="block text-xs text-amber-800" data-testid="price-change">
                  {t('review.price.change', {
                    old: price(item.approvedPriceFen),
                    change: priceChangeText(item.approvedPriceFen, item.priceFen),
                  })}
                </span>
              ) : null}
            </dd>
            <dt className="text-stone-600">{t('review.col.tiers')}</dt>
            <dd>
              {item.tiers.length === 0 ? (
                t('review.tiers.none')
              ) : (
                <ul>
                  {item.tiers.map((tier) => (
                    <li key={tier.minQty}>
                      {t('review.tier', {
                        qty: tier.minQty,
                        unit: item.unit,
                        price: price(tier.unitPriceFen),
                      })}
                    </li>
                  ))}
                </ul>
              )}
            </dd>
            <dt className="text-stone-600">{t('review.col.certs')}</dt>
            <dd>
              {item.certifications.length === 0 ? (
                t('review.certs.none')
              ) : (
                <ul className="space-y-1">
                  {item.certifications.map((cert) => (
                    <li key={`${cert.number}-${cert.validFrom}`}>
                      {t('review.cert', {
                        body: cert.body,
                        number: cert.number,
                        relief: cert.reliefMode,
                        from: cert.validFrom,
                        until: cert.validUntil,
                      })}{' '}
                      <Badge tone={cert.validToday ? 'green' : 'grey'}>
                        {t(cert.validToday ? 'review.cert.valid' : 'review.cert.invalid')}
                      </Badge>
                    </li>
                  ))}
                </ul>
              )}
            </dd>
            <dt className="text-stone-600">{t('review.col.submittedAt')}</dt>
            <dd>
              {item.submittedAt ? (
                <time dateTime={item.submittedAt}>{shanghaiDateTime(item.submittedAt)}</time>
              ) : (
                '—'
              )}
            </dd>
          </dl>
          {item.description ? (
            <details className="text-sm">
              <summary className="cursor-pointer text-stone-700">{t('review.col.description')}</summary>
              <p className="mt-1 whitespace-pre-line text-stone-700">{item.description}</p>
            </details>
          ) : null}
        </div>
      </div>
      <div className="mt-4 flex flex-col gap-3 rounded bg-stone-50 p-3 sm:flex-row sm:items-start">
        <Form method="post">
          <input type="hidden" name="intent" value="approve" />
          <input type="hidden" name="productId" value={item.productId} />
          <button
            type="submit"
            disabled={busy}
            aria-label={t('review.approveLabel', { name: item.name })}
            className="rounded bg-brand-600 px-4 py-2 text-white hover:bg-brand-700 disabled:opacity-60"
          >
            {t('review.approve')}
          </button>
        </Form>
        <Form method="post" className="flex flex-1 flex-wrap items-start gap-2" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="reject" />
          <input type="hidden" name="productId" value={item.productId} />
          <div className="min-w-56 flex-1">
            <TextareaField
              label={
                <span className="text-xs">
                  {t('review.reason')}
                  <span className="sr-only">（{item.name}）</span>
                </span>
              }
              meta={fields.reason}
              hint={t('review.reasonHint')}
              rows={2}
              className="mt-1 w-full px-2 py-1"
            />
          </div>
          <button
            type="submit"
            disabled={busy}
            aria-label={t('review.rejectLabel', { name: item.name })}
            className="mt-5 rounded border border-red-600 bg-white px-4 py-2 text-red-700 hover:bg-red-50 disabled:opacity-60"
          >
            {t('review.reject')}
          </button>
        </Form>
      </div>
    </li>
  )
}
