import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { getTargetDetail } from '~/domains/targets/index.server'
import { apiError, apiJson, apiMethodNotAllowed } from '~/utils/api.server'
import { shanghaiToday } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { requireAccess } from '~/utils/permissions.server'

/** GET /api/v1/targets/:id — progress, reach, breakdowns (helped region, helper region, channel, category), forecast. */
export async function loader(args: LoaderFunctionArgs) {
  requireAccess(args, 'routes/api.v1.targets.$id', 'loader')
  const target = await getTargetDetail(getDb(), args.params.id ?? '', shanghaiToday())
  if (!target) return apiError(404, 'id', 'no target with this id')
  return apiJson(target)
}

export async function action(args: ActionFunctionArgs) {
  requireAccess(args, 'routes/api.v1.targets.$id', 'action')
  return apiMethodNotAllowed(args.request)
}
