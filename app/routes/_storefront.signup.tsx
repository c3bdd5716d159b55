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
import { retryMessage, signUpForm } from '~/domains/accounts'
import { completeSignIn, sessionPolicy, signUp } from '~/domains/accounts/index.server'
import { systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { parseForm } from '~/utils/form.server'
import { useT } from '~/utils/locale'
import { safeRedirectPath } from '~/utils/redirect'
import { requireAccess } from '~/utils/permissions.server'
import { useIsPending } from '~/utils/use-is-pending'

export const meta: MetaFunction = () => [{ title: '注册 · 消费帮扶集市' }]

/** Remix sends an action's headers only through this: a throttled attempt's Retry-After must reach the client. */
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get('Retry-After')
  return retryAfter ? [['Retry-After', retryAfter]] : []
}

export async function loader(args: LoaderFunctionArgs) {
  const { context, request } = args
  requireAccess(args, 'routes/_storefront.signup', 'loader')
  if (context.auth) throw redirect('/account')
  const requested = new URL(request.url).searchParams.get('redirectTo')
  return { redirectTo: requested === null ? '' : safeRedirectPath(requested, request, '') }
}

/** Passwords never come back in an answer. */
const hideFields = ['password', 'passwordConfirm']

export async function action(args: ActionFunctionArgs) {
  const { request, context } = args
  requireAccess(args, 'routes/_storefront.signup', 'action')
  const submission = await parseForm(request, signUpForm)
  if (submission.status !== 'success') {
    return data({ result: submission.reply({ hideFields }), wait: null }, { status: 400 })
  }
  const db = getDb()
  const { redirectTo, ...account } = submission.value
  const result = await signUp(db, { ...account, ip: context.clientIp }, systemClock)
  if (!result.ok) {
    if (result.reason === 'throttled') {
      return data(
        { result: submission.reply({ hideFields }), wait: retryMessage(result.retryAfterSeconds) },
        { status: 429, headers: { 'Retry-After': String(result.retryAfterSeconds) } },
      )
    }
    return data(
      { result: submission.reply({ fieldErrors: result.errors, hideFields }), wait: null },
      { status: 400 },
    )
  }
  const headers = await completeSignIn(
    db,
    {
      userId: result.userId,
      previousToken: context.sessionToken,
      cookieHeader: request.headers.get('Cookie'),
    },
    systemClock,
    sessionPolicy(),
  )
  return redirect(safeRedirectPath(redirectTo, request, '/account'), { headers })
}

export default function SignUp() {
  const t = useT()
  const actionData = useActionData<typeof action>()
  const { redirectTo } = useLoaderData<typeof loader>()
  const isPending = useIsPending()
  const [form, fields] = useSchemaForm(signUpForm, { lastResult: actionData?.result })
  const wait = actionData?.wait
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="text-2xl font-bold">{t('auth.signupTitle')}</h1>
      <FormAlert id={form.errorId} errors={form.errors} className="mt-4">
        {wait ? t(wait.key, wait.values) : null}
      </FormAlert>
      <Form method="post" className="mt-4 space-y-4" {...getFormProps(form)}>
        <input type="hidden" name={fields.redirectTo.name} value={redirectTo} />
        <Field label={t('auth.displayName')} meta={fields.displayName} autoComplete="name" />
        <Field
          label={t('auth.email')}
          meta={fields.email}
          type="email"
          autoComplete="email"
          hint={t('auth.emailOrMobileHint')}
        />
        <Field label={t('auth.mobile')} meta={fields.mobile} type="tel" autoComplete="tel" />
        <Field
          label={t('auth.password')}
          meta={fields.password}
          type="password"
          autoComplete="new-password"
          hint={t('auth.passwordHint')}
        />
        <Field
          label={t('auth.passwordConfirm')}
          meta={fields.passwordConfirm}
          type="password"
          autoComplete="new-password"
        />
        <button
          type="submit"
          disabled={isPending}
          className="w-full rounded bg-brand-600 px-4 py-2 text-white hover:bg-brand-700 disabled:opacity-60"
        >
          {t('auth.submitSignup')}
        </button>
      </Form>
      <p className="mt-4 text-sm">
        {t('auth.haveAccount')}{' '}
        <Link to="/login" className="text-brand-700 underline">
          {t('auth.loginTitle')}
        </Link>
      </p>
    </div>
  )
}
