import {
  type ActionFunctionArgs,
  data,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { Field } from '~/components/ui/field'
import { loginForm, retryMessage } from '~/domains/accounts'
import { fieldErrors } from '~/utils/validation'
import { logIn, createSession, sessionPolicy, completeSignIn } from '~/domains/accounts/index.server'
import { systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { readForm } from '~/utils/form.server'
import type { MessageKey } from '~/utils/i18n'
import { useT } from '~/utils/locale'
import { safeRedirectPath } from '~/utils/redirect'
import { requireAccess } from '~/utils/permissions.server'

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
  return { redirectTo: requested === null ? '' : safeRedirectPath(requested, request, '') }
}

export async function action(args: ActionFunctionArgs) {
  const { request, context } = args
  requireAccess(args, 'routes/_storefront.login', 'action')
  const parsed = loginForm.safeParse(await readForm(request))
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), form: null }, { status: 400 })
  const db = getDb()
  const result = await logIn(
    db,
    { identifier: parsed.data.identifier, password: parsed.data.password, ip: context.clientIp },
    systemClock,
  )
  if (!result.ok) {
    if (result.reason === 'invalid') {
      return { errors: {}, form: { key: 'auth.invalid' as const, values: {} } }
    }
    // 429 with Retry-After, so scripts and proxies see the wait as well as the person at the keyboard.
    return data(
      { errors: {}, form: retryMessage(result.retryAfterSeconds) },
      { status: 429, headers: { 'Retry-After': String(result.retryAfterSeconds) } },
    )
  }
  // A new session id on every login; the session this browser had (if any) ends.
  const session = await createSession(
    db,
    { userId: result.userId, previousToken: context.sessionToken, activeOrgId: result.defaultOrgId },
    systemClock,
    sessionPolicy(),
  )
  return completeSignIn(db, request, {
    userId: result.userId,
    session,
    redirectTo: safeRedirectPath(parsed.data.redirectTo, request, '/account'),
  })
}

export default function Login() {
  const t = useT()
  const result = useActionData<typeof action>()
  const { redirectTo } = useLoaderData<typeof loader>()
  const navigation = useNavigation()
  const error = (field: string) => {
    const key = result?.errors[field as keyof typeof result.errors]
    return key ? t(key as MessageKey) : null
  }
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="text-2xl font-bold">{t('auth.loginTitle')}</h1>
      {result?.form ? (
        <p role="alert" className="mt-4 rounded border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          {t(result.form.key, result.form.values)}
        </p>
      ) : null}
      <Form method="post" className="mt-4 space-y-4" noValidate>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Field
          label={t('auth.identifier')}
          name="identifier"
          autoComplete="username"
          required
          error={error('identifier')}
        />
        <Field
          label={t('auth.password')}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          error={error('password')}
        />
        <button
          type="submit"
          disabled={navigation.state === 'submitting'}
          className="w-full rounded bg-brand-600 px-4 py-2 text-white hover:bg-brand-700 disabled:opacity-60"
        >
          {t('auth.submitLogin')}
        </button>
      </Form>
      <p className="mt-4 text-sm">
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
