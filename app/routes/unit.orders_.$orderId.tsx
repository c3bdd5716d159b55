import { getFormProps, getInputProps } from '@conform-to/react'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { Notice } from '~/components/coop-console'
import { Field, FormAlert, TextareaField, useSchemaForm } from '~/components/forms'
import { Badge } from '~/components/ui/badge'
import { storeEvidenceFile } from '~/domains/catalog/index.server'
import { acceptanceForm } from '~/domains/procurement'
import { acceptSellerOrder, getUnitOrder, type UnitOrderDetail } from '~/domains/procurement/index.server'
import { shanghaiDate, shanghaiDateTime, systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { invariantResponse } from '~/utils/guards.server'
import type { MessageKey } from '~/utils/i18n'
import { useLocale, useT } from '~/utils/locale'
import { formatFen } from '~/utils/money'
import { requireAccess } from '~/utils/permissions.server'
import { unitActor } from '~/utils/unit-console.server'
import { readUploads, uploadLimits } from '~/utils/upload.server'
import { uploadRefusalKey } from '~/utils/upload-refusal'
import { parseSubmission, routeParam } from '~/utils/validation'
import { useIsPending } from '~/utils/use-is-pending'

export const meta: MetaFunction = () => [{ title: '订单验收 · 单位采购 · 消费帮扶集市' }]

/** The most photos one acceptance carries. */
const MAX_PHOTOS = 4

function orderIdOf(args: LoaderFunctionArgs | ActionFunctionArgs): string {
  const id = routeParam(args.params, 'orderId', { pattern: /^[0-9a-fA-F-]{36}$/ })
  invariantResponse(id, '订单不存在 / Not found', { status: 404 })
  return id
}

/** One of the unit's orders: its seller orders, their 验收, what is payable and when (decision 022). */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/unit.orders_.$orderId', 'loader')
  const order = await getUnitOrder(getDb(), { actor: unitActor(auth), orderId: orderIdOf(args) }, systemClock)
  invariantResponse(order, '订单不存在 / Not found', { status: 404 })
  return { order }
}

type Answer = {
  sellerOrderId: string | null
  result: ReturnType<ReturnType<typeof parseSubmission<typeof acceptanceForm>>['reply']> | null
  problem: { key: MessageKey; values?: Record<string, string> } | null
  done: MessageKey | null
  dispute: boolean
}

/**
 * 验收 of one seller order (multipart: the accepted quantities, notes and up to four photos stored through the files
 * service). Recorded once: a second acceptance is answered 409 with a clear message, and nothing changes.
 */
export async function action(args: ActionFunctionArgs) {
  const auth = requireAccess(args, 'routes/unit.orders_.$orderId', 'action')
  const actor = unitActor(auth)
  const orderId = orderIdOf(args)
  const answer = (outcome: Partial<Answer>, status = 200) =>
    data<Answer>(
      { sellerOrderId: null, result: null, problem: null, done: null, dispute: false, ...outcome },
      { status },
    )
  let uploads: Awaited<ReturnType<typeof readUploads>>
  try {
    uploads = await readUploads(args.request, { ...uploadLimits, files: MAX_PHOTOS })
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown
    return answer({ problem: { key: uploadRefusalKey(thrown.status) } }, thrown.status)
  }
  const fields = new URLSearchParams()
  for (const [name, value] of Object.entries(uploads.fields)) fields.set(name, value)
  const submission = parseSubmission(fields, acceptanceForm)
  if (submission.status !== 'success') return answer({ result: submission.reply() }, 400)
  const db = getDb()
  const photoKeys: string[] = []
  for (const photo of uploads.files.filter((f) => f.field === 'photos' && f.bytes.length > 0)) {
    const stored = await storeEvidenceFile(
      db,
      { upload: { filename: photo.filename, bytes: photo.bytes }, actorUserId: actor.userId },
      systemClock,
    )
    if (!stored.ok)
      return answer(
        {
          sellerOrderId: submission.value.sellerOrderId,
          result: submission.reply(),
          problem: {
            key: 'unit.external.error.refused',
            values: { file: photo.filename, reason: stored.reason },
          },
        },
        415,
      )
    photoKeys.push(stored.key)
  }
  const result = await acceptSellerOrder(
    db,
    { actor, orderId, form: submission.value, photoKeys },
    systemClock,
  )
  if (!result.ok) {
    invariantResponse(result.error !== 'not_found', '订单不存在 / Not found', { status: 404 })
    return answer(
      {
        sellerOrderId: submission.value.sellerOrderId,
        result: submission.reply(),
        problem: { key: `unit.accept.error.${result.error}` },
      },
      409,
    )
  }
  return answer({
    sellerOrderId: submission.value.sellerOrderId,
    done:
      result.payableFen !== null && result.payableFen > 0n ? 'unit.accept.donePayable' : 'unit.accept.done',
    dispute: result.disputeOpened,
  })
}

