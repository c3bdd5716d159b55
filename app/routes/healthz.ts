import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { checkHealth } from '~/domains/operations/index.server'
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

/** Monitors only read. Without an action Remix would answer a POST with 405 "Unexpected Server Error". */
export async function action(args: ActionFunctionArgs) {
  requireAccess(args, 'routes/healthz', 'action')
  return Response.json(
    { status: 'error', error: `${args.request.method} is not supported: use GET` },
    { status: 405, headers: { Allow: 'GET, HEAD', 'Cache-Control': 'no-store' } },
  )
}
