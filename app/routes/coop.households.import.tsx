import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from '@remix-run/react'
import { useEffect } from 'react'
import { Notice } from '~/components/coop-console'
import { FormAlert } from '~/components/forms'
import { IMPORT_COLUMNS, type ImportProblem, MAX_IMPORT_ROWS } from '~/domains/households'
import { getImportJob, previewHouseholdImport, startHouseholdImport } from '~/domains/households/index.server'
import { systemClock } from '~/utils/clock'
import { activeOrgScope, coopActor } from '~/utils/coop-console.server'
import { getDb } from '~/utils/db.server'
import { invariantResponse } from '~/utils/guards.server'
import type { MessageKey } from '~/utils/i18n'
import { useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'
import { readUploads, uploadLimits } from '~/utils/upload.server'
import { uploadRefusalKey } from '~/utils/upload-refusal'

export const meta: MetaFunction = () => [{ title: '导入受益农户 · 合作社后台 · 消费帮扶集市' }]

/** The import page; with ?job=<id>, that import's progress (the page polls it while it runs). */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/coop.households.import', 'loader', activeOrgScope(args))
  const jobId = new URL(args.request.url).searchParams.get('job')
  if (!jobId) return { job: null }
  const job = await getImportJob(getDb(), { ...coopActor(auth), jobId }, systemClock)
  invariantResponse(job, '导入任务不存在 / Not found', { status: 404 })
  return { job }
}

type Answer = {
  intent: 'preview' | 'import'
  problems: ImportProblem[]
  totalRows: number
  encoding: string | null
  refusal: MessageKey | null
}

/** One CSV file, checked (intent preview) or imported (intent import); both list every bad row and write nothing then. */
export async function action(args: ActionFunctionArgs) {
  const auth = requireAccess(args, 'routes/coop.households.import', 'action', activeOrgScope(args))
  const actor = coopActor(auth)
  const answer = (outcome: Partial<Answer>, status = 200) =>
    data<Answer>(
      { intent: 'preview', problems: [], totalRows: 0, encoding: null, refusal: null, ...outcome },
      { status },
    )
  let uploads: Awaited<ReturnType<typeof readUploads>>
  try {
    uploads = await readUploads(args.request, { ...uploadLimits, files: 1, fields: 2 })
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown
    return answer({ refusal: uploadRefusalKey(thrown.status) }, thrown.status)
  }
  const intent = uploads.fields.intent
  invariantResponse(intent === 'preview' || intent === 'import', 'Unknown intent')
  const file = uploads.files.find((f) => f.field === 'file')
  if (!file) return answer({ intent, refusal: 'household.import.error.noFile' }, 400)
  const db = getDb()
  if (intent === 'preview') {
    const preview = await previewHouseholdImport(db, { ...actor, bytes: file.bytes }, systemClock)
    if (preview.ok) return answer({ totalRows: preview.totalRows, encoding: preview.encoding })
    invariantResponse(preview.error !== 'not_found', '无权访问 / Forbidden', { status: 403 })
    return answer({ problems: preview.problems, totalRows: preview.totalRows }, 400)
  }
  const started = await startHouseholdImport(
    db,
    { ...actor, fileName: file.filename, bytes: file.bytes },
    systemClock,
  )
  if (!started.ok) {
    invariantResponse(started.error !== 'not_found', '无权访问 / Forbidden', { status: 403 })
    return answer({ intent, problems: started.problems, totalRows: started.totalRows }, 400)
  }
  // The import runs on; the page follows its progress.
  void started.finished.catch(() => {})
  return redirect(`/coop/households/import?job=${started.jobId}`)
}

