import {
  type ActionFunctionArgs,
  data,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react'
import { Field } from '~/components/ui/field'
import { fieldErrors, retryMessage, signUpForm } from '~/models/auth-forms'
import { signUp } from '~/models/auth.server'
import { createSession } from '~/models/sessions.server'
import { systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import type { MessageKey } from '~/utils/i18n'
import { useT } from '~/utils/locale'
import { safeRedirectPath } from '~/utils/redirect'
import { sessionPolicy } from '~/utils/session.server'
import { completeSignIn } from '~/utils/sign-in.server'
import { requireAccess } from '~/utils/permissions.server'

export const meta: MetaFunction = () => [{ title: '注册 · 消费帮扶集市' }]

/** Remix sends an action's headers only through this: a throttled attempt's Retry-After must reach the client. */
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get('Retry-After')
  return retryAfter ? [['Retry-After', retryAfter]] : []
}

export async function loader(args: LoaderFunctionArgs) {
  const { context } = args
  requireAccess(args, 'routes/_storefront.signup', 'loader')
  if (context.auth) throw redirect('/account')
  return null
}

export async function action(args: ActionFunctionArgs) {
  const { request, context } = args
  requireAccess(args, 'routes/_storefront.signup', 'action')
  const form = Object.fromEntries(await request.formData())
  const values = {
    displayName: String(form.displayName ?? ''),
    email: String(form.email ?? ''),
    mobile: String(form.mobile ?? ''),
  }
  const parsed = signUpForm.safeParse(form)
  if (!parsed.success) return { errors: fieldErrors(parsed.error), values, form: null }
  const db = getDb()
  const result = await signUp(db, { ...parsed.data, ip: context.clientIp }, systemClock)
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
    return { errors, values, form: null }
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
    redirectTo: safeRedirectPath(form.redirectTo, '/account'),
  })
}

export default function SignUp() {
  const t = useT()
  const data = useActionData<typeof action>()
  const [params] = useSearchParams()
  const navigation = useNavigation()
  const error = (field: string) => {
    const key = data?.errors[field]
    return key ? t(key as MessageKey) : null
  }
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="text-2xl font-bold">{t('auth.signupTitle')}</h1>
      {data?.form ? (
        <p role="alert" className="mt-4 rounded border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          {t(data.form.key, data.form.values)}
        </p>
      ) : null}
      <Form method="post" className="mt-4 space-y-4" noValidate>
        <input type="hidden" name="redirectTo" value={params.get('redirectTo') ?? ''} />
        <Field
          label={t('auth.displayName')}
          name="displayName"
          autoComplete="name"
          required
          defaultValue={data?.values.displayName}
          error={error('displayName')}
        />
        <Field
          label={t('auth.email')}
          name="email"
          type="email"
          autoComplete="email"
          defaultValue={data?.values.email}
          hint={t('auth.emailOrMobileHint')}
          error={error('email')}
        />
        <Field
          label={t('auth.mobile')}
          name="mobile"
          type="tel"
          autoComplete="tel"
          defaultValue={data?.values.mobile}
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
