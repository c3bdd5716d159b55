import { getFormProps } from '@conform-to/react'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { EmptyState, Notice, useCoopLayout } from '~/components/coop-console'
import { Field, FormAlert, SelectField, TextareaField, useSchemaForm } from '~/components/forms'
import { Badge } from '~/components/ui/badge'
import { baseKinds, baseSchema } from '~/domains/catalog'
import {
  archiveBase,
  createBase,
  getCoopConsole,
  listBases,
  updateBase,
} from '~/domains/catalog/index.server'
import { systemClock } from '~/utils/clock'
import { activeOrgScope, coopActor } from '~/utils/coop-console.server'
import { getDb } from '~/utils/db.server'
import { parseForm } from '~/utils/form.server'
import { invariantResponse } from '~/utils/guards.server'
import type { MessageKey } from '~/utils/i18n'
import { useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'
import { useIsPending } from '~/utils/use-is-pending'

export const meta: MetaFunction = () => [{ title: '基地 · 合作社后台 · 消费帮扶集市' }]

/** The cooperative's 帮扶基地 and 帮扶车间: every member reads them, its admins change them. */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/coop.bases', 'loader', activeOrgScope(args))
  const actor = coopActor(auth)
  const db = getDb()
  const [coop, bases] = await Promise.all([getCoopConsole(db, actor), listBases(db, actor)])
  invariantResponse(coop && bases, '无权访问 / Forbidden', { status: 403 })
  return { bases, places: coop.places, regionName: coop.regionName }
}

const intentForm = z.object({
  intent: z.enum(['create', 'update', 'archive']),
  baseId: z.string().max(64).optional(),
})

type Answer = {
  intent: string
  result: ReturnType<Awaited<ReturnType<typeof parseForm<typeof intentForm>>>['reply']> | null
  done: MessageKey | null
  refusal: MessageKey | null
}

export async function action(args: ActionFunctionArgs) {
  const submission = await parseForm(args.request, intentForm)
  invariantResponse(submission.status === 'success', 'Unknown intent')
  const { intent } = submission.value
  const auth = requireAccess(args, 'routes/coop.bases', 'action', { ...activeOrgScope(args), intent })
  const actor = coopActor(auth)
  const answer = (outcome: Partial<Answer>, status = 200) =>
    data<Answer>({ intent, result: null, done: null, refusal: null, ...outcome }, { status })
  const db = getDb()
  const baseId = submission.value.baseId ?? ''
  const result =
    intent === 'create'
      ? await createBase(db, { ...actor, form: submission.payload }, systemClock)
      : intent === 'update'
        ? await updateBase(db, { ...actor, baseId, form: submission.payload })
        : await archiveBase(db, { ...actor, baseId }, systemClock)
  if (result.ok) {
    const done = {
      create: 'console.bases.created',
      update: 'console.bases.updated',
      archive: 'console.bases.archived',
    } as const
    return answer({ done: done[intent], result: submission.reply({ resetForm: true }) })
  }
  invariantResponse(result.error !== 'not_found', '基地不存在 / Not found', { status: 404 })
  if (result.error === 'invalid')
    return answer({ result: submission.reply({ fieldErrors: result.errors }) }, 400)
  return answer({ refusal: `base.error.${result.error}` }, 409)
}

