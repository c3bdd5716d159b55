import { getFormProps } from '@conform-to/react'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { EmptyState, Notice, ProductHeader } from '~/components/coop-console'
import { Field, FormAlert, SelectField, useSchemaForm } from '~/components/forms'
import { Pagination } from '~/components/ui/pagination'
import { stockAdjustmentKinds, stockAdjustmentSchema } from '~/domains/catalog'
import { adjustStock, getListingForEdit, listStockMovements } from '~/domains/catalog/index.server'
import { shanghaiDateTime, systemClock } from '~/utils/clock'
import { activeOrgScope, coopActor, pageParam, productIdParam } from '~/utils/coop-console.server'
import { getDb } from '~/utils/db.server'
import { parseForm } from '~/utils/form.server'
import { invariantResponse } from '~/utils/guards.server'
import { useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'
import { useIsPending } from '~/utils/use-is-pending'

export const meta: MetaFunction = () => [{ title: '库存 · 合作社后台 · 消费帮扶集市' }]

const PAGE_SIZE = 20

/** A listing's stock and its history of adjustments (入库, 盘点, 损耗), newest first. */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/coop.products.$productId_.stock', 'loader', activeOrgScope(args))
  const productId = productIdParam(args.params)
  const actor = { ...coopActor(auth), productId }
  const db = getDb()
  const [listing, history] = await Promise.all([
    getListingForEdit(db, actor),
    listStockMovements(db, { ...actor, page: pageParam(new URL(args.request.url)), pageSize: PAGE_SIZE }),
  ])
  invariantResponse(listing && history, '商品不存在 / Not found', { status: 404 })
  return {
    product: {
      productId,
      name: listing.form.name,
      unit: listing.form.unit,
      status: listing.status,
      stock: listing.stock,
    },
    history,
  }
}

/** One adjustment with its reason, under the lock checkouts take (decision 015). */
export async function action(args: ActionFunctionArgs) {
  const auth = requireAccess(args, 'routes/coop.products.$productId_.stock', 'action', activeOrgScope(args))
  const productId = productIdParam(args.params)
  const submission = await parseForm(args.request, stockAdjustmentSchema)
  if (submission.status !== 'success')
    return data({ result: submission.reply(), stock: null }, { status: 400 })
  const { kind, quantity, note } = submission.payload
  const result = await adjustStock(
    getDb(),
    { ...coopActor(auth), productId, kind, quantity, note },
    systemClock,
  )
  if (result.ok) return data({ result: submission.reply({ resetForm: true }), stock: result.stock })
  invariantResponse(result.error !== 'not_found', '商品不存在 / Not found', { status: 404 })
  return data(
    { result: submission.reply({ fieldErrors: result.errors }), stock: null },
    { status: result.error === 'insufficient' ? 409 : 400 },
  )
}

export default function ProductStock() {
  const t = useT()
  const { product, history } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const busy = useIsPending()
  const [form, fields] = useSchemaForm(stockAdjustmentSchema, {
    id: 'stock',
    lastResult: actionData?.result,
    defaultValue: { kind: 'restock', quantity: '', note: '' },
  })
  return (
    <div className="max-w-3xl space-y-4">
      <ProductHeader
        productId={product.productId}
        name={product.name}
        status={product.status}
        title={t('console.stock.title')}
      />
      <p className="text-lg" data-testid="current-stock">
        {t('console.stock.current', { stock: `${product.stock}${product.unit}` })}
      </p>
      {actionData?.stock !== null && actionData?.stock !== undefined ? (
        <Notice>{t('stock.result.adjusted', { stock: actionData.stock })}</Notice>
      ) : null}
      <Form
        method="post"
        className="space-y-3 rounded-lg border border-stone-200 bg-white p-4"
        {...getFormProps(form)}
      >
        {form.status === 'error' ? <FormAlert errors={form.errors ?? ['console.form.summary']} /> : null}
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectField label={t('console.stock.kind')} meta={fields.kind}>
            {stockAdjustmentKinds.map((kind) => (
              <option key={kind} value={kind}>
                {t(`stock.kind.${kind}`)}
              </option>
            ))}
          </SelectField>
          <Field
            label={t('console.stock.quantity')}
            meta={fields.quantity}
            hint={t('console.stock.quantityHint')}
            inputMode="numeric"
            messageValues={{ available: product.stock }}
          />
        </div>
        <Field label={t('console.stock.note')} meta={fields.note} />
        <button
          type="submit"
          disabled={busy}
          className="rounded bg-brand-700 px-4 py-2 text-white hover:bg-brand-800 disabled:opacity-60"
        >
          {t('console.stock.submit')}
        </button>
      </Form>

      <section aria-labelledby="stock-history" className="space-y-2">
        <h3 id="stock-history" className="text-lg font-semibold">
          {t('console.stock.history')}
        </h3>
        {history.items.length === 0 ? (
          <EmptyState>{t('stock.history.empty')}</EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-sm">
              <caption className="sr-only">{t('console.stock.caption')}</caption>
              <thead className="text-left text-stone-500">
                <tr>
                  <th scope="col" className="py-2 pr-3">
                    {t('console.stock.col.time')}
                  </th>
                  <th scope="col" className="py-2 pr-3">
                    {t('console.stock.col.kind')}
                  </th>
                  <th scope="col" className="py-2 pr-3 text-right">
                    {t('console.stock.col.change')}
                  </th>
                  <th scope="col" className="py-2 pr-3 text-right">
                    {t('console.stock.col.after')}
                  </th>
                  <th scope="col" className="py-2 pr-3">
                    {t('console.stock.col.note')}
                  </th>
                  <th scope="col" className="py-2">
                    {t('console.stock.col.actor')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {history.items.map((movement) => (
                  <tr key={movement.id} className="border-t border-stone-100">
                    <td className="py-2 pr-3 whitespace-nowrap">
                      <time dateTime={movement.createdAt}>{shanghaiDateTime(movement.createdAt)}</time>
                    </td>
                    <td className="py-2 pr-3">{t(`stock.kind.${movement.kind}`)}</td>
                    <td className="py-2 pr-3 text-right">
                      {movement.change > 0 ? `+${movement.change}` : movement.change}
                    </td>
                    <td className="py-2 pr-3 text-right">{movement.stockAfter}</td>
                    <td className="py-2 pr-3">{movement.note}</td>
                    <td className="py-2">{movement.actorName ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pagination page={history.page} pageSize={history.pageSize} total={history.total} />
      </section>
    </div>
  )
}