type Seller = UnitOrderDetail['sellers'][number]

function AcceptForm({ seller }: { seller: Seller }) {
  const t = useT()
  const actionData = useActionData<typeof action>()
  const mine = actionData?.sellerOrderId === seller.id ? actionData : null
  const [form, fields] = useSchemaForm(acceptanceForm, {
    id: `accept-${seller.id}`,
    lastResult: mine?.result ?? null,
    defaultValue: {
      sellerOrderId: seller.id,
      lines: seller.lines.map((l) => ({ orderLineId: l.id, acceptedQty: String(l.qty) })),
    },
  })
  const pending = useIsPending()
  const lineFields = fields.lines.getFieldList()
  return (
    <Form
      method="post"
      encType="multipart/form-data"
      {...getFormProps(form)}
      className="space-y-3 rounded border border-stone-200 bg-stone-50 p-3"
    >
      <h4 className="font-semibold">{t('unit.order.accept.title')}</h4>
      <input {...getInputProps(fields.sellerOrderId, { type: 'hidden' })} />
      {mine?.problem ? <FormAlert>{t(mine.problem.key, mine.problem.values)}</FormAlert> : null}
      <div className="grid gap-3 sm:grid-cols-2">
        {lineFields.map((lineMeta, i) => {
          const line = seller.lines[i]!
          const sub = lineMeta.getFieldset()
          return (
            <div key={line.id}>
              <input {...getInputProps(sub.orderLineId, { type: 'hidden' })} />
              <Field
                meta={sub.acceptedQty}
                type="number"
                min={0}
                max={line.qty}
                inputMode="numeric"
                label={t('unit.order.accept.qtyLabel', { name: line.name, qty: String(line.qty) })}
              />
            </div>
          )
        })}
      </div>
      <TextareaField meta={fields.notes} label={t('unit.order.accept.notes')} rows={2} />
      <div>
        <label htmlFor={`photos-${seller.id}`} className="mb-1 block text-sm font-medium">
          {t('unit.order.accept.photos')}
        </label>
        <input
          id={`photos-${seller.id}`}
          name="photos"
          type="file"
          multiple
          accept="image/jpeg,image/png,application/pdf"
          className="block w-full text-sm"
        />
      </div>
      <button
        type="submit"
        disabled={pending}
        className="rounded bg-brand-700 px-4 py-2 text-sm font-medium text-white hover:bg-brand-800 disabled:opacity-60"
      >
        {t('unit.order.accept.submit')}
      </button>
    </Form>
  )
}

