import { getFormProps } from '@conform-to/react'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { Badge } from '~/components/ui/badge'
import { EmptyState, Notice, ProductHeader } from '~/components/coop-console'
import { Field, FormAlert, SelectField, useSchemaForm } from '~/components/forms'
import { certificationSchema, reliefModes } from '~/domains/catalog'
import {
  addCertification,
  addDays,
  getListingForEdit,
  listCertifications,
  storeEvidenceFile,
} from '~/domains/catalog/index.server'
import { EXPIRING_WITHIN_DAYS } from '~/domains/coop'
import { shanghaiDate, systemClock } from '~/utils/clock'
import { activeOrgScope, coopActor, productIdParam } from '~/utils/coop-console.server'
import { getDb } from '~/utils/db.server'
import { invariantResponse } from '~/utils/guards.server'
import { type MessageKey, reliefModeLabel } from '~/utils/i18n'
import { useLocale, useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'
import { readUploads, uploadLimits } from '~/utils/upload.server'
import { uploadRefusalKey } from '~/utils/upload-refusal'
import { parseSubmission } from '~/utils/validation'
import { useIsPending } from '~/utils/use-is-pending'

export const meta: MetaFunction = () => [{ title: '帮扶产品认定 · 合作社后台 · 消费帮扶集市' }]

/** A listing's 帮扶产品认定 certificates, latest validity first, with their state today. */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(
    args,
    'routes/coop.products.$productId_.certifications',
    'loader',
    activeOrgScope(args),
  )
  const productId = productIdParam(args.params)
  const actor = { ...coopActor(auth), productId }
  const db = getDb()
  const [listing, certifications] = await Promise.all([
    getListingForEdit(db, actor),
    listCertifications(db, actor, systemClock),
  ])
  invariantResponse(listing && certifications, '商品不存在 / Not found', { status: 404 })
  const soon = addDays(shanghaiDate(systemClock.now()), EXPIRING_WITHIN_DAYS)
  return {
    product: { productId, name: listing.form.name, status: listing.status },
    certifications: certifications.map((c) => ({
      ...c,
      expiringSoon: c.state === 'valid' && c.validUntil <= soon,
    })),
  }
}

/** The certificate's own fields; anything else a forged form sends is left unread. */
const certificateFields = ['body', 'number', 'validFrom', 'validUntil', 'reliefMode'] as const

type Problem = { key: MessageKey; values?: Record<string, string> }

/**
 * A certificate with its optional evidence file, as one multipart form read as it streams (one file, 10 MB; the
 * path has a streamed body-limit class of its own). The fields are checked before the file is kept, and the file
 * is kept before the certificate names it; an evidence file nobody names is served to nobody.
 */
export async function action(args: ActionFunctionArgs) {
  const auth = requireAccess(
    args,
    'routes/coop.products.$productId_.certifications',
    'action',
    activeOrgScope(args),
  )
  const productId = productIdParam(args.params)
  const actor = { ...coopActor(auth), productId }
  const answer = (
    outcome: { result?: ReturnType<typeof submission.reply>; problem?: Problem; done?: boolean },
    status = 200,
  ) => data({ result: null, problem: null, done: false, ...outcome }, { status })
  let uploads: Awaited<ReturnType<typeof readUploads>>
  try {
    uploads = await readUploads(args.request, { ...uploadLimits, files: 1 })
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown
    return data(
      { result: null, problem: { key: uploadRefusalKey(thrown.status) } as Problem, done: false },
      { status: thrown.status },
    )
  }
  const fields = new URLSearchParams()
  for (const name of certificateFields) fields.set(name, uploads.fields[name] ?? '')
  const submission = parseSubmission(fields, certificationSchema)
  if (submission.status !== 'success') return answer({ result: submission.reply() }, 400)
  const db = getDb()
  // Only a product of this cooperative gets evidence stored for it.
  invariantResponse(await getListingForEdit(db, actor), '商品不存在 / Not found', { status: 404 })
  const evidence = uploads.files.find((file) => file.field === 'evidence')
  let evidenceFile = ''
  if (evidence) {
    const stored = await storeEvidenceFile(
      db,
      { upload: { filename: evidence.filename, bytes: evidence.bytes }, actorUserId: actor.actorUserId },
      systemClock,
    )
    if (!stored.ok) {
      return answer(
        {
          problem: {
            key: 'console.certs.error.refused',
            values: { file: evidence.filename, reason: stored.reason },
          },
        },
        415,
      )
    }
    evidenceFile = stored.key
  }
  const result = await addCertification(
    db,
    { ...actor, form: { ...Object.fromEntries(fields), evidenceFile } },
    systemClock,
  )
  if (result.ok) return answer({ result: submission.reply({ resetForm: true }), done: true })
  invariantResponse(result.error !== 'not_found', '商品不存在 / Not found', { status: 404 })
  return answer({ result: submission.reply({ fieldErrors: result.errors }) }, 400)
}

