import { type AppLoadContext, redirect } from '@remix-run/node'
import type { MembershipView, RequestAuth } from '~/domains/accounts/index.server'
import { type Access, accessMap, type Permission, type RouteId, type RouteRule } from './access-map'

type Role = MembershipView['role']

/** What each role may do. Every member may also read its own organisation's memberships. */
const rolePermissions: Record<Role, readonly Permission[]> = {
  // Government procurement (issue 16).
  unit_buyer: ['read:requisition:active-org', 'order:requisition:active-org'],
  unit_approver: ['read:requisition:active-org', 'approve:requisition:active-org'],
  unit_admin: [
    'manage:membership:own-org',
    'read:requisition:active-org',
    'order:requisition:active-org',
    'manage:plan:active-org',
    'manage:spending-limit:active-org',
  ],
  coop_admin: [
    'manage:membership:own-org',
    'manage:listing:own-org',
    'manage:base:own-org',
    // Cooperative console II.
    'manage:household:own-org',
    'reveal:household-id:own-org',
    'manage:proceeds:own-org',
  ],
  coop_staff: ['manage:listing:own-org', 'manage:household:own-org'],
  office_analyst: [
    'review:listing:jurisdiction',
    // Office dashboard and 公示 (issue 19).
    'read:targets:active-org',
  ],
  office_admin: [
    // Office dashboard and 公示 (issue 19).
    'read:targets:active-org',
    // Office dashboard II (decision 024).
    'manage:targets:active-org',
    'manage:membership:own-org',
    'review:listing:jurisdiction',
    'recommend:supplier:jurisdiction',
  ],
  platform_admin: [
    'manage:membership:own-org',
    'access:admin:any',
    'review:organization:any',
    'create:office:any',
    'read:audit:any',
    'review:listing:jurisdiction',
    'verify:supplier:any',
    'read:outbox:any',
  ],
  platform_finance: ['access:admin:any', 'read:audit:any', 'confirm:payment:any', 'refund:payment:any'],
}

const everyMember: readonly Permission[] = ['read:membership:own-org']
const everyUser: readonly Permission[] = ['register:organization:own']

/**
 * Whether a user holds a permission. `active-org` permissions need the role in the membership the session acts
 * through (auth.active). `own-org` permissions need a membership in the organisation the request
 * names (`orgId`); `any` and `jurisdiction` permissions need the role in some membership (for `jurisdiction`, the
 * domain function then keeps to the regions the office covers — a platform admin's cover everything); `own` ones
 * belong to every user.
 */
export function hasPermission(
  auth: RequestAuth | null,
  permission: Permission,
  scope: { orgId?: string } = {},
) {
  if (!auth) return false
  if (everyUser.includes(permission)) return true
  // Government procurement (issue 16): the membership the session acts through, whatever the request names.
  if (permission.endsWith(':active-org')) {
    return Boolean(auth.active && rolePermissions[auth.active.role].includes(permission))
  }
  if (permission.endsWith(':own-org')) {
    const membership = auth.memberships.find((m) => m.orgId === scope.orgId)
    return Boolean(
      membership &&
        (everyMember.includes(permission) || rolePermissions[membership.role].includes(permission)),
    )
  }
  return auth.memberships.some((m) => rolePermissions[m.role].includes(permission))
}

type Args = { request: Request; context: AppLoadContext }

function ruleFor(
  routeId: RouteId,
  kind: 'loader' | 'action',
  intent: string | undefined,
): Access | undefined {
  const rule: RouteRule = accessMap[routeId]
  const entry = rule[kind]
  if (entry === undefined || typeof entry === 'string') return entry
  return intent === undefined ? undefined : entry.intents[intent]
}

/**
 * The one permission helper: called first in every loader and action with the route's own id. Anonymous visitors
 * of a protected page are sent to log in; signed-in users without the permission get 403; a rule that does not
 * exist (an action or intent the map does not list) is refused — closed by default.
 */
type RuleOf<R extends RouteId, K extends 'loader' | 'action'> = K extends keyof (typeof accessMap)[R]
  ? (typeof accessMap)[R][K]
  : never
/** Public rules may have no user; every other rule guarantees one. */
type AuthFor<A> = [A] extends ['public'] ? RequestAuth | null : RequestAuth

export function requireAccess<R extends RouteId, K extends 'loader' | 'action'>(
  args: Args,
  routeId: R,
  kind: K,
  scope: { orgId?: string; intent?: string } = {},
): AuthFor<RuleOf<R, K>> {
  return checkAccess(args, routeId, kind, scope) as AuthFor<RuleOf<R, K>>
}

function checkAccess(
  args: Args,
  routeId: RouteId,
  kind: 'loader' | 'action',
  scope: { orgId?: string; intent?: string },
): RequestAuth | null {
  const access = ruleFor(routeId, kind, scope.intent)
  if (access === undefined) {
    throw new Response(scope.intent === undefined ? 'Method not allowed' : 'Unknown intent', {
      status: scope.intent === undefined ? 405 : 400,
    })
  }
  if (access === 'public') return args.context.auth
  const auth = args.context.auth
  if (!auth) {
    const url = new URL(args.request.url)
    throw redirect(`/login?redirectTo=${encodeURIComponent(`${url.pathname}${url.search}`)}`)
  }
  if (access === 'signed-in' || hasPermission(auth, access, scope)) return auth
  throw new Response('无权访问 / Forbidden', { status: 403 })
}

/**
 * Whether `auth` may open a page (its loader's rule), without throwing: navigation shows only the links that lead
 * somewhere for this user, from the same rules the pages enforce.
 */
export function mayOpen(auth: RequestAuth | null, routeId: RouteId, scope: { orgId?: string } = {}): boolean {
  const access = ruleFor(routeId, 'loader', undefined)
  if (access === undefined) return false
  if (access === 'public') return true
  if (!auth) return false
  return access === 'signed-in' || hasPermission(auth, access, scope)
}
