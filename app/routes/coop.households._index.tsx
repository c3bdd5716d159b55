import { getFormProps } from '@conform-to/react'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { EmptyState, Notice } from '~/components/coop-console'
import { Field, FormAlert, SelectField, useSchemaForm } from '~/components/forms'
import { Badge } from '~/components/ui/badge'
import { Pagination } from '~/components/ui/pagination'
import {
  householdLinkageOptions,
  householdSchema,
  type HouseholdStatus,
  householdStatusOptions,
  revealSchema,
} from '~/domains/households'
import {
  createHousehold,
  deactivateHousehold,
  type HouseholdView,
  listHouseholds,
  revealHouseholdId,
  type RosterPlace,
  updateHousehold,
} from '~/domains/households/index.server'
import { systemClock } from '~/utils/clock'
import { activeOrgScope, coopActor, pageParam } from '~/utils/coop-console.server'
import { getDb } from '~/utils/db.server'
import { parseForm } from '~/utils/form.server'
import { invariantResponse } from '~/utils/guards.server'
import type { MessageKey } from '~/utils/i18n'
import { useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'
import { useIsPending } from '~/utils/use-is-pending'

/** The statuses' message keys are ASCII: a Chinese key would ship the Chinese word in the English catalogue. */
const statusKeys: Record<HouseholdStatus, 'lifted' | 'monitored' | 'lowIncome'> = {
  脱贫户: 'lifted',
  防止返贫监测对象: 'monitored',
  低收入农户: 'lowIncome',
}

export const meta: MetaFunction = () => [{ title: '受益农户 · 合作社后台 · 消费帮扶集市' }]

/** The cooperative's beneficiary households (受益农户): the roster, ten… twenty a page, active ones first. */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/coop.households._index', 'loader', activeOrgScope(args))
  const roster = await listHouseholds(getDb(), {
    ...coopActor(auth),
    page: pageParam(new URL(args.request.url)),
  })
  invariantResponse(roster, '无权访问 / Forbidden', { status: 403 })
  return roster
}

const intentForm = z.object({
  intent: z.enum(['create', 'update', 'deactivate', 'reveal']),
  householdId: z.string().max(64).optional(),
})

type Reply = ReturnType<Awaited<ReturnType<typeof parseForm<typeof intentForm>>>['reply']>
type Answer = {
  intent: string
  householdId: string | null
  result: Reply | null
  done: MessageKey | null
  code: string | null
  refusal: MessageKey | null
  /** The whole ID number, only in the answer to a reveal (never in a page the loader renders). */
  revealed: string | null
}

/** The ID number never travels back in a form's echo. */
const hidden = ['idNumber']

export async function action(args: ActionFunctionArgs) {
  const submission = await parseForm(args.request, intentForm)
  invariantResponse(submission.status === 'success', 'Unknown intent')
  const { intent } = submission.value
  const auth = requireAccess(args, 'routes/coop.households._index', 'action', {
    ...activeOrgScope(args),
    intent,
  })
  const actor = coopActor(auth)
  const householdId = submission.value.householdId ?? ''
  const answer = (outcome: Partial<Answer>, status = 200) =>
    data<Answer>(
      {
        intent,
        householdId: householdId || null,
        result: null,
        done: null,
        code: null,
        refusal: null,
        revealed: null,
        ...outcome,
      },
      { status },
    )
  const db = getDb()
  if (intent === 'reveal') {
    const result = await revealHouseholdId(db, { ...actor, form: submission.payload }, systemClock)
    if (result.ok)
      return answer({
        revealed: result.idNumber,
        code: result.code,
        result: submission.reply({ resetForm: true }),
      })
    invariantResponse(result.error !== 'not_found', '农户不存在 / Not found', { status: 404 })
    if (result.error === 'invalid')
      return answer({ result: submission.reply({ fieldErrors: result.errors }) }, 400)
    return answer({ refusal: 'household.reveal.noId' }, 409)
  }
  if (intent === 'deactivate') {
    const result = await deactivateHousehold(db, { ...actor, householdId }, systemClock)
    if (result.ok) return answer({ done: 'household.deactivated' })
    invariantResponse(result.error !== 'not_found', '农户不存在 / Not found', { status: 404 })
    return answer({ refusal: `household.error.${result.error}` }, 409)
  }
  const result =
    intent === 'create'
      ? await createHousehold(db, { ...actor, form: submission.payload }, systemClock)
      : await updateHousehold(db, { ...actor, householdId, form: submission.payload }, systemClock)
  if (result.ok)
    return answer({
      done: intent === 'create' ? 'household.created' : 'household.updated',
      code: result.code,
      result: submission.reply({ resetForm: true, hideFields: hidden }),
    })
  invariantResponse(result.error !== 'not_found', '农户不存在 / Not found', { status: 404 })
  if (result.error === 'invalid')
    return answer({ result: submission.reply({ fieldErrors: result.errors, hideFields: hidden }) }, 400)
  return answer({ refusal: 'household.error.deactivated' }, 409)
}

