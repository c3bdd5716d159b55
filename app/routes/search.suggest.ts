import type { LoaderFunctionArgs } from '@remix-run/node'
import { suggestProducts } from '~/models/search.server'
import { getDb } from '~/utils/db.server'
import { requireAccess } from '~/utils/permissions.server'

/** GET /search/suggest?q= — suggestions for the header search box. */
export async function loader(args: LoaderFunctionArgs) {
  requireAccess(args, 'routes/search.suggest', 'loader')
  const q = (new URL(args.request.url).searchParams.get('q') ?? '').trim().slice(0, 50)
  const suggestions = q ? await suggestProducts(getDb(), q, 8) : []
  return Response.json({ suggestions }, { headers: { 'Cache-Control': 'public, max-age=60' } })
}
