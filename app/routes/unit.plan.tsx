import { getFormProps, getInputProps } from '@conform-to/react'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { EmptyState, Notice } from '~/components/coop-console'
import { Field, FormAlert, SelectField, useSchemaForm } from '~/components/forms'
import { useUnitLayout } from '~/components/unit-console'
import { storeEvidenceFile } from '~/domains/catalog/index.server'
import {
  type BurnDownRow,
  externalPurchaseForm,
  externalPurchaseKinds,
  MAX_PAYMENT_TERM_DAYS,
  paymentTermForm,
  planForm,
} from '~/domains/procurement'
import {
  getPlanView,
  recordExternalPurchase,
  savePlan,
  setPaymentTerm,
} from '~/domains/procurement/index.server'
import { invariantResponse } from '~/utils/guards.server'
import { shanghaiYear, systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import type { MessageKey } from '~/utils/i18n'
import { useLocale, useT } from '~/utils/locale'
import { formatAmountShort, formatFen, progressPercent } from '~/utils/money'
import { requireAccess } from '~/utils/permissions.server'
import { unitActor } from '~/utils/unit-console.server'
import { readUploads, uploadLimits } from '~/utils/upload.server'
import { uploadRefusalKey } from '~/utils/upload-refusal'
import { parseSubmission } from '~/utils/validation'
import { useIsPending } from '~/utils/use-is-pending'

export const meta: MetaFunction = () => [{ title: '预留份额 · 单位采购 · 消费帮扶集市' }]

function yearParam(url: URL): number {
  const raw = url.searchParams.get('year') ?? ''
  const year = /^\d{4}$/.test(raw) ? Number(raw) : shanghaiYear(systemClock.now())
  return year >= 2000 && year <= 2100 ? year : shanghaiYear(systemClock.now())
}

/** The unit's plan for a year: reserved amount, month-by-month burn-down, and purchases recorded from elsewhere. */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/unit.plan', 'loader')
  const actor = unitActor(auth)
  const view = await getPlanView(getDb(), { orgId: actor.orgId, year: yearParam(new URL(args.request.url)) })
  return { view }
}

type Problem = { key: MessageKey; values?: Record<string, string> }

const planFields = ['year', 'base', 'share', 'noCanteen', 'representativeUscc'] as const
const purchaseFields = ['kind', 'purchasedOn', 'channel', 'description', 'amount'] as const

/**
 * The unit admin saves the plan (`intent=plan`) or records a purchase from elsewhere with its evidence file
 * (`intent=purchase`). One multipart form read as it streams (one file of at most 10 MB; a streamed body-limit
 * class of its own); bad fields or a refused file write nothing.
 */
