import { getFormProps } from '@conform-to/react'
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useEffect } from 'react'
import { Field, FormAlert, TextareaField, useSchemaForm } from '~/components/forms'
import { Badge } from '~/components/ui/badge'
import { requisitionForm } from '~/domains/procurement'
import {
  BULK_FILE_BYTES,
  getRequisitionContext,
  previewRequisition,
  readBulkSource,
  type RequisitionPreview,
  submitRequisition,
} from '~/domains/procurement/index.server'
import { configuredBankTransfer } from '~/domains/payments/index.server'
import { systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { invariantResponse } from '~/utils/guards.server'
import type { MessageKey } from '~/utils/i18n'
import { useLocale, useT } from '~/utils/locale'
import { formatFen } from '~/utils/money'
import { requireAccess } from '~/utils/permissions.server'
import { unitActor } from '~/utils/unit-console.server'
import { readUploads, uploadLimits } from '~/utils/upload.server'
import { parseSubmission } from '~/utils/validation'
import { useIsPending } from '~/utils/use-is-pending'

export const meta: MetaFunction = () => [{ title: '新建请购单 · 单位采购 · 消费帮扶集市' }]

/** The new-requisition page: the unit's invoice details and the buyer's spending limit beside the form. */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/unit.requisitions.new', 'loader')
  const context = await getRequisitionContext(getDb(), unitActor(auth))
  invariantResponse(context, '无权访问 / Forbidden', { status: 403 })
  return { context, recipient: auth.displayName }
}

/** The form's own fields; anything else a forged form sends is left unread. */
const formFields = ['intent', 'lines', 'recipient', 'phone', 'address', 'poNumber', 'notes'] as const

type Problem = { key: MessageKey; values?: Record<string, string> }
type Answer = {
  result: ReturnType<ReturnType<typeof parseSubmission>['reply']> | null
  problem: Problem | null
  preview: RequisitionPreview | null
  fileName: string | null
  /** The lines of a file that was read, as text for the box. */
  linesText: string | null
}

/**
 * Preview or submit, as one multipart form read as it streams (one file of at most 5 MB; the path has a streamed
 * body-limit class of its own). A file, if sent, replaces the pasted lines and is echoed back into the box as text.
 * Bad files, bad lines and bad fields are answered 4xx with the reason, and nothing is written.
 */
export async function action(args: ActionFunctionArgs) {
  const auth = requireAccess(args, 'routes/unit.requisitions.new', 'action')
  const actor = unitActor(auth)
  const answer = (outcome: Partial<Answer>, status = 200) =>
    data<Answer>(
      { result: null, problem: null, preview: null, fileName: null, linesText: null, ...outcome },
      { status },
    )
  let uploads: Awaited<ReturnType<typeof readUploads>>
  try {
    uploads = await readUploads(args.request, {
      ...uploadLimits,
      fileBytes: BULK_FILE_BYTES,
      files: 1,
      fieldBytes: 32 * 1024,
    })
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown
    return answer(
      { problem: { key: thrown.status === 413 ? 'unit.file.tooBig' : 'unit.file.refused' } },
      thrown.status,
    )
  }
  const file = uploads.files.find((f) => f.field === 'file') ?? null
  const source = await readBulkSource({ text: uploads.fields.lines ?? '', file: file?.bytes ?? null })
  const fields = new URLSearchParams()
  for (const name of formFields) fields.set(name, uploads.fields[name] ?? '')
  // The lines of a file that was read go back into the box, where they can be fixed.
  if (source.ok) fields.set('lines', source.text)
  const submission = parseSubmission(fields, requisitionForm)
  const fileName = file && source.ok ? file.filename : null
  const linesText = fileName && source.ok ? source.text : null
  if (submission.status !== 'success') return answer({ result: submission.reply(), fileName, linesText }, 400)
  if (!source.ok) {
    if (!source.fromFile && source.error === 'empty') {
      return answer({ result: submission.reply({ fieldErrors: { lines: ['unit.req.error.noLines'] } }) }, 400)
    }
    return answer({ result: submission.reply(), problem: { key: `unit.file.${source.error}` } }, 400)
  }
  const db = getDb()
  if (submission.value.intent === 'preview') {
    const preview = await previewRequisition(db, source)
    return answer({ result: submission.reply(), preview, fileName, linesText })
  }
  const result = await submitRequisition(
    db,
    { actor, rows: source.rows, problems: source.problems, form: submission.value },
    systemClock,
    configuredBankTransfer(),
  )
  if (result.ok) {
    throw redirect(`/unit/requisitions/${result.requisitionId}?submitted=${result.status}`)
  }
  invariantResponse(result.reason !== 'forbidden', '无权访问 / Forbidden', { status: 403 })
  if (result.reason === 'lines') {
    return answer({ result: submission.reply(), preview: result.preview, fileName, linesText }, 400)
  }
  return answer({ result: submission.reply(), problem: { key: 'unit.req.error.order' } }, 409)
}

