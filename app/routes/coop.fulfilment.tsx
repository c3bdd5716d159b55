import { getFormProps } from '@conform-to/react'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { EmptyState, Notice } from '~/components/coop-console'
import { ErrorList, Field, FormAlert, TextareaField, useSchemaForm } from '~/components/forms'
import { Badge } from '~/components/ui/badge'
import { Pagination } from '~/components/ui/pagination'
import { FilterTabs } from '~/components/ui/filter-tabs'
import {
  disputeAnswerForm,
  FULFILMENT_SEARCH_MAX,
  type FulfilmentStateFilter,
  fulfilmentStateFilters,
  shipForm,
} from '~/domains/coop'
import {
  answerDispute,
  type DisputeView,
  type FulfilmentItem,
  listFulfilment,
  markDelivered,
  markShipped,
} from '~/domains/coop/index.server'
import { shanghaiDateTime, systemClock } from '~/utils/clock'
import { activeOrgScope, coopActor, pageParam } from '~/utils/coop-console.server'
import { getDb } from '~/utils/db.server'
import { parseForm } from '~/utils/form.server'
import { invariantResponse } from '~/utils/guards.server'
import type { MessageKey } from '~/utils/i18n'
import { useLocale, useT } from '~/utils/locale'
import { formatFen } from '~/utils/money'
import { requireAccess } from '~/utils/permissions.server'
import { queryText } from '~/utils/validation'

export const meta: MetaFunction = () => [{ title: '发货 · 合作社后台 · 消费帮扶集市' }]

const PAGE_SIZE = 20

const stateParam = z.enum(fulfilmentStateFilters).catch('all')
const searchParam = queryText(FULFILMENT_SEARCH_MAX)

/**
 * The cooperative's paid seller orders: a printable pick list of what to ship, and each order's shipping steps,
 * filtered by step and searched by order or tracking number.
 */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/coop.fulfilment', 'loader', activeOrgScope(args))
  const url = new URL(args.request.url)
  const state = stateParam.parse(url.searchParams.get('state') ?? undefined)
  // Only the search can fail (too long, or control characters no order number has): said next to the box, and
  // the list shown unsearched rather than as if nothing matched.
  const search = searchParam.safeParse(url.searchParams.get('q') ?? '')
  const q = search.success ? search.data : ''
  const page = await listFulfilment(getDb(), {
    ...coopActor(auth),
    state,
    search: q,
    page: pageParam(url),
    pageSize: PAGE_SIZE,
    now: systemClock.now(),
  })
  invariantResponse(page, '无权访问 / Forbidden', { status: 403 })
  const searchError: MessageKey | null = search.success ? null : 'fulfilment.search.invalid'
  return data({ ...page, state, q, searchError }, { status: search.success ? 200 : 400 })
}

const intentForm = z.object({
  intent: z.enum(['ship', 'deliver', 'return', 'contest']),
  sellerOrderId: z.string().max(64).optional(),
})
type Reply = ReturnType<Awaited<ReturnType<typeof parseForm<typeof intentForm>>>['reply']>
type Answer = {
  intent: string
  sellerOrderId: string
  result: Reply | null
  done: MessageKey | null
  refusal: MessageKey | null
}

