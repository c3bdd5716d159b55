import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { Badge } from '~/components/ui/badge'
import { listMyOrganizations, type OrganizationStatus } from '~/domains/organizations/index.server'
import { getDb } from '~/utils/db.server'
import { useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'

export const meta: MetaFunction = () => [{ title: '我的单位 · 消费帮扶集市' }]

/** The signed-in user's organisations and where each stands in review. */
export async function loader(args: LoaderFunctionArgs) {
  const { request } = args
  const auth = requireAccess(args, 'routes/account.organizations._index', 'loader')
  const registered = new URL(request.url).searchParams.get('registered') === '1'
  return {
    registered,
    activeOrgId: auth.active?.orgId ?? null,
    organizations: await listMyOrganizations(getDb(), auth.userId),
  }
}

const statusTone: Record<OrganizationStatus, 'green' | 'amber' | 'red'> = {
  verified: 'green',
  pending: 'amber',
  rejected: 'red',
}

export default function MyOrganizations() {
  const { registered, activeOrgId, organizations } = useLoaderData<typeof loader>()
  const t = useT()
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold">{t('account.organizations')}</h1>
        <Link
          to="/account/organizations/new"
          className="rounded bg-brand-600 px-4 py-2 text-sm text-white hover:bg-brand-700"
        >
          {t('orgs.register')}
        </Link>
      </div>
      <p className="text-sm text-stone-600">{t('orgs.intro')}</p>
      {registered ? (
        <p role="status" className="rounded border border-brand-100 bg-brand-50 p-3 text-sm text-brand-800">
          {t('orgs.registered')}
        </p>
      ) : null}
      {organizations.length === 0 ? (
        <div className="rounded-lg border border-dashed border-stone-300 bg-white p-6 text-center">
          <p className="font-medium">{t('orgs.empty')}</p>
          <p className="mt-1 text-sm text-stone-600">{t('orgs.emptyHint')}</p>
          <Link
            to="/account/organizations/new"
            className="mt-4 inline-block rounded border border-brand-600 px-4 py-2 text-sm text-brand-700 hover:bg-brand-50"
          >
            {t('orgs.register')}
          </Link>
        </div>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-stone-200 bg-white [contain:inline-size]">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">{t('orgs.caption')}</caption>
            <thead className="bg-stone-50 text-stone-600">
              <tr>
                <th scope="col" className="px-3 py-2">
                  {t('orgs.col.name')}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t('orgs.col.kind')}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t('orgs.col.region')}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t('orgs.col.role')}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t('orgs.col.status')}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t('orgs.col.actions')}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100">
              {organizations.map((org) => (
                <tr key={org.orgId} className="align-top">
                  <th scope="row" className="px-3 py-2 font-medium">
                    {org.name} {org.isDemo ? <Badge>{t('badge.demo')}</Badge> : null}
                  </th>
                  <td className="px-3 py-2">{t(`orgKind.${org.kind}`)}</td>
                  <td className="px-3 py-2">{org.regionName}</td>
                  <td className="px-3 py-2">{t(`role.${org.role}`)}</td>
                  <td className="px-3 py-2">
                    <Badge tone={statusTone[org.status]}>{t(`orgStatus.${org.status}`)}</Badge>
                    {org.status === 'rejected' && org.rejectedReason ? (
                      <p className="mt-1 text-xs text-red-700">
                        {t('orgs.rejectedReason', { reason: org.rejectedReason })} {t('orgs.rejectedHint')}
                      </p>
                    ) : null}
                  </td>
                  <td className="px-3 py-2">
                    <div className="flex flex-wrap items-center gap-2">
                      <Link
                        to={`/account/organizations/${org.orgId}/members`}
                        className="text-brand-700 underline"
                      >
                        {t('orgs.members')}
                      </Link>
                      {activeOrgId === org.orgId ? (
                        <Badge tone="green">{t('overview.current')}</Badge>
                      ) : (
                        <Form method="post" action="/account/switch">
                          <input type="hidden" name="orgId" value={org.orgId} />
                          <input type="hidden" name="redirectTo" value="/account/organizations" />
                          <button
                            type="submit"
                            className="rounded border border-stone-300 px-2 py-0.5 hover:bg-stone-100"
                          >
                            {t('overview.actAs')}
                          </button>
                        </Form>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}
