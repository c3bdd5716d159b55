import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { getFormProps, getInputProps } from '@conform-to/react'
import { Form, Link, useActionData } from '@remix-run/react'
import { ErrorList, Field, FormAlert, useSchemaForm } from '~/components/forms'
import { RegionPicker } from '~/components/region-picker'
import { registrableKinds, registrationSchema } from '~/domains/organizations'
import { registerOrganization } from '~/domains/organizations/index.server'
import { getDb } from '~/utils/db.server'
import { parseForm } from '~/utils/form.server'
import { useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'
import { useIsPending } from '~/utils/use-is-pending'

export const meta: MetaFunction = () => [{ title: '登记单位/合作社 · 消费帮扶集市' }]

export async function loader(args: LoaderFunctionArgs) {
  requireAccess(args, 'routes/account.organizations.new', 'loader')
  return null
}

export async function action(args: ActionFunctionArgs) {
  const { request } = args
  const auth = requireAccess(args, 'routes/account.organizations.new', 'action')
  const submission = await parseForm(request, registrationSchema)
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const result = await registerOrganization(getDb(), { userId: auth.userId, ...submission.value })
  if (!result.ok) {
    return data({ result: submission.reply({ fieldErrors: result.errors }) }, { status: 400 })
  }
  return redirect('/account/organizations?registered=1')
}

export default function RegisterOrganization() {
  const t = useT()
  const actionData = useActionData<typeof action>()
  const isPending = useIsPending()
  const [form, fields] = useSchemaForm(registrationSchema, { lastResult: actionData?.result })
  const kind = fields.kind
  return (
    <div className="max-w-2xl space-y-4">
      <h1 className="text-2xl font-bold">{t('orgForm.title')}</h1>
      <p className="text-sm text-stone-600">{t('orgForm.intro')}</p>
      {form.status === 'error' ? <FormAlert errors={['orgForm.error.summary']} /> : null}
      <Form method="post" className="space-y-5" {...getFormProps(form)}>
        <fieldset aria-describedby={kind.errors ? kind.errorId : undefined}>
          <legend className="text-sm font-medium">{t('orgForm.kind')}</legend>
          <div className="mt-1 grid gap-2 sm:grid-cols-2">
            {registrableKinds.map((value) => (
              <label
                key={value}
                className={`grid cursor-pointer grid-cols-[auto_1fr] gap-x-2 rounded border bg-white p-3 has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50 ${
                  kind.errors ? 'border-red-600' : 'border-stone-300'
                }`}
              >
                <input
                  {...getInputProps(kind, { type: 'radio', value, ariaAttributes: false })}
                  id={`${kind.id}-${value}`}
                  className="row-span-2 mt-1"
                />
                <span className="font-medium">{t(`orgKind.${value}`)}</span>
                <span className="text-xs text-stone-600">{t(`orgForm.kindHint.${value}`)}</span>
              </label>
            ))}
          </div>
          <ErrorList id={kind.errorId} errors={kind.errors} />
        </fieldset>
        <Field
          label={t('orgForm.name')}
          meta={fields.name}
          hint={t('orgForm.nameHint')}
          autoComplete="organization"
        />
        <Field
          label={t('orgForm.uscc')}
          meta={fields.uscc}
          hint={t('orgForm.usccHint')}
          maxLength={24}
          autoCapitalize="characters"
          autoComplete="off"
          spellCheck={false}
        />
        <RegionPicker meta={fields.regionCode} label={t('orgForm.region')} hint={t('orgForm.regionHint')} />
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label={t('orgForm.contactName')} meta={fields.contactName} autoComplete="name" />
          <Field
            label={t('orgForm.contactPhone')}
            meta={fields.contactPhone}
            type="tel"
            hint={t('orgForm.contactPhoneHint')}
            autoComplete="tel"
          />
        </div>
        <div className="flex items-center gap-4">
          <button
            type="submit"
            disabled={isPending}
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
