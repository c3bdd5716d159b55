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
import { loginForm, retryMessage } from '~/domains/accounts'
import { completeSignIn, logIn, sessionPolicy } from '~/domains/accounts/index.server'
import { systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { parseForm } from '~/utils/form.server'
import { useT } from '~/utils/locale'
import { safeRedirectPath } from '~/utils/redirect'
import { requireAccess } from '~/utils/permissions.server'
import { useIsPending } from '~/utils/use-is-pending'

export const meta: MetaFunction = () => [{ title: '登录 · 消费帮扶集市' }]

/** Remix sends an action's headers only through this: a throttled attempt's Retry-After must reach the client. */
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get('Retry-After')
  return retryAfter ? [['Retry-After', retryAfter]] : []
}

export async function loader(args: LoaderFunctionArgs) {
  const { context, request } = args
  requireAccess(args, 'routes/_storefront.login', 'loader')
  const requested = new URL(request.url).searchParams.get('redirectTo')
  // Already signed in: go where the login was meant to lead.
  if (context.auth) throw redirect(safeRedirectPath(requested, request, '/account'))
  // The form carries only a target that passed the check, so a tampered link cannot reach the form's own check.
  return {
    redirectTo: requested === null ? '' : safeRedirectPath(requested, request, ''),
    resetDone: new URL(request.url).searchParams.get('reset') === 'done',
  }
}

/** The password never comes back in an answer. */
const hideFields = ['password']

export async function action(args: ActionFunctionArgs) {
  const { request, context } = args
  requireAccess(args, 'routes/_storefront.login', 'action')
  const submission = await parseForm(request, loginForm)
  if (submission.status !== 'success') {
    return data({ result: submission.reply({ hideFields }), wait: null }, { status: 400 })
  }
  const db = getDb()
  const { identifier, password, redirectTo } = submission.value
  const result = await logIn(db, { identifier, password, ip: context.clientIp }, systemClock)
  if (!result.ok) {
    if (result.reason === 'invalid') {
      return data({ result: submission.reply({ formErrors: ['auth.invalid'], hideFields }), wait: null })
    }
    // 429 with Retry-After, so scripts and proxies see the wait as well as the person at the keyboard.
    return data(
      { result: submission.reply({ hideFields }), wait: retryMessage(result.retryAfterSeconds) },
      { status: 429, headers: { 'Retry-After': String(result.retryAfterSeconds) } },
    )
  }
  const headers = await completeSignIn(
    db,
    {
      userId: result.userId,
      activeOrgId: result.defaultOrgId,
      previousToken: context.sessionToken,
      cookieHeader: request.headers.get('Cookie'),
    },
    systemClock,
    sessionPolicy(),
  )
  return redirect(safeRedirectPath(redirectTo, request, '/account'), { headers })
}

export default function Login() {
  const t = useT()
  const actionData = useActionData<typeof action>()
  const { redirectTo, resetDone } = useLoaderData<typeof loader>()
  const isPending = useIsPending()
  const [form, fields] = useSchemaForm(loginForm, { lastResult: actionData?.result })
  const wait = actionData?.wait
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="text-2xl font-bold">{t('auth.loginTitle')}</h1>
      {resetDone ? (
        <p
          role="status"
          className="mt-4 rounded border border-green-200 bg-green-50 p-3 text-sm text-green-900"
        >
          {t('reset.done')}
        </p>
      ) : null}
      <FormAlert id={form.errorId} errors={form.errors} className="mt-4">
        {wait ? t(wait.key, wait.values) : null}
      </FormAlert>
      <Form method="post" className="mt-4 space-y-4" {...getFormProps(form)}>
        <input type="hidden" name={fields.redirectTo.name} value={redirectTo} />
        <Field label={t('auth.identifier')} meta={fields.identifier} autoComplete="username" />
        <Field
          label={t('auth.password')}
          meta={fields.password}
          type="password"
          autoComplete="current-password"
        />
        <button
          type="submit"
          disabled={isPending}
          className="w-full rounded bg-brand-600 px-4 py-2 text-white hover:bg-brand-700 disabled:opacity-60"
        >
          {t('auth.submitLogin')}
        </button>
      </Form>
      <p className="mt-3 text-sm">
        <Link to="/forgot-password" className="text-brand-700 underline">
          {t('reset.forgotLink')}
        </Link>
      </p>
      <p className="mt-2 text-sm">
        {t('auth.noAccount')}{' '}
        <Link
          to={`/signup${redirectTo ? `?redirectTo=${encodeURIComponent(redirectTo)}` : ''}`}
          className="text-brand-700 underline"
        >
          {t('auth.signupTitle')}
        </Link>
      </p>
      <p className="mt-2 text-xs text-stone-500">{t('auth.demoHint')}</p>
    </div>
  )
}
