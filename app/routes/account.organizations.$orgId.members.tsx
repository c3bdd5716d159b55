import {
  type ActionFunctionArgs,
  data,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useId } from 'react'
import { z } from 'zod'
import { Badge } from '~/components/ui/badge'
import { Field } from '~/components/ui/field'
import {
  changeMemberRole,
  createInvitation,
  invitationNeedsInvitee,
  isAdminRole,
  listMembers,
  listPendingInvitations,
  removeMember,
  revokeInvitation,
} from '~/domains/organizations/index.server'
import { shanghaiDate, systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { readForm } from '~/utils/form.server'
import type { MessageKey } from '~/utils/i18n'
import { useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'
import { text } from '~/utils/validation'

export const meta: MetaFunction = () => [{ title: '成员 · 消费帮扶集市' }]

const orgParams = z.object({ orgId: z.string().uuid() })

function parseOrgId(params: unknown): string {
  const parsed = orgParams.safeParse(params)
  if (!parsed.success) throw new Response('Not found', { status: 404 })
  return parsed.data.orgId
}

/** Remix sends an action's headers only through this: the page showing a new invitation link must not be cached. */
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const cacheControl = actionHeaders.get('Cache-Control')
  return cacheControl ? [['Cache-Control', cacheControl]] : []
}

/** Any member sees the list; admins also get the controls and the pending invitations. */
export async function loader(args: LoaderFunctionArgs) {
  const orgId = parseOrgId(args.params)
  const auth = requireAccess(args, 'routes/account.organizations.$orgId.members', 'loader', { orgId })
  const db = getDb()
  const page = await listMembers(db, { orgId, requesterId: auth.userId })
  if (!page.ok) {
    throw page.error === 'not_found'
      ? new Response('Not found', { status: 404 })
      : new Response('Forbidden', { status: 403 })
  }
  const pending = page.canManage
    ? await listPendingInvitations(db, { orgId, requesterId: auth.userId }, systemClock)
    : null
  return {
    org: page.org,
    canManage: page.canManage,
    assignableRoles: [...page.assignableRoles],
    // Most invitations are for everyday roles: preselect the first one that is not an admin role.
    defaultInviteRole: page.assignableRoles.find((r) => !isAdminRole(r)) ?? page.assignableRoles[0],
    inviteeRequired: page.assignableRoles.every(invitationNeedsInvitee),
    members: page.members,
    invitations:
      pending?.ok === true
        ? pending.invitations.map((i) => ({
            id: i.id,
            role: i.role,
            invitee: i.invitee,
            createdByName: i.createdByName,
            expiresOn: shanghaiDate(i.expiresAt),
          }))
        : [],
  }
}

const role = text({ max: 40 })
const forms = {
  'change-role': z.object({ userId: z.string().uuid(), role }),
  remove: z.object({ userId: z.string().uuid() }),
  // The model normalises and checks the invitee (and whether the role needs one): it is the one place that decides.
  invite: z.object({ role, invitee: z.string().max(200).optional() }),
  revoke: z.object({ invitationId: z.string().uuid() }),
} as const
type Intent = keyof typeof forms

function isIntent(value: unknown): value is Intent {
  return typeof value === 'string' && Object.hasOwn(forms, value)
}

/**
 * Where the page shows a result: the member row, the invitation row, or the invite form (null) — there, next to
 * `field` when the error is about one.
 */
type ActionResult =
  | {
      intent: Intent
      ok: true
      target: string | null
      message: MessageKey
      link?: string
      invitee?: string | null
    }
  | { intent: Intent; ok: false; target: string | null; field?: 'invitee'; error: MessageKey }

const errorStatus: Record<string, number> = {
  forbidden: 403,
  not_found: 404,
  not_member: 409,
  last_admin: 409,
  not_pending: 409,
  role_not_allowed: 400,
  invitee_required: 400,
  invitee_invalid: 400,
}

function failure(intent: Intent, target: string | null, error: string, field?: 'invitee') {
  return data<ActionResult>(
    { intent, ok: false, target, ...(field ? { field } : {}), error: `members.error.${error}` as MessageKey },
    { status: errorStatus[error] ?? 400 },
  )
}

export async function action(args: ActionFunctionArgs) {
  const orgId = parseOrgId(args.params)
  const form = await readForm(args.request)
  const intent = form.intent
  if (!isIntent(intent)) throw new Response('Unknown intent', { status: 400 })
  const auth = requireAccess(args, 'routes/account.organizations.$orgId.members', 'action', { orgId, intent })
  const rawTarget = form.userId ?? form.invitationId ?? null
  const db = getDb()

  switch (intent) {
    case 'change-role': {
      const parsed = forms[intent].safeParse(form)
      if (!parsed.success) return failure(intent, rawTarget, 'input')
      const { userId, role } = parsed.data
      const result = await changeMemberRole(db, {
        orgId,
        targetUserId: userId,
        role,
        requesterId: auth.userId,
      })
      if (!result.ok) return failure(intent, userId, result.error)
      return data<ActionResult>({ intent, ok: true, target: userId, message: 'members.saved' })
    }
    case 'remove': {
      const parsed = forms[intent].safeParse(form)
      if (!parsed.success) return failure(intent, rawTarget, 'input')
      const { userId } = parsed.data
      const result = await removeMember(db, { orgId, targetUserId: userId, requesterId: auth.userId })
      if (!result.ok) return failure(intent, userId, result.error)
      // Leaving: this page is no longer ours to see.
      if (userId === auth.userId) return redirect('/account/organizations')
      return data<ActionResult>({ intent, ok: true, target: null, message: 'members.removed' })
    }
    case 'invite': {
      const parsed = forms[intent].safeParse(form)
      if (!parsed.success) return failure(intent, null, 'input')
      const result = await createInvitation(
        db,
        { orgId, role: parsed.data.role, requesterId: auth.userId, invitee: parsed.data.invitee },
        systemClock,
      )
      if (!result.ok) {
        const aboutInvitee = result.error === 'invitee_required' || result.error === 'invitee_invalid'
        return failure(intent, null, result.error, aboutInvitee ? 'invitee' : undefined)
      }
      const link = `${new URL(args.request.url).origin}/invitations/${result.token}`
      // The link is a secret shown once: keep it out of caches.
      return data<ActionResult>(
        { intent, ok: true, target: null, message: 'members.invite.hint', link, invitee: result.invitee },
        { headers: { 'Cache-Control': 'no-store' } },
      )
    }
    case 'revoke': {
      const parsed = forms[intent].safeParse(form)
      if (!parsed.success) return failure(intent, rawTarget, 'input')
      const { invitationId } = parsed.data
      const result = await revokeInvitation(db, { invitationId, requesterId: auth.userId }, systemClock)
      if (!result.ok) return failure(intent, invitationId, result.error)
      return data<ActionResult>({ intent, ok: true, target: null, message: 'members.revoked' })
    }
  }
}

function FieldError({ id, message }: { id: string; message: string | null }) {
  if (!message) return null
  return (
    <p id={id} role="alert" className="mt-1 text-sm text-red-700">
      {message}
    </p>
  )
}

const buttonClass =
  'rounded border border-stone-300 bg-white px-3 py-1 text-sm hover:bg-stone-100 disabled:opacity-50'
const primaryClass =
  'rounded bg-brand-700 px-3 py-1 text-sm text-white hover:bg-brand-800 disabled:opacity-50'

export default function MembersPage() {
  const t = useT()
  const { org, canManage, assignableRoles, defaultInviteRole, inviteeRequired, members, invitations } =
    useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const navigation = useNavigation()
  const busy = navigation.state !== 'idle'
  const idBase = useId()
  const roleLabel = (r: string) => t(`role.${r}` as MessageKey)

  const errorAt = (intent: Intent, target: string | null): string | null =>
    result && !result.ok && result.intent === intent && result.target === target ? t(result.error) : null
  const notice = result?.ok && result.intent !== 'invite' ? result : null
  // An error about a row that is gone by now (removed meanwhile) has no control to sit next to: show it on top.
  const strayError =
    result && !result.ok && result.target !== null
      ? members.some((m) => m.userId === result.target) || invitations.some((i) => i.id === result.target)
        ? null
        : t(result.error)
      : null
  const savedName =
    notice?.intent === 'change-role'
      ? (members.find((m) => m.userId === notice.target)?.displayName ?? '')
      : ''
  const inviteLink = result?.ok && result.intent === 'invite' ? result.link : undefined
  const invitedAccount = result?.ok && result.intent === 'invite' ? result.invitee : null
  const inviteFailure = result && !result.ok && result.intent === 'invite' ? result : null
  const inviteError = inviteFailure && !inviteFailure.field ? t(inviteFailure.error) : null
  const inviteeError = inviteFailure?.field === 'invitee' ? t(inviteFailure.error) : null

  return (
    <div className="space-y-8">
      <div>
        <p className="text-sm">
          <Link to="/account/organizations" className="text-brand-700 underline">
            {t('members.back')}
          </Link>
        </p>
        <h1 className="mt-2 flex flex-wrap items-center gap-2 text-2xl font-bold">
          {t('members.title', { org: org.name })}
          <Badge tone="grey">{t(`orgKind.${org.kind}` as MessageKey)}</Badge>
          {org.verified ? (
            <Badge tone="green">{t('orgStatus.verified')}</Badge>
          ) : (
            <Badge tone="amber">{t('orgStatus.pending')}</Badge>
          )}
        </h1>
        {!org.verified && canManage ? (
          <p className="mt-2 text-sm text-stone-600">{t('members.pendingOrg')}</p>
        ) : null}
        {!canManage ? <p className="mt-2 text-sm text-stone-600">{t('members.readOnly')}</p> : null}
      </div>

      {strayError ? (
        <p role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-800">
          {strayError}
        </p>
      ) : null}
      {notice ? (
        <p role="status" className="rounded bg-brand-50 px-3 py-2 text-sm text-brand-800">
          {t(notice.message, { name: savedName })}
        </p>
      ) : null}

      <section aria-labelledby={`${idBase}-members`}>
        <h2 id={`${idBase}-members`} className="mb-2 text-lg font-semibold">
          {t('members.list')}
        </h2>
        <table className="w-full border-collapse text-left text-sm">
          <thead>
            <tr className="border-b border-stone-300">
              <th scope="col" className="py-2 pr-4">
                {t('members.col.name')}
              </th>
              {canManage ? (
                <th scope="col" className="py-2 pr-4">
                  {t('members.col.login')}
                </th>
              ) : null}
              <th scope="col" className="py-2 pr-4">
                {t('members.col.role')}
              </th>
              <th scope="col" className="py-2">
                {t('members.col.actions')}
              </th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => {
              const roleError = errorAt('change-role', m.userId)
              const removeError = errorAt('remove', m.userId)
              const roleErrorId = `${idBase}-role-error-${m.userId}`
              const removeErrorId = `${idBase}-remove-error-${m.userId}`
              const canRemove = canManage || m.isSelf
              return (
                <tr key={m.userId} className="border-b border-stone-200 align-top">
                  <td className="py-2 pr-4">
                    {m.displayName}
                    {m.isSelf ? <span className="text-stone-500">{t('members.you')}</span> : null}
                  </td>
                  {canManage ? <td className="py-2 pr-4 text-stone-600">{m.login}</td> : null}
                  <td className="py-2 pr-4">
                    {canManage ? (
                      <Form method="post" className="flex flex-wrap items-center gap-2">
                        <input type="hidden" name="intent" value="change-role" />
                        <input type="hidden" name="userId" value={m.userId} />
                        <select
                          key={m.role}
                          name="role"
                          defaultValue={m.role}
                          aria-label={t('members.roleFor', { name: m.displayName })}
                          aria-invalid={roleError ? true : undefined}
                          aria-describedby={roleError ? roleErrorId : undefined}
                          className="rounded border border-stone-300 bg-white px-2 py-1"
                        >
                          {assignableRoles.map((r) => (
                            <option key={r} value={r}>
                              {roleLabel(r)}
                            </option>
                          ))}
                        </select>
                        <button type="submit" className={buttonClass} disabled={busy}>
                          {t('members.save')}
                        </button>
                      </Form>
                    ) : (
                      roleLabel(m.role)
                    )}
                    <FieldError id={roleErrorId} message={roleError} />
                  </td>
                  <td className="py-2">
                    {canRemove ? (
                      <details>
                        <summary className="cursor-pointer text-red-700">
                          {m.isSelf ? t('members.leave') : t('members.remove')}
                        </summary>
                        <Form method="post" className="mt-2">
                          <input type="hidden" name="intent" value="remove" />
                          <input type="hidden" name="userId" value={m.userId} />
                          <button
                            type="submit"
                            disabled={busy}
                            aria-describedby={removeError ? removeErrorId : undefined}
                            className="rounded bg-red-700 px-3 py-1 text-sm text-white hover:bg-red-800 disabled:opacity-50"
                          >
                            {m.isSelf
                              ? t('members.leaveConfirm')
                              : t('members.removeConfirm', { name: m.displayName })}
                          </button>
                        </Form>
                      </details>
                    ) : null}
                    <FieldError id={removeErrorId} message={removeError} />
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </section>

      {canManage ? (
        <section
          aria-labelledby={`${idBase}-invite`}
          className="rounded border border-stone-200 bg-white p-4"
        >
          <h2 id={`${idBase}-invite`} className="mb-2 text-lg font-semibold">
            {t('members.invite.title')}
          </h2>
          <Form method="post" className="flex flex-wrap items-end gap-2">
            <input type="hidden" name="intent" value="invite" />
            <div>
              <label htmlFor={`${idBase}-invite-role`} className="block text-sm">
                {t('members.invite.role')}
              </label>
              <select
                id={`${idBase}-invite-role`}
                name="role"
                defaultValue={defaultInviteRole}
                aria-invalid={inviteError ? true : undefined}
                aria-describedby={inviteError ? `${idBase}-invite-error` : undefined}
                className="rounded border border-stone-300 bg-white px-2 py-1"
              >
                {assignableRoles.map((r) => (
                  <option key={r} value={r}>
                    {roleLabel(r)}
                  </option>
                ))}
              </select>
            </div>
            <div className="min-w-64 flex-1">
              <Field
                label={t('members.invite.invitee')}
                name="invitee"
                autoComplete="off"
                maxLength={200}
                required={inviteeRequired}
                hint={t('members.invite.inviteeHint')}
                error={inviteeError}
              />
            </div>
            <button type="submit" className={primaryClass} disabled={busy}>
              {t('members.invite.submit')}
            </button>
          </Form>
          <FieldError id={`${idBase}-invite-error`} message={inviteError} />
          {inviteLink ? (
            <div className="mt-4 space-y-1">
              <Field
                label={t('members.invite.link')}
                hint={t('members.invite.hint')}
                readOnly
                value={inviteLink}
                onFocus={(e) => e.currentTarget.select()}
              />
              {invitedAccount ? (
                <p className="text-sm text-stone-600">
                  {t('members.invite.boundTo', { invitee: invitedAccount })}
                </p>
              ) : null}
              <p className="text-sm text-stone-600">{t('members.invite.once')}</p>
            </div>
          ) : null}
        </section>
      ) : null}

      {canManage ? (
        <section aria-labelledby={`${idBase}-pending`}>
          <h2 id={`${idBase}-pending`} className="mb-2 text-lg font-semibold">
            {t('members.pending.title')}
          </h2>
          {invitations.length === 0 ? (
            <p className="text-sm text-stone-600">{t('members.pending.none')}</p>
          ) : (
            <table className="w-full border-collapse text-left text-sm">
              <thead>
                <tr className="border-b border-stone-300">
                  <th scope="col" className="py-2 pr-4">
                    {t('members.pending.role')}
                  </th>
                  <th scope="col" className="py-2 pr-4">
                    {t('members.pending.invitee')}
                  </th>
                  <th scope="col" className="py-2 pr-4">
                    {t('members.pending.createdBy')}
                  </th>
                  <th scope="col" className="py-2 pr-4">
                    {t('members.pending.expiresAt')}
                  </th>
                  <th scope="col" className="py-2">
                    {t('members.col.actions')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {invitations.map((i) => {
                  const revokeError = errorAt('revoke', i.id)
                  return (
                    <tr key={i.id} className="border-b border-stone-200 align-top">
                      <td className="py-2 pr-4">{roleLabel(i.role)}</td>
                      <td className="py-2 pr-4">{i.invitee ?? t('members.pending.anyone')}</td>
                      <td className="py-2 pr-4">{i.createdByName}</td>
                      <td className="py-2 pr-4">{i.expiresOn}</td>
                      <td className="py-2">
                        <Form method="post">
                          <input type="hidden" name="intent" value="revoke" />
                          <input type="hidden" name="invitationId" value={i.id} />
                          <button type="submit" className={buttonClass} disabled={busy}>
                            {t('members.revoke')}
                          </button>
                        </Form>
                        <FieldError id={`${idBase}-revoke-error-${i.id}`} message={revokeError} />
                      </td>
                    </tr>
                  )
                })}
              </tbody>
            </table>
          )}
        </section>
      ) : null}
    </div>
  )
}
