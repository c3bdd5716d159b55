import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { ledgerHead } from '~/domains/ledger/index.server'
import { apiJson, apiMethodNotAllowed } from '~/utils/api.server'
import { getDb } from '~/utils/db.server'
import { requireAccess } from '~/utils/permissions.server'

/**
 * GET /api/v1/ledger/head — the ledger's head {seq, hash, updatedAt}. Anyone may record it; later,
 * `npm run ledger:verify -- --expect SEQ:HASH` proves the chain still contains it (no rewritten history).
 */
export async function loader(args: LoaderFunctionArgs) {
  requireAccess(args, 'routes/api.v1.ledger.head', 'loader')
  return apiJson(await ledgerHead(getDb()))
}

export async function action(args: ActionFunctionArgs) {
  requireAccess(args, 'routes/api.v1.ledger.head', 'action')
  return apiMethodNotAllowed(args.request)
}
