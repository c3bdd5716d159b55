import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { OrderStatusBadge } from '~/components/order-status'
import { orderPageForm } from '~/domains/orders'
import {
  cancelOrder,
  confirmReceipt,
  getBuyerOrder,
  requestSellerOrderRefund,
  type TimelineStep,
} from '~/domains/orders/index.server'
import { configuredBankTransfer } from '~/domains/payments/index.server'
import { shanghaiDateTime, systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { parseForm } from '~/utils/form.server'
import { invariantResponse } from '~/utils/guards.server'
import { useLocale, useT } from '~/utils/locale'
import { formatFen } from '~/utils/money'
import { requireAccess } from '~/utils/permissions.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `订单 ${data.order.number} · 消费帮扶集市` : '订单 · 消费帮扶集市' },
]

export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/account.orders.$orderId', 'loader')
  const order = await getBuyerOrder(
    getDb(),
    { userId: auth.userId, orderId: args.params.orderId ?? '' },
    configuredBankTransfer(),
  )
  invariantResponse(order, '订单不存在 / Order not found', { status: 404 })
  return { order }
}

export async function action(args: ActionFunctionArgs) {
  const submission = await parseForm(args.request, orderPageForm)
  const { intent } = submission.payload
  const auth = requireAccess(args, 'routes/account.orders.$orderId', 'action', {
    intent: typeof intent === 'string' ? intent : '',
  })
  const orderId = args.params.orderId ?? ''
  const notFound = () => invariantResponse(false, '订单不存在 / Order not found', { status: 404 })
  if (submission.status !== 'success') {
    return data({ done: null, error: null, result: submission.reply() }, { status: 400 })
  }
  const form = submission.value
  const db = getDb()
  if (form.intent === 'cancel') {
    const result = await cancelOrder(db, { orderId, buyerUserId: auth.userId }, systemClock)
    if (!result.ok && result.reason === 'not_found') notFound()
    if (result.ok) return data({ done: 'cancelled' as const, error: null, result: null })
    return data({ done: null, error: 'not_pending' as const, result: null }, { status: 409 })
  }
  // Cooperative console II: one seller's part — receipt, or a refund before it ships.
  const input = { userId: auth.userId, orderId, sellerOrderId: form.sellerOrderId }
  const result =
    form.intent === 'confirm-receipt'
      ? await confirmReceipt(db, input, systemClock)
      : await requestSellerOrderRefund(db, { ...input, reason: form.reason }, systemClock)
  if (!result.ok && result.error === 'not_found') notFound()
  if (result.ok)
    return data({
      done: form.intent === 'confirm-receipt' ? ('received' as const) : ('refund_requested' as const),
      error: null,
      result: null,
    })
  return data({ done: null, error: result.error, result: null }, { status: 409 })
}

function stepLabel(t: ReturnType<typeof useT>, step: TimelineStep, refunded: string): string {
  if (step.key === 'awaiting_payment')
    // A unit's order on account has no payment window (government procurement, issue 16).
    return step.at
      ? t('order.step.awaiting_payment', { at: shanghaiDateTime(step.at) })
      : t('order.step.awaitingOnAccount')
  if (step.key === 'refunded') return t('order.step.refunded', { amount: refunded })
  return t(`order.step.${step.key}`)
}

