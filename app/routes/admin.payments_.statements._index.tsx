import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { Badge } from '~/components/ui/badge'
import { STATEMENT_FILE_BYTES } from '~/domains/payments'
import { listStatementImports, uploadStatement } from '~/domains/payments/index.server'
import { shanghaiDateTime, systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import type { MessageKey } from '~/utils/i18n'
import { useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'
import { readUploads, uploadLimits } from '~/utils/upload.server'
import { useIsPending } from '~/utils/use-is-pending'

export const meta: MetaFunction = () => [{ title: '导入银行流水 · 消费帮扶集市' }]

/** Bank statement import (issue 18 item 5): the upload form and the latest imports. */
export async function loader(args: LoaderFunctionArgs) {
  requireAccess(args, 'routes/admin.payments_.statements._index', 'loader')
  return { imports: await listStatementImports(getDb()) }
}

/**
 * One statement file, read as it streams (at most 5 MB; the path has a streamed body-limit class of its own). A
 * file that cannot be read is answered 4xx with the reason next to the file field, and nothing is written; a read
 * one is stored and its preview (or the column mapping its new layout needs) opened.
 */
export async function action(args: ActionFunctionArgs) {
  const auth = requireAccess(args, 'routes/admin.payments_.statements._index', 'action')
  const refuse = (error: MessageKey, status: number) => data({ error }, { status })
  let uploads: Awaited<ReturnType<typeof readUploads>>
  try {
    uploads = await readUploads(args.request, {
      ...uploadLimits,
      fileBytes: STATEMENT_FILE_BYTES,
      files: 1,
      fields: 1,
    })
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown
    return refuse(
      thrown.status === 413 ? 'statement.error.too_large' : 'statement.error.refused',
      thrown.status,
    )
  }
  const file = uploads.files.find((f) => f.field === 'file')
  if (!file) return refuse('statement.error.noFile', 400)
  const uploaded = await uploadStatement(
    getDb(),
    { fileName: file.filename, bytes: file.bytes, userId: auth.userId },
    systemClock,
  )
  if (!uploaded.ok) return refuse(`statement.error.${uploaded.error}`, 422)
  throw redirect(`/admin/payments/statements/${uploaded.importId}`)
}

const statusTone = { mapping: 'amber', ready: 'blue', confirmed: 'green' } as const

export default function StatementUpload() {
  const { imports } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const t = useT()
  const busy = useIsPending()
  const error = actionData?.error ?? null
  return (
    <div className="space-y-4">
      <p className="text-sm">
        <Link to="/admin/payments" className="text-brand-700 underline">
          {t('statement.back')}
        </Link>
      </p>
      <h2 className="text-xl font-semibold">{t('statement.title')}</h2>
      <p className="text-sm text-stone-600">{t('statement.intro')}</p>
      <Form
        method="post"
        encType="multipart/form-data"
        noValidate
        className="space-y-3 rounded-lg border border-stone-200 bg-white p-4"
      >
        <div>
          <label htmlFor="statement-file" className="mb-1 block font-medium">
            {t('statement.file')}
          </label>
          <input
            id="statement-file"
            name="file"
            type="file"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'statement-file-hint statement-file-error' : 'statement-file-hint'}
            className="block w-full text-sm"
          />
          <p id="statement-file-hint" className="mt-1 text-sm text-stone-600">
            {t('statement.fileHint')}
          </p>
          {error ? (
            <p id="statement-file-error" role="alert" className="mt-1 text-sm text-red-700">
              {t(error)}
            </p>
          ) : null}
        </div>
        <button
          type="submit"
          disabled={busy}
          className="rounded bg-brand-700 px-4 py-2 text-white hover:bg-brand-800 disabled:opacity-60"
        >
          {t('statement.upload')}
        </button>
        {busy ? (
          <div role="status" className="space-y-1 text-sm text-stone-600">
            <p>{t('statement.uploading')}</p>
            <progress className="h-2 w-full" aria-label={t('statement.uploading')} />
          </div>
        ) : null}
      </Form>
      <section aria-labelledby="statement-recent" className="space-y-2">
        <h3 id="statement-recent" className="text-lg font-semibold">
          {t('statement.recent')}
        </h3>
        {imports.length === 0 ? (
          <p className="text-sm text-stone-600">{t('statement.recentEmpty')}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-sm">
              <caption className="sr-only">{t('statement.recentCaption')}</caption>
              <thead className="text-left text-stone-500">
                <tr>
                  <th scope="col" className="py-2 pr-3">
                    {t('statement.col.file')}
                  </th>
                  <th scope="col" className="py-2 pr-3">
                    {t('statement.col.uploadedAt')}
                  </th>
                  <th scope="col" className="py-2 pr-3 text-right">
                    {t('statement.col.rows')}
                  </th>
                  <th scope="col" className="py-2 pr-3 text-right">
                    {t('statement.col.confirmed')}
                  </th>
                  <th scope="col" className="py-2">
                    {t('statement.col.status')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {imports.map((imp) => (
                  <tr key={imp.id} className="border-t border-stone-100">
                    <td className="py-2 pr-3 break-all">
                      <Link to={`/admin/payments/statements/${imp.id}`} className="text-brand-700 underline">
                        {imp.fileName}
                      </Link>
                    </td>
                    <td className="py-2 pr-3 whitespace-nowrap">{shanghaiDateTime(imp.uploadedAt)}</td>
                    <td className="py-2 pr-3 text-right tabular-nums">{imp.rowCount}</td>
                    <td className="py-2 pr-3 text-right tabular-nums">{imp.confirmedCount}</td>
                    <td className="py-2">
                      <Badge tone={statusTone[imp.status]}>{t(`statement.status.${imp.status}`)}</Badge>
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
