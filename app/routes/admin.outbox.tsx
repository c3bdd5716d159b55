import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { Pagination } from '~/components/ui/pagination'
import { listOutbox } from '~/services/mail/index.server'
import { shanghaiDateTime } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { invariantResponse } from '~/utils/guards.server'
import { useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'

export const meta: MetaFunction = () => [{ title: '发件箱 · 消费帮扶集市' }]

/** Bodies hold reset links and codes: never cached. */
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' })

const PAGE_SIZE = 20
const listQuery = z.object({ page: z.coerce.number().int().min(1).max(100_000).default(1) })

/** Platform admins read what the app sent (in demo mode, the only delivery of reset links and codes). */
export async function loader(args: LoaderFunctionArgs) {
  requireAccess(args, 'routes/admin.outbox', 'loader')
  const parsed = listQuery.safeParse({
    page: new URL(args.request.url).searchParams.get('page') || undefined,
  })
  invariantResponse(parsed.success, 'Bad request: page')
  return listOutbox(getDb(), { page: parsed.data.page, pageSize: PAGE_SIZE })
}

export default function Outbox() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  return (
    <section aria-labelledby="outbox-title">
      <h2 id="outbox-title" className="text-xl font-semibold">
        {t('outbox.title')}
      </h2>
      <p className="mt-1 text-sm text-stone-600">{t('outbox.intro')}</p>
      {data.items.length === 0 ? (
        <p className="mt-6 rounded border border-dashed border-stone-300 p-6 text-center text-stone-500">
          {t('outbox.empty')}
        </p>
      ) : (
        <ul className="mt-4 space-y-3">
          {data.items.map((m) => (
            <li key={m.id} className="rounded border border-stone-200 bg-white p-3 text-sm">
              <p className="flex flex-wrap gap-x-3 text-stone-600">
                <span className="font-medium text-stone-900">{t(`outbox.channel.${m.channel}`)}</span>
                <span>
                  {t('outbox.recipient')}: {m.recipient}
                </span>
                <time dateTime={new Date(m.createdAt).toISOString()}>
                  {shanghaiDateTime(new Date(m.createdAt))}
                </time>
                <span>
                  {m.error
                    ? t('outbox.failed', { error: m.error })
                    : m.sentAt
                      ? t('outbox.sent')
                      : t('outbox.kept')}
                </span>
              </p>
              {m.subject ? <p className="mt-1 font-medium">{m.subject}</p> : null}
              <pre className="mt-2 whitespace-pre-wrap break-all font-sans text-stone-800">{m.body}</pre>
            </li>
          ))}
        </ul>
      )}
      <Pagination page={data.page} pageSize={data.pageSize} total={data.total} />
    </section>
  )
}