export default function OrderPage() {
  const { order } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [params] = useSearchParams()
  const t = useT()
  const locale = useLocale()
  return (
    <article className="space-y-6">
      <Link to="/account/orders" className="text-sm text-brand-700 underline">
        {t('order.back')}
      </Link>
      <header className="flex flex-wrap items-center gap-3">
        <h2 className="text-xl font-semibold">{t('order.title', { number: order.number })}</h2>
        <OrderStatusBadge status={order.status} />
      </header>
      {params.get('placed') && order.status === 'pending_payment' ? (
        <p role="status" className="rounded border border-brand-200 bg-brand-50 p-3 text-sm text-brand-800">
          {t('order.placed')}
        </p>
      ) : null}
      {actionData?.done ? (
        <p role="status" className="rounded border border-stone-200 bg-stone-50 p-3 text-sm">
          {actionData.done === 'cancelled'
            ? t('order.cancelled')
            : t(`order.fulfilment.done.${actionData.done}`)}
        </p>
      ) : null}
      {actionData?.error ? (
        <p role="alert" className="rounded border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          {actionData.error === 'not_pending'
            ? t('order.notPending')
            : t(`order.fulfilment.error.${actionData.error}`)}
        </p>
      ) : null}

      <section aria-labelledby="timeline-heading">
        <h3 id="timeline-heading" className="font-semibold">
          {t('order.timeline')}
        </h3>
        <ol className="mt-2 space-y-2 border-l-2 border-brand-200 pl-4" data-testid="order-timeline">
          {order.timeline.map((step) => (
            <li
              key={step.key}
              aria-current={step.current ? 'step' : undefined}
              className={step.current ? 'font-medium text-brand-800' : 'text-stone-600'}
            >
              {stepLabel(t, step, formatFen(order.payment?.refundedFen ?? 0, locale))}
              {step.at && step.key !== 'awaiting_payment' ? (
                <time dateTime={step.at} className="ml-2 text-xs text-stone-500">
                  {shanghaiDateTime(step.at)}
                </time>
              ) : null}
            </li>
          ))}
        </ol>
      </section>

      {order.payment?.status === 'flagged' && order.payment.receivedFen !== null ? (
        <FlaggedTransfer
          amountFen={order.payment.amountFen}
          receivedFen={order.payment.receivedFen}
          reference={order.payment.reference}
        />
      ) : null}

      {order.instructions ? (
        <section
          aria-labelledby="pay-heading"
          className="rounded-lg border-2 border-amber-300 bg-amber-50 p-4"
        >
          <h3 id="pay-heading" className="font-semibold">
            {t('order.pay.title')}
          </h3>
          {order.instructions.account.demo ? (
            <p className="mt-1 text-sm font-medium text-red-700">{t('order.pay.demo')}</p>
          ) : null}
          <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-stone-500">{t('order.pay.accountName')}</dt>
            <dd>{order.instructions.account.accountName}</dd>
            <dt className="text-stone-500">{t('order.pay.bank')}</dt>
            <dd>{order.instructions.account.bankName}</dd>
            <dt className="text-stone-500">{t('order.pay.accountNumber')}</dt>
            <dd className="font-mono">{order.instructions.account.accountNumber}</dd>
            <dt className="text-stone-500">{t('order.pay.reference')}</dt>
            <dd className="font-mono text-lg font-semibold" data-testid="payment-reference">
              {order.instructions.reference}
            </dd>
            <dt className="text-stone-500">{t('order.pay.amount')}</dt>
            <dd className="text-lg font-semibold text-earth-700" data-testid="payment-amount">
              {formatFen(order.instructions.amountFen, locale)}
            </dd>
          </dl>
          <p className="mt-2 text-sm">{t('order.pay.referenceHint')}</p>
          {order.paymentDueAt ? (
            <p className="text-sm">{t('order.pay.due', { at: shanghaiDateTime(order.paymentDueAt) })}</p>
          ) : null}
        </section>
      ) : null}

      <section aria-labelledby="sellers-heading" className="space-y-3">
        <h3 id="sellers-heading" className="font-semibold">
          {t('order.sellers')}
        </h3>
        {order.sellers.map((seller) => (
          <div key={seller.sellerName} className="rounded-lg border border-stone-200 bg-white">
            <p className="flex items-center justify-between border-b border-stone-100 px-4 py-2 text-sm">
              <span>{t('cart.seller', { name: seller.sellerName })}</span>
              <OrderStatusBadge status={seller.status} />
            </p>
            <ul className="divide-y divide-stone-100 text-sm">
              {seller.lines.map((line) => (
                <li key={line.slug} className="flex justify-between gap-3 px-4 py-2">
                  <span>
                    <Link to={`/products/${line.slug}`} className="hover:underline">
                      {line.name}
                    </Link>{' '}
                    × {line.qty}（
                    {t('cart.unitPrice', { price: formatFen(line.unitPriceFen, locale), unit: line.unit })}）
                  </span>
                  <span>{formatFen(line.amountFen, locale)}</span>
                </li>
              ))}
            </ul>
            <p className="border-t border-stone-100 px-4 py-2 text-right text-sm">
              {t('cart.sellerSubtotal', { amount: formatFen(seller.subtotalFen, locale) })}
            </p>
            {seller.status === 'paid' ? <SellerFulfilment seller={seller} /> : null}
          </div>
        ))}
        <p className="text-right text-lg">
          {t('cart.total')}：<strong className="text-earth-700">{formatFen(order.totalFen, locale)}</strong>
        </p>
        {order.credited ? (
          <p className="rounded bg-brand-50 p-3 text-sm text-brand-800" data-testid="order-impact">
            {order.credited.households > 0
              ? t('order.credited', {
                  amount: formatFen(order.credited.amountFen, locale),
                  households: order.credited.households,
                })
              : t('order.creditReversed')}
          </p>
        ) : order.status === 'pending_payment' ? (
          <p className="rounded bg-brand-50 p-3 text-sm text-brand-800" data-testid="order-impact">
            {t('order.impact', { amount: formatFen(order.proceedsFen, locale) })}
          </p>
        ) : null}
      </section>

      {order.receipt ? <LedgerReceipt receipt={order.receipt} /> : null}

      <section className="grid gap-4 sm:grid-cols-2">
        <div>
          <h3 className="font-semibold">{t('order.delivery')}</h3>
          <p className="mt-1 text-sm">
            {order.delivery.recipient} · {order.delivery.phone}
            <br />
            {order.delivery.regionPath} {order.delivery.address}
          </p>
        </div>
        <div>
          <h3 className="font-semibold">{t('order.invoice')}</h3>
          <p className="mt-1 text-sm">
            {order.invoice === null
              ? t('order.invoice.none')
              : order.invoice.kind === 'company'
                ? t('order.invoice.company', { title: order.invoice.title, taxId: order.invoice.taxId ?? '' })
                : t('order.invoice.personal', { title: order.invoice.title })}
          </p>
        </div>
      </section>

      {order.canCancel ? (
        <Form
          method="post"
          onSubmit={(event) => {
            if (!window.confirm(t('order.cancelConfirm'))) event.preventDefault()
          }}
        >
          <input type="hidden" name="intent" value="cancel" />
          <button
            type="submit"
            className="rounded border border-red-300 px-4 py-2 text-sm text-red-700 hover:bg-red-50"
          >
            {t('order.cancel')}
          </button>
        </Form>
      ) : null}
    </article>
  )
}