export default function CoopHouseholds() {
  const t = useT()
  const roster = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [params] = useSearchParams()
  const editing = roster.items.find((h) => h.id === params.get('edit') && h.active)
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="text-xl font-semibold">{t('household.title')}</h2>
        <Link to="/coop/households/import" className="text-sm text-brand-700 underline">
          {t('household.import.link')}
        </Link>
      </div>
      <p className="text-sm text-stone-600">{t('household.intro')}</p>
      {actionData?.done ? <Notice>{t(actionData.done, { code: actionData.code ?? '' })}</Notice> : null}
      {actionData?.refusal ? <FormAlert errors={[actionData.refusal]} /> : null}
      {actionData?.revealed ? (
        <div role="status" className="rounded border border-amber-300 bg-amber-50 p-3 text-sm">
          <p>
            {t('household.reveal.shown', { code: actionData.code ?? '' })}{' '}
            <span className="font-mono text-base">{actionData.revealed}</span>
          </p>
          <p className="text-stone-600">{t('household.reveal.logged')}</p>
        </div>
      ) : null}
      <HouseholdForm
        key={editing?.id ?? 'new'}
        household={editing}
        places={roster.places}
        lastResult={actionData?.intent === (editing ? 'update' : 'create') ? actionData.result : null}
      />
      <section aria-labelledby="households-list" className="space-y-2">
        <h3 id="households-list" className="text-lg font-semibold">
          {t('household.list', { total: roster.total })}
        </h3>
        {roster.items.length === 0 ? (
          <EmptyState>{t('household.empty')}</EmptyState>
        ) : (
          <ul className="grid gap-3 md:grid-cols-2">
            {roster.items.map((household) => (
              <HouseholdCard
                key={household.id}
                household={household}
                canReveal={roster.canReveal}
                revealResult={
                  actionData?.intent === 'reveal' && actionData.householdId === household.id
                    ? actionData.result
                    : null
                }
              />
            ))}
          </ul>
        )}
        <Pagination page={roster.page} pageSize={roster.pageSize} total={roster.total} />
      </section>
    </div>
  )
}

function HouseholdCard({
  household,
  canReveal,
  revealResult,
}: {
  household: HouseholdView
  canReveal: boolean
  revealResult: Reply | null
}) {
  const t = useT()
  return (
    <li className="space-y-1 rounded-lg border border-stone-200 bg-white p-3" data-testid="household">
      <p className="flex flex-wrap items-center gap-2">
        <span className="font-mono text-sm">{household.code}</span>
        <span className="font-medium">{household.maskedName}</span>
        <Badge tone={household.status === '防止返贫监测对象' ? 'amber' : 'blue'}>
          {t(`household.status.${statusKeys[household.status]}`)}
        </Badge>
        {household.active ? null : <Badge>{t('household.inactive')}</Badge>}
      </p>
      <p className="text-sm text-stone-600">
        {household.regionName}
        {household.village} · {t('household.membersCount', { count: household.members })} ·{' '}
        {t(`household.linkage.${household.linkage}`)}
      </p>
      <p className="text-sm text-stone-600">
        {household.idLast4 ? t('household.idLast4', { last4: household.idLast4 }) : t('household.noId')} ·{' '}
        {t('household.linkedProducts', { count: household.linkedProducts })}
      </p>
      {household.active ? (
        <div className="flex flex-wrap items-center gap-3 pt-1 text-sm">
          <Link to={`?edit=${household.id}`} className="text-brand-700 underline">
            {t('household.edit', { code: household.code })}
          </Link>
          <Form
            method="post"
            onSubmit={(event) => {
              if (!window.confirm(t('household.deactivateConfirm'))) event.preventDefault()
            }}
          >
            <input type="hidden" name="intent" value="deactivate" />
            <input type="hidden" name="householdId" value={household.id} />
            <button
              type="submit"
              className="rounded border border-red-300 px-2 py-0.5 text-red-700 hover:bg-red-50"
            >
              {t('household.deactivate', { code: household.code })}
            </button>
          </Form>
        </div>
      ) : null}
      {canReveal && household.idLast4 ? (
        <RevealForm householdId={household.id} code={household.code} lastResult={revealResult} />
      ) : null}
    </li>
  )
}