export async function action(args: ActionFunctionArgs) {
  const submission = await parseForm(args.request, intentForm)
  invariantResponse(submission.status === 'success', 'Unknown intent')
  const { intent } = submission.value
  const sellerOrderId = submission.value.sellerOrderId ?? ''
  const auth = requireAccess(args, 'routes/coop.fulfilment', 'action', { ...activeOrgScope(args), intent })
  const input = { ...coopActor(auth), sellerOrderId }
  const answer = (outcome: Partial<Answer>, status = 200) =>
    data<Answer>({ intent, sellerOrderId, result: null, done: null, refusal: null, ...outcome }, { status })
  if (intent === 'return' || intent === 'contest') {
    // A unit's rejection at 验收 (decision 022): accept the return (stock back once) or contest it with a note.
    const answered = await answerDispute(
      getDb(),
      { ...coopActor(auth), form: submission.payload },
      systemClock,
    )
    if (answered.ok)
      return answer({ done: intent === 'return' ? 'coop.dispute.returned' : 'coop.dispute.contested' })
    invariantResponse(answered.error !== 'not_found', '拒收记录不存在 / Not found', { status: 404 })
    if (answered.error === 'invalid')
      return answer({ result: submission.reply({ fieldErrors: answered.errors }) }, 400)
    return answer({ refusal: 'coop.dispute.error.already_answered' }, 409)
  }
  const result =
    intent === 'ship'
      ? await markShipped(getDb(), { ...input, form: submission.payload }, systemClock)
      : await markDelivered(getDb(), input, systemClock)
  if (result.ok)
    return answer({
      done: intent === 'ship' ? 'fulfilment.shipped' : 'fulfilment.delivered',
      result: submission.reply({ resetForm: true }),
    })
  invariantResponse(result.error !== 'not_found', '订单不存在 / Not found', { status: 404 })
  if (result.error === 'invalid')
    return answer({ result: submission.reply({ fieldErrors: result.errors }) }, 400)
  return answer({ refusal: `fulfilment.error.${result.error}` }, 409)
}

