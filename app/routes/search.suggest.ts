import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { suggestProducts } from '~/domains/search/index.server'
import { getDb } from '~/utils/db.server'
import { requireAccess } from '~/utils/permissions.server'
import { queryText } from '~/utils/validation'

const suggestQuery = queryText(1000)

/** GET /search/suggest?q= — suggestions for the header search box. */
export async function loader(args: LoaderFunctionArgs) {
  requireAccess(args, 'routes/search.suggest', 'loader')
  const parsed = suggestQuery.safeParse(new URL(args.request.url).searchParams.get('q'))
  if (!parsed.success) {
    return Response.json(
      { error: { param: 'q', message: 'q must not contain control characters' } },
      { status: 400 },
    )
  }
  const q = parsed.data.slice(0, 50)
  const suggestions = q ? await suggestProducts(getDb(), q, 8) : []
  return Response.json({ suggestions }, { headers: { 'Cache-Control': 'public, max-age=60' } })
}

/** Suggestions are only read. Without an action Remix would answer a POST with 405 "Unexpected Server Error". */
export async function action(args: ActionFunctionArgs) {
  requireAccess(args, 'routes/search.suggest', 'action')
  return Response.json(
    { error: { param: null, message: `${args.request.method} is not supported: use GET` } },
    { status: 405, headers: { Allow: 'GET, HEAD' } },
  )
}
