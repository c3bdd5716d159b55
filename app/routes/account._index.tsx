import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { Badge } from '~/components/ui/badge'
import type { MessageKey } from '~/utils/i18n'
import { useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'

export const meta: MetaFunction = () => [{ title: '我的账户 · 消费帮扶集市' }]

export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/account._index', 'loader')
  return {
    displayName: auth.displayName,
    loginIds: [auth.email, auth.mobile].filter((v): v is string => Boolean(v)),
    memberships: auth.memberships,
    activeOrgId: auth.active?.orgId ?? null,
  }
}

export default function AccountOverview() {
  const data = useLoaderData<typeof loader>()
  const t = useT()
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">{t('overview.title')}</h1>
      <dl className="grid max-w-xl grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
        <dt className="text-stone-500">{t('auth.displayName')}</dt>
        <dd>{data.displayName}</dd>
        <dt className="text-stone-500">{t('overview.loginId')}</dt>
        <dd>{data.loginIds.join(' / ')}</dd>
        <dt className="text-stone-500">{t('account.actingAs')}</dt>
        <dd>
          {data.memberships.find((m) => m.orgId === data.activeOrgId)?.orgName ??
            t('account.actingAsConsumer')}
        </dd>
      </dl>
      <section aria-labelledby="memberships-heading">
        <h2 id="memberships-heading" className="text-lg font-semibold">
          {t('overview.memberships')}
        </h2>
        {data.memberships.length === 0 ? (
          <p className="mt-2 text-sm text-stone-600">
            {t('overview.noMemberships')}{' '}
            <Link to="/account/organizations" className="text-brand-700 underline">
              {t('account.organizations')}
            </Link>
          </p>
        ) : (
          <ul className="mt-2 divide-y divide-stone-200 rounded border border-stone-200 bg-white">
            <SwitchRow
              label={t('account.actingAsConsumer')}
              detail={t('role.consumer')}
              orgId=""
              current={data.activeOrgId === null}
            />
            {data.memberships.map((m) => (
              <SwitchRow
                key={m.orgId}
                label={m.orgName}
                detail={`${t(`orgKind.${m.orgKind}` as MessageKey)} · ${t(`role.${m.role}` as MessageKey)}`}
                badge={m.verified ? null : t('orgStatus.pending')}
                orgId={m.orgId}
                current={data.activeOrgId === m.orgId}
              />
            ))}
          </ul>
        )}
      </section>
    </div>
  )
}

function SwitchRow(props: {
  label: string
  detail: string
  orgId: string
  current: boolean
  badge?: string | null
}) {
  const t = useT()
  return (
    <li className="flex items-center justify-between gap-3 p-3 text-sm">
      <div>
        <p className="font-medium">
          {props.label} {props.badge ? <Badge tone="amber">{props.badge}</Badge> : null}
        </p>
        <p className="text-stone-500">{props.detail}</p>
      </div>
      {props.current ? (
        <Badge tone="green">{t('overview.current')}</Badge>
      ) : (
        <Form method="post" action="/account/switch">
          <input type="hidden" name="orgId" value={props.orgId} />
          <input type="hidden" name="redirectTo" value="/account" />
          <button type="submit" className="rounded border border-stone-300 px-3 py-1 hover:bg-stone-100">
            {t('overview.actAs')}
          </button>
        </Form>
      )}
    </li>
  )
}