export default function ProductCertifications() {
  const t = useT()
  const locale = useLocale()
  const { product, certifications } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const busy = useIsPending()
  const [form, fields] = useSchemaForm(certificationSchema, {
    id: 'certification',
    lastResult: actionData?.result,
  })
  return (
    <div className="max-w-3xl space-y-4">
      <ProductHeader
        productId={product.productId}
        name={product.name}
        status={product.status}
        title={t('console.certs.title')}
      />
      {actionData?.done ? <Notice>{t('cert.result.added')}</Notice> : null}
      {actionData?.problem ? (
        <FormAlert>{t(actionData.problem.key, actionData.problem.values)}</FormAlert>
      ) : null}
      <section aria-labelledby="cert-add" className="rounded-lg border border-stone-200 bg-white p-4">
        <h3 id="cert-add" className="mb-3 text-lg font-semibold">
          {t('console.certs.add')}
        </h3>
        <Form method="post" encType="multipart/form-data" className="space-y-3" {...getFormProps(form)}>
          {form.status === 'error' && !actionData?.problem ? (
            <FormAlert errors={form.errors ?? ['console.form.summary']} />
          ) : null}
          <Field label={t('console.certs.body')} meta={fields.body} />
          <Field label={t('console.certs.number')} meta={fields.number} autoComplete="off" />
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label={t('console.certs.validFrom')} meta={fields.validFrom} placeholder="2026-01-01" />
            <Field label={t('console.certs.validUntil')} meta={fields.validUntil} placeholder="2028-12-31" />
          </div>
          <SelectField label={t('console.certs.reliefMode')} meta={fields.reliefMode}>
            <option value="">{t('console.form.choose')}</option>
            {reliefModes.map((mode) => (
              <option key={mode} value={mode}>
                {reliefModeLabel(locale, mode)}
              </option>
            ))}
          </SelectField>
          <div>
            <label htmlFor="cert-evidence" className="block text-sm font-medium">
              {t('console.certs.evidence')}
            </label>
            <input
              id="cert-evidence"
              type="file"
              name="evidence"
              accept="application/pdf,image/jpeg,image/png"
              aria-describedby="cert-evidence-hint"
              className="mt-1 block w-full text-sm"
            />
            <p id="cert-evidence-hint" className="mt-1 text-xs text-stone-500">
              {t('console.certs.evidenceHint')}
            </p>
          </div>
          <button
            type="submit"
            disabled={busy}
            className="rounded bg-brand-700 px-4 py-2 text-white hover:bg-brand-800 disabled:opacity-60"
          >
            {t('console.certs.submit')}
          </button>
        </Form>
      </section>

      <section aria-labelledby="cert-history" className="space-y-2">
        <h3 id="cert-history" className="text-lg font-semibold">
          {t('console.certs.history')}
        </h3>
        {certifications.length === 0 ? (
          <EmptyState>{t('cert.history.empty')}</EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-sm">
              <caption className="sr-only">{t('console.certs.caption')}</caption>
              <thead className="text-left text-stone-500">
                <tr>
                  <th scope="col" className="py-2 pr-3">
                    {t('console.certs.col.body')}
                  </th>
                  <th scope="col" className="py-2 pr-3">
                    {t('console.certs.col.number')}
                  </th>
                  <th scope="col" className="py-2 pr-3">
                    {t('console.certs.col.period')}
                  </th>
                  <th scope="col" className="py-2 pr-3">
                    {t('console.certs.col.mode')}
                  </th>
                  <th scope="col" className="py-2 pr-3">
                    {t('console.certs.col.state')}
                  </th>
                  <th scope="col" className="py-2">
                    {t('console.certs.col.evidence')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {certifications.map((c) => (
                  <tr key={c.id} className="border-t border-stone-100" data-testid="certification">
                    <td className="py-2 pr-3">{c.body}</td>
                    <td className="py-2 pr-3 font-mono">{c.number}</td>
                    <td className="py-2 pr-3 whitespace-nowrap">
                      {t('console.certs.period', { from: c.validFrom, until: c.validUntil })}
                    </td>
                    <td className="py-2 pr-3">{reliefModeLabel(locale, c.reliefMode)}</td>
                    <td className="py-2 pr-3">
                      {c.expiringSoon ? (
                        <Badge tone="amber">{t('console.certs.state.expiring')}</Badge>
                      ) : (
                        <Badge tone={c.state === 'valid' ? 'green' : 'grey'}>
                          {t(`cert.state.${c.state}`)}
                        </Badge>
                      )}
                    </td>
                    <td className="py-2">
                      {c.evidenceFile ? (
                        <a href={`/coop/evidence/${c.evidenceFile}`} className="text-brand-700 underline">
                          {t('console.certs.viewEvidence')}
                        </a>
                      ) : (
                        t('console.certs.noEvidence')
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  )
}