function PreviewTable({ preview, limitFen }: { preview: RequisitionPreview; limitFen: bigint }) {
  const t = useT()
  const locale = useLocale()
  return (
    <section aria-labelledby="preview-title" className="space-y-2" data-testid="preview">
      <h2 id="preview-title" className="text-lg font-semibold">
        {t('unit.preview.title')}
      </h2>
      <p role="status" data-testid="preview-summary">
        {preview.problemCount > 0
          ? t('unit.preview.summary', { lines: preview.lines.length, problems: preview.problemCount })
          : t('unit.preview.allGood', { lines: preview.lines.length })}
      </p>
      <div className="overflow-x-auto">
        <table className="w-full text-sm">
          <caption className="sr-only">{t('unit.preview.caption')}</caption>
          <thead className="text-left text-stone-500">
            <tr>
              <th scope="col" className="py-2 pr-2">
                {t('unit.preview.col.line')}
              </th>
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
              <th scope="col" className="py-2 pr-2 text-right">
                {t('unit.preview.col.amount')}
              </th>
              <th scope="col" className="py-2">
                {t('unit.preview.col.check')}
              </th>
            </tr>
          </thead>
          <tbody>
            {preview.lines.map((l) => (
              <tr
                key={`${l.line}-${l.sku}`}
                className={`border-t border-stone-100 ${l.problem ? 'bg-red-50' : ''}`}
                data-testid="preview-line"
                data-problem={l.problem ?? ''}
              >
                <td className="py-2 pr-2">{l.line}</td>
                <td className="py-2 pr-2 font-mono">{l.sku}</td>
                <td className="py-2 pr-2">{l.name ?? '—'}</td>
                <td className="py-2 pr-2 text-right">{l.qtyText}</td>
                <td className="py-2 pr-2 text-right">
                  {l.unitPriceFen !== null ? formatFen(l.unitPriceFen, locale) : '—'}
                  {l.tierApplied && l.basePriceFen !== null ? (
                    <span className="block text-xs text-brand-700">
                      {t('unit.preview.tier', { price: formatFen(l.basePriceFen, locale) })}
                    </span>
                  ) : null}
                </td>
                <td className="py-2 pr-2 text-right">
                  {l.amountFen !== null ? formatFen(l.amountFen, locale) : '—'}
                </td>
                <td className="py-2">
                  {l.problem ? (
                    <span className="text-red-800">
                      {t(`unit.problem.${l.problem}`, { limit: String(l.limit ?? '') })}
                    </span>
                  ) : (
                    <Badge tone="green">{t('unit.preview.ok')}</Badge>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="font-semibold" data-testid="preview-total">
        {t('unit.preview.total', { amount: formatFen(preview.totalFen, locale) })}
      </p>
      {preview.problemCount === 0 ? (
        <p className="text-sm text-stone-600">
          {preview.totalFen > limitFen
            ? t('unit.preview.overLimit', { limit: formatFen(limitFen, locale) })
            : t('unit.preview.withinLimit', { limit: formatFen(limitFen, locale) })}
        </p>
      ) : null}
    </section>
  )
}

export default function NewRequisition() {
  const t = useT()
  const locale = useLocale()
  const { context, recipient } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const busy = useIsPending()
  const [form, fields] = useSchemaForm(requisitionForm, {
    id: 'requisition',
    lastResult: actionData?.result,
    defaultValue: { recipient },
  })
  // A file that was read fills the box with its lines (the server's page already shows them; after a client-side
  // submission the form is updated here).
  const linesText = actionData?.linesText ?? null
  const { update } = form
  const linesName = fields.lines.name
  useEffect(() => {
    if (linesText !== null) update({ name: linesName, value: linesText })
  }, [linesText, update, linesName])
  if (!context.mayRequisition) return <p>{t('unit.new.notAllowed')}</p>
  return (
    <div className="max-w-4xl space-y-4">
      <h1 className="text-xl font-semibold">{t('unit.new.title')}</h1>
      <p className="text-sm text-stone-600">{t('unit.new.intro')}</p>
      <p className="text-sm" data-testid="spending-limit">
        {t('unit.new.limit', { amount: formatFen(context.limitFen, locale) })}
      </p>
      {actionData?.problem ? (
        <FormAlert>{t(actionData.problem.key, actionData.problem.values)}</FormAlert>
      ) : form.status === 'error' ? (
        <FormAlert errors={['unit.new.fixForm']} />
      ) : null}
      <Form method="post" encType="multipart/form-data" className="space-y-4" {...getFormProps(form)}>
        <fieldset className="space-y-3 rounded-lg border border-stone-200 bg-white p-4">
          <TextareaField
            label={t('unit.new.lines')}
            meta={fields.lines}
            hint={t('unit.new.linesHint')}
            rows={10}
            className="font-mono"
          />
          {actionData?.fileName ? (
            <p role="status" className="text-sm text-brand-800">
              {t('unit.file.read', { file: actionData.fileName })}
            </p>
          ) : null}
          <div>
            <label htmlFor="requisition-file" className="block text-sm font-medium">
              {t('unit.new.file')}
            </label>
            <input
              id="requisition-file"
              type="file"
              name="file"
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              aria-describedby="requisition-file-hint"
              className="mt-1 block w-full text-sm"
            />
            <p id="requisition-file-hint" className="mt-1 text-xs text-stone-500">
              {t('unit.new.fileHint')}
            </p>
          </div>
          <button
            type="submit"
            name="intent"
            value="preview"
            disabled={busy}
            className="rounded border border-brand-700 px-4 py-2 text-brand-700 hover:bg-brand-50 disabled:opacity-60"
          >
            {t('unit.new.preview')}
          </button>
        </fieldset>

        {actionData?.preview ? (
          <PreviewTable preview={actionData.preview} limitFen={context.limitFen} />
        ) : null}

        <fieldset className="space-y-3 rounded-lg border border-stone-200 bg-white p-4">
          <legend className="px-1 font-semibold">{t('unit.new.delivery')}</legend>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label={t('unit.new.recipient')} meta={fields.recipient} autoComplete="name" />
            <Field label={t('unit.new.phone')} meta={fields.phone} type="tel" autoComplete="tel" />
          </div>
          <p className="text-sm text-stone-600">{t('unit.new.region', { region: context.regionPath })}</p>
          <Field label={t('unit.new.address')} meta={fields.address} autoComplete="street-address" />
          <Field label={t('unit.new.poNumber')} meta={fields.poNumber} hint={t('unit.new.poNumberHint')} />
          <TextareaField label={t('unit.new.notes')} meta={fields.notes} rows={2} />
        </fieldset>

        <section
          aria-labelledby="invoice-title"
          className="rounded-lg border border-stone-200 bg-white p-4 text-sm"
        >
          <h2 id="invoice-title" className="font-semibold">
            {t('unit.new.invoice')}
          </h2>
          <p>{t('unit.new.invoiceTitle', { title: context.orgName })}</p>
          {context.uscc ? <p>{t('unit.new.invoiceTaxId', { taxId: context.uscc })}</p> : null}
        </section>

        <button
          type="submit"
          name="intent"
          value="submit"
          disabled={busy}
          className="w-full rounded bg-brand-700 px-6 py-3 font-medium text-white hover:bg-brand-800 disabled:opacity-60 sm:w-auto"
        >
          {busy ? t('unit.new.submitting') : t('unit.new.submit')}
        </button>
      </Form>
    </div>
  )
}
