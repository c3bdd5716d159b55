import { getFormProps, type SubmissionResult } from '@conform-to/react'
import { Form, Link } from '@remix-run/react'
import { TextareaField, useSchemaForm } from '~/components/forms'
import { Pagination } from '~/components/ui/pagination'
import { supplierAdmissionForm } from '~/domains/organizations'
import type { SupplierCandidate } from '~/domains/organizations/index.server'
import { shanghaiDateTime } from '~/utils/clock'
import type { MessageKey } from '~/utils/i18n'
import { useT } from '~/utils/locale'
import { useIsPending } from '~/utils/use-is-pending'

/**
 * Supplier admission (县级推荐, then the platform's verification), one table for both steps: an office's admins
 * recommend the organisations of its jurisdiction (/office/suppliers), a platform admin verifies the recommended
 * ones (/admin/suppliers).
 */

export type AdmissionMode = 'recommend' | 'verify'

export type AdmissionAnswer = {
  supplierOrgId: string
  result: SubmissionResult | null
  done: { name: string } | null
  error: 'not_found' | 'not_verified' | 'already_recommended' | 'not_recommended' | 'already_verified' | null
}

export type AdmissionPage = { items: SupplierCandidate[]; total: number; page: number; pageSize: number }

export function SupplierAdmission({
  mode,
  list,
  answer,
  auditLink,
}: {
  mode: AdmissionMode
  list: AdmissionPage
  answer: AdmissionAnswer | undefined
  /** The audit log, for those who may read it. */
  auditLink?: boolean
}) {
  const t = useT()
  const columns: MessageKey[] = [
    'supplier.col.name',
    'supplier.col.kind',
    'supplier.col.uscc',
    'supplier.col.region',
    mode === 'recommend' ? 'supplier.col.registeredAt' : 'supplier.col.recommendedBy',
  ]
  return (
    <div className="space-y-4">
      <h2 className="text-xl font-semibold">
        {t(mode === 'recommend' ? 'supplier.title.recommend' : 'supplier.title.verify')}
      </h2>
      <p className="text-sm text-stone-600">
        {t(mode === 'recommend' ? 'supplier.intro.recommend' : 'supplier.intro.verify')} {t('supplier.audit')}{' '}
        {auditLink ? (
          <Link to="/admin/audit" className="text-brand-700 underline">
            {t('supplier.auditLink')}
          </Link>
        ) : null}
      </p>
      {answer?.done ? (
        <p role="status" className="rounded border border-brand-100 bg-brand-50 p-3 text-sm text-brand-800">
          {t(mode === 'recommend' ? 'supplier.result.recommended' : 'supplier.result.verified', {
            name: answer.done.name,
          })}
        </p>
      ) : null}
      {answer?.error ? (
        <p role="alert" className="rounded border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          {t(`supplier.error.${answer.error}`)}
        </p>
      ) : null}
      {list.items.length === 0 ? (
        <p className="rounded-lg border border-dashed border-stone-300 bg-white p-6 text-center text-stone-600">
          {t(mode === 'recommend' ? 'supplier.recommend.empty' : 'supplier.verify.empty')}
        </p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-stone-200 bg-white [contain:inline-size]">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">
              {t(mode === 'recommend' ? 'supplier.caption.recommend' : 'supplier.caption.verify', {
                n: list.total,
              })}
            </caption>
            <thead className="bg-stone-50 text-stone-600">
              <tr>
                {columns.map((key) => (
                  <th key={key} scope="col" className="px-3 py-2 whitespace-nowrap">
                    {t(key)}
                  </th>
                ))}
              </tr>
            </thead>
            {list.items.map((candidate) => (
              <CandidateRows
                key={candidate.orgId}
                mode={mode}
                candidate={candidate}
                columns={columns.length}
                lastResult={answer?.supplierOrgId === candidate.orgId ? answer.result : null}
              />
            ))}
          </table>
        </div>
      )}
      <Pagination page={list.page} pageSize={list.pageSize} total={list.total} />
    </div>
  )
}

function CandidateRows({
  mode,
  candidate,
  columns,
  lastResult,
}: {
  mode: AdmissionMode
  candidate: SupplierCandidate
  columns: number
  lastResult: SubmissionResult | null
}) {
  const t = useT()
  const busy = useIsPending()
  const [form, fields] = useSchemaForm(supplierAdmissionForm, {
    id: `${mode}-${candidate.orgId}`,
    lastResult,
  })
  const when = mode === 'recommend' ? candidate.registeredAt : candidate.recommendedAt
  return (
    <tbody className="border-t border-stone-200">
      <tr className="align-top">
        <th scope="row" className="min-w-40 px-3 py-2 font-medium">
          {candidate.name}
        </th>
        <td className="px-3 py-2 whitespace-nowrap">{t(`orgKind.${candidate.kind}`)}</td>
        <td className="px-3 py-2 font-mono text-xs">{candidate.uscc ?? '—'}</td>
        <td className="min-w-24 px-3 py-2">{candidate.regionName}</td>
        <td className="px-3 py-2">
          {mode === 'verify' ? <span className="block">{candidate.recommendedBy ?? '—'}</span> : null}
          {when ? (
            <time dateTime={when} className="block text-xs whitespace-nowrap text-stone-600">
              {shanghaiDateTime(when)}
            </time>
          ) : null}
        </td>
      </tr>
      <tr>
        <td colSpan={columns} className="px-3 pb-3">
          <Form
            method="post"
            className="flex flex-wrap items-start gap-2 rounded bg-stone-50 p-3"
            {...getFormProps(form)}
          >
            <input type="hidden" name="intent" value={mode} />
            <input type="hidden" name="supplierOrgId" value={candidate.orgId} />
            {mode === 'recommend' ? (
              <div className="min-w-56 flex-1">
                <TextareaField
                  label={
                    <span className="text-xs">
                      {t('supplier.note')}
                      <span className="sr-only">（{candidate.name}）</span>
                    </span>
                  }
                  meta={fields.note}
                  hint={t('supplier.noteHint')}
                  rows={2}
                  className="mt-1 w-full px-2 py-1"
                />
              </div>
            ) : null}
            <button
              type="submit"
              disabled={busy}
              aria-label={t(mode === 'recommend' ? 'supplier.recommendLabel' : 'supplier.verifyLabel', {
                name: candidate.name,
              })}
              className={`${mode === 'recommend' ? 'mt-5 ' : ''}rounded bg-brand-600 px-4 py-2 text-white hover:bg-brand-700 disabled:opacity-60`}
            >
              {t(mode === 'recommend' ? 'supplier.recommend' : 'supplier.verify')}
            </button>
          </Form>
        </td>
      </tr>
    </tbody>
  )
}
