import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, useActionData } from '@remix-run/react'
import { Field } from '~/components/ui/field'
import { changePasswordForm } from '~/domains/accounts'
import { fieldErrors } from '~/utils/validation'
import {
  changePassword,
  createSession,
  revokeOtherSessions,
  sessionCookie,
  sessionPolicy,
} from '~/domains/accounts/index.server'
import { systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { readForm } from '~/utils/form.server'
import type { MessageKey } from '~/utils/i18n'
import { useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'

export const meta: MetaFunction = () => [{ title: '密码与安全 · 消费帮扶集市' }]

export async function loader(args: LoaderFunctionArgs) {
  requireAccess(args, 'routes/account.security', 'loader')
  return null
}

export async function action(args: ActionFunctionArgs) {
  const { request, context } = args
  const auth = requireAccess(args, 'routes/account.security', 'action')
  const parsed = changePasswordForm.safeParse(await readForm(request))
  if (!parsed.success)
    return Response.json({ errors: fieldErrors(parsed.error), done: false }, { status: 400 })
  const db = getDb()
  const result = await changePassword(
    db,
    {
      userId: auth.userId,
      currentPassword: parsed.data.currentPassword,
      newPassword: parsed.data.newPassword,
    },
    systemClock,
  )
  if (!result.ok)
    return Response.json(
      { errors: { currentPassword: 'auth.currentPasswordWrong' }, done: false },
      { status: 400 },
    )
  // A changed password ends every other sign-in and gives this one a new id.
  const session = await createSession(
    db,
    { userId: auth.userId, previousToken: context.sessionToken, activeOrgId: auth.active?.orgId ?? null },
    systemClock,
    sessionPolicy(),
  )
  await revokeOtherSessions(db, auth.userId, session.token, systemClock)
  return Response.json(
    { errors: {}, done: true },
    { headers: { 'Set-Cookie': sessionCookie(session.token, session.expiresAt) } },
  )
}

export default function Security() {
  const t = useT()
  const data = useActionData<{ errors: Record<string, string>; done: boolean }>()
  const error = (field: string) => {
    const key = data?.errors[field]
    return key ? t(key as MessageKey) : null
  }
  return (
    <div className="max-w-sm space-y-4">
      <h1 className="text-2xl font-bold">{t('auth.changePassword')}</h1>
      {data?.done ? (
        <p role="status" className="rounded border border-brand-100 bg-brand-50 p-3 text-sm text-brand-800">
          {t('auth.passwordChanged')}
        </p>
      ) : null}
      <Form method="post" className="space-y-4" noValidate>
        <Field
          label={t('auth.currentPassword')}
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          error={error('currentPassword')}
        />
        <Field
          label={t('auth.newPassword')}
          name="newPassword"
          type="password"
          autoComplete="new-password"
          hint={t('auth.passwordHint')}
          error={error('newPassword')}
        />
        <Field
          label={t('auth.newPasswordConfirm')}
          name="newPasswordConfirm"
          type="password"
          autoComplete="new-password"
          error={error('newPasswordConfirm')}
        />
        <button type="submit" className="rounded bg-brand-600 px-4 py-2 text-white hover:bg-brand-700">
          {t('auth.changePassword')}
        </button>
      </Form>
    </div>
  )
}