export default function UnitOrderPage() {
  const t = useT()
  const locale = useLocale()
  const { order } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <div className="space-y-4">
      <p className="text-sm">
        <Link to="/unit/orders" className="text-brand-700 underline">
          {t('unit.order.back')}
        </Link>
      </p>
      <h1 className="text-xl font-semibold">{t('unit.order.title', { number: order.number })}</h1>
      {actionData?.done ? (
        <Notice>
          {t(actionData.done)} {actionData.dispute ? t('unit.accept.disputeOpened') : null}
        </Notice>
      ) : null}
      <section aria-labelledby="order-summary" className="rounded-lg border border-stone-200 bg-white p-3">
        <h2 id="order-summary" className="mb-2 font-semibold">
          {t('unit.order.summary')}
        </h2>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="text-stone-500">{t('unit.order.status')}</dt>
          <dd className="flex flex-wrap items-center gap-2">
            {t(`unit.orders.status.${order.status as 'pending_payment'}`)}
            {order.overdue ? (
              <span data-testid="overdue">
                <Badge tone="red">{t('unit.order.overdue')}</Badge>
              </span>
            ) : null}
          </dd>
          <dt className="text-stone-500">{t('unit.order.terms')}</dt>
          <dd>{t(`unit.order.terms.${order.terms as 'on_account'}`)}</dd>
          <dt className="text-stone-500">{t('unit.order.subtotal')}</dt>
          <dd>{formatFen(order.subtotalFen, locale)}</dd>
          <dt className="text-stone-500">{t('unit.order.payable')}</dt>
          <dd data-testid="payable">
            {order.payableFen === null ? t('unit.order.payableUnknown') : formatFen(order.payableFen, locale)}
          </dd>
          {order.paymentDueAt ? (
            <>
              <dt className="text-stone-500">{t('unit.order.due')}</dt>
              <dd>{shanghaiDate(new Date(order.paymentDueAt))}</dd>
            </>
          ) : null}
          {order.reference && order.status === 'pending_payment' ? (
            <>
              <dt className="text-stone-500">{t('unit.order.reference')}</dt>
              <dd className="font-mono">{order.reference}</dd>
            </>
          ) : null}
          {order.paidAt ? (
            <>
              <dt className="text-stone-500">{t('unit.order.paidAt')}</dt>
              <dd>{shanghaiDateTime(order.paidAt)}</dd>
            </>
          ) : null}
        </dl>
      </section>
      {order.sellers.map((seller) => (
        <section
          key={seller.id}
          aria-labelledby={`seller-${seller.id}`}
          className="space-y-3 rounded-lg border border-stone-200 bg-white p-3"
          data-testid="seller-order"
        >
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 id={`seller-${seller.id}`} className="font-semibold">
              {t('unit.order.seller', { name: seller.sellerName })}
            </h2>
            <Badge tone={seller.fulfilment === 'received' ? 'green' : 'amber'}>
              {t(`unit.order.fulfilment.${seller.fulfilment as 'none'}`)}
            </Badge>
          </div>
          <div className="overflow-x-auto">
            <table className="w-full text-sm">
              <caption className="sr-only">{t('unit.order.linesCaption')}</caption>
              <thead className="text-left text-stone-500">
                <tr>
                  <th scope="col" className="py-1 pr-3">
                    {t('unit.order.col.product')}
                  </th>
                  <th scope="col" className="py-1 pr-3 text-right">
                    {t('unit.order.col.qty')}
                  </th>
                  <th scope="col" className="py-1 pr-3 text-right">
                    {t('unit.order.col.price')}
                  </th>
                  <th scope="col" className="py-1 pr-3 text-right">
                    {t('unit.order.col.amount')}
                  </th>
                  <th scope="col" className="py-1 text-right">
                    {t('unit.order.col.accepted')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {seller.lines.map((l) => (
                  <tr key={l.id} className="border-t border-stone-100">
                    <td className="py-1 pr-3">{l.name}</td>
                    <td className="py-1 pr-3 text-right">
                      {l.qty} {l.unit}
                    </td>
                    <td className="py-1 pr-3 text-right">{formatFen(l.unitPriceFen, locale)}</td>
                    <td className="py-1 pr-3 text-right">{formatFen(l.amountFen, locale)}</td>
                    <td className="py-1 text-right">{l.acceptedQty === null ? '—' : l.acceptedQty}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {seller.acceptance ? (
            <div className="space-y-1 text-sm" data-testid="acceptance">
              <p>
                {t('unit.order.accepted', {
                  name: seller.acceptance.acceptedBy,
                  at: shanghaiDateTime(seller.acceptance.acceptedAt),
                  accepted: formatFen(seller.acceptance.acceptedFen, locale),
                  rejected: formatFen(seller.acceptance.rejectedFen, locale),
                })}
              </p>
              {seller.acceptance.notes ? (
                <p>{t('unit.order.notes', { notes: seller.acceptance.notes })}</p>
              ) : null}
              {seller.acceptance.photoKeys.length > 0 ? (
                <ul className="flex flex-wrap gap-2">
                  {seller.acceptance.photoKeys.map((key, i) => (
                    <li key={key}>
                      <a href={`/unit/evidence/${key}`} className="text-brand-700 underline">
                        {t('unit.order.accept.photos')} {i + 1}
                      </a>
                    </li>
                  ))}
                </ul>
              ) : null}
              {seller.acceptance.dispute ? (
                <p>
                  <Badge tone={seller.acceptance.dispute.status === 'open' ? 'amber' : 'grey'}>
                    {t(`unit.order.dispute.${seller.acceptance.dispute.status as 'open'}`)}
                  </Badge>{' '}
                  {seller.acceptance.dispute.answerNote
                    ? t('unit.order.dispute.note', { note: seller.acceptance.dispute.answerNote })
                    : null}
                </p>
              ) : null}
            </div>
          ) : order.mayAccept && (seller.fulfilment === 'shipped' || seller.fulfilment === 'delivered') ? (
            <AcceptForm seller={seller} />
          ) : null}
        </section>
      ))}
    </div>
  )
}
