import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { EmptyState, Notice } from '~/components/coop-console'
import { Badge } from '~/components/ui/badge'
import { Pagination } from '~/components/ui/pagination'
import { notificationsForm } from '~/domains/procurement'
import { listNotifications, markNotificationsRead } from '~/domains/procurement/index.server'
import { shanghaiDateTime, systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { parseForm } from '~/utils/form.server'
import type { MessageKey } from '~/utils/i18n'
import { invariantResponse } from '~/utils/guards.server'
import { useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'
import { unitPageParam } from '~/utils/unit-console.server'

export const meta: MetaFunction = () => [{ title: '通知 · 消费帮扶集市' }]

/** The account's notifications (requisitions awaiting a decision, decided), newest first. */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/account.notifications', 'loader')
  const url = new URL(args.request.url)
  return listNotifications(getDb(), { userId: auth.userId, page: unitPageParam(url) })
}

/** Marks every notification read. */
export async function action(args: ActionFunctionArgs) {
  const submission = await parseForm(args.request, notificationsForm)
  const { intent } = submission.payload
  invariantResponse(intent === 'read-all', 'Unknown intent')
  const auth = requireAccess(args, 'routes/account.notifications', 'action', { intent })
  if (submission.status !== 'success') return data({ marked: null }, { status: 400 })
  const marked = await markNotificationsRead(getDb(), auth.userId, systemClock)
  return data({ marked })
}

export default function Notifications() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <div className="max-w-3xl space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-2xl font-bold">{t('notifications.title')}</h1>
        {data.unread > 0 ? (
          <Form method="post">
            <button
              type="submit"
              name="intent"
              value="read-all"
              className="rounded border border-stone-300 bg-white px-3 py-1 text-sm hover:bg-stone-100"
            >
              {t('notifications.markAllRead')}
            </button>
          </Form>
        ) : null}
      </div>
      {actionData?.marked != null ? <Notice>{t('notifications.marked')}</Notice> : null}
      {data.items.length === 0 ? (
        <EmptyState>{t('notifications.empty')}</EmptyState>
      ) : (
        <ul className="divide-y divide-stone-100 rounded-lg border border-stone-200 bg-white">
          {data.items.map((n) => (
            <li key={n.id} className="flex flex-wrap items-center gap-2 p-3" data-testid="notification">
              {n.read ? null : <Badge tone="amber">{t('notifications.unread')}</Badge>}
              <span className="flex-1">{t(n.messageKey as MessageKey, n.values)}</span>
              <span className="text-xs text-stone-500">{shanghaiDateTime(n.createdAt)}</span>
              <Link to={safePath(n.link)} className="text-sm text-brand-700 underline">
                {t('notifications.open')}
              </Link>
            </li>
          ))}
        </ul>
      )}
      <Pagination page={data.page} pageSize={data.pageSize} total={data.total} />
    </div>
  )
}

/** Notification links are paths inside the app; anything else leads to the account. */
function safePath(link: string): string {
  return link.startsWith('/') && !link.startsWith('//') ? link : '/account'
}
