import type { LoaderFunctionArgs } from '@remix-run/node'
import { checkHealth } from '~/models/health.server'
import { getDb } from '~/utils/db.server'
import { requireAccess } from '~/utils/permissions.server'

export async function loader(args: LoaderFunctionArgs) {
  requireAccess(args, 'routes/healthz', 'loader')
  const health = await checkHealth(getDb())
  return Response.json(health, {
    status: health.status === 'ok' ? 200 : 503,
    headers: { 'Cache-Control': 'no-store' },
  })
}
