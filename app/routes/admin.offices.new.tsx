import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import { useId } from 'react'
import { RegionPicker } from '~/components/region-picker'
import { Field } from '~/components/ui/field'
import {
  errorMessageKey,
  type FieldErrors,
  type OfficeField,
  parseWith,
  officeSchema,
} from '~/domains/organizations'
import { createOffice } from '~/domains/organizations/index.server'
import { systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { readForm } from '~/utils/form.server'
import { useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'

export const meta: MetaFunction = () => [{ title: '新建帮扶工作机构 · 消费帮扶集市' }]

const fields = ['name', 'regionCode', 'uscc', 'jurisdiction'] as const
type Values = Record<(typeof fields)[number], string>

type ActionData =
  | { created: { orgId: string; name: string; jurisdiction: Array<{ code: string; name: string }> } }
  | { errors: FieldErrors<OfficeField>; unknownCodes?: string[]; values: Values }

export async function loader(args: LoaderFunctionArgs) {
  requireAccess(args, 'routes/admin.offices.new', 'loader')
  return null
}

export async function action(args: ActionFunctionArgs) {
  const { request } = args
  const auth = requireAccess(args, 'routes/admin.offices.new', 'action')
  const form = await readForm(request)
  const values = Object.fromEntries(fields.map((field) => [field, form[field] ?? ''])) as Values
  const parsed = parseWith(officeSchema, values)
  if (!parsed.ok)
    return Response.json({ errors: parsed.errors, values } satisfies ActionData, { status: 400 })
  const result = await createOffice(getDb(), { ...parsed.data, createdBy: auth.userId }, systemClock)
  if (!result.ok) {
    const { errors, unknownCodes } = result
    return Response.json({ errors, unknownCodes, values } satisfies ActionData, { status: 400 })
  }
  return Response.json({
    created: { orgId: result.orgId, name: parsed.data.name, jurisdiction: result.jurisdiction },
  } satisfies ActionData)
}

export default function NewOffice() {
  const t = useT()
  const ids = useId()
  const actionData = useActionData<ActionData>()
  const navigation = useNavigation()
  const created = actionData && 'created' in actionData ? actionData.created : null
  const failed = actionData && 'errors' in actionData ? actionData : null
  const errors = failed?.errors ?? {}
  const values = failed?.values
  const message = (field: OfficeField) => {
    const code = errors[field]
    if (!code) return null
    return t(errorMessageKey(field, code), { codes: failed?.unknownCodes?.join('、') ?? '' })
  }
  const jurisdictionError = message('jurisdiction')

  return (
    <div className="max-w-2xl space-y-4">
      <h2 className="text-xl font-semibold">{t('admin.newOffice')}</h2>
      <p className="text-sm text-stone-600">{t('officeForm.intro')}</p>
      {created ? (
        <div
          role="status"
          className="space-y-1 rounded border border-brand-100 bg-brand-50 p-3 text-sm text-brand-800"
        >
          <p className="font-medium">{t('officeForm.created', { name: created.name })}</p>
          <p>
            {t('officeForm.createdJurisdiction', {
              list: created.jurisdiction.map((r) => `${r.name}（${r.code}）`).join('、'),
            })}
          </p>
          <p>{t('officeForm.inviteNote')}</p>
          <Link to="/admin/organizations?status=verified" className="underline">
            {t('officeForm.viewVerified')}
          </Link>
        </div>
      ) : null}
      {failed ? (
        <p role="alert" className="rounded border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          {t('orgForm.error.summary')}
        </p>
      ) : null}
      {/* A new key after each created office empties the form for the next one. */}
      <Form key={created?.orgId ?? 'form'} method="post" noValidate className="space-y-5">
        <Field
          label={t('officeForm.name')}
          name="name"
          defaultValue={values?.name}
          hint={t('officeForm.nameHint')}
          error={message('name')}
          required
          maxLength={100}
        />
        <RegionPicker
          label={t('officeForm.region')}
          hint={t('officeForm.regionHint')}
          error={message('regionCode')}
          defaultValue={values?.regionCode}
        />
        <Field
          label={t('officeForm.uscc')}
          name="uscc"
          defaultValue={values?.uscc}
          hint={t('orgForm.usccHint')}
          error={message('uscc')}
          maxLength={24}
          autoCapitalize="characters"
          autoComplete="off"
          spellCheck={false}
        />
        <div>
          <label htmlFor={`${ids}-jurisdiction`} className="block text-sm font-medium">
            {t('officeForm.jurisdiction')}
          </label>
          <textarea
            id={`${ids}-jurisdiction`}
            name="jurisdiction"
            rows={4}
            required
            defaultValue={values?.jurisdiction}
            placeholder={'350100\n621100'}
            spellCheck={false}
            aria-invalid={jurisdictionError ? true : undefined}
            aria-describedby={`${ids}-jurisdiction-hint${jurisdictionError ? ` ${ids}-jurisdiction-error` : ''}`}
            className={`mt-1 w-full rounded border bg-white px-3 py-2 font-mono ${
              jurisdictionError ? 'border-red-600' : 'border-stone-300'
            }`}
          />
          <p id={`${ids}-jurisdiction-hint`} className="mt-1 text-xs text-stone-500">
            {t('officeForm.jurisdictionHint')}
          </p>
          {jurisdictionError ? (
            <p id={`${ids}-jurisdiction-error`} className="mt-1 text-sm text-red-700">
              {jurisdictionError}
            </p>
          ) : null}
        </div>
        <button
          type="submit"
          disabled={navigation.state === 'submitting'}
          className="rounded bg-brand-600 px-4 py-2 text-white hover:bg-brand-700 disabled:opacity-60"
        >
          {t('officeForm.submit')}
        </button>
      </Form>
    </div>
  )
}