export async function action(args: ActionFunctionArgs) {
  const auth = requireAccess(args, 'routes/unit.plan', 'action')
  const actor = unitActor(auth)
  let uploads: Awaited<ReturnType<typeof readUploads>>
  try {
    uploads = await readUploads(args.request, { ...uploadLimits, files: 1 })
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown
    return data(
      {
        intent: null,
        result: null,
        problem: { key: uploadRefusalKey(thrown.status) } as Problem,
        done: false,
      },
      { status: thrown.status },
    )
  }
  const intent = uploads.fields.intent
  const db = getDb()
  if (intent === 'plan') {
    const fields = new URLSearchParams()
    for (const name of planFields)
      if (uploads.fields[name] !== undefined) fields.set(name, uploads.fields[name])
    const submission = parseSubmission(fields, planForm)
    if (submission.status !== 'success') {
      return data({ intent, result: submission.reply(), problem: null, done: false }, { status: 400 })
    }
    const saved = await savePlan(db, { actor, form: submission.value }, systemClock)
    if (!saved.ok) {
      return data(
        { intent, result: submission.reply({ fieldErrors: saved.errors }), problem: null, done: false },
        { status: 400 },
      )
    }
    return data({ intent, result: submission.reply(), problem: null, done: true })
  }
  if (intent === 'term') {
    // The unit's payment term (decision 022): days from acceptance, 1–60.
    const fields = new URLSearchParams()
    if (uploads.fields.days !== undefined) fields.set('days', uploads.fields.days)
    const submission = parseSubmission(fields, paymentTermForm)
    if (submission.status !== 'success') {
      return data({ intent, result: submission.reply(), problem: null, done: false }, { status: 400 })
    }
    const saved = await setPaymentTerm(db, { actor, form: submission.value }, systemClock)
    invariantResponse(saved.ok, '无权访问 / Forbidden', { status: 403 })
    return data({ intent, result: submission.reply(), problem: null, done: true })
  }
  if (intent !== 'purchase') {
    return data({ intent: null, result: null, problem: null, done: false }, { status: 400 })
  }
  const fields = new URLSearchParams()
  for (const name of purchaseFields) fields.set(name, uploads.fields[name] ?? '')
  const submission = parseSubmission(fields, externalPurchaseForm)
  if (submission.status !== 'success') {
    return data({ intent, result: submission.reply(), problem: null, done: false }, { status: 400 })
  }
  const evidence = uploads.files.find((f) => f.field === 'evidence')
  if (!evidence) {
    return data(
      {
        intent,
        result: submission.reply(),
        problem: { key: 'unit.external.error.evidence' } as Problem,
        done: false,
      },
      { status: 400 },
    )
  }
  const stored = await storeEvidenceFile(
    db,
    { upload: { filename: evidence.filename, bytes: evidence.bytes }, actorUserId: actor.userId },
    systemClock,
  )
  if (!stored.ok) {
    return data(
      {
        intent,
        result: submission.reply(),
        problem: {
          key: 'unit.external.error.refused',
          values: { file: evidence.filename, reason: stored.reason },
        } as Problem,
        done: false,
      },
      { status: 415 },
    )
  }
  await recordExternalPurchase(db, { actor, form: submission.value, evidenceFile: stored.key }, systemClock)
  return data({ intent, result: submission.reply({ resetForm: true }), problem: null, done: true })
}

/** The burn-down drawn on the server: bars per month, the cumulative line, the reserved amount dashed. */
function BurnDownChart({ months, reservedFen }: { months: BurnDownRow[]; reservedFen: bigint }) {
  const t = useT()
  const locale = useLocale()
  const width = 360
  const height = 180
  const left = 44
  const bottom = 20
  const top = 10
  const last = months.at(-1)?.cumulativeFen ?? 0n
  const max = Number(reservedFen > last ? reservedFen : last) || 1
  const plotH = height - top - bottom
  const step = (width - left - 4) / 12
  const y = (fen: bigint) => top + plotH - (Number(fen) / max) * plotH
  const points = months.map((m, i) => `${left + step * i + step / 2},${y(m.cumulativeFen)}`).join(' ')
  return (
    <figure className="rounded-lg border border-stone-200 bg-white p-3">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby="burn-title burn-desc"
        className="h-auto w-full max-w-xl"
      >
        <title id="burn-title">{t('unit.plan.chart')}</title>
        <desc id="burn-desc">{t('unit.plan.chartDesc')}</desc>
        <line x1={left} y1={top + plotH} x2={width} y2={top + plotH} stroke="#a8a29e" />
        <text x={left - 4} y={top + 8} textAnchor="end" fontSize="9" fill="#57534e">
          {formatAmountShort(BigInt(Math.round(max)), locale)}
        </text>
        <text x={left - 4} y={top + plotH} textAnchor="end" fontSize="9" fill="#57534e">
          0
        </text>
        {months.map((m, i) => {
          const h = (Number(m.monthFen) / max) * plotH
          return (
            <g key={m.month}>
              <rect
                x={left + step * i + 3}
                y={top + plotH - h}
                width={Math.max(step - 6, 1)}
                height={Math.max(h, 0)}
                fill="#86efac"
              />
              <text
                x={left + step * i + step / 2}
                y={height - 6}
                textAnchor="middle"
                fontSize="9"
                fill="#57534e"
              >
                {m.month}
              </text>
            </g>
          )
        })}
        <polyline points={points} fill="none" stroke="#15803d" strokeWidth="2" />
        {reservedFen > 0n ? (
          <line
            x1={left}
            x2={width}
            y1={y(reservedFen)}
            y2={y(reservedFen)}
            stroke="#b45309"
            strokeDasharray="4 3"
          />
        ) : null}
      </svg>
    </figure>
  )
}

