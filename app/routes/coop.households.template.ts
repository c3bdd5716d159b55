import type { LoaderFunctionArgs } from '@remix-run/node'
import { householdTemplate } from '~/domains/households/index.server'
import { activeOrgScope, coopActor } from '~/utils/coop-console.server'
import { getDb } from '~/utils/db.server'
import { invariantResponse } from '~/utils/guards.server'
import { requireAccess } from '~/utils/permissions.server'

/** The household import's template: a CSV (UTF-8 with a BOM, so Excel shows the Chinese) with the header row. */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/coop.households.template', 'loader', activeOrgScope(args))
  const csv = await householdTemplate(getDb(), coopActor(auth))
  invariantResponse(csv, '无权访问 / Forbidden', { status: 403 })
  return new Response(new Uint8Array(csv), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="households-template.csv"; filename*=UTF-8''${encodeURIComponent('受益农户导入模板.csv')}`,
      'Cache-Control': 'private, no-store',
    },
  })
}
