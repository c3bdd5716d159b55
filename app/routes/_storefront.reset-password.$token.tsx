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
import { resetPasswordForm } from '~/domains/accounts'
import { resetLinkIsValid, resetPasswordWithLink } from '~/domains/accounts/index.server'
import { systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { parseForm } from '~/utils/form.server'
import { useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'
import { useIsPending } from '~/utils/use-is-pending'

export const meta: MetaFunction = () => [{ title: '设置新密码 · 消费帮扶集市' }]

/** The URL holds a secret: never cached, never sent on as a Referer. */
export const headers: HeadersFunction = () => ({
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
})

export async function loader(args: LoaderFunctionArgs) {
  requireAccess(args, 'routes/_storefront.reset-password.$token', 'loader')
  const valid = await resetLinkIsValid(getDb(), args.params.token ?? '', systemClock)
  return data({ valid }, { status: valid ? 200 : 410, headers: { 'Cache-Control': 'no-store' } })
}

const hideFields = ['newPassword', 'newPasswordConfirm']

export async function action(args: ActionFunctionArgs) {
  requireAccess(args, 'routes/_storefront.reset-password.$token', 'action')
  const submission = await parseForm(args.request, resetPasswordForm)
  if (submission.status !== 'success') {
    return data({ result: submission.reply({ hideFields }) }, { status: 400 })
  }
  const result = await resetPasswordWithLink(
    getDb(),
    { token: args.params.token ?? '', newPassword: submission.value.newPassword },
    systemClock,
  )
  if (!result.ok) {
    return data(
      { result: submission.reply({ formErrors: ['reset.linkInvalid'], hideFields }) },
      { status: 410 },
    )
  }
  return redirect('/login?reset=done')
}

export default function ResetPasswordWithLink() {
  const t = useT()
  const { valid } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const isPending = useIsPending()
  const [form, fields] = useSchemaForm(resetPasswordForm, { lastResult: actionData?.result })
  if (!valid) {
    return (
      <div className="mx-auto max-w-sm">
        <h1 className="text-2xl font-bold">{t('reset.newTitle')}</h1>
        <p
          role="alert"
          className="mt-4 rounded border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900"
        >
          {t('reset.linkInvalid')}
        </p>
        <p className="mt-4 text-sm">
          <Link to="/forgot-password" className="text-brand-700 underline">
            {t('reset.requestAgain')}
          </Link>
        </p>
      </div>
    )
  }
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="text-2xl font-bold">{t('reset.newTitle')}</h1>
      <FormAlert id={form.errorId} errors={form.errors} className="mt-4" />
      <Form method="post" className="mt-4 space-y-4" {...getFormProps(form)}>
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
    </div>
  )
}
