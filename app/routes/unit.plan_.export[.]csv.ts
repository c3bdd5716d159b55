import type { LoaderFunctionArgs } from '@remix-run/node'
import { getDb } from '~/utils/db.server'
import { localeOf } from '~/utils/i18n.server'
import { requireAccess } from '~/utils/permissions.server'
import { unitActor, unitYearParam } from '~/utils/unit-console.server'
import { unitPurchasesFile } from '~/utils/unit-export.server'

/** GET /unit/plan/export.csv?year=… — the unit's counted purchases of the year for 考核 (UTF-8 with a BOM). */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/unit.plan_.export[.]csv', 'loader')
  const actor = unitActor(auth)
  const file = await unitPurchasesFile(getDb(), {
    orgId: actor.orgId,
    year: unitYearParam(new URL(args.request.url)),
    format: 'csv',
    locale: await localeOf(args.request),
  })
  return new Response(new Uint8Array(file.bytes), {
    headers: {
      'Content-Type': file.contentType,
      'Content-Disposition': `attachment; filename="${file.fileName}"`,
      'Cache-Control': 'private, no-store',
    },
  })
}
