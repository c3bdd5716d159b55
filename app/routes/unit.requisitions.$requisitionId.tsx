import { getFormProps } from '@conform-to/react'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { Notice } from '~/components/coop-console'
import { FormAlert, TextareaField, useSchemaForm } from '~/components/forms'
import { RequisitionStatusBadge } from '~/components/unit-console'
import { decisionForm } from '~/domains/procurement'
import { decideRequisition, getRequisition } from '~/domains/procurement/index.server'
import { configuredBankTransfer } from '~/domains/payments/index.server'
import { shanghaiDateTime, systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { parseForm } from '~/utils/form.server'
import { invariantResponse } from '~/utils/guards.server'
import type { MessageKey } from '~/utils/i18n'
import { isUuid } from '~/utils/ids'
import { useLocale, useT } from '~/utils/locale'
import { formatFen } from '~/utils/money'
import { requireAccess } from '~/utils/permissions.server'
import { unitActor } from '~/utils/unit-console.server'
import { useIsPending } from '~/utils/use-is-pending'

export const meta: MetaFunction = () => [{ title: '请购单 · 单位采购 · 消费帮扶集市' }]

function requisitionIdParam(params: { requisitionId?: string }): string {
  const id = params.requisitionId ?? ''
  invariantResponse(isUuid(id), 'Not found', { status: 404 })
  return id
}

/** One requisition: its lines, delivery and invoice, history, and (for an approver of the unit) the decision. */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/unit.requisitions.$requisitionId', 'loader')
  const requisitionId = requisitionIdParam(args.params)
  const requisition = await getRequisition(getDb(), { actor: unitActor(auth), requisitionId })
  invariantResponse(requisition, '请购单不存在 / Not found', { status: 404 })
  return { requisition, mayApprove: unitActor(auth).role === 'unit_approver' }
}

type Problem = { key: MessageKey; values?: Record<string, string> }

/**
 * Approve (the order is placed at once) or reject with a comment. Someone who decided first wins: the other gets 409
 * and is told who decided; the requester cannot decide their own.
 */
const intents = new Set(['approve', 'reject'])

export async function action(args: ActionFunctionArgs) {
  const submission = await parseForm(args.request, decisionForm)
  const { intent } = submission.payload
  invariantResponse(typeof intent === 'string' && intents.has(intent), 'Unknown intent')
  const auth = requireAccess(args, 'routes/unit.requisitions.$requisitionId', 'action', { intent })
  const requisitionId = requisitionIdParam(args.params)
  if (submission.status !== 'success') {
    return data({ result: submission.reply(), problem: null as Problem | null, done: null }, { status: 400 })
  }
  const result = await decideRequisition(
    getDb(),
    { actor: unitActor(auth), requisitionId, form: submission.value },
    systemClock,
    configuredBankTransfer(),
  )
  if (result.ok) {
    return data({ result: submission.reply({ resetForm: true }), problem: null, done: result.status })
  }
  invariantResponse(result.reason !== 'not_found', '请购单不存在 / Not found', { status: 404 })
  if (result.reason === 'conflict') {
    const status = `unit.reqs.status.${result.status}` as const
    return data(
      {
        result: submission.reply(),
        problem: {
          key: result.decidedBy ? 'unit.req.conflict' : 'unit.req.conflictUnknown',
          values: { name: result.decidedBy ?? '', status },
        } as Problem,
        done: null,
      },
      { status: 409 },
    )
  }
  if (result.reason === 'self' || result.reason === 'forbidden') {
    return data(
      { result: submission.reply(), problem: { key: 'unit.req.selfRefused' } as Problem, done: null },
      { status: 403 },
    )
  }
  return data(
    { result: submission.reply(), problem: { key: 'unit.req.error.order' } as Problem, done: null },
    { status: 409 },
  )
}

