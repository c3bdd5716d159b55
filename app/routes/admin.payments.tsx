import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { ErrorList } from '~/components/forms'
import { Badge } from '~/components/ui/badge'
import { Pagination } from '~/components/ui/pagination'
import { FilterTabs } from '~/components/ui/filter-tabs'
import { confirmBankTransfer, refundRemaining } from '~/domains/payments/index.server'
import { listBankTransfers, type PaymentQueueItem } from '~/domains/orders/index.server'
import { paymentForm, paymentQueueFilters } from '~/domains/payments'
import { shanghaiDateTime, systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { parseForm } from '~/utils/form.server'
import { invariantResponse } from '~/utils/guards.server'
import { useLocale, useT } from '~/utils/locale'
import { formatFen } from '~/utils/money'
import { requireAccess } from '~/utils/permissions.server'
import { useIsPending } from '~/utils/use-is-pending'
import { queryText } from '~/utils/validation'

export const meta: MetaFunction = () => [{ title: '到账确认 · 消费帮扶集市' }]

const PAGE_SIZE = 20

const listQuery = z.object({
  filter: z.enum(paymentQueueFilters).catch('open'),
  q: queryText(40),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
})

/** Platform finance: bank transfers waiting to be matched with the statement, and what was confirmed. */
export async function loader(args: LoaderFunctionArgs) {
  requireAccess(args, 'routes/admin.payments', 'loader')
  const params = new URL(args.request.url).searchParams
  const parsed = listQuery.safeParse({
    filter: params.get('filter') ?? undefined,
    q: params.get('q') ?? '',
    page: params.get('page') ?? undefined,
  })
  // Only q can fail: too long, or holding control characters (which no reference or order number has).
  invariantResponse(parsed.success, 'Bad request: q')
  const query = parsed.data
  const result = await listBankTransfers(getDb(), { ...query, pageSize: PAGE_SIZE, now: systemClock.now() })
  return { ...query, ...result, pageSize: PAGE_SIZE }
}

type Refusal =
  | { error: 'refund_failed' | 'not_found' | 'not_pending' }
  | { error: 'amount_mismatch'; receivedFen: number }

export async function action(args: ActionFunctionArgs) {
  const submission = await parseForm(args.request, paymentForm)
  const { intent, paymentId: sentPaymentId } = submission.payload
  const auth = requireAccess(args, 'routes/admin.payments', 'action', {
    intent: typeof intent === 'string' ? intent : '',
  })
  // Which row the answer belongs to (a forged id matches none).
  const paymentId = typeof sentPaymentId === 'string' ? sentPaymentId : ''
  const answer = (outcome: {
    result?: ReturnType<typeof submission.reply>
    done?: { reference: string; refundedFen?: number }
    refusal?: Refusal
  }) => ({ paymentId, result: null, done: null, refusal: null, ...outcome })
  if (submission.status !== 'success') {
    return data(answer({ result: submission.reply() }), { status: 400 })
  }
  const form = submission.value
  if (form.intent === 'refund') {
    // Whatever is left of the payment goes back; the ledger appends reversing entries (nothing is deleted).
    const refund = await refundRemaining(
      getDb(),
      { paymentId: form.paymentId, financeUserId: auth.userId },
      systemClock,
    )
    if (refund.ok) {
      return data(answer({ done: { reference: form.reference, refundedFen: Number(refund.amountFen) } }))
    }
    return data(answer({ refusal: { error: 'refund_failed' } }), { status: 409 })
  }
  const result = await confirmBankTransfer(
    getDb(),
    { paymentId: form.paymentId, receivedFen: form.received, financeUserId: auth.userId },
    systemClock,
  )
  if (result.ok) return data(answer({ done: { reference: form.reference } }))
  if (result.reason === 'amount_mismatch') {
    // A mismatch is recorded (the payment is now flagged): 200, so that the page reloads and shows it.
    return data(answer({ refusal: { error: 'amount_mismatch', receivedFen: Number(form.received) } }))
  }
  return data(answer({ refusal: { error: result.reason } }), {
    status: result.reason === 'not_found' ? 404 : 409,
  })
}

const statusTone = { pending: 'amber', flagged: 'red', confirmed: 'green' } as const

export default function Payments() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const t = useT()
  const locale = useLocale()
  const done = actionData?.done
  const refunded = done?.refundedFen !== undefined ? { ...done, amountFen: done.refundedFen } : null
  return (
    <div className="space-y-4">
      <h2 className="text-xl font-semibold">{t('payments.title')}</h2>
      <p className="text-sm text-stone-600">{t('payments.intro')}</p>
      {/* Bank statement import (issue 18 item 5). */}
      <p className="text-sm">
        <Link to="/admin/payments/statements" className="text-brand-700 underline">
          {t('statement.link')}
        </Link>
      </p>
      {refunded ? (
        <p role="status" className="rounded border border-stone-200 bg-stone-50 p-3 text-sm">
          {t('payments.refunded', {
            reference: refunded.reference,
            amount: formatFen(refunded.amountFen, locale),
          })}
        </p>
      ) : null}
      {done && !refunded ? (
        <p role="status" className="rounded border border-brand-200 bg-brand-50 p-3 text-sm text-brand-800">
          {t('payments.done', { reference: done.reference })}
        </p>
      ) : null}
      <div className="flex flex-wrap items-end justify-between gap-3">
        <FilterTabs
          label={t('payments.filter')}
          current={data.filter}
          tabs={paymentQueueFilters.map((filter) => ({
            key: filter,
            to: filter === 'open' ? '/admin/payments' : `/admin/payments?filter=${filter}`,
            label: t(`payments.tab.${filter}`),
          }))}
        />
        <Form method="get" role="search" className="flex gap-2">
          <input type="hidden" name="filter" value={data.filter} />
          <label htmlFor="payment-q" className="sr-only">
            {t('payments.search')}
          </label>
          <input
            id="payment-q"
            name="q"
            defaultValue={data.q}
            placeholder={t('payments.search')}
            className="rounded border border-stone-300 px-3 py-1 text-sm"
          />
          <button
            type="submit"
            className="rounded border border-stone-300 px-3 py-1 text-sm hover:bg-stone-100"
          >
            {t('payments.searchSubmit')}
          </button>
        </Form>
      </div>
      {data.items.length === 0 ? (
        <p className="rounded-lg border border-dashed border-stone-300 p-8 text-center text-stone-600">
          {t('payments.empty')}
        </p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm">
            <thead className="text-left text-stone-500">
              <tr>
                <th scope="col" className="py-2 pr-3">
                  {t('payments.col.reference')}
                </th>
                <th scope="col" className="py-2 pr-3">
                  {t('payments.col.order')}
                </th>
                <th scope="col" className="py-2 pr-3">
                  {t('payments.col.buyer')}
                </th>
                <th scope="col" className="py-2 pr-3 text-right">
                  {t('payments.col.amount')}
                </th>
                <th scope="col" className="py-2 pr-3">
                  {t('payments.col.due')}
                </th>
                <th scope="col" className="py-2 pr-3">
                  {t('payments.col.status')}
                </th>
                <th scope="col" className="py-2">
                  {t('payments.col.action')}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((item) => (
                <PaymentRow
                  key={item.paymentId}
                  item={item}
                  actionData={actionData?.paymentId === item.paymentId ? actionData : undefined}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={data.page} pageSize={data.pageSize} total={data.total} />
    </div>
  )
}

type RowAnswer = { result: { error?: Record<string, string[] | null> } | null; refusal: Refusal | null }

function PaymentRow({ item, actionData }: { item: PaymentQueueItem; actionData: RowAnswer | undefined }) {
  const t = useT()
  const locale = useLocale()
  const busy = useIsPending()
  const inputId = `received-${item.paymentId}`
  const refusal = actionData?.refusal
  // The form's problems (the amount is the one field a person types), or what confirming or refunding refused.
  const problems = actionData?.result
    ? Object.values(actionData.result.error ?? {}).flatMap((messages) => messages ?? [])
    : []
  const refusalMessage = !refusal
    ? null
    : refusal.error === 'amount_mismatch'
      ? t('payments.mismatch', {
          received: formatFen(refusal.receivedFen, locale),
          amount: formatFen(item.amountFen, locale),
        })
      : refusal.error === 'not_found'
        ? t('payments.notFound')
        : refusal.error === 'refund_failed'
          ? t('payments.refundFailed')
          : t('payments.notPending')
  const error = refusalMessage !== null || problems.length > 0
  const open = item.status !== 'confirmed' && item.orderStatus === 'pending_payment'
  return (
    <tr className="border-t border-stone-100 align-top" data-testid={`payment-${item.reference}`}>
      <td className="py-2 pr-3 font-mono whitespace-nowrap">{item.reference}</td>
      <td className="py-2 pr-3 font-mono whitespace-nowrap">{item.orderNumber}</td>
      <td className="py-2 pr-3">{item.buyerName}</td>
      <td className="py-2 pr-3 text-right">
        {formatFen(item.amountFen, locale)}
        {item.receivedFen !== null && item.receivedFen !== item.amountFen ? (
          <span className="block text-xs text-red-700">
            {t('payments.col.received')} {formatFen(item.receivedFen, locale)}
          </span>
        ) : null}
      </td>
      <td className="py-2 pr-3">
        {item.paymentDueAt ? shanghaiDateTime(item.paymentDueAt) : '—'}
        {item.overdue ? (
          <span className="block" data-testid="overdue">
            <Badge tone="red">{t('payments.overdue')}</Badge>
          </span>
        ) : null}
      </td>
      <td className="py-2 pr-3">
        <Badge tone={statusTone[item.status]}>{t(`payments.status.${item.status}`)}</Badge>
        {item.orderStatus !== 'pending_payment' && item.status !== 'confirmed' ? (
          <span className="block text-xs text-stone-500">{t(`orders.status.${item.orderStatus}`)}</span>
        ) : null}
      </td>
      <td className="py-2">
        {open ? (
          <Form method="post" className="flex flex-wrap items-start gap-2">
            <input type="hidden" name="intent" value="confirm" />
            <input type="hidden" name="paymentId" value={item.paymentId} />
            <input type="hidden" name="reference" value={item.reference} />
            <div>
              <label htmlFor={inputId} className="sr-only">
                {t('payments.received')} · {item.reference}
              </label>
              <input
                id={inputId}
                name="received"
                inputMode="decimal"
                placeholder={t('payments.received')}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `${inputId}-error` : undefined}
                className={`w-36 rounded border px-2 py-1 ${error ? 'border-red-600' : 'border-stone-300'}`}
              />
              <RowError id={`${inputId}-error`} problems={problems} refusal={refusalMessage} />
            </div>
            <button
              type="submit"
              disabled={busy}
              className="rounded bg-brand-700 px-3 py-1 text-white hover:bg-brand-800 disabled:opacity-60"
            >
              {t('payments.confirm')}
            </button>
          </Form>
        ) : item.confirmedAt ? (
          <div className="space-y-1">
            <time dateTime={item.confirmedAt} className="block text-xs text-stone-500">
              {shanghaiDateTime(item.confirmedAt)}
            </time>
            {item.refundedFen > 0 ? (
              <span className="block text-xs text-stone-600">
                {t('payments.refundedSoFar', { amount: formatFen(item.refundedFen, locale) })}
              </span>
            ) : null}
            {/* Cooperative console II: the buyer's open refund requests for parts not shipped yet. */}
            {item.refundRequests.map((request, i) => (
              <span key={i} className="block text-xs text-red-800" data-testid="refund-request">
                {t('payments.refundRequested', {
                  seller: request.sellerName,
                  amount: formatFen(request.amountFen, locale),
                  reason: request.reason,
                })}
              </span>
            ))}
            {item.refundedFen < item.amountFen ? (
              <Form
                method="post"
                onSubmit={(event) => {
                  if (!window.confirm(t('payments.refundConfirm', { reference: item.reference })))
                    event.preventDefault()
                }}
              >
                <input type="hidden" name="intent" value="refund" />
                <input type="hidden" name="paymentId" value={item.paymentId} />
                <input type="hidden" name="reference" value={item.reference} />
                <button
                  type="submit"
                  className="rounded border border-red-300 px-2 py-0.5 text-xs text-red-700 hover:bg-red-50"
                >
                  {t('payments.refund')}
                </button>
              </Form>
            ) : null}
            <RowError problems={problems} refusal={refusalMessage} />
          </div>
        ) : null}
      </td>
    </tr>
  )
}

/** A row's answer, where the row's control is: a refusal (with its amounts), or the form's problems. */
function RowError({ id, problems, refusal }: { id?: string; problems: string[]; refusal: string | null }) {
  if (refusal) {
    return (
      <p id={id} role="alert" className="mt-1 max-w-56 text-xs text-red-700">
        {refusal}
      </p>
    )
  }
  return <ErrorList id={id} errors={problems} alert className="mt-1 max-w-56 text-xs text-red-700" />
}
