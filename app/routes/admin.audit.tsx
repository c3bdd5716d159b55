import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { Pagination } from '~/components/ui/pagination'
import { auditActions, auditSubjectTypes, getAuditLogPage } from '~/domains/audit/index.server'
import { getDb } from '~/utils/db.server'
import { invariantResponse } from '~/utils/guards.server'
import { shanghaiDateTime } from '~/utils/clock'
import type { MessageKey } from '~/utils/i18n'
import { useLocale, useT } from '~/utils/locale'
import { formatFen } from '~/utils/money'
import type { AuditDetailValue } from '~/domains/audit'
import { requireAccess } from '~/utils/permissions.server'

export const meta: MetaFunction = () => [{ title: '审计日志 · 消费帮扶集市' }]

const PAGE_SIZE = 50

const listQuery = z.object({ page: z.coerce.number().int().min(1).max(100_000).default(1) })

function isOneOf<T extends string>(list: readonly T[], value: string): value is T {
  return (list as readonly string[]).includes(value)
}

/** Platform admins and finance read the audit log, with the state of its hash chain on top. */
export async function loader(args: LoaderFunctionArgs) {
  const { request } = args
  requireAccess(args, 'routes/admin.audit', 'loader')
  const parsed = listQuery.safeParse({ page: new URL(request.url).searchParams.get('page') || undefined })
  invariantResponse(parsed.success, 'Bad request: page')
  const { chain, events } = await getAuditLogPage(getDb(), { page: parsed.data.page, pageSize: PAGE_SIZE })
  return {
    chain: chain.ok
      ? { ok: true as const, count: chain.checked, headHash: chain.headHash }
      : {
          ok: false as const,
          firstBrokenSeq: chain.firstBrokenSeq,
          reasonKey: `audit.reason.${chain.reason}` as const satisfies MessageKey,
        },
    total: events.total,
    page: events.page,
    pageSize: events.pageSize,
    items: events.items.map((event) => ({
      seq: event.seq,
      occurredAt: event.occurredAt,
      actorName: event.actorName,
      hasActor: event.actorUserId !== null,
      action: event.action,
      actionKey: isOneOf(auditActions, event.action)
        ? (`audit.action.${event.action}` as const satisfies MessageKey)
        : null,
      subjectKey: isOneOf(auditSubjectTypes, event.subjectType)
        ? (`audit.subject.${event.subjectType}` as const satisfies MessageKey)
        : null,
      subjectType: event.subjectType,
      subjectId: event.subjectId,
      lines: event.lines,
      // The record as hashed, for whoever checks the chain by hand.
      raw: JSON.stringify(event.details),
      hash: event.hash,
    })),
  }
}

const withSeconds = (iso: string) => shanghaiDateTime(iso, { seconds: true })

function DetailValue({ value }: { value: AuditDetailValue }) {
  const t = useT()
  const locale = useLocale()
  switch (value.kind) {
    case 'money':
      return <>{formatFen(BigInt(value.fen), locale)}</>
    case 'time':
      return <time dateTime={value.iso}>{withSeconds(value.iso)}</time>
    case 'message':
      return <>{t(value.key)}</>
    case 'id':
      return (
        <span className="font-mono" title={value.id}>
          {shortId(value.id)}
        </span>
      )
    case 'text':
      return <>{value.text}</>
  }
}

/** A uuid is long: its first 8 characters tell events apart on one page (the full id is in the title). */
function shortId(id: string): string {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-/.test(id) ? `${id.slice(0, 8)}…` : id
}

const columns = [
  'audit.col.seq',
  'audit.col.time',
  'audit.col.actor',
  'audit.col.action',
  'audit.col.subject',
  'audit.col.details',
  'audit.col.hash',
] as const

export default function AuditLog() {
  const data = useLoaderData<typeof loader>()
  const t = useT()
  return (
    <div className="space-y-4">
      <h2 className="text-xl font-semibold">{t('audit.title')}</h2>
      <p className="text-sm text-stone-600">{t('audit.intro')}</p>
      {data.chain.ok ? (
        // The full head hash: an auditor copies it to check a later chain against (verify with expect).
        <p
          role="status"
          className="rounded border border-brand-100 bg-brand-50 p-3 text-sm wrap-anywhere text-brand-800"
        >
          {data.chain.count === 0
            ? t('audit.chain.empty')
            : t('audit.chain.ok', { n: data.chain.count, hash: data.chain.headHash })}
        </p>
      ) : (
        <p
          role="alert"
          className="rounded border border-red-300 bg-red-50 p-3 text-sm font-semibold text-red-800"
        >
          {t('audit.chain.broken', { seq: data.chain.firstBrokenSeq, reason: t(data.chain.reasonKey) })}
        </p>
      )}
      {data.items.length === 0 ? (
        <p className="rounded-lg border border-dashed border-stone-300 bg-white p-6 text-center text-stone-600">
          {t('audit.empty')}
        </p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-stone-200 bg-white [contain:inline-size]">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">{t('audit.caption', { n: data.total })}</caption>
            <thead className="bg-stone-50 text-stone-600">
              <tr>
                {columns.map((key) => (
                  <th key={key} scope="col" className="px-3 py-2 whitespace-nowrap">
                    {t(key)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.items.map((event) => (
                <tr key={event.seq} className="border-t border-stone-200 align-top">
                  <th scope="row" className="px-3 py-2 font-mono font-normal">
                    {event.seq}
                  </th>
                  <td className="px-3 py-2 whitespace-nowrap">
                    <time dateTime={event.occurredAt}>{withSeconds(event.occurredAt)}</time>
                  </td>
                  <td className="px-3 py-2">
                    {event.actorName ?? t(event.hasActor ? 'audit.actor.unknown' : 'audit.actor.none')}
                  </td>
                  <td className="px-3 py-2 whitespace-nowrap">
                    {event.actionKey ? t(event.actionKey) : event.action}
                  </td>
                  <td className="px-3 py-2">
                    {event.subjectKey ? t(event.subjectKey) : event.subjectType}
                    {event.subjectId ? (
                      <span className="block font-mono text-xs text-stone-500" title={event.subjectId}>
                        {shortId(event.subjectId)}
                      </span>
                    ) : null}
                  </td>
                  <td className="min-w-48 px-3 py-2 text-xs">
                    <dl className="grid grid-cols-[auto_1fr] gap-x-2">
                      {event.lines.map((line) => (
                        <div key={line.label} className="contents">
                          <dt className="text-stone-600">{t(line.label)}</dt>
                          <dd className="break-all">
                            <DetailValue value={line.value} />
                          </dd>
                        </div>
                      ))}
                    </dl>
                    {event.raw !== '{}' ? (
                      <details className="mt-1">
                        <summary className="cursor-pointer text-stone-600">{t('audit.raw')}</summary>
                        <pre className="break-all whitespace-pre-wrap font-mono">{event.raw}</pre>
                      </details>
                    ) : null}
                  </td>
                  <td className="px-3 py-2 font-mono text-xs" title={event.hash}>
                    {event.hash.slice(0, 12)}…
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={data.page} pageSize={data.pageSize} total={data.total} />
    </div>
  )
}
