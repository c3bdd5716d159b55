import type { RequestAuth } from '~/domains/accounts/index.server'
import { invariantResponse } from './guards.server'
import { isUuid } from './ids'

/**
 * The cooperative console's routes act for the cooperative the user acts through (`auth.active`). Each route calls
 * requireAccess(args, '<its id>', kind, activeOrgScope(args)) first: a user acting for no cooperative, or in a role
 * without the permission, is refused there (403, and the console's error page says to switch identity).
 */
export function activeOrgScope(args: { context: { auth: RequestAuth | null } }): { orgId?: string } {
  return { orgId: args.context.auth?.active?.orgId }
}

/** Who acts, for the domain calls: the cooperative and the user. */
export function coopActor(auth: RequestAuth): { orgId: string; actorUserId: string } {
  const orgId = auth.active?.orgId
  invariantResponse(orgId, '无权访问 / Forbidden', { status: 403 })
  return { orgId, actorUserId: auth.userId }
}

/** A product id from the URL: anything that is not a uuid names nothing (404). */
export function productIdParam(params: { productId?: string }): string {
  const id = params.productId ?? ''
  invariantResponse(isUuid(id), 'Not found', { status: 404 })
  return id
}

/** A page number from the query string: 1 for anything unusable. */
export function pageParam(url: URL): number {
  const raw = url.searchParams.get('page') ?? ''
  return /^\d{1,6}$/.test(raw) && Number(raw) >= 1 ? Number(raw) : 1
}
