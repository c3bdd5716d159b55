import type { LoaderFunctionArgs } from '@remix-run/node'
import {
  exportCoopReport,
  type ReportFormat,
  reportFormats,
  type ReportKind,
  reportKinds,
  reportPeriod,
} from '~/domains/coop/index.server'
import { systemClock } from '~/utils/clock'
import { activeOrgScope, coopActor } from '~/utils/coop-console.server'
import { getDb } from '~/utils/db.server'
import { invariantResponse } from '~/utils/guards.server'
import { requireAccess } from '~/utils/permissions.server'

/** A report as a download: ?kind=sales|households&format=csv|xlsx&from=YYYY-MM-DD&to=YYYY-MM-DD. */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/coop.reports_.export', 'loader', activeOrgScope(args))
  const url = new URL(args.request.url)
  const kind = url.searchParams.get('kind') ?? ''
  const format = url.searchParams.get('format') ?? ''
  invariantResponse((reportKinds as readonly string[]).includes(kind), 'Unknown report', { status: 400 })
  invariantResponse((reportFormats as readonly string[]).includes(format), 'Unknown format', { status: 400 })
  const period = reportPeriod(
    { from: url.searchParams.get('from'), to: url.searchParams.get('to') },
    systemClock,
  )
  invariantResponse(period, '日期无效 / Invalid dates', { status: 400 })
  const file = await exportCoopReport(getDb(), {
    ...coopActor(auth),
    period,
    kind: kind as ReportKind,
    format: format as ReportFormat,
  })
  invariantResponse(file, '无权访问 / Forbidden', { status: 403 })
  return new Response(new Uint8Array(file.body), {
    headers: {
      'Content-Type': file.contentType,
      'Content-Disposition': `attachment; filename="${file.fileName}"`,
      'Cache-Control': 'private, no-store',
    },
  })
}
