import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { listChildRegions } from '~/domains/regions/index.server'
import { apiError, apiJson, apiMethodNotAllowed } from '~/utils/api.server'
import { getDb } from '~/utils/db.server'
import { requireAccess } from '~/utils/permissions.server'

const parentParam = z.string().regex(/^[1-9]\d{5}$/, 'parent must be a six-digit region code such as 620000')

/** GET /api/v1/regions?parent= — the provinces, or the children of a region (for address pickers). */
export async function loader(args: LoaderFunctionArgs) {
  const { request } = args
  requireAccess(args, 'routes/api.v1.regions', 'loader')
  const raw = new URL(request.url).searchParams.get('parent')
  const db = getDb()
  if (raw === null || raw === '') return apiJson({ items: await listChildRegions(db, null) })
  const parsed = parentParam.safeParse(raw)
  if (!parsed.success) return apiError(400, 'parent', parsed.error.issues[0]?.message ?? 'invalid parent')
  const children = await listChildRegions(db, parsed.data)
  if (!children) return apiError(404, 'parent', `no region with code ${parsed.data}`)
  return apiJson({ items: children })
}

export async function action(args: ActionFunctionArgs) {
  const { request } = args
  requireAccess(args, 'routes/api.v1.regions', 'action')
  return apiMethodNotAllowed(request)
}
