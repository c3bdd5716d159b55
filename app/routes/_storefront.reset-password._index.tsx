import {
  type ActionFunctionArgs,
  data,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { getFormProps } from '@conform-to/react'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { Field, FormAlert, useSchemaForm } from '~/components/forms'
import { resetPasswordByCodeForm, retryMessage } from '~/domains/accounts'
import { resetPasswordWithCode } from '~/domains/accounts/index.server'
import { systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { parseForm } from '~/utils/form.server'
import { useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'
import { useIsPending } from '~/utils/use-is-pending'

export const meta: MetaFunction = () => [{ title: '设置新密码 · 消费帮扶集市' }]

export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get('Retry-After')
  return retryAfter ? [['Retry-After', retryAfter]] : []
}

export async function loader(args: LoaderFunctionArgs) {
  requireAccess(args, 'routes/_storefront.reset-password._index', 'loader')
  const params = new URL(args.request.url).searchParams
  const mobile = params.get('mobile') ?? ''
  // Only a well-formed number is put back into the form.
  return { mobile: /^1[3-9]\d{9}$/.test(mobile) ? mobile : '', sent: params.get('sent') === '1' }
}

const hideFields = ['newPassword', 'newPasswordConfirm', 'code']

export async function action(args: ActionFunctionArgs) {
  requireAccess(args, 'routes/_storefront.reset-password._index', 'action')
  const submission = await parseForm(args.request, resetPasswordByCodeForm)
  if (submission.status !== 'success') {
    return data({ result: submission.reply({ hideFields }), wait: null }, { status: 400 })
  }
  const { mobile, code, newPassword } = submission.value
  const result = await resetPasswordWithCode(
    getDb(),
    { mobile, code, newPassword, ip: args.context.clientIp },
    systemClock,
  )
  if (result.ok) return redirect('/login?reset=done')
  if (result.reason === 'throttled') {
    return data(
      { result: submission.reply({ hideFields }), wait: retryMessage(result.retryAfterSeconds) },
      { status: 429, headers: { 'Retry-After': String(result.retryAfterSeconds) } },
    )
  }
  return data(
    { result: submission.reply({ fieldErrors: { code: ['reset.codeInvalid'] }, hideFields }), wait: null },
    { status: 400 },
  )
}

export default function ResetPasswordWithCode() {
  const t = useT()
  const { mobile, sent } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const isPending = useIsPending()
  const [form, fields] = useSchemaForm(resetPasswordByCodeForm, {
    lastResult: actionData?.result,
    defaultValue: { mobile },
  })
  const wait = actionData?.wait
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="text-2xl font-bold">{t('reset.newTitle')}</h1>
      {sent && mobile ? (
        <p
          role="status"
          className="mt-4 rounded border border-green-200 bg-green-50 p-3 text-sm text-green-900"
        >
          {t('reset.sentSms', { identifier: mobile })}
        </p>
      ) : null}
      <FormAlert id={form.errorId} errors={form.errors} className="mt-4">
        {wait ? t(wait.key, wait.values) : null}
      </FormAlert>
      <Form method="post" className="mt-4 space-y-4" {...getFormProps(form)}>
        <Field label={t('auth.mobile')} meta={fields.mobile} autoComplete="username" inputMode="numeric" />
        <Field label={t('reset.code')} meta={fields.code} autoComplete="one-time-code" inputMode="numeric" />
        <Field
          label={t('auth.newPassword')}
          meta={fields.newPassword}
          type="password"
          autoComplete="new-password"
          hint={t('auth.passwordHint')}
        />
        <Field
          label={t('auth.newPasswordConfirm')}
          meta={fields.newPasswordConfirm}
          type="password"
          autoComplete="new-password"
        />
        <button
          type="submit"
          disabled={isPending}
          className="w-full rounded bg-brand-600 px-4 py-2 text-white hover:bg-brand-700 disabled:opacity-60"
        >
          {t('reset.submit')}
        </button>
      </Form>
      <p className="mt-4 text-sm">
        <Link to="/forgot-password" className="text-brand-700 underline">
          {t('reset.requestAgain')}
        </Link>
      </p>
    </div>
  )
}
