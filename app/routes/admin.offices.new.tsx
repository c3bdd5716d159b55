import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { getFormProps } from '@conform-to/react'
import { Form, Link, useActionData } from '@remix-run/react'
import { Field, FormAlert, TextareaField, useSchemaForm } from '~/components/forms'
import { RegionListPicker, RegionPicker } from '~/components/region-picker'
import { officeSchema } from '~/domains/organizations'
import { createOffice } from '~/domains/organizations/index.server'
import { systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { parseForm } from '~/utils/form.server'
import { useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'
import { useIsPending } from '~/utils/use-is-pending'

export const meta: MetaFunction = () => [{ title: '新建帮扶工作机构 · 消费帮扶集市' }]

export async function loader(args: LoaderFunctionArgs) {
  requireAccess(args, 'routes/admin.offices.new', 'loader')
  return null
}

export async function action(args: ActionFunctionArgs) {
  const { request } = args
  const auth = requireAccess(args, 'routes/admin.offices.new', 'action')
  const submission = await parseForm(request, officeSchema)
  if (submission.status !== 'success') {
    return data({ result: submission.reply(), unknownCodes: [], created: null }, { status: 400 })
  }
  const result = await createOffice(getDb(), { ...submission.value, createdBy: auth.userId }, systemClock)
  if (!result.ok) {
    return data(
      {
        result: submission.reply({ fieldErrors: result.errors }),
        unknownCodes: result.unknownCodes ?? [],
        created: null,
      },
      { status: 400 },
    )
  }
  return data({
    // The form empties for the next office.
    result: submission.reply({ resetForm: true }),
    unknownCodes: [],
    created: { orgId: result.orgId, name: submission.value.name, jurisdiction: result.jurisdiction },
  })
}

export default function NewOffice() {
  const t = useT()
  const actionData = useActionData<typeof action>()
  const isPending = useIsPending()
  const created = actionData?.created ?? null
  const [form, fields] = useSchemaForm(officeSchema, { lastResult: actionData?.result })

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
              list: created.jurisdiction.map((r) => r.name).join('、'),
            })}
          </p>
          <p>{t('officeForm.inviteNote')}</p>
          <Link to="/admin/organizations?status=verified" className="underline">
            {t('officeForm.viewVerified')}
          </Link>
        </div>
      ) : null}
      {form.status === 'error' ? <FormAlert errors={['orgForm.error.summary']} /> : null}
      {/* A new key after each created office empties the form (and the region picker) for the next one. */}
      <Form key={created?.orgId ?? 'form'} method="post" className="space-y-5" {...getFormProps(form)}>
        <Field label={t('officeForm.name')} meta={fields.name} hint={t('officeForm.nameHint')} />
        <RegionPicker
          meta={fields.regionCode}
          label={t('officeForm.region')}
          hint={t('officeForm.regionHint')}
        />
        <Field
          label={t('officeForm.uscc')}
          meta={fields.uscc}
          hint={t('orgForm.usccHint')}
          maxLength={24}
          autoCapitalize="characters"
          autoComplete="off"
          spellCheck={false}
        />
        {/* Regions chosen by name; before hydration (or without JavaScript) the codes can be typed instead. */}
        <RegionListPicker
          meta={fields.jurisdiction}
          label={t('officeForm.jurisdictionPick')}
          hint={t('officeForm.jurisdictionPickHint')}
          fallback={
            <TextareaField
              label={t('officeForm.jurisdiction')}
              meta={fields.jurisdiction}
              // The one message with a value: which codes do not exist.
              messageValues={{ codes: actionData?.unknownCodes.join('、') ?? '' }}
              hint={t('officeForm.jurisdictionHint')}
              rows={4}
              placeholder={'350100\n621100'}
              spellCheck={false}
              className="mt-1 w-full px-3 py-2 font-mono"
            />
          }
        />
        <button
          type="submit"
          disabled={isPending}
          className="rounded bg-brand-600 px-4 py-2 text-white hover:bg-brand-700 disabled:opacity-60"
        >
          {t('officeForm.submit')}
        </button>
      </Form>
    </div>
  )
}