/** Fen as the yuan text the form reads back (no float on the way). */
function yuanText(fen: bigint): string {
  return `${fen / 100n}.${(fen % 100n).toString().padStart(2, '0')}`
}

export default function UnitPlan() {
  const t = useT()
  const locale = useLocale()
  const unit = useUnitLayout()
  const { view } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const busy = useIsPending()
  const plan = view.plan
  const [planFormState, planFieldsMeta] = useSchemaForm(planForm, {
    id: 'plan',
    lastResult: actionData?.intent === 'plan' ? actionData.result : null,
    defaultValue: {
      year: String(view.year),
      base: plan ? yuanText(plan.baseFen) : '',
      share: plan ? String(plan.reservedShareBp / 100) : '10',
      representativeUscc: plan?.representative?.uscc ?? '',
    },
  })
  const [purchaseFormState, purchaseFields] = useSchemaForm(externalPurchaseForm, {
    id: 'purchase',
    lastResult: actionData?.intent === 'purchase' ? actionData.result : null,
    defaultValue: { kind: 'unit' },
  })
  const [termFormState, termFields] = useSchemaForm(paymentTermForm, {
    id: 'term',
    lastResult: actionData?.intent === 'term' ? actionData.result : null,
    defaultValue: { days: String(view.paymentTermDays) },
  })
  const fen = (v: bigint) => formatFen(v, locale)
  const done =
    actionData?.intent === 'plan'
      ? t('unit.plan.saved')
      : actionData?.intent === 'term'
        ? t('unit.term.saved')
        : t('unit.external.recorded')
  return (
    <div className="max-w-4xl space-y-6">
      <h1 className="text-xl font-semibold">{t('unit.plan.title', { year: view.year })}</h1>
      {actionData?.done ? <Notice>{done}</Notice> : null}
      {actionData?.problem ? (
        <FormAlert>{t(actionData.problem.key, actionData.problem.values)}</FormAlert>
      ) : null}
      {plan ? (
        <section aria-labelledby="plan-summary" className="space-y-2">
          <h2 id="plan-summary" className="sr-only">
            {t('unit.plan.reserved')}
          </h2>
          <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4" data-testid="plan-summary">
            <div>
              <dt className="text-stone-500">{t('unit.plan.base')}</dt>
              <dd className="font-semibold">{fen(plan.baseFen)}</dd>
            </div>
            <div>
              <dt className="text-stone-500">{t('unit.plan.share')}</dt>
              <dd className="font-semibold">{(plan.reservedShareBp / 100).toFixed(2)}%</dd>
            </div>
            <div>
              <dt className="text-stone-500">{t('unit.plan.reserved')}</dt>
              <dd className="font-semibold" data-testid="plan-reserved">
                {fen(plan.reservedFen)}
              </dd>
            </div>
            <div>
              <dt className="text-stone-500">{t('unit.plan.done')}</dt>
              <dd className="font-semibold" data-testid="plan-done">
                {fen(view.doneFen)}
              </dd>
            </div>
          </dl>
          <p>{t('unit.plan.progress', { percent: progressPercent(view.doneFen, plan.reservedFen) })}</p>
          {plan.noCanteen ? <p className="text-sm">{t('unit.plan.noCanteen')}</p> : null}
          {plan.representative ? (
            <p className="text-sm">{t('unit.plan.representative', { name: plan.representative.name })}</p>
          ) : null}
        </section>
      ) : (
        <EmptyState>{t('unit.plan.none', { year: view.year })}</EmptyState>
      )}
      {view.staffFen > 0n ? (
        <p className="text-sm">{t('unit.plan.staff', { amount: fen(view.staffFen) })}</p>
      ) : null}

      <BurnDownChart months={view.months} reservedFen={plan?.reservedFen ?? 0n} />
      <div className="overflow-x-auto">
        <table className="w-full text-sm">
          <caption className="text-left font-semibold">{t('unit.plan.table')}</caption>
          <thead className="text-left text-stone-500">
            <tr>
              <th scope="col" className="py-2 pr-2">
                {t('unit.plan.col.month')}
              </th>
              <th scope="col" className="py-2 pr-2 text-right">
                {t('unit.plan.col.platform')}
              </th>
              <th scope="col" className="py-2 pr-2 text-right">
                {t('unit.plan.col.external')}
              </th>
              <th scope="col" className="py-2 pr-2 text-right">
                {t('unit.plan.col.staff')}
              </th>
              <th scope="col" className="py-2 pr-2 text-right">
                {t('unit.plan.col.cumulative')}
              </th>
              <th scope="col" className="py-2 text-right">
                {t('unit.plan.col.remaining')}
              </th>
            </tr>
          </thead>
          <tbody>
            {view.months.map((m) => (
              <tr key={m.month} className="border-t border-stone-100">
                <th scope="row" className="py-1 pr-2 text-left font-normal">
                  {t('unit.plan.month', { month: m.month })}
                </th>
                <td className="py-1 pr-2 text-right">{fen(m.platformFen)}</td>
                <td className="py-1 pr-2 text-right">{fen(m.externalFen)}</td>
                <td className="py-1 pr-2 text-right">{fen(m.staffFen)}</td>
                <td className="py-1 pr-2 text-right">{fen(m.cumulativeFen)}</td>
                <td className="py-1 text-right">{plan ? fen(m.remainingFen) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <section aria-labelledby="external-title" className="space-y-2">
        <h2 id="external-title" className="text-lg font-semibold">
          {t('unit.external.title')}
        </h2>
        <p className="text-sm text-stone-600">{t('unit.external.intro')}</p>
        {view.purchases.length === 0 ? (
          <EmptyState>{t('unit.external.empty')}</EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-sm">
              <caption className="sr-only">{t('unit.external.caption')}</caption>
              <thead className="text-left text-stone-500">
                <tr>
                  <th scope="col" className="py-2 pr-2">
                    {t('unit.external.col.date')}
                  </th>
                  <th scope="col" className="py-2 pr-2">
                    {t('unit.external.col.kind')}
                  </th>
                  <th scope="col" className="py-2 pr-2">
                    {t('unit.external.col.channel')}
                  </th>
                  <th scope="col" className="py-2 pr-2">
                    {t('unit.external.col.description')}
                  </th>
                  <th scope="col" className="py-2 pr-2 text-right">
                    {t('unit.external.col.amount')}
                  </th>
                  <th scope="col" className="py-2 pr-2">
                    {t('unit.external.col.recordedBy')}
                  </th>
                  <th scope="col" className="py-2">
                    {t('unit.external.col.evidence')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {view.purchases.map((p) => (
                  <tr key={p.id} className="border-t border-stone-100" data-testid="external-purchase">
                    <td className="py-2 pr-2 whitespace-nowrap">{p.purchasedOn}</td>
                    <td className="py-2 pr-2">{t(`unit.external.kind.${p.kind}`)}</td>
                    <td className="py-2 pr-2">{p.channel}</td>
                    <td className="py-2 pr-2">{p.description}</td>
                    <td className="py-2 pr-2 text-right">{fen(p.amountFen)}</td>
                    <td className="py-2 pr-2">{p.recordedBy}</td>
                    <td className="py-2">
                      <a href={`/unit/evidence/${p.evidenceFile}`} className="text-brand-700 underline">
                        {t('unit.external.view')}
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="plan-exports" className="space-y-2">
        <h2 id="plan-exports" className="text-lg font-semibold">
          {t('unit.plan.exports')}
        </h2>
        <p className="flex flex-wrap gap-3 text-sm">
          <a href={`/unit/plan/export.csv?year=${view.year}`} className="text-brand-700 underline" download>
            {t('unit.plan.exportCsv')}
          </a>
          <a href={`/unit/plan/export.xlsx?year=${view.year}`} className="text-brand-700 underline" download>
            {t('unit.plan.exportXlsx')}
          </a>
          <Link to={`/unit/plan/print?year=${view.year}`} className="text-brand-700 underline">
            {t('unit.plan.print')}
          </Link>
        </p>
        <p className="text-sm text-stone-600" data-testid="payment-term">
          {t('unit.term.current', { days: String(view.paymentTermDays) })}
        </p>
      </section>

      {unit?.managesPlan ? (
        <>
          <section aria-labelledby="term-edit" className="rounded-lg border border-stone-200 bg-white p-4">
            <h2 id="term-edit" className="mb-3 text-lg font-semibold">
              {t('unit.term.title')}
            </h2>
            <Form
              method="post"
              encType="multipart/form-data"
              className="space-y-3"
              {...getFormProps(termFormState)}
            >
              <input type="hidden" name="intent" value="term" />
              <Field
                label={t('unit.term.days')}
                meta={termFields.days}
                type="number"
                min={1}
                max={MAX_PAYMENT_TERM_DAYS}
                inputMode="numeric"
                hint={t('unit.term.hint')}
              />
              <button
                type="submit"
                disabled={busy}
                className="rounded bg-brand-700 px-4 py-2 text-white hover:bg-brand-800 disabled:opacity-60"
              >
                {t('unit.term.save')}
              </button>
            </Form>
          </section>

          <section aria-labelledby="plan-edit" className="rounded-lg border border-stone-200 bg-white p-4">
            <h2 id="plan-edit" className="mb-3 text-lg font-semibold">
              {t('unit.plan.edit')}
            </h2>
            <Form
              method="post"
              encType="multipart/form-data"
              className="space-y-3"
              {...getFormProps(planFormState)}
            >
              <input type="hidden" name="intent" value="plan" />
              <div className="grid gap-4 sm:grid-cols-2">
                <Field label={t('unit.plan.year')} meta={planFieldsMeta.year} inputMode="numeric" />
                <Field label={t('unit.plan.baseField')} meta={planFieldsMeta.base} inputMode="decimal" />
                <Field label={t('unit.plan.shareField')} meta={planFieldsMeta.share} inputMode="decimal" />
                <Field
                  label={t('unit.plan.representativeField')}
                  meta={planFieldsMeta.representativeUscc}
                  maxLength={18}
                  autoCapitalize="characters"
                />
              </div>
              <label className="flex items-center gap-2 text-sm">
                <input
                  {...getInputProps(planFieldsMeta.noCanteen, { type: 'checkbox' })}
                  defaultChecked={plan?.noCanteen ?? false}
                />
                {t('unit.plan.noCanteenField')}
              </label>
              <button
                type="submit"
                disabled={busy}
                className="rounded bg-brand-700 px-4 py-2 text-white hover:bg-brand-800 disabled:opacity-60"
              >
                {t('unit.plan.save')}
              </button>
            </Form>
          </section>

          <section aria-labelledby="external-add" className="rounded-lg border border-stone-200 bg-white p-4">
            <h2 id="external-add" className="mb-3 text-lg font-semibold">
              {t('unit.external.record')}
            </h2>
            <Form
              method="post"
              encType="multipart/form-data"
              className="space-y-3"
              {...getFormProps(purchaseFormState)}
            >
              <input type="hidden" name="intent" value="purchase" />
              <div className="grid gap-4 sm:grid-cols-2">
                <SelectField label={t('unit.external.kind')} meta={purchaseFields.kind}>
                  {externalPurchaseKinds.map((kind) => (
                    <option key={kind} value={kind}>
                      {t(`unit.external.kind.${kind}`)}
                    </option>
                  ))}
                </SelectField>
                <Field
                  label={t('unit.external.date')}
                  meta={purchaseFields.purchasedOn}
                  placeholder="2026-03-15"
                />
                <Field label={t('unit.external.channel')} meta={purchaseFields.channel} />
                <Field label={t('unit.external.amount')} meta={purchaseFields.amount} inputMode="decimal" />
              </div>
              <Field label={t('unit.external.description')} meta={purchaseFields.description} />
              <div>
                <label htmlFor="purchase-evidence" className="block text-sm font-medium">
                  {t('unit.external.evidence')}
                </label>
                <input
                  id="purchase-evidence"
                  type="file"
                  name="evidence"
                  accept="application/pdf,image/jpeg,image/png"
                  className="mt-1 block w-full text-sm"
                />
              </div>
              <button
                type="submit"
                disabled={busy}
                className="rounded bg-brand-700 px-4 py-2 text-white hover:bg-brand-800 disabled:opacity-60"
              >
                {t('unit.external.submit')}
              </button>
            </Form>
          </section>
        </>
      ) : null}
    </div>
  )
}
