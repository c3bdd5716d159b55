import { getFormProps } from '@conform-to/react'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { FormAlert, SelectField, useSchemaForm } from '~/components/forms'
import {
  requiredRoles,
  statementForm,
  type StatementGroup,
  statementGroups,
  type StatementRole,
  statementRoles,
} from '~/domains/payments'
import {
  confirmStatementImport,
  getStatementImport,
  saveStatementMapping,
  type StatementImportView,
} from '~/domains/payments/index.server'
import { shanghaiDateTime, systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { parseForm } from '~/utils/form.server'
import { invariantResponse } from '~/utils/guards.server'
import { useLocale, useT } from '~/utils/locale'
import { formatFen } from '~/utils/money'
import { requireAccess } from '~/utils/permissions.server'
import { useIsPending } from '~/utils/use-is-pending'
import { routeParam } from '~/utils/validation'

export const meta: MetaFunction = () => [{ title: '银行流水预览 · 消费帮扶集市' }]

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** An import: its column mapping while the layout is new, else its lines sorted against the payments as they stand. */
export async function loader(args: LoaderFunctionArgs) {
  requireAccess(args, 'routes/admin.payments_.statements.$importId', 'loader')
  const importId = routeParam(args.params, 'importId', { pattern: uuid })
  invariantResponse(importId, '找不到这次导入 / Not found', { status: 404 })
  const view = await getStatementImport(getDb(), importId)
  invariantResponse(view, '找不到这次导入 / Not found', { status: 404 })
  return { view: serialize(view) }
}

/** The view with its money as numbers of fen (JSON has no bigint; a statement's amounts are far below 2⁵³). */
function serialize(view: StatementImportView) {
  const preview = view.preview
  return {
    ...view,
    preview: preview
      ? {
          groups: statementGroups.map((group) => ({
            group,
            count: preview.groups[group].count,
            totalFen: Number(preview.groups[group].totalFen),
          })),
          debits: { count: preview.debits.count, totalFen: Number(preview.debits.totalFen) },
          ignored: preview.ignored,
          unreadable: preview.unreadable,
          lines: preview.lines.map((l) => ({
            line: l.line,
            bookedOn: l.bookedOn,
            amountFen: Number(l.amountFen),
            memo: l.memo,
            payer: l.payer,
            group: l.group,
            reason: l.reason,
            reference: l.reference,
            order: l.payment
              ? { number: l.payment.orderNumber, amountFen: Number(l.payment.amountFen) }
              : null,
          })),
        }
      : null,
  }
}

type Done = { confirmed: number; skipped: number; refused: number }

export async function action(args: ActionFunctionArgs) {
  const submission = await parseForm(args.request, statementForm)
  const intent = submission.payload.intent
  const auth = requireAccess(args, 'routes/admin.payments_.statements.$importId', 'action', {
    intent: typeof intent === 'string' ? intent : '',
  })
  const importId = routeParam(args.params, 'importId', { pattern: uuid })
  invariantResponse(importId, '找不到这次导入 / Not found', { status: 404 })
  const answer = (outcome: { result?: ReturnType<typeof submission.reply>; done?: Done }) => ({
    result: null,
    done: null,
    ...outcome,
  })
  if (submission.status !== 'success') return data(answer({ result: submission.reply() }), { status: 400 })
  const form = submission.value
  const db = getDb()
  if (form.intent === 'map') {
    const { intent: _intent, ...mapping } = form
    const saved = await saveStatementMapping(db, { importId, mapping, userId: auth.userId }, systemClock)
    if (saved.ok) return data(answer({ result: submission.reply() }))
    invariantResponse(saved.error !== 'not_found', '找不到这次导入 / Not found', { status: 404 })
    return data(answer({ result: submission.reply({ formErrors: ['statement.map.incomplete'] }) }), {
      status: 400,
    })
  }
  const result = await confirmStatementImport(db, { importId, userId: auth.userId }, systemClock)
  if (!result.ok) {
    invariantResponse(result.error !== 'not_found', '找不到这次导入 / Not found', { status: 404 })
    return data(answer({ result: submission.reply({ formErrors: ['statement.map.incomplete'] }) }), {
      status: 409,
    })
  }
  return data(
    answer({ done: { confirmed: result.confirmed, skipped: result.skipped, refused: result.refused } }),
  )
}

type View = ReturnType<typeof serialize>

export default function StatementImport() {
  const { view } = useLoaderData<typeof loader>()
  const t = useT()
  return (
    <div className="space-y-4">
      <p className="text-sm">
        <Link to="/admin/payments/statements" className="text-brand-700 underline">
          {t('statement.backToUpload')}
        </Link>
      </p>
      <h2 className="text-xl font-semibold">{t('statement.title')}</h2>
      <p className="text-sm break-all text-stone-600" data-testid="statement-file">
        {t('statement.fileInfo', { file: view.fileName, rows: view.rowCount, encoding: view.encoding })}
      </p>
      {view.preview ? <Preview view={view} /> : <Mapping view={view} />}
    </div>
  )
}

function Mapping({ view }: { view: View }) {
  const t = useT()
  const busy = useIsPending()
  const actionData = useActionData<typeof action>()
  const [form, fields] = useSchemaForm(statementForm, {
    id: 'statement-map',
    lastResult: actionData?.result,
    defaultValue: {
      intent: 'map',
      ...Object.fromEntries(Object.entries(view.guess ?? {}).map(([role, index]) => [role, String(index)])),
    },
  })
  const roleFields = fields as unknown as Record<StatementRole, Parameters<typeof SelectField>[0]['meta']>
  return (
    <section aria-labelledby="statement-map-title" className="space-y-3">
      <h3 id="statement-map-title" className="text-lg font-semibold">
        {t('statement.map.title')}
      </h3>
      <p className="text-sm text-stone-600">{t('statement.map.intro')}</p>
      <div className="overflow-x-auto">
        <table className="w-full text-sm">
          <caption className="text-left text-stone-500">{t('statement.map.sampleCaption')}</caption>
          <thead className="text-left">
            <tr>
              {view.header.map((cell, i) => (
                <th key={i} scope="col" className="py-2 pr-3 whitespace-nowrap">
                  {t('statement.map.column', { n: i + 1, name: cell })}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {view.sample.map((row, r) => (
              <tr key={r} className="border-t border-stone-100">
                {view.header.map((_, i) => (
                  <td key={i} className="py-1 pr-3 whitespace-nowrap">
                    {row[i] ?? ''}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <FormAlert errors={form.errors} />
      <Form
        method="post"
        {...getFormProps(form)}
        className="grid gap-3 rounded-lg border border-stone-200 bg-white p-4 sm:grid-cols-2"
      >
        <input type="hidden" name="intent" value="map" />
        {statementRoles.map((role) => (
          <SelectField
            key={role}
            label={`${t(`statement.role.${role}`)}${requiredRoles.includes(role) ? t('statement.role.requiredMark') : ''}`}
            meta={roleFields[role]}
          >
            <option value="">{t('statement.map.none')}</option>
            {view.header.map((cell, i) => (
              <option key={i} value={String(i)}>
                {t('statement.map.column', { n: i + 1, name: cell })}
              </option>
            ))}
          </SelectField>
        ))}
        <div className="sm:col-span-2">
          <button
            type="submit"
            disabled={busy}
            className="rounded bg-brand-700 px-4 py-2 text-white hover:bg-brand-800 disabled:opacity-60"
          >
            {t('statement.map.save')}
          </button>
        </div>
      </Form>
    </section>
  )
}

const groupTone: Record<StatementGroup, string> = {
  matched: 'text-brand-800',
  short: 'text-red-800',
  over: 'text-red-800',
  duplicate: 'text-amber-800',
  closed: 'text-amber-800',
  unknown: 'text-stone-700',
}

function Preview({ view }: { view: View }) {
  const t = useT()
  const locale = useLocale()
  const busy = useIsPending()
  const actionData = useActionData<typeof action>()
  const preview = view.preview!
  const matched = preview.groups.find((g) => g.group === 'matched')!
  const done = actionData?.done ?? null
  return (
    <div className="space-y-4">
      <section aria-labelledby="statement-summary" className="space-y-2">
        <h3 id="statement-summary" className="text-lg font-semibold">
          {t('statement.preview.title')}
        </h3>
        <table className="w-full max-w-xl text-sm" data-testid="statement-groups">
          <caption className="sr-only">{t('statement.preview.summaryCaption')}</caption>
          <thead className="text-left text-stone-500">
            <tr>
              <th scope="col" className="py-1 pr-3">
                {t('statement.preview.group')}
              </th>
              <th scope="col" className="py-1 pr-3 text-right">
                {t('statement.preview.count')}
              </th>
              <th scope="col" className="py-1 text-right">
                {t('statement.preview.total')}
              </th>
            </tr>
          </thead>
          <tbody>
            {preview.groups.map((g) => (
              <tr key={g.group} className="border-t border-stone-100" data-testid={`group-${g.group}`}>
                <th scope="row" className={`py-1 pr-3 text-left font-normal ${groupTone[g.group]}`}>
                  {t(`statement.group.${g.group}`)}
                </th>
                <td className="py-1 pr-3 text-right tabular-nums">{g.count}</td>
                <td className="py-1 text-right tabular-nums">{formatFen(g.totalFen, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="text-sm text-stone-600">
          {t('statement.preview.debits', {
            count: preview.debits.count,
            amount: formatFen(preview.debits.totalFen, locale),
          })}
          {preview.ignored > 0 ? ` ${t('statement.preview.ignored', { count: preview.ignored })}` : ''}
        </p>
        {preview.unreadable.length > 0 ? (
          <p className="text-sm text-red-800">
            {t('statement.preview.unreadable', { count: preview.unreadable.length })}{' '}
            {preview.unreadable
              .map((u) =>
                t('statement.preview.unreadableLine', {
                  line: u.line,
                  problem: t(`statement.problem.${u.problem}`),
                }),
              )
              .join('、')}
          </p>
        ) : null}
      </section>
      {done ? (
        <div role="status" className="rounded border border-brand-200 bg-brand-50 p-3 text-sm text-brand-800">
          <p data-testid="statement-done">{t('statement.done', { confirmed: done.confirmed })}</p>
          {done.skipped > 0 ? <p>{t('statement.doneSkipped', { skipped: done.skipped })}</p> : null}
          {done.refused > 0 ? <p>{t('statement.doneRefused', { refused: done.refused })}</p> : null}
        </div>
      ) : null}
      {view.confirmedAt ? (
        <p className="text-sm text-stone-600">
          {t('statement.confirmedAt', {
            time: shanghaiDateTime(view.confirmedAt),
            count: view.confirmedCount,
          })}
        </p>
      ) : null}
      {matched.count > 0 ? (
        <Form method="post" className="space-y-2">
          <input type="hidden" name="intent" value="confirm" />
          <button
            type="submit"
            disabled={busy}
            className="w-full rounded bg-brand-700 px-4 py-2 text-white hover:bg-brand-800 disabled:opacity-60 sm:w-auto"
          >
            {t('statement.confirm', { count: matched.count, amount: formatFen(matched.totalFen, locale) })}
          </button>
          {busy ? (
            <div role="status" className="space-y-1 text-sm text-stone-600">
              <p>{t('statement.confirming', { count: matched.count })}</p>
              <progress
                className="h-2 w-full"
                aria-label={t('statement.confirming', { count: matched.count })}
              />
            </div>
          ) : null}
        </Form>
      ) : (
        <p className="text-sm text-stone-600">{t('statement.nothingToConfirm')}</p>
      )}
      {statementGroups.map((group) => {
        const lines = preview.lines.filter((l) => l.group === group)
        if (lines.length === 0) return null
        const hint = group === 'matched' ? null : t(`statement.groupHint.${group}`)
        return (
          <section key={group} aria-labelledby={`lines-${group}`} className="space-y-1">
            <h3 id={`lines-${group}`} className={`font-semibold ${groupTone[group]}`}>
              {t(`statement.group.${group}`)} · {lines.length}
            </h3>
            {hint ? <p className="text-sm text-stone-600">{hint}</p> : null}
            <div className="overflow-x-auto">
              <table className="w-full text-sm" data-testid={`lines-${group}`}>
                <caption className="sr-only">
                  {t('statement.lines.caption', { group: t(`statement.group.${group}`) })}
                </caption>
                <thead className="text-left text-stone-500">
                  <tr>
                    <th scope="col" className="py-1 pr-2">
                      {t('statement.col.line')}
                    </th>
                    <th scope="col" className="py-1 pr-2">
                      {t('statement.col.date')}
                    </th>
                    <th scope="col" className="py-1 pr-2 text-right">
                      {t('statement.col.amount')}
                    </th>
                    <th scope="col" className="py-1 pr-2">
                      {t('statement.col.payer')}
                    </th>
                    <th scope="col" className="py-1 pr-2">
                      {t('statement.col.memo')}
                    </th>
                    <th scope="col" className="py-1 pr-2">
                      {t('statement.col.order')}
                    </th>
                    <th scope="col" className="py-1">
                      {t('statement.col.note')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {lines.map((l) => (
                    <tr
                      key={l.line}
                      className="border-t border-stone-100 align-top"
                      data-testid="statement-line"
                    >
                      <td className="py-1 pr-2 tabular-nums">{l.line}</td>
                      <td className="py-1 pr-2 whitespace-nowrap">{l.bookedOn}</td>
                      <td className="py-1 pr-2 text-right tabular-nums">{formatFen(l.amountFen, locale)}</td>
                      <td className="py-1 pr-2">{l.payer}</td>
                      <td className="py-1 pr-2 break-all">{l.memo}</td>
                      <td className="py-1 pr-2 font-mono whitespace-nowrap">
                        {l.order ? (
                          <>
                            {l.order.number}
                            <span className="block font-sans text-xs text-stone-500">
                              {t('statement.col.due')} {formatFen(l.order.amountFen, locale)}
                            </span>
                          </>
                        ) : (
                          (l.reference ?? '—')
                        )}
                      </td>
                      <td className="py-1">
                        {t(`statement.reason.${l.reason}`, {
                          diff: l.order ? formatFen(Math.abs(l.amountFen - l.order.amountFen), locale) : '',
                        })}
                        {(group === 'short' || group === 'over') && l.reference ? (
                          <Link
                            to={`/admin/payments?filter=all&q=${encodeURIComponent(l.reference)}`}
                            className="ml-2 text-brand-700 underline"
                          >
                            {t('statement.handle')}
                          </Link>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        )
      })}
    </div>
  )
}
