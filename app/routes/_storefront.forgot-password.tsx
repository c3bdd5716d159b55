import {
  type ActionFunctionArgs,
  data,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { getFormProps } from '@conform-to/react'
import { Form, Link, useActionData } from '@remix-run/react'
import { Field, FormAlert, useSchemaForm } from '~/components/forms'
import { forgotPasswordForm, retryMessage } from '~/domains/accounts'
import { requestPasswordReset } from '~/domains/accounts/index.server'
import { systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { getEnv } from '~/utils/env.server'
import { parseForm } from '~/utils/form.server'
import { localeOf, translate } from '~/utils/i18n.server'
import { useT } from '~/utils/locale'
import { getMailer } from '~/utils/mailer.server'
import { requireAccess } from '~/utils/permissions.server'
import { useIsPending } from '~/utils/use-is-pending'

export const meta: MetaFunction = () => [{ title: '找回密码 · 消费帮扶集市' }]

export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get('Retry-After')
  return retryAfter ? [['Retry-After', retryAfter]] : []
}

export async function loader(args: LoaderFunctionArgs) {
  requireAccess(args, 'routes/_storefront.forgot-password', 'loader')
  return null
}

export async function action(args: ActionFunctionArgs) {
  const { request, context } = args
  requireAccess(args, 'routes/_storefront.forgot-password', 'action')
  const submission = await parseForm(request, forgotPasswordForm)
  if (submission.status !== 'success') {
    return data({ result: submission.reply(), sent: null, wait: null }, { status: 400 })
  }
  const locale = await localeOf(request)
  const { identifier } = submission.value
  // Links in messages use the configured public origin: a forged Host header must not choose where a link leads.
  const origin = getEnv().PUBLIC_ORIGIN ?? new URL(request.url).origin
  const result = await requestPasswordReset(
    getDb(),
    {
      identifier,
      ip: context.clientIp,
      origin,
      text: (channel, values) =>
        channel === 'email'
          ? {
              subject: translate(locale, 'reset.emailSubject'),
              body: translate(locale, 'reset.emailBody', values),
            }
          : { subject: '', body: translate(locale, 'reset.smsBody', values) },
    },
    systemClock,
    getMailer(),
  )
  if (result.ok) {
    if (result.channel === 'sms') {
      const mobile = identifier.replace(/[\s-]/g, '')
      return redirect(`/reset-password?mobile=${encodeURIComponent(mobile)}&sent=1`)
    }
    return data({ result: submission.reply({ resetForm: true }), sent: identifier.trim(), wait: null })
  }
  if (result.reason === 'throttled') {
    return data(
      { result: submission.reply(), sent: null, wait: retryMessage(result.retryAfterSeconds) },
      { status: 429, headers: { 'Retry-After': String(result.retryAfterSeconds) } },
    )
  }
  const key = result.reason === 'invalid_identifier' ? 'reset.invalidIdentifier' : 'reset.channelUnavailable'
  return data(
    { result: submission.reply({ fieldErrors: { identifier: [key] } }), sent: null, wait: null },
    { status: 400 },
  )
}

export default function ForgotPassword() {
  const t = useT()
  const actionData = useActionData<typeof action>()
  const isPending = useIsPending()
  const [form, fields] = useSchemaForm(forgotPasswordForm, { lastResult: actionData?.result })
  const wait = actionData?.wait
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="text-2xl font-bold">{t('reset.forgotTitle')}</h1>
      <p className="mt-2 text-sm text-stone-600">{t('reset.forgotIntro')}</p>
      {actionData?.sent ? (
        <p
          role="status"
          className="mt-4 rounded border border-green-200 bg-green-50 p-3 text-sm text-green-900"
        >
          {t('reset.sentEmail', { identifier: actionData.sent })}
        </p>
      ) : null}
      <FormAlert id={form.errorId} errors={form.errors} className="mt-4">
        {wait ? t(wait.key, wait.values) : null}
      </FormAlert>
      <Form method="post" className="mt-4 space-y-4" {...getFormProps(form)}>
        <Field label={t('auth.identifier')} meta={fields.identifier} autoComplete="username" />
        <button
          type="submit"
          disabled={isPending}
          className="w-full rounded bg-brand-600 px-4 py-2 text-white hover:bg-brand-700 disabled:opacity-60"
        >
          {t('reset.send')}
        </button>
      </Form>
      <p className="mt-4 text-sm">
        <Link to="/reset-password" className="text-brand-700 underline">
          {t('reset.enterCode')}
        </Link>
        {' · '}
        <Link to="/login" className="text-brand-700 underline">
          {t('auth.loginTitle')}
        </Link>
      </p>
    </div>
  )
}
