import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { listTargets } from '~/domains/targets/index.server'
import { apiJson, apiMethodNotAllowed } from '~/utils/api.server'
import { getDb } from '~/utils/db.server'
import { requireAccess } from '~/utils/permissions.server'

/** GET /api/v1/targets — every target with its progress (fen or persons, as decimal strings) and reach. */
export async function loader(args: LoaderFunctionArgs) {
  requireAccess(args, 'routes/api.v1.targets._index', 'loader')
  return apiJson({ items: await listTargets(getDb()) })
}

export async function action(args: ActionFunctionArgs) {
  requireAccess(args, 'routes/api.v1.targets._index', 'action')
  return apiMethodNotAllowed(args.request)
}
