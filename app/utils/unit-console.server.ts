import { shanghaiYear, systemClock } from './clock'
import type { RequestAuth } from '~/domains/accounts/index.server'
import { isBuyerOrganizationKind } from '~/domains/orders'
import { isUnitRole, type UnitActor } from '~/domains/procurement'
import { invariantResponse } from './guards.server'

/**
 * Government procurement (issue 16): the unit pages act for the unit the session acts through (auth.active), in the
 * member's role there. The access map's `active-org` rules already refused anyone else; this is the actor the
 * domain calls take (and a 403 should the two ever disagree).
 */
export function unitActor(auth: RequestAuth): UnitActor {
  const active = auth.active
  invariantResponse(
    active && isUnitRole(active.role) && isBuyerOrganizationKind(active.orgKind),
    '无权访问 / Forbidden',
    { status: 403 },
  )
  return { orgId: active.orgId, userId: auth.userId, role: active.role }
}

/** A page number from the query string: 1 for anything unusable. */
export function unitPageParam(url: URL): number {
  const raw = url.searchParams.get('page') ?? ''
  return /^\d{1,6}$/.test(raw) && Number(raw) >= 1 ? Number(raw) : 1
}

/** A year from the query string (`?year=2026`), this year (Asia/Shanghai) without one; a malformed one is a 400. */
export function unitYearParam(url: URL): number {
  const raw = url.searchParams.get('year')
  if (raw === null || raw === '') return shanghaiYear(systemClock.now())
  const year = /^\d{4}$/.test(raw) ? Number(raw) : NaN
  invariantResponse(year >= 2000 && year <= 2100, '年份有误 / Bad year', { status: 400 })
  return year
}
