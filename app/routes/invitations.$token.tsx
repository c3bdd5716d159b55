import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { SiteFrame } from '~/components/site-frame'
import { acceptInvitationForm } from '~/domains/organizations'
import { acceptInvitation, getInvitation, type InvitationState } from '~/domains/organizations/index.server'
import { shanghaiDate, systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { parseForm } from '~/utils/form.server'
import { invariantResponse } from '~/utils/guards.server'
import type { MessageKey } from '~/utils/i18n'
import { useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'
import { useIsPending } from '~/utils/use-is-pending'

export const meta: MetaFunction = () => [{ title: '加入单位邀请 · 消费帮扶集市' }]

/** Invitation tokens are 32 random bytes in base64url; anything else cannot be one. */
const tokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/) })

type PageState = InvitationState | 'already_member'

/** Only signed-in users see an invitation (requireAccess sends others to the login page and back here). */
export async function loader(args: LoaderFunctionArgs) {
  const { params } = args
  const auth = requireAccess(args, 'routes/invitations.$token', 'loader')
  const parsed = tokenParams.safeParse(params)
  const invitation = parsed.success
    ? await getInvitation(getDb(), parsed.data.token, systemClock, { email: auth.email, mobile: auth.mobile })
    : null
  if (!invitation) return data({ viewerName: auth.displayName, invitation: null }, { status: 404 })
  const alreadyMember = auth.memberships.some((m) => m.orgId === invitation.orgId)
  const state: PageState = invitation.state === 'valid' && alreadyMember ? 'already_member' : invitation.state
  // A view model: no org id, no token hash; the invitee only masked.
  const view = {
    orgName: invitation.orgName,
    orgKind: invitation.orgKind,
    role: invitation.role,
    state,
    invitee: invitation.invitee,
    expiresOn: shanghaiDate(invitation.expiresAt),
  }
  const refused = state === 'wrong_account' || state === 'unbound'
  return data({ viewerName: auth.displayName, invitation: view }, { status: refused ? 403 : 200 })
}

const errorStatus = {
  not_found: 404,
  expired: 410,
  used: 409,
  revoked: 410,
  wrong_account: 403,
  unbound: 403,
  already_member: 409,
} as const

export async function action(args: ActionFunctionArgs) {
  const { request, params } = args
  const auth = requireAccess(args, 'routes/invitations.$token', 'action')
  const submission = await parseForm(request, acceptInvitationForm)
  invariantResponse(submission.status === 'success', 'Unknown intent')
  const parsed = tokenParams.safeParse(params)
  if (!parsed.success) return data({ error: 'not_found' as const }, { status: 404 })
  const result = await acceptInvitation(
    getDb(),
    { token: parsed.data.token, userId: auth.userId },
    systemClock,
  )
  if (!result.ok) return data({ error: result.error }, { status: errorStatus[result.error] })
  return redirect(`/account/organizations?joined=${encodeURIComponent(result.orgId)}`)
}

export default function InvitationPage() {
  const t = useT()
  const { viewerName, invitation } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const isPending = useIsPending()
  // After a failed accept, the action's answer is the newest word on the invitation's state.
  const state = result?.error ?? invitation?.state ?? 'not_found'

  return (
    <SiteFrame>
      <div className="mx-auto max-w-xl space-y-4">
        <h1 className="text-2xl font-bold">{t('invitation.title')}</h1>
        {invitation ? (
          <>
            <p>{t('invitation.intro', { name: viewerName })}</p>
            <dl className="grid grid-cols-[8rem_1fr] gap-x-4 gap-y-2 rounded border border-stone-200 bg-white p-4">
              <dt className="text-stone-600">{t('invitation.org')}</dt>
              <dd className="font-semibold">{invitation.orgName}</dd>
              <dt className="text-stone-600">{t('invitation.kind')}</dt>
              <dd>{t(`orgKind.${invitation.orgKind}` as MessageKey)}</dd>
              <dt className="text-stone-600">{t('invitation.role')}</dt>
              <dd>{t(`role.${invitation.role}` as MessageKey)}</dd>
              {invitation.invitee ? (
                <>
                  <dt className="text-stone-600">{t('invitation.invitee')}</dt>
                  <dd>{invitation.invitee}</dd>
                </>
              ) : null}
              <dt className="text-stone-600">{t('invitation.expiresAt')}</dt>
              <dd>{invitation.expiresOn}</dd>
            </dl>
          </>
        ) : null}
        {state === 'valid' ? (
          <Form method="post">
            <input type="hidden" name="intent" value="accept" />
            <button
              type="submit"
              disabled={isPending}
              className="rounded bg-brand-700 px-4 py-2 text-white hover:bg-brand-800 disabled:opacity-50"
            >
              {t('invitation.accept')}
            </button>
          </Form>
        ) : (
          <>
            <p role={result ? 'alert' : 'status'} className="rounded bg-amber-50 px-3 py-2 text-amber-900">
              {t(`invitation.state.${state}` as MessageKey)}
            </p>
            <p>
              <Link to="/account/organizations" className="text-brand-700 underline">
                {t('invitation.goToOrganizations')}
              </Link>
            </p>
          </>
        )}
      </div>
    </SiteFrame>
  )
}
