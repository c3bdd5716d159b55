import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useId } from 'react'
import { z } from 'zod'
import { Badge } from '~/components/ui/badge'
import { Pagination } from '~/components/ui/pagination'
import { errorMessageKey, reviewStatuses, type ReviewStatusFilter } from '~/domains/organizations'
import {
  listOrganizationsForReview,
  type OrganizationForReview,
  type OrganizationStatus,
  reviewOrganization,
} from '~/domains/organizations/index.server'
import { shanghaiDateTime, systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { readForm } from '~/utils/form.server'
import type { MessageKey } from '~/utils/i18n'
import { useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'

export const meta: MetaFunction = () => [{ title: '组织审核 · 消费帮扶集市' }]

const PAGE_SIZE = 20

const listQuery = z.object({
  status: z.enum(reviewStatuses).default('pending'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
})

/** Platform admins review the organisations users registered; the queue (pending) comes first. */
export async function loader(args: LoaderFunctionArgs) {
  const { request } = args
  requireAccess(args, 'routes/admin.organizations', 'loader')
  const params = new URL(request.url).searchParams
  const parsed = listQuery.safeParse({
    status: params.get('status') || undefined,
    page: params.get('page') || undefined,
  })
  if (!parsed.success) throw new Response('Bad request: status or page', { status: 400 })
  const result = await listOrganizationsForReview(getDb(), { ...parsed.data, pageSize: PAGE_SIZE })
  return { status: parsed.data.status, ...result }
}

type ActionData =
  | { orgId: string; done: 'verified' | 'rejected'; name: string }
  | { orgId: string; errors: { reason?: string } }
  | { orgId: string; error: 'not_found' | 'not_pending' }

export async function action(args: ActionFunctionArgs) {
  const { request } = args
  const auth = requireAccess(args, 'routes/admin.organizations', 'action')
  const form = await readForm(request)
  const intent = form.intent
  if (intent !== 'verify' && intent !== 'reject') throw new Response('Unknown intent', { status: 400 })
  const orgId = z.string().uuid().safeParse(form.orgId)
  if (!orgId.success) throw new Response('Bad request: orgId', { status: 400 })
  // The reason is parsed by the model (rejectionSchema): it is required only for a rejection.
  const result = await reviewOrganization(
    getDb(),
    { orgId: orgId.data, reviewerId: auth.userId, decision: intent, reason: form.reason ?? null },
    systemClock,
  )
  if (result.ok) {
    return Response.json({ orgId: orgId.data, done: result.status, name: result.name } satisfies ActionData)
  }
  if (result.error === 'invalid') {
    return Response.json({ orgId: orgId.data, errors: result.errors } satisfies ActionData, { status: 400 })
  }
  return Response.json({ orgId: orgId.data, error: result.error } satisfies ActionData, {
    status: result.error === 'not_found' ? 404 : 409,
  })
}

const statusTone: Record<OrganizationStatus, 'green' | 'amber' | 'red'> = {
  verified: 'green',
  pending: 'amber',
  rejected: 'red',
}

const tabLabels: Record<ReviewStatusFilter, MessageKey> = {
  pending: 'orgReview.tab.pending',
  verified: 'orgReview.tab.verified',
  rejected: 'orgReview.tab.rejected',
  all: 'orgReview.tab.all',
}

const columns = [
  'orgReview.col.name',
  'orgReview.col.kind',
  'orgReview.col.uscc',
  'orgReview.col.region',
  'orgReview.col.submitter',
  'orgReview.col.submittedAt',
  'orgReview.col.status',
] as const

export default function OrganizationReview() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<ActionData>()
  const t = useT()
  return (
    <div className="space-y-4">
      <h2 className="text-xl font-semibold">{t('admin.organizations')}</h2>
      <nav aria-label={t('orgReview.filter')}>
        <ul className="flex flex-wrap gap-2 text-sm">
          {reviewStatuses.map((status) => (
            <li key={status}>
              <Link
                to={status === 'pending' ? '/admin/organizations' : `/admin/organizations?status=${status}`}
                aria-current={status === data.status ? 'page' : undefined}
                className={`inline-block rounded-full border px-3 py-1 ${
                  status === data.status
                    ? 'border-brand-600 bg-brand-50 font-semibold text-brand-700'
                    : 'border-stone-300 bg-white hover:bg-stone-100'
                }`}
              >
                {t(tabLabels[status], { n: data.pendingCount })}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {actionData && 'done' in actionData ? (
        <p role="status" className="rounded border border-brand-100 bg-brand-50 p-3 text-sm text-brand-800">
          {t(actionData.done === 'verified' ? 'orgReview.done.verified' : 'orgReview.done.rejected', {
            name: actionData.name,
          })}
        </p>
      ) : null}
      {actionData && 'error' in actionData ? (
        // The row may be gone already (another admin decided first), so this is said above the table.
        <p role="alert" className="rounded border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          {t(actionData.error === 'not_pending' ? 'orgReview.error.notPending' : 'orgReview.error.notFound')}
        </p>
      ) : null}
      {data.items.length === 0 ? (
        <p className="rounded-lg border border-dashed border-stone-300 bg-white p-6 text-center text-stone-600">
          {t('orgReview.empty')}
        </p>
      ) : (
        // contain: inline-size keeps a wide table scrolling inside its box instead of widening the page.
        <div className="overflow-x-auto rounded-lg border border-stone-200 bg-white [contain:inline-size]">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">{t('orgReview.caption', { n: data.total })}</caption>
            <thead className="bg-stone-50 text-stone-600">
              <tr>
                {columns.map((key) => (
                  <th key={key} scope="col" className="px-3 py-2 whitespace-nowrap">
                    {t(key)}
                  </th>
                ))}
              </tr>
            </thead>
            {data.items.map((org) => (
              <ReviewRows
                key={org.id}
                org={org}
                actionData={actionData && actionData.orgId === org.id ? actionData : undefined}
              />
            ))}
          </table>
        </div>
      )}
      <Pagination page={data.page} pageSize={data.pageSize} total={data.total} />
    </div>
  )
}

/** One organisation: its facts, and for a pending one a second row with the two decisions. */
function ReviewRows({ org, actionData }: { org: OrganizationForReview; actionData: ActionData | undefined }) {
  const t = useT()
  const ids = useId()
  const navigation = useNavigation()
  const busy = navigation.state === 'submitting' && navigation.formData?.get('orgId') === org.id
  const reasonCode = actionData && 'errors' in actionData ? actionData.errors.reason : undefined
  const reasonError = reasonCode ? t(errorMessageKey('reason', reasonCode)) : null
  const [submittedDate, submittedTime] = shanghaiDateTime(org.createdAt).split(' ')
  const pending = org.status === 'pending'
  return (
    <tbody className="border-t border-stone-200">
      <tr className="align-top">
        <th scope="row" className="min-w-40 px-3 py-2 font-medium">
          {org.name} {org.isDemo ? <Badge>{t('badge.demo')}</Badge> : null}
          {org.contactName || org.contactPhone ? (
            <span className="block text-xs font-normal text-stone-500">
              {t('orgReview.contact', { name: org.contactName ?? '', phone: org.contactPhone ?? '' })}
            </span>
          ) : null}
        </th>
        <td className="px-3 py-2 whitespace-nowrap">{t(`orgKind.${org.kind}`)}</td>
        <td className="px-3 py-2 font-mono text-xs">{org.uscc ?? '—'}</td>
        <td className="min-w-24 px-3 py-2">{org.regionName}</td>
        <td className="px-3 py-2">{org.submitterName ?? t('orgReview.noSubmitter')}</td>
        <td className="px-3 py-2 whitespace-nowrap">
          <time dateTime={org.createdAt}>
            {submittedDate}
            <span className="block text-xs text-stone-500">{submittedTime}</span>
          </time>
        </td>
        <td className="px-3 py-2">
          <span className="whitespace-nowrap">
            <Badge tone={statusTone[org.status]}>{t(`orgStatus.${org.status}`)}</Badge>
          </span>
          {org.rejectedReason ? (
            <span className="mt-1 block min-w-32 text-xs text-red-700">
              {t('orgs.rejectedReason', { reason: org.rejectedReason })}
            </span>
          ) : null}
        </td>
      </tr>
      {pending ? (
        <tr>
          <td colSpan={columns.length} className="px-3 pb-3">
            <div className="flex flex-wrap items-start gap-4 rounded bg-stone-50 p-3">
              <Form method="post">
                <input type="hidden" name="orgId" value={org.id} />
                <button
                  type="submit"
                  name="intent"
                  value="verify"
                  disabled={busy}
                  aria-label={t('orgReview.verifyLabel', { name: org.name })}
                  className="rounded bg-brand-600 px-3 py-1.5 text-white hover:bg-brand-700 disabled:opacity-60"
                >
                  {t('orgReview.verify')}
                </button>
              </Form>
              <Form method="post" noValidate className="flex min-w-64 flex-1 flex-wrap items-start gap-2">
                <input type="hidden" name="orgId" value={org.id} />
                <div className="min-w-56 flex-1">
                  <label htmlFor={`${ids}-reason`} className="block text-xs font-medium">
                    {t('orgReview.reason')}
                    <span className="sr-only">（{org.name}）</span>
                  </label>
                  <textarea
                    id={`${ids}-reason`}
                    name="reason"
                    rows={2}
                    required
                    minLength={2}
                    maxLength={200}
                    aria-invalid={reasonError ? true : undefined}
                    aria-describedby={`${ids}-reason-hint${reasonError ? ` ${ids}-reason-error` : ''}`}
                    className={`mt-1 w-full rounded border bg-white px-2 py-1 ${
                      reasonError ? 'border-red-600' : 'border-stone-300'
                    }`}
                  />
                  <p id={`${ids}-reason-hint`} className="text-xs text-stone-500">
                    {t('orgReview.reasonHint')}
                  </p>
                  {reasonError ? (
                    <p id={`${ids}-reason-error`} className="text-sm text-red-700">
                      {reasonError}
                    </p>
                  ) : null}
                </div>
                <button
                  type="submit"
                  name="intent"
                  value="reject"
                  disabled={busy}
                  className="mt-5 rounded border border-red-600 bg-white px-3 py-1.5 text-red-700 hover:bg-red-50 disabled:opacity-60"
                >
                  {t('orgReview.reject')}
                </button>
              </Form>
            </div>
          </td>
        </tr>
      ) : null}
    </tbody>
  )
}
