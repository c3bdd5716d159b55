import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import { type FormEvent, useId, useState } from 'react'
import { RegionPicker } from '~/components/region-picker'
import { Field } from '~/components/ui/field'
import {
  errorMessageKey,
  type FieldErrors,
  parseWith,
  registrableKinds,
  type RegistrationField,
  registrationSchema,
} from '~/domains/organizations'
import { registerOrganization } from '~/domains/organizations/index.server'
import { getDb } from '~/utils/db.server'
import { readForm } from '~/utils/form.server'
import { useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'

export const meta: MetaFunction = () => [{ title: '登记单位/合作社 · 消费帮扶集市' }]

const fields = ['kind', 'name', 'uscc', 'regionCode', 'contactName', 'contactPhone'] as const

type ActionData = { errors: FieldErrors<RegistrationField>; values: Record<(typeof fields)[number], string> }

export async function loader(args: LoaderFunctionArgs) {
  requireAccess(args, 'routes/account.organizations.new', 'loader')
  return null
}

export async function action(args: ActionFunctionArgs) {
  const { request } = args
  const auth = requireAccess(args, 'routes/account.organizations.new', 'action')
  const form = await readForm(request)
  const values = Object.fromEntries(fields.map((field) => [field, form[field] ?? ''])) as ActionData['values']
  const parsed = parseWith(registrationSchema, values)
  if (!parsed.ok)
    return Response.json({ errors: parsed.errors, values } satisfies ActionData, { status: 400 })
  const result = await registerOrganization(getDb(), { userId: auth.userId, ...parsed.data })
  if (!result.ok)
    return Response.json({ errors: result.errors, values } satisfies ActionData, { status: 400 })
  return redirect('/account/organizations?registered=1')
}

export default function RegisterOrganization() {
  const t = useT()
  const ids = useId()
  const actionData = useActionData<ActionData>()
  const navigation = useNavigation()
  // The browser checks the same schema first, so most mistakes show without a round trip; the server decides.
  const [clientErrors, setClientErrors] = useState<FieldErrors<RegistrationField> | null>(null)
  const errors = clientErrors ?? actionData?.errors ?? {}
  const values = actionData?.values
  const message = (field: RegistrationField) => {
    const code = errors[field]
    return code ? t(errorMessageKey(field, code)) : null
  }
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    const checked = parseWith(registrationSchema, Object.fromEntries(new FormData(event.currentTarget)))
    if (checked.ok) {
      setClientErrors(null)
    } else {
      event.preventDefault()
      setClientErrors(checked.errors)
    }
  }
  const kindError = message('kind')
  const hasErrors = Object.keys(errors).length > 0

  return (
    <div className="max-w-2xl space-y-4">
      <h1 className="text-2xl font-bold">{t('orgForm.title')}</h1>
      <p className="text-sm text-stone-600">{t('orgForm.intro')}</p>
      {hasErrors ? (
        <p role="alert" className="rounded border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          {t('orgForm.error.summary')}
        </p>
      ) : null}
      <Form method="post" noValidate onSubmit={onSubmit} className="space-y-5">
        <fieldset aria-describedby={kindError ? `${ids}-kind-error` : undefined}>
          <legend className="text-sm font-medium">{t('orgForm.kind')}</legend>
          <div className="mt-1 grid gap-2 sm:grid-cols-2">
            {registrableKinds.map((kind) => (
              <label
                key={kind}
                className={`grid cursor-pointer grid-cols-[auto_1fr] gap-x-2 rounded border bg-white p-3 has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50 ${
                  kindError ? 'border-red-600' : 'border-stone-300'
                }`}
              >
                <input
                  type="radio"
                  name="kind"
                  value={kind}
                  defaultChecked={values?.kind === kind}
                  required
                  className="row-span-2 mt-1"
                />
                <span className="font-medium">{t(`orgKind.${kind}`)}</span>
                <span className="text-xs text-stone-600">{t(`orgForm.kindHint.${kind}`)}</span>
              </label>
            ))}
          </div>
          {kindError ? (
            <p id={`${ids}-kind-error`} className="mt-1 text-sm text-red-700">
              {kindError}
            </p>
          ) : null}
        </fieldset>
        <Field
          label={t('orgForm.name')}
          name="name"
          defaultValue={values?.name}
          hint={t('orgForm.nameHint')}
          error={message('name')}
          required
          maxLength={100}
          autoComplete="organization"
        />
        <Field
          label={t('orgForm.uscc')}
          name="uscc"
          defaultValue={values?.uscc}
          hint={t('orgForm.usccHint')}
          error={message('uscc')}
          required
          maxLength={24}
          autoCapitalize="characters"
          autoComplete="off"
          spellCheck={false}
        />
        <RegionPicker
          label={t('orgForm.region')}
          hint={t('orgForm.regionHint')}
          error={message('regionCode')}
          defaultValue={values?.regionCode}
        />
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            label={t('orgForm.contactName')}
            name="contactName"
            defaultValue={values?.contactName}
            error={message('contactName')}
            required
            maxLength={50}
            autoComplete="name"
          />
          <Field
            label={t('orgForm.contactPhone')}
            name="contactPhone"
            type="tel"
            defaultValue={values?.contactPhone}
            hint={t('orgForm.contactPhoneHint')}
            error={message('contactPhone')}
            required
            autoComplete="tel"
          />
        </div>
        <div className="flex items-center gap-4">
          <button
            type="submit"
            disabled={navigation.state === 'submitting'}
            className="rounded bg-brand-600 px-4 py-2 text-white hover:bg-brand-700 disabled:opacity-60"
          >
            {t('orgForm.submit')}
          </button>
          <Link to="/account/organizations" className="text-sm text-stone-600 hover:underline">
            {t('orgForm.back')}
          </Link>
        </div>
      </Form>
    </div>
  )
}
