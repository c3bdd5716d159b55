import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { getFormProps } from '@conform-to/react'
import { Form, useActionData } from '@remix-run/react'
import { Field, FormAlert, useSchemaForm } from '~/components/forms'
import { changePasswordForm } from '~/domains/accounts'
import {
  changePasswordAndRotate,
  clearSessionCookie,
  sessionCookieHeader,
  sessionPolicy,
} from '~/domains/accounts/index.server'
import { systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { parseForm } from '~/utils/form.server'
import { invariantResponse } from '~/utils/guards.server'
import { useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'
import { useIsPending } from '~/utils/use-is-pending'

export const meta: MetaFunction = () => [{ title: '密码与安全 · 消费帮扶集市' }]

export async function loader(args: LoaderFunctionArgs) {
  requireAccess(args, 'routes/account.security', 'loader')
  return null
}

/** Passwords never come back in an answer. */
const hideFields = ['currentPassword', 'newPassword', 'newPasswordConfirm']

export async function action(args: ActionFunctionArgs) {
  const { request, context } = args
  const auth = requireAccess(args, 'routes/account.security', 'action')
  invariantResponse(context.sessionToken, '无权访问 / Forbidden', { status: 403 })
  const submission = await parseForm(request, changePasswordForm)
  if (submission.status !== 'success') {
    return data({ result: submission.reply({ hideFields }), done: false }, { status: 400 })
  }
  // A changed password ends every other sign-in and gives this one a new id, in the same transaction.
  const result = await changePasswordAndRotate(
    getDb(),
    {
      userId: auth.userId,
      currentPassword: submission.value.currentPassword,
      newPassword: submission.value.newPassword,
      sessionToken: context.sessionToken,
    },
    systemClock,
    sessionPolicy(),
  )
  if (!result.ok) {
    if (result.reason === 'session_ended') {
      // Signed out meanwhile (elsewhere): nothing was changed, and this browser must sign in again.
      throw redirect('/login?redirectTo=%2Faccount%2Fsecurity', {
        headers: { 'Set-Cookie': await clearSessionCookie() },
      })
    }
    return data(
      { result: submission.reply({ fieldErrors: result.errors, hideFields }), done: false },
      { status: 400 },
    )
  }
  return data(
    { result: submission.reply({ resetForm: true }), done: true },
    { headers: { 'Set-Cookie': await sessionCookieHeader(result.session) } },
  )
}

export default function Security() {
  const t = useT()
  const actionData = useActionData<typeof action>()
  const isPending = useIsPending()
  const [form, fields] = useSchemaForm(changePasswordForm, { lastResult: actionData?.result })
  return (
    <div className="max-w-sm space-y-4">
      <h1 className="text-2xl font-bold">{t('auth.changePassword')}</h1>
      {actionData?.done ? (
        <p role="status" className="rounded border border-brand-100 bg-brand-50 p-3 text-sm text-brand-800">
          {t('auth.passwordChanged')}
        </p>
      ) : null}
      <FormAlert id={form.errorId} errors={form.errors} />
      <Form method="post" className="space-y-4" {...getFormProps(form)}>
        <Field
          label={t('auth.currentPassword')}
          meta={fields.currentPassword}
          type="password"
          autoComplete="current-password"
        />
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
          className="rounded bg-brand-600 px-4 py-2 text-white hover:bg-brand-700 disabled:opacity-60"
        >
          {t('auth.changePassword')}
        </button>
      </Form>
    </div>
  )
}