export default function RequisitionPage() {
  const t = useT()
  const locale = useLocale()
  const { requisition: r, mayApprove } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const submitted = searchParams.get('submitted')
  const busy = useIsPending()
  const [form, fields] = useSchemaForm(decisionForm, { id: 'decision', lastResult: actionData?.result })
  return (
    <div className="max-w-4xl space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-xl font-semibold">{t('unit.req.title', { number: r.number })}</h1>
        <span data-testid="requisition-status">
          <RequisitionStatusBadge status={r.status} />
        </span>
      </div>
      {submitted === 'ordered' ? (
        <Notice>{t('unit.req.submitted.ordered', { number: r.number })}</Notice>
      ) : null}
      {submitted === 'pending_approval' ? (
        <Notice>{t('unit.req.submitted.pending', { number: r.number })}</Notice>
      ) : null}
      {actionData?.done ? <Notice>{t(`unit.req.decided.${actionData.done}`)}</Notice> : null}
      {actionData?.problem ? (
        <FormAlert>
          {t(actionData.problem.key, {
            ...actionData.problem.values,
            status: actionData.problem.values?.status
              ? t(actionData.problem.values.status as MessageKey)
              : '',
          })}
        </FormAlert>
      ) : null}
      <dl className="grid gap-1 text-sm sm:grid-cols-2">
        <dd>{t('unit.req.requester', { name: r.requesterName })}</dd>
        <dd>{t('unit.req.created', { date: shanghaiDateTime(r.createdAt) })}</dd>
        <dd>{t('unit.req.limitAtSubmit', { amount: formatFen(r.limitFen, locale) })}</dd>
        {r.poNumber ? <dd>{t('unit.req.poNumber', { po: r.poNumber })}</dd> : null}
        <dd className="sm:col-span-2">
          {t('unit.req.deliveryTo', {
            recipient: r.delivery.recipient ?? '',
            phone: r.delivery.phone ?? '',
            region: r.delivery.regionPath ?? '',
            address: r.delivery.address ?? '',
          })}
        </dd>
        <dd>{t('unit.new.invoiceTitle', { title: r.invoice.title ?? '' })}</dd>
        {r.invoice.taxId ? <dd>{t('unit.new.invoiceTaxId', { taxId: r.invoice.taxId })}</dd> : null}
        {r.notes ? <dd className="sm:col-span-2">{t('unit.req.notes', { notes: r.notes })}</dd> : null}
        {r.order ? (
          <dd className="sm:col-span-2" data-testid="requisition-order">
            {t('unit.req.order')}
            {r.isOwn ? (
              <Link to={`/account/orders/${r.order.id}`} className="font-mono text-brand-700 underline">
                {r.order.number}
              </Link>
            ) : (
              <span className="font-mono">{r.order.number}</span>
            )}
          </dd>
        ) : null}
      </dl>

      <section aria-labelledby="lines-title" className="space-y-2">
        <h2 id="lines-title" className="text-lg font-semibold">
          {t('unit.req.lines')}
        </h2>
        <div className="overflow-x-auto">
          <table className="w-full text-sm">
            <caption className="sr-only">{t('unit.req.linesCaption')}</caption>
            <thead className="text-left text-stone-500">
              <tr>
                <th scope="col" className="py-2 pr-2">
                  {t('unit.preview.col.sku')}
                </th>
                <th scope="col" className="py-2 pr-2">
                  {t('unit.preview.col.name')}
                </th>
                <th scope="col" className="py-2 pr-2 text-right">
                  {t('unit.preview.col.qty')}
                </th>
                <th scope="col" className="py-2 pr-2 text-right">
                  {t('unit.preview.col.price')}
                </th>
                <th scope="col" className="py-2 text-right">
                  {t('unit.preview.col.amount')}
                </th>
              </tr>
            </thead>
            <tbody>
              {r.lines.map((l) => (
                <tr key={l.lineNo} className="border-t border-stone-100">
                  <td className="py-2 pr-2 font-mono">{l.sku}</td>
                  <td className="py-2 pr-2">{l.name}</td>
                  <td className="py-2 pr-2 text-right">
                    {l.qty} <span className="text-xs text-stone-500">{l.unit}</span>
                  </td>
                  <td className="py-2 pr-2 text-right">{formatFen(l.unitPriceFen, locale)}</td>
                  <td className="py-2 text-right">{formatFen(l.amountFen, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="text-right font-semibold" data-testid="requisition-total">
          {t('unit.preview.total', { amount: formatFen(r.totalFen, locale) })}
        </p>
      </section>

      <section aria-labelledby="history-title" className="space-y-2">
        <h2 id="history-title" className="text-lg font-semibold">
          {t('unit.req.history')}
        </h2>
        <ol className="space-y-1 text-sm" data-testid="requisition-history">
          {r.events.map((e, i) => (
            <li key={i}>
              <span className="text-stone-500">{shanghaiDateTime(e.occurredAt)}</span>{' '}
              {t(`unit.req.event.${e.action}` as MessageKey)}
              {e.actorName ? ` · ${e.actorName}` : null}
              {e.comment ? ` · ${e.comment}` : null}
            </li>
          ))}
        </ol>
      </section>

      {r.canDecide ? (
        <section aria-labelledby="decide-title" className="rounded-lg border border-stone-200 bg-white p-4">
          <h2 id="decide-title" className="mb-2 text-lg font-semibold">
            {t('unit.req.decide')}
          </h2>
          <Form method="post" className="space-y-3" {...getFormProps(form)}>
            <TextareaField
              label={t('unit.req.comment')}
              meta={fields.comment}
              hint={t('unit.req.commentHint')}
              rows={3}
            />
            <div className="flex flex-wrap gap-3">
              <button
                type="submit"
                name="intent"
                value="approve"
                disabled={busy}
                className="rounded bg-brand-700 px-4 py-2 text-white hover:bg-brand-800 disabled:opacity-60"
              >
                {t('unit.req.approve')}
              </button>
              <button
                type="submit"
                name="intent"
                value="reject"
                disabled={busy}
                className="rounded border border-red-700 px-4 py-2 text-red-800 hover:bg-red-50 disabled:opacity-60"
              >
                {t('unit.req.reject')}
              </button>
            </div>
          </Form>
        </section>
      ) : mayApprove && r.isOwn && r.status === 'pending_approval' ? (
        <p className="text-sm text-stone-600">{t('unit.req.selfNote')}</p>
      ) : null}
    </div>
  )
}
