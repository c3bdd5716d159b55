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
import { retryMessage, signUpForm } from '~/domains/accounts'
import { fieldErrors } from '~/utils/validation'
import { signUp, createSession, sessionPolicy, completeSignIn } from '~/domains/accounts/index.server'
import { systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { readForm } from '~/utils/form.server'
import type { MessageKey } from '~/utils/i18n'
import { useT } from '~/utils/locale'
import { safeRedirectPath } from '~/utils/redirect'
import { requireAccess } from '~/utils/permissions.server'

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

export async function action(args: ActionFunctionArgs) {
  const { request, context } = args
  requireAccess(args, 'routes/_storefront.signup', 'action')
  const form = await readForm(request)
  const values = {
    displayName: form.displayName ?? '',
    email: form.email ?? '',
    mobile: form.mobile ?? '',
  }
  const parsed = signUpForm.safeParse(form)
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), values, form: null }, { status: 400 })
  const db = getDb()
  const { redirectTo, ...account } = parsed.data
  const result = await signUp(db, { ...account, ip: context.clientIp }, systemClock)
  if (!result.ok) {
    if (result.reason === 'throttled') {
      return data(
        { errors: {} as Record<string, string>, values, form: retryMessage(result.retryAfterSeconds) },
        { status: 429, headers: { 'Retry-After': String(result.retryAfterSeconds) } },
      )
    }
    const errors: Record<string, string> = {}
    if (result.errors.email) errors.email = 'form.email.taken'
    if (result.errors.mobile) errors.mobile = 'form.mobile.taken'
    return data({ errors, values, form: null }, { status: 400 })
  }
  const session = await createSession(
    db,
    { userId: result.userId, previousToken: context.sessionToken },
    systemClock,
    sessionPolicy(),
  )
  return completeSignIn(db, request, {
    userId: result.userId,
    session,
    redirectTo: safeRedirectPath(redirectTo, request, '/account'),
  })
}

export default function SignUp() {
  const t = useT()
  const result = useActionData<typeof action>()
  const { redirectTo } = useLoaderData<typeof loader>()
  const navigation = useNavigation()
  const error = (field: string) => {
    const key = result?.errors[field]
    return key ? t(key as MessageKey) : null
  }
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="text-2xl font-bold">{t('auth.signupTitle')}</h1>
      {result?.form ? (
        <p role="alert" className="mt-4 rounded border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          {t(result.form.key, result.form.values)}
        </p>
      ) : null}
      <Form method="post" className="mt-4 space-y-4" noValidate>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Field
          label={t('auth.displayName')}
          name="displayName"
          autoComplete="name"
          required
          defaultValue={result?.values.displayName}
          error={error('displayName')}
        />
        <Field
          label={t('auth.email')}
          name="email"
          type="email"
          autoComplete="email"
          defaultValue={result?.values.email}
          hint={t('auth.emailOrMobileHint')}
          error={error('email')}
        />
        <Field
          label={t('auth.mobile')}
          name="mobile"
          type="tel"
          autoComplete="tel"
          defaultValue={result?.values.mobile}
          error={error('mobile')}
        />
        <Field
          label={t('auth.password')}
          name="password"
          type="password"
          autoComplete="new-password"
          required
          hint={t('auth.passwordHint')}
          error={error('password')}
        />
        <Field
          label={t('auth.passwordConfirm')}
          name="passwordConfirm"
          type="password"
          autoComplete="new-password"
          required
          error={error('passwordConfirm')}
        />
        <button
          type="submit"
          disabled={navigation.state === 'submitting'}
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