/**
 * A transfer finance recorded with the wrong amount: what arrived, what is still owed (or paid too much), and what
 * to do — the buyer should never have to guess from a step that only says "does not match".
 */
function FlaggedTransfer({
  amountFen,
  receivedFen,
  reference,
}: {
  amountFen: number
  receivedFen: number
  reference: string
}) {
  const t = useT()
  const locale = useLocale()
  const short = receivedFen < amountFen
  return (
    <section
      aria-labelledby="flagged-heading"
      className="rounded-lg border-2 border-red-300 bg-red-50 p-4 text-sm"
    >
      <h3 id="flagged-heading" className="font-semibold text-red-900">
        {t('order.flagged.title')}
      </h3>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
        <dt className="text-stone-600">{t('order.flagged.due')}</dt>
        <dd>{formatFen(amountFen, locale)}</dd>
        <dt className="text-stone-600">{t('order.flagged.received')}</dt>
        <dd data-testid="flagged-received">{formatFen(receivedFen, locale)}</dd>
        <dt className="font-medium text-stone-800">
          {t(short ? 'order.flagged.owed' : 'order.flagged.over')}
        </dt>
        <dd className="font-semibold text-red-900" data-testid="flagged-difference">
          {formatFen(Math.abs(amountFen - receivedFen), locale)}
        </dd>
      </dl>
      <p className="mt-2">
        {short
          ? t('order.flagged.payRest', { reference, amount: formatFen(amountFen - receivedFen, locale) })
          : t('order.flagged.refundOver')}
      </p>
    </section>
  )
}

