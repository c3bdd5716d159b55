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
import { useId } from 'react'
import { z } from 'zod'
import { ErrorList, Field, SelectField, useSchemaForm } from '~/components/forms'
import { Badge } from '~/components/ui/badge'
import { membersForm, type MembersIntent } from '~/domains/organizations'
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
import { parseForm } from '~/utils/form.server'
import { invariantResponse } from '~/utils/guards.server'
import type { MessageKey } from '~/utils/i18n'
import { useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'
import { useIsPending } from '~/utils/use-is-pending'

export const meta: MetaFunction = () => [{ title: '成员 · 消费帮扶集市' }]

const orgParams = z.object({ orgId: z.string().uuid() })

function parseOrgId(params: unknown): string {
  const parsed = orgParams.safeParse(params)
  invariantResponse(parsed.success, 'Not found', { status: 404 })
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
  invariantResponse(page.ok, page.ok || page.error === 'forbidden' ? 'Forbidden' : 'Not found', {
    status: !page.ok && page.error === 'not_found' ? 404 : 403,
  })
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

const intents = new Set<string>(['change-role', 'remove', 'invite', 'revoke'])

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

export async function action(args: ActionFunctionArgs) {
  const orgId = parseOrgId(args.params)
  const submission = await parseForm(args.request, membersForm)
  const { intent: sent, userId, invitationId } = submission.payload
  invariantResponse(typeof sent === 'string' && intents.has(sent), 'Unknown intent')
  const intent = sent as MembersIntent
  const auth = requireAccess(args, 'routes/account.organizations.$orgId.members', 'action', { orgId, intent })
  /**
   * Where the page shows the answer: the member's or the invitation's row, or (null) the invite form. Errors are
   * the form's (a refusal) or the invitee field's, in the shape of every form's reply.
   */
  const target = typeof userId === 'string' ? userId : typeof invitationId === 'string' ? invitationId : null
  const refused = (error: string, field?: 'invitee') => {
    const key = `members.error.${error}`
    return data(
      {
        intent,
        target,
        result: submission.reply(field ? { fieldErrors: { [field]: [key] } } : { formErrors: [key] }),
        done: null,
      },
      { status: errorStatus[error] ?? 400 },
    )
  }
  const done = (message: MessageKey, extra: { link?: string; invitee?: string | null } = {}) => ({
    intent,
    target,
    result: null,
    done: { message, link: extra.link ?? null, invitee: extra.invitee ?? null },
  })
  // Only a forged form gets here: every field is a hidden input or a choice, but the invitee (checked again below).
  if (submission.status !== 'success') return refused('input')
  const form = submission.value
  const db = getDb()

  switch (form.intent) {
    case 'change-role': {
      const result = await changeMemberRole(db, {
        orgId,
        targetUserId: form.userId,
        role: form.role,
        requesterId: auth.userId,
      })
      return result.ok ? data(done('members.saved')) : refused(result.error)
    }
    case 'remove': {
      const result = await removeMember(db, { orgId, targetUserId: form.userId, requesterId: auth.userId })
      if (!result.ok) return refused(result.error)
      // Leaving: this page is no longer ours to see.
      if (form.userId === auth.userId) return redirect('/account/organizations')
      return data({ ...done('members.removed'), target: null })
    }
    case 'invite': {
      const result = await createInvitation(
        db,
        { orgId, role: form.role, requesterId: auth.userId, invitee: form.invitee },
        systemClock,
      )
      if (!result.ok) {
        const aboutInvitee = result.error === 'invitee_required' || result.error === 'invitee_invalid'
        return refused(result.error, aboutInvitee ? 'invitee' : undefined)
      }
      const link = `${new URL(args.request.url).origin}/invitations/${result.token}`
      // The link is a secret shown once: keep it out of caches.
      return data(done('members.invite.hint', { link, invitee: result.invitee }), {
        headers: { 'Cache-Control': 'no-store' },
      })
    }
    case 'revoke': {
      const result = await revokeInvitation(
        db,
        { invitationId: form.invitationId, requesterId: auth.userId },
        systemClock,
      )
      return result.ok ? data({ ...done('members.revoked'), target: null }) : refused(result.error)
    }
  }
}

const buttonClass =
  'rounded border border-stone-300 bg-white px-3 py-1 text-sm hover:bg-stone-100 disabled:opacity-50'
const primaryClass =
  'rounded bg-brand-700 px-3 py-1 text-sm text-white hover:bg-brand-800 disabled:opacity-50'

export default function MembersPage() {
  const t = useT()
  const { org, canManage, assignableRoles, defaultInviteRole, inviteeRequired, members, invitations } =
    useLoaderData<typeof loader>()
  const answer = useActionData<typeof action>()
  const busy = useIsPending()
  const idBase = useId()
  const roleLabel = (r: string) => t(`role.${r}` as MessageKey)
  const [inviteForm, inviteFields] = useSchemaForm(membersForm, {
    lastResult: answer?.intent === 'invite' ? answer.result : null,
    defaultValue: { intent: 'invite', role: defaultInviteRole },
  })

  // A refusal's messages (the form's own; a row's forms have no fields to put them next to).
  const refusal = answer?.result?.error?.[''] ?? null
  const errorAt = (intent: MembersIntent, target: string | null) =>
    answer?.result && answer.intent === intent && answer.target === target ? refusal : null
  const notice = answer?.done && answer.intent !== 'invite' ? answer : null
  // An error about a row that is gone by now (removed meanwhile) has no control to sit next to: show it on top.
  const strayError =
    answer?.result && answer.target !== null
      ? members.some((m) => m.userId === answer.target) || invitations.some((i) => i.id === answer.target)
        ? null
        : refusal
      : null
  const savedName =
    notice?.intent === 'change-role'
      ? (members.find((m) => m.userId === notice.target)?.displayName ?? '')
      : ''
  const invited = answer?.intent === 'invite' ? answer.done : null

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

      <ErrorList errors={strayError} alert className="rounded bg-red-50 px-3 py-2 text-sm text-red-800" />
      {notice ? (
        <p role="status" className="rounded bg-brand-50 px-3 py-2 text-sm text-brand-800">
          {t(notice.done.message, { name: savedName })}
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
                    <ErrorList id={roleErrorId} errors={roleError} alert />
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
                    <ErrorList id={removeErrorId} errors={removeError} alert />
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
          <Form method="post" className="flex flex-wrap items-end gap-2" {...getFormProps(inviteForm)}>
            <input type="hidden" name="intent" value="invite" />
            <SelectField
              label={t('members.invite.role')}
              meta={inviteFields.role}
              className="mt-1 rounded px-2 py-1"
            >
              {assignableRoles.map((r) => (
                <option key={r} value={r}>
                  {roleLabel(r)}
                </option>
              ))}
            </SelectField>
            <div className="min-w-64 flex-1">
              <Field
                label={t('members.invite.invitee')}
                meta={inviteFields.invitee}
                autoComplete="off"
                required={inviteeRequired}
                hint={t('members.invite.inviteeHint')}
              />
            </div>
            <button type="submit" className={primaryClass} disabled={busy}>
              {t('members.invite.submit')}
            </button>
          </Form>
          <ErrorList id={inviteForm.errorId} errors={inviteForm.errors} alert />
          {invited?.link ? (
            <div className="mt-4 space-y-1">
              <label htmlFor={`${idBase}-invite-link`} className="block text-sm font-medium">
                {t('members.invite.link')}
              </label>
              <input
                id={`${idBase}-invite-link`}
                readOnly
                value={invited.link}
                aria-describedby={`${idBase}-invite-link-hint`}
                onFocus={(e) => e.currentTarget.select()}
                className="mt-1 w-full rounded border border-stone-300 bg-white px-3 py-2"
              />
              <p id={`${idBase}-invite-link-hint`} className="mt-1 text-xs text-stone-500">
                {t('members.invite.hint')}
              </p>
              {invited.invitee ? (
                <p className="text-sm text-stone-600">
                  {t('members.invite.boundTo', { invitee: invited.invitee })}
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
                        <ErrorList id={`${idBase}-revoke-error-${i.id}`} errors={revokeError} alert />
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