function RevealForm({
  householdId,
  code,
  lastResult,
}: {
  householdId: string
  code: string
  lastResult: Reply | null
}) {
  const t = useT()
  const [form, fields] = useSchemaForm(revealSchema, {
    id: `reveal-${householdId}`,
    lastResult,
    defaultValue: { householdId },
  })
  return (
    <details className="pt-1 text-sm" open={form.status === 'error'}>
      <summary className="cursor-pointer text-stone-700">{t('household.reveal.open')}</summary>
      <Form method="post" className="mt-2 space-y-2" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="reveal" />
        <input type="hidden" name="householdId" value={householdId} />
        <Field
          label={t('household.reveal.reason', { code })}
          meta={fields.reason}
          hint={t('household.reveal.hint')}
        />
        <button type="submit" className="rounded border border-stone-300 px-3 py-1 hover:bg-stone-100">
          {t('household.reveal.submit')}
        </button>
      </Form>
    </details>
  )
}

function HouseholdForm({
  household,
  places,
  lastResult,
}: {
  household?: HouseholdView
  places: RosterPlace[]
  lastResult: Reply | null | undefined
}) {
  const t = useT()
  const busy = useIsPending()
  const [form, fields] = useSchemaForm(householdSchema, {
    id: household ? `household-${household.id}` : 'household-new',
    lastResult,
    defaultValue: household
      ? {
          headName: household.maskedName,
          regionCode: household.regionCode,
          village: household.village,
          members: String(household.members),
          status: household.status,
          linkage: household.linkage,
        }
      : { regionCode: places.length === 1 ? places[0]!.code : '' },
  })
  const title = household ? t('household.edit', { code: household.code }) : t('household.add')
  return (
    <section
      aria-labelledby="household-form-title"
      className="rounded-lg border border-stone-200 bg-white p-4"
    >
      <h3 id="household-form-title" className="mb-3 text-lg font-semibold">
        {title}
      </h3>
      <Form method="post" className="space-y-3" autoComplete="off" {...getFormProps(form)}>
        {form.status === 'error' ? <FormAlert errors={form.errors ?? ['console.form.summary']} /> : null}
        <input type="hidden" name="intent" value={household ? 'update' : 'create'} />
        {household ? <input type="hidden" name="householdId" value={household.id} /> : null}
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            label={t('household.field.headName')}
            meta={fields.headName}
            hint={t('household.field.headNameHint')}
          />
          <Field
            label={t('household.field.members')}
            meta={fields.members}
            inputMode="numeric"
            hint={t('household.field.membersHint')}
          />
          <SelectField label={t('household.field.region')} meta={fields.regionCode}>
            <option value="">{t('console.form.choose')}</option>
            {places.map((place) => (
              <option key={place.code} value={place.code}>
                {place.name}
              </option>
            ))}
          </SelectField>
          <Field
            label={t('household.field.village')}
            meta={fields.village}
            hint={t('household.field.villageHint')}
          />
          <SelectField label={t('household.field.status')} meta={fields.status}>
            <option value="">{t('console.form.choose')}</option>
            {householdStatusOptions.map((status) => (
              <option key={status} value={status}>
                {t(`household.status.${statusKeys[status]}`)}
              </option>
            ))}
          </SelectField>
          <SelectField label={t('household.field.linkage')} meta={fields.linkage}>
            <option value="">{t('console.form.choose')}</option>
            {householdLinkageOptions.map((linkage) => (
              <option key={linkage} value={linkage}>
                {t(`household.linkage.${linkage}`)}
              </option>
            ))}
          </SelectField>
        </div>
        <Field
          label={t('household.field.idNumber')}
          meta={fields.idNumber}
          hint={
            household?.idLast4
              ? t('household.field.idNumberKeep', { last4: household.idLast4 })
              : t('household.field.idNumberHint')
          }
          autoComplete="off"
          spellCheck={false}
        />
        <div className="flex items-center gap-4">
          <button
            type="submit"
            disabled={busy}
            className="rounded bg-brand-700 px-4 py-2 text-white hover:bg-brand-800 disabled:opacity-60"
          >
            {household ? t('household.save') : t('household.create')}
          </button>
          {household ? (
            <Link to="/coop/households" className="text-sm text-stone-600 underline">
              {t('household.add')}
            </Link>
          ) : null}
        </div>
      </Form>
    </section>
  )
}
