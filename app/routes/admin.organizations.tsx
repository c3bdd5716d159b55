import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { getFormProps, type SubmissionResult } from '@conform-to/react'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { TextareaField, useSchemaForm } from '~/components/forms'
import { Badge } from '~/components/ui/badge'
import { Pagination } from '~/components/ui/pagination'
import { FilterTabs } from '~/components/ui/filter-tabs'
import { reviewForm, reviewStatuses, type ReviewStatusFilter } from '~/domains/organizations'
import {
  listOrganizationsForReview,
  type OrganizationForReview,
  type OrganizationStatus,
  reviewOrganization,
} from '~/domains/organizations/index.server'
import { shanghaiDateTime, systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { parseForm } from '~/utils/form.server'
import { invariantResponse } from '~/utils/guards.server'
import type { MessageKey } from '~/utils/i18n'
import { useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'
import { useIsPending } from '~/utils/use-is-pending'

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
  invariantResponse(parsed.success, 'Bad request: status or page')
  const result = await listOrganizationsForReview(getDb(), { ...parsed.data, pageSize: PAGE_SIZE })
  return { status: parsed.data.status, ...result }
}

const decisions = new Set(['verify', 'reject'])

export async function action(args: ActionFunctionArgs) {
  const { request } = args
  const auth = requireAccess(args, 'routes/admin.organizations', 'action')
  const submission = await parseForm(request, reviewForm)
  const { intent, orgId } = submission.payload
  invariantResponse(typeof intent === 'string' && decisions.has(intent), 'Unknown intent')
  invariantResponse(
    typeof orgId === 'string' && z.string().uuid().safeParse(orgId).success,
    'Bad request: orgId',
  )
  if (submission.status !== 'success') {
    return data({ orgId, result: submission.reply(), done: null, error: null }, { status: 400 })
  }
  const form = submission.value
  const result = await reviewOrganization(
    getDb(),
    {
      orgId,
      reviewerId: auth.userId,
      decision: form.intent,
      reason: form.intent === 'reject' ? form.reason : null,
    },
    systemClock,
  )
  if (result.ok) {
    return data({ orgId, result: null, done: { status: result.status, name: result.name }, error: null })
  }
  if (result.error === 'invalid') {
    return data(
      { orgId, result: submission.reply({ fieldErrors: result.errors }), done: null, error: null },
      { status: 400 },
    )
  }
  return data(
    { orgId, result: null, done: null, error: result.error },
    { status: result.error === 'not_found' ? 404 : 409 },
  )
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
  const actionData = useActionData<typeof action>()
  const t = useT()
  return (
    <div className="space-y-4">
      <h2 className="text-xl font-semibold">{t('admin.organizations')}</h2>
      <FilterTabs
        label={t('orgReview.filter')}
        current={data.status}
        tabs={reviewStatuses.map((status) => ({
          key: status,
          to: status === 'pending' ? '/admin/organizations' : `/admin/organizations?status=${status}`,
          label: t(tabLabels[status], { n: data.pendingCount }),
        }))}
      />
      {actionData?.done ? (
        <p role="status" className="rounded border border-brand-100 bg-brand-50 p-3 text-sm text-brand-800">
          {t(actionData.done.status === 'verified' ? 'orgReview.done.verified' : 'orgReview.done.rejected', {
            name: actionData.done.name,
          })}
        </p>
      ) : null}
      {actionData?.error ? (
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
                lastResult={actionData?.orgId === org.id ? actionData.result : null}
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
function ReviewRows({
  org,
  lastResult,
}: {
  org: OrganizationForReview
  lastResult: SubmissionResult | null
}) {
  const t = useT()
  const busy = useIsPending()
  // One rejection form per row: its own id, and the server's answer only when it was about this row.
  const [form, fields] = useSchemaForm(reviewForm, { id: `reject-${org.id}`, lastResult })
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
                <input type="hidden" name="intent" value="verify" />
                <input type="hidden" name="orgId" value={org.id} />
                <button
                  type="submit"
                  disabled={busy}
                  aria-label={t('orgReview.verifyLabel', { name: org.name })}
                  className="rounded bg-brand-600 px-3 py-1.5 text-white hover:bg-brand-700 disabled:opacity-60"
                >
                  {t('orgReview.verify')}
                </button>
              </Form>
              <Form
                method="post"
                className="flex min-w-64 flex-1 flex-wrap items-start gap-2"
                {...getFormProps(form)}
              >
                <input type="hidden" name="intent" value="reject" />
                <input type="hidden" name="orgId" value={org.id} />
                <div className="min-w-56 flex-1">
                  <TextareaField
                    label={
                      <span className="text-xs">
                        {t('orgReview.reason')}
                        <span className="sr-only">（{org.name}）</span>
                      </span>
                    }
                    meta={fields.reason}
                    hint={t('orgReview.reasonHint')}
                    rows={2}
                    className="mt-1 w-full px-2 py-1"
                  />
                </div>
                <button
                  type="submit"
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