export default function CoopBases() {
  const t = useT()
  const { bases, places, regionName } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const coop = useCoopLayout()
  const [params] = useSearchParams()
  const manages = coop?.managesBases ?? false
  const editing = manages ? bases.find((b) => b.id === params.get('edit') && !b.archived) : undefined
  return (
    <div className="space-y-4">
      <h2 className="text-xl font-semibold">{t('console.bases.title')}</h2>
      <p className="text-sm text-stone-600">{t('console.bases.intro')}</p>
      {actionData?.done ? <Notice>{t(actionData.done)}</Notice> : null}
      {actionData?.refusal ? <FormAlert errors={[actionData.refusal]} /> : null}
      {manages ? (
        <BaseForm
          key={editing?.id ?? 'new'}
          base={editing}
          places={places}
          regionName={regionName}
          lastResult={actionData?.intent === (editing ? 'update' : 'create') ? actionData.result : null}
        />
      ) : (
        <p className="rounded border border-stone-200 bg-stone-50 p-3 text-sm text-stone-700">
          {t('console.bases.readOnly')}
        </p>
      )}
      <section aria-labelledby="bases-list" className="space-y-2">
        <h3 id="bases-list" className="text-lg font-semibold">
          {t('console.bases.list')}
        </h3>
        {bases.length === 0 ? (
          <EmptyState>{t('base.empty')}</EmptyState>
        ) : (
          <ul className="grid gap-3 md:grid-cols-2">
            {bases.map((base) => (
              <li
                key={base.id}
                className="space-y-1 rounded-lg border border-stone-200 bg-white p-3"
                data-testid="base"
              >
                <p className="flex flex-wrap items-center gap-2">
                  <span className="font-medium">{base.name}</span>
                  <Badge tone="blue">{t(`base.kind.${base.kind}`)}</Badge>
                  {base.archived ? <Badge>{t('base.archived')}</Badge> : null}
                </p>
                <p className="text-sm text-stone-600">
                  {base.regionName} · {t('console.bases.products', { count: base.products })}
                </p>
                {base.description ? <p className="text-sm whitespace-pre-line">{base.description}</p> : null}
                {manages && !base.archived ? (
                  <div className="flex flex-wrap items-center gap-3 pt-1 text-sm">
                    <Link to={`/coop/bases?edit=${base.id}`} className="text-brand-700 underline">
                      {t('console.bases.edit', { name: base.name })}
                    </Link>
                    <Form
                      method="post"
                      onSubmit={(event) => {
                        if (!window.confirm(t('console.bases.archiveConfirm'))) event.preventDefault()
                      }}
                    >
                      <input type="hidden" name="intent" value="archive" />
                      <input type="hidden" name="baseId" value={base.id} />
                      <button
                        type="submit"
                        className="rounded border border-red-300 px-2 py-0.5 text-red-700 hover:bg-red-50"
                      >
                        {t('console.bases.archive')}
                      </button>
                    </Form>
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  )
}

function BaseForm({
  base,
  places,
  regionName,
  lastResult,
}: {
  base?: { id: string; name: string; kind: string; regionCode: string; description: string }
  places: Array<{ code: string; name: string }>
  regionName: string
  lastResult: Answer['result'] | null | undefined
}) {
  const t = useT()
  const busy = useIsPending()
  const [form, fields] = useSchemaForm(baseSchema, {
    id: base ? `base-${base.id}` : 'base-new',
    lastResult,
    defaultValue: base
      ? { name: base.name, kind: base.kind, regionCode: base.regionCode, description: base.description }
      : { regionCode: places.length === 1 ? places[0]!.code : '' },
  })
  const title = base ? t('console.bases.edit', { name: base.name }) : t('console.bases.add')
  return (
    <section aria-labelledby="base-form-title" className="rounded-lg border border-stone-200 bg-white p-4">
      <h3 id="base-form-title" className="mb-3 text-lg font-semibold">
        {title}
      </h3>
      <Form method="post" className="space-y-3" {...getFormProps(form)}>
        {form.status === 'error' ? <FormAlert errors={form.errors ?? ['console.form.summary']} /> : null}
        <input type="hidden" name="intent" value={base ? 'update' : 'create'} />
        {base ? <input type="hidden" name="baseId" value={base.id} /> : null}
        <Field label={t('console.bases.name')} meta={fields.name} />
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectField label={t('console.bases.kind')} meta={fields.kind}>
            <option value="">{t('console.form.choose')}</option>
            {baseKinds.map((kind) => (
              <option key={kind} value={kind}>
                {t(`base.kind.${kind}`)}
              </option>
            ))}
          </SelectField>
          <SelectField
            label={t('console.bases.region')}
            meta={fields.regionCode}
            hint={t('console.form.originHint', { region: regionName })}
          >
            <option value="">{t('console.form.choose')}</option>
            {places.map((place) => (
              <option key={place.code} value={place.code}>
                {place.name}
              </option>
            ))}
          </SelectField>
        </div>
        <TextareaField label={t('console.bases.description')} meta={fields.description} rows={3} />
        <div className="flex items-center gap-4">
          <button
            type="submit"
            disabled={busy}
            className="rounded bg-brand-700 px-4 py-2 text-white hover:bg-brand-800 disabled:opacity-60"
          >
            {base ? t('console.bases.save') : t('console.bases.create')}
          </button>
          {base ? (
            <Link to="/coop/bases" className="text-sm text-stone-600 underline">
              {t('console.bases.add')}
            </Link>
          ) : null}
        </div>
      </Form>
    </section>
  )
}