/** Cooperative console II: one seller's part of a paid order, from shipping to receipt, and what the buyer can do. */
function SellerFulfilment({
  seller,
}: {
  seller: {
    sellerOrderId: string
    fulfilment: 'none' | 'shipped' | 'delivered' | 'received'
    carrier: string | null
    trackingNumber: string | null
    shippedAt: string | null
    deliveredAt: string | null
    receivedAt: string | null
    receivedAutomatically: boolean
    refundRequest: string | null
  }
}) {
  const t = useT()
  const steps: Array<{ key: string; label: string; at: string | null }> = [
    {
      key: 'shipped',
      label: seller.carrier
        ? t('order.fulfilment.shipped', { carrier: seller.carrier, tracking: seller.trackingNumber ?? '' })
        : t('order.fulfilment.shippedPlain'),
      at: seller.shippedAt,
    },
    { key: 'delivered', label: t('order.fulfilment.delivered'), at: seller.deliveredAt },
    {
      key: 'received',
      label: seller.receivedAutomatically
        ? t('order.fulfilment.receivedAuto')
        : t('order.fulfilment.received'),
      at: seller.receivedAt,
    },
  ].filter((s) => s.at !== null)
  return (
    <div className="space-y-2 border-t border-stone-100 px-4 py-3 text-sm" data-testid="fulfilment">
      {steps.length === 0 ? (
        <p>
          {seller.refundRequest === 'requested'
            ? t('order.fulfilment.refundPending')
            : t('order.fulfilment.awaiting')}
        </p>
      ) : (
        <ol className="space-y-1">
          {steps.map((step) => (
            <li key={step.key}>
              {step.label}
              <time dateTime={step.at!} className="ml-2 text-xs text-stone-500">
                {shanghaiDateTime(step.at!)}
              </time>
            </li>
          ))}
        </ol>
      )}
      {seller.fulfilment === 'shipped' || seller.fulfilment === 'delivered' ? (
        <Form method="post">
          <input type="hidden" name="intent" value="confirm-receipt" />
          <input type="hidden" name="sellerOrderId" value={seller.sellerOrderId} />
          <button type="submit" className="rounded bg-brand-700 px-3 py-1.5 text-white hover:bg-brand-800">
            {t('order.fulfilment.confirm')}
          </button>
          <p className="mt-1 text-xs text-stone-600">{t('order.fulfilment.autoHint')}</p>
        </Form>
      ) : null}
      {seller.fulfilment === 'none' && seller.refundRequest !== 'requested' ? (
        <details>
          <summary className="cursor-pointer text-stone-700">{t('order.refund.open')}</summary>
          <Form method="post" className="mt-2 space-y-2">
            <input type="hidden" name="intent" value="request-refund" />
            <input type="hidden" name="sellerOrderId" value={seller.sellerOrderId} />
            <label htmlFor={`reason-${seller.sellerOrderId}`} className="block font-medium">
              {t('order.refund.reason')}
            </label>
            <input
              id={`reason-${seller.sellerOrderId}`}
              name="reason"
              required
              minLength={2}
              maxLength={200}
              className="w-full rounded border border-stone-300 px-3 py-2"
            />
            <button
              type="submit"
              className="rounded border border-red-300 px-3 py-1.5 text-red-700 hover:bg-red-50"
            >
              {t('order.refund.submit')}
            </button>
          </Form>
        </details>
      ) : null}
    </div>
  )
}

/**
 * Office dashboard II (decision 024): the ledger entries this order's payment wrote, with their seq and hash, the
 * counted and credited totals, and how anyone can check them against the ledger and the 公示 page's published head.
 */
function LedgerReceipt({
  receipt,
}: {
  receipt: {
    entries: Array<{ seq: number; hash: string; kind: 'sale' | 'reversal'; amountFen: string }>
    countedFen: string
    creditedFen: string
  }
}) {
  const t = useT()
  const locale = useLocale()
  const last = receipt.entries[receipt.entries.length - 1]!
  return (
    <section aria-labelledby="ledger-receipt" className="rounded-lg border border-stone-200 bg-white p-4">
      <h3 id="ledger-receipt" className="font-semibold">
        {t('receipt.title')}
      </h3>
      <p className="mt-1 text-sm text-stone-600">{t('receipt.intro')}</p>
      <div className="mt-2 overflow-x-auto">
        <table className="w-full text-sm" data-testid="ledger-receipt">
          <caption className="sr-only">{t('receipt.title')}</caption>
          <thead>
            <tr className="border-b text-left text-stone-500">
              <th scope="col" className="py-1 pr-2">
                {t('receipt.col.seq')}
              </th>
              <th scope="col" className="py-1 pr-2">
                {t('receipt.col.kind')}
              </th>
              <th scope="col" className="py-1 pr-2 text-right">
                {t('receipt.col.amount')}
              </th>
              <th scope="col" className="py-1">
                {t('receipt.col.hash')}
              </th>
            </tr>
          </thead>
          <tbody>
            {receipt.entries.map((e) => (
              <tr key={e.seq} className="border-b align-top" data-testid="receipt-entry">
                <th
                  scope="row"
                  className="py-1 pr-2 text-left font-normal tabular-nums"
                  data-testid="receipt-seq"
                >
                  {e.seq}
                </th>
                <td className="py-1 pr-2">{t(`receipt.kind.${e.kind}`)}</td>
                <td className="py-1 pr-2 text-right tabular-nums">
                  {formatFen(BigInt(e.amountFen), locale)}
                </td>
                <td className="py-1 font-mono text-xs break-all" data-testid="receipt-hash">
                  {e.hash}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
        <dt className="text-stone-500">{t('receipt.counted')}</dt>
        <dd data-testid="receipt-counted">{formatFen(BigInt(receipt.countedFen), locale)}</dd>
        <dt className="text-stone-500">{t('receipt.credited')}</dt>
        <dd>{formatFen(BigInt(receipt.creditedFen), locale)}</dd>
      </dl>
      <p className="mt-2 text-sm">{t('receipt.check')}</p>
      <pre className="mt-1 overflow-x-auto rounded bg-stone-100 p-2 text-xs">
        <code data-testid="receipt-command">{`npm run ledger:verify -- --expect ${last.seq}:${last.hash}`}</code>
      </pre>
    </section>
  )
}