export default function ImportHouseholds() {
  const t = useT()
  const { job } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const revalidator = useRevalidator()
  const running = job?.status === 'running'
  useEffect(() => {
    if (!running) return
    const timer = setInterval(() => {
      if (revalidator.state === 'idle') revalidator.revalidate()
    }, 800)
    return () => clearInterval(timer)
  }, [running, revalidator])
  const busy = navigation.state === 'submitting'
  return (
    <div className="space-y-4">
      <p className="text-sm">
        <Link to="/coop/households" className="text-brand-700 underline">
          {t('household.import.back')}
        </Link>
      </p>
      <h2 className="text-xl font-semibold">{t('household.import.title')}</h2>
      <section
        aria-labelledby="import-how"
        className="space-y-2 rounded-lg border border-stone-200 bg-white p-4 text-sm"
      >
        <h3 id="import-how" className="font-semibold">
          {t('household.import.how')}
        </h3>
        <p>{t('household.import.columns', { columns: IMPORT_COLUMNS.map((c) => c.header).join('，') })}</p>
        <p>{t('household.import.rules', { max: MAX_IMPORT_ROWS.toLocaleString('zh-CN') })}</p>
        <p>
          <a href="/coop/households/template" download className="text-brand-700 underline">
            {t('household.import.template')}
          </a>
        </p>
      </section>
      {job ? <JobProgress job={job} /> : null}
      {actionData?.refusal ? <FormAlert errors={[actionData.refusal]} /> : null}
      <Form
        method="post"
        encType="multipart/form-data"
        className="space-y-3 rounded-lg border border-stone-200 bg-white p-4"
      >
        <div>
          <label htmlFor="import-file" className="mb-1 block font-medium">
            {t('household.import.file')}
          </label>
          <input
            id="import-file"
            name="file"
            type="file"
            accept=".csv,text/csv"
            required
            aria-describedby="import-file-hint"
            className="block w-full text-sm"
          />
          <p id="import-file-hint" className="mt-1 text-sm text-stone-600">
            {t('household.import.fileHint')}
          </p>
        </div>
        <div className="flex flex-wrap gap-3">
          <button
            type="submit"
            name="intent"
            value="preview"
            disabled={busy}
            className="rounded border border-stone-300 bg-white px-4 py-2 hover:bg-stone-100 disabled:opacity-60"
          >
            {t('household.import.preview')}
          </button>
          <button
            type="submit"
            name="intent"
            value="import"
            disabled={busy}
            className="rounded bg-brand-700 px-4 py-2 text-white hover:bg-brand-800 disabled:opacity-60"
          >
            {t('household.import.submit')}
          </button>
        </div>
        {busy ? (
          <p role="status" className="text-sm text-stone-600">
            {t('household.import.checking')}
          </p>
        ) : null}
      </Form>
      {actionData && !actionData.refusal ? (
        actionData.problems.length === 0 ? (
          <Notice>
            {t('household.import.ready', {
              count: actionData.totalRows,
              encoding: actionData.encoding ?? '',
            })}
          </Notice>
        ) : (
          <Problems problems={actionData.problems} totalRows={actionData.totalRows} />
        )
      ) : null}
    </div>
  )
}

function Problems({ problems, totalRows }: { problems: ImportProblem[]; totalRows: number }) {
  const t = useT()
  return (
    <section aria-labelledby="import-problems" className="space-y-2">
      <h3 id="import-problems" className="text-lg font-semibold text-red-800" role="alert">
        {t('household.import.problems', { count: problems.length, rows: totalRows })}
      </h3>
      <div className="overflow-x-auto">
        <table className="w-full text-sm">
          <caption className="sr-only">{t('household.import.problemsCaption')}</caption>
          <thead className="text-left text-stone-600">
            <tr>
              <th scope="col" className="py-2 pr-3">
                {t('household.import.col.line')}
              </th>
              <th scope="col" className="py-2 pr-3">
                {t('household.import.col.field')}
              </th>
              <th scope="col" className="py-2">
                {t('household.import.col.reason')}
              </th>
            </tr>
          </thead>
          <tbody>
            {problems.map((p, i) => (
              <tr
                key={`${p.line}-${p.field}-${i}`}
                className="border-t border-stone-200"
                data-testid="import-problem"
              >
                <td className="py-2 pr-3 tabular-nums">{t('household.import.line', { line: p.line })}</td>
                <td className="py-2 pr-3">{t(`household.import.column.${p.field}`)}</td>
                <td className="py-2">{t(p.reason)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}

function JobProgress({
  job,
}: {
  job: { fileName: string; status: string; totalRows: number; doneRows: number; problems: ImportProblem[] }
}) {
  const t = useT()
  const percent = job.totalRows > 0 ? Math.round((job.doneRows / job.totalRows) * 100) : 0
  return (
    <section
      aria-labelledby="import-job"
      className="space-y-2 rounded-lg border border-stone-200 bg-white p-4"
    >
      <h3 id="import-job" className="font-semibold">
        {t('household.import.job', { file: job.fileName })}
      </h3>
      <progress
        className="h-3 w-full"
        max={job.totalRows}
        value={job.doneRows}
        aria-labelledby="import-job"
        aria-valuetext={`${percent}%`}
      />
      <p role="status" className="text-sm" data-testid="import-status">
        {job.status === 'done'
          ? t('household.import.done', { count: job.totalRows })
          : job.status === 'failed'
            ? t('household.import.failed')
            : t('household.import.running', { done: job.doneRows, total: job.totalRows })}
      </p>
      {job.status === 'done' ? (
        <p className="text-sm">
          <Link to="/coop/households" className="text-brand-700 underline">
            {t('household.import.toRoster')}
          </Link>
        </p>
      ) : null}
    </section>
  )
}