export default function CoopFulfilment() {
  const t = useT()
  const page = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const toShip = page.items.filter((i) => i.fulfilment === 'none' && !i.refundRequested)
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="text-xl font-semibold">{t('fulfilment.title')}</h2>
        {toShip.length > 0 ? (
          <button
            type="button"
            onClick={() => window.print()}
            className="rounded border border-stone-300 bg-white px-3 py-1 text-sm hover:bg-stone-100 print:hidden"
          >
            {t('fulfilment.print')}
          </button>
        ) : null}
      </div>
      {actionData?.done ? <Notice>{t(actionData.done)}</Notice> : null}
      {actionData?.refusal ? <FormAlert errors={[actionData.refusal]} /> : null}
      {page.disputes.length > 0 ? (
        <section aria-labelledby="disputes" className="space-y-2 print:hidden">
          <h3 id="disputes" className="font-semibold">
            {t('coop.dispute.title')}
          </h3>
          <ul className="space-y-3">
            {page.disputes.map((dispute) => (
              <DisputeCard
                key={dispute.id}
                dispute={dispute}
                lastResult={
                  actionData && (actionData.intent === 'return' || actionData.intent === 'contest')
                    ? actionData.result
                    : null
                }
              />
            ))}
          </ul>
        </section>
      ) : null}
      <FulfilmentFilters state={page.state} q={page.q} searchError={page.searchError} />
      {page.items.length === 0 ? (
        <EmptyState>
          {page.state === 'all' && !page.q && !page.searchError ? (
            t('fulfilment.empty')
          ) : (
            <>
              {t('coop.orders.empty.filtered')}{' '}
              <Link to="/coop/fulfilment" className="text-brand-700 underline">
                {t('fulfilment.filter.clear')}
              </Link>
            </>
          )}
        </EmptyState>
      ) : (
        <>
          {toShip.length > 0 ? (
            <section aria-labelledby="pick-list" className="rounded-lg border border-stone-200 bg-white p-3">
              <h3 id="pick-list" className="mb-2 font-semibold">
                {t('fulfilment.pickList', { count: toShip.length })}
              </h3>
              <div className="overflow-x-auto">
                <table className="w-full text-sm">
                  <caption className="sr-only">{t('fulfilment.pickListCaption')}</caption>
                  <thead className="text-left text-stone-600">
                    <tr>
                      <th scope="col" className="py-1 pr-3">
                        {t('fulfilment.col.order')}
                      </th>
                      <th scope="col" className="py-1 pr-3">
                        {t('fulfilment.col.items')}
                      </th>
                      <th scope="col" className="py-1">
                        {t('fulfilment.col.shipTo')}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {toShip.map((item) => (
                      <tr key={item.sellerOrderId} className="border-t border-stone-200 align-top">
                        <td className="py-1 pr-3 font-mono">{item.number}</td>
                        <td className="py-1 pr-3">
                          {item.lines.map((l) => (
                            <div key={l.sku}>
                              {l.name} × {l.qty} {l.unit}（{l.sku}）
                            </div>
                          ))}
                        </td>
                        <td className="py-1">
                          {item.shipTo.recipient} {item.shipTo.phone}
                          <br />
                          {item.shipTo.regionPath} {item.shipTo.address}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          ) : null}
          <ul className="space-y-3 print:hidden">
            {page.items.map((item) => (
              <FulfilmentCard
                key={item.sellerOrderId}
                item={item}
                lastResult={actionData?.sellerOrderId === item.sellerOrderId ? actionData.result : null}
              />
            ))}
          </ul>
          <Pagination page={page.page} pageSize={page.pageSize} total={page.total} />
        </>
      )}
    </div>
  )
}

function FulfilmentFilters({
  state,
  q,
  searchError,
}: {
  state: FulfilmentStateFilter
  q: string
  searchError: MessageKey | null
}) {
  const t = useT()
  const hrefFor = (filter: string) => {
    const params = new URLSearchParams()
    if (filter !== 'all') params.set('state', filter)
    if (q) params.set('q', q)
    const query = params.toString()
    return `/coop/fulfilment${query ? `?${query}` : ''}`
  }
  return (
    <div className="flex flex-wrap items-start justify-between gap-2 print:hidden">
      <FilterTabs
        label={t('fulfilment.filter.label')}
        current={state}
        tabs={fulfilmentStateFilters.map((filter) => ({
          key: filter,
          to: hrefFor(filter),
          label: filter === 'all' ? t('coop.orders.status.all') : t(`fulfilment.state.${filter}`),
        }))}
      />
      <Form method="get" role="search" className="flex flex-col gap-1">
        {state !== 'all' ? <input type="hidden" name="state" value={state} /> : null}
        <div className="flex gap-2">
          <label htmlFor="fulfilment-q" className="sr-only">
            {t('fulfilment.search')}
          </label>
          <input
            id="fulfilment-q"
            name="q"
            type="search"
            defaultValue={q}
            placeholder={t('fulfilment.search')}
            aria-invalid={searchError ? true : undefined}
            aria-describedby={searchError ? 'fulfilment-q-error' : undefined}
            className="w-56 rounded border border-stone-300 px-3 py-1 text-sm"
          />
          <button
            type="submit"
            className="rounded border border-stone-300 bg-white px-3 py-1 text-sm hover:bg-stone-100"
          >
            {t('fulfilment.search.submit')}
          </button>
        </div>
        <ErrorList
          id="fulfilment-q-error"
          errors={searchError ? [searchError] : null}
          values={{ max: FULFILMENT_SEARCH_MAX }}
        />
      </Form>
    </div>
  )
}

const stateTone = { none: 'amber', shipped: 'blue', delivered: 'blue', received: 'green' } as const

function FulfilmentCard({ item, lastResult }: { item: FulfilmentItem; lastResult: Reply | null }) {
  const t = useT()
  const [form, fields] = useSchemaForm(shipForm, { id: `ship-${item.sellerOrderId}`, lastResult })
  return (
    <li className="space-y-2 rounded-lg border border-stone-200 bg-white p-3" data-testid="seller-order">
      <p className="flex flex-wrap items-center gap-2">
        <span className="font-mono text-sm">{item.number}</span>
        <Badge tone={stateTone[item.fulfilment]}>{t(`fulfilment.state.${item.fulfilment}`)}</Badge>
        {item.refundRequested ? <Badge tone="red">{t('fulfilment.refundRequested')}</Badge> : null}
        {item.onAccount ? <Badge tone="blue">{t('fulfilment.onAccount')}</Badge> : null}
        {item.overdue ? (
          <span data-testid="overdue">
            <Badge tone="red">{t('fulfilment.overdue')}</Badge>
          </span>
        ) : null}
      </p>
      <p className="text-sm">{item.lines.map((l) => `${l.name} × ${l.qty}`).join('，')}</p>
      {item.shippedAt ? (
        <p className="text-sm text-stone-600">
          {t('fulfilment.shippedWith', { carrier: item.carrier ?? '', tracking: item.trackingNumber ?? '' })}{' '}
          · {shanghaiDateTime(item.shippedAt)}
        </p>
      ) : null}
      {item.fulfilment === 'none' && !item.refundRequested ? (
        <Form
          method="post"
          className="grid gap-2 sm:grid-cols-[1fr_1fr_auto] sm:items-end"
          {...getFormProps(form)}
        >
          <input type="hidden" name="intent" value="ship" />
          <input type="hidden" name="sellerOrderId" value={item.sellerOrderId} />
          <Field label={t('fulfilment.carrier')} meta={fields.carrier} />
          <Field label={t('fulfilment.tracking')} meta={fields.trackingNumber} />
          <button type="submit" className="mb-1 rounded bg-brand-700 px-4 py-2 text-white hover:bg-brand-800">
            {t('fulfilment.ship', { number: item.number })}
          </button>
        </Form>
      ) : null}
      {item.fulfilment === 'shipped' ? (
        <Form method="post">
          <input type="hidden" name="intent" value="deliver" />
          <input type="hidden" name="sellerOrderId" value={item.sellerOrderId} />
          <button
            type="submit"
            className="rounded border border-stone-300 px-3 py-1 text-sm hover:bg-stone-100"
          >
            {t('fulfilment.deliver', { number: item.number })}
          </button>
        </Form>
      ) : null}
    </li>
  )
}

function DisputeCard({ dispute, lastResult }: { dispute: DisputeView; lastResult: Reply | null }) {
  const t = useT()
  const locale = useLocale()
  const [form, fields] = useSchemaForm(disputeAnswerForm, { id: `dispute-${dispute.id}`, lastResult })
  return (
    <li className="space-y-2 rounded-lg border border-amber-200 bg-white p-3" data-testid="dispute">
      <p className="flex flex-wrap items-center gap-2 text-sm">
        <span>
          {t('coop.dispute.order', {
            number: dispute.number,
            amount: formatFen(dispute.rejectedFen, locale),
          })}
        </span>
        <Badge tone={dispute.status === 'open' ? 'amber' : 'grey'}>
          {t(`coop.dispute.status.${dispute.status}`)}
        </Badge>
      </p>
      <ul className="text-sm">
        {dispute.lines.map((l) => (
          <li key={l.sku}>
            {t('coop.dispute.line', { name: l.name, qty: String(l.rejectedQty), unit: l.unit })}
          </li>
        ))}
      </ul>
      {dispute.answerNote ? <p className="text-sm text-stone-600">{dispute.answerNote}</p> : null}
      {dispute.status === 'open' ? (
        <Form method="post" className="space-y-2" {...getFormProps(form)}>
          <input type="hidden" name="disputeId" value={dispute.id} />
          <TextareaField meta={fields.note} label={t('coop.dispute.note')} rows={2} />
          <div className="flex flex-wrap gap-2">
            <button
              type="submit"
              name="intent"
              value="return"
              className="rounded bg-brand-700 px-3 py-1 text-sm text-white hover:bg-brand-800"
            >
              {t('coop.dispute.return')}
            </button>
            <button
              type="submit"
              name="intent"
              value="contest"
              className="rounded border border-stone-300 px-3 py-1 text-sm hover:bg-stone-100"
            >
              {t('coop.dispute.contest')}
            </button>
          </div>
        </Form>
      ) : null}
    </li>
  )
}
