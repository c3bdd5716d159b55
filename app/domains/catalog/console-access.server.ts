import { and, eq, type SQL, sql } from 'drizzle-orm'
import type { Db } from '../../../db/client.server'
import type { Role } from '../../../db/schema/accounts'
import { organizations } from '../../../db/schema/organizations'
import { isUuid } from '../../utils/ids'
import { isInSubtree } from '../regions'

/**
 * Who may do what in a cooperative's console, as conditions inside the queries themselves (docs/architecture.md
 * §1): the route's permission check says the user holds the role somewhere, these say they hold it in the
 * cooperative the row belongs to. A row of another cooperative is simply not found.
 */

/** Listings, stock and certifications: any member of the cooperative. */
export const listingRoles = ['coop_admin', 'coop_staff'] as const satisfies readonly Role[]
/** Bases (where the cooperative grows or makes things): its administrators. */
export const baseRoles = ['coop_admin'] as const satisfies readonly Role[]

/** The actor acts for cooperative `orgId` in one of `roles`. */
export function actsForCooperative(orgId: string, actorUserId: string, roles: readonly Role[]): SQL {
  return sql`exists (select 1 from memberships m join organizations o on o.id = m.org_id
    where m.user_id = ${actorUserId}::uuid and m.org_id = ${orgId}::uuid and o.kind = 'cooperative'
      and m.role in (${sql.join(
        roles.map((role) => sql`${role}`),
        sql`, `,
      )}))`
}

/** Ids from a URL or a form: anything that is not a uuid names nothing (and must not reach a ::uuid cast). */
export function allIds(...values: string[]): boolean {
  return values.every(isUuid)
}

export type Seller = { id: string; regionCode: string; admitted: boolean }

/** The cooperative the actor acts for, with its area (its region's subtree), or null. */
export async function sellerFor(
  db: Db,
  orgId: string,
  actorUserId: string,
  roles: readonly Role[],
): Promise<Seller | null> {
  if (!allIds(orgId, actorUserId)) return null
  const [row] = await db
    .select({
      id: organizations.id,
      regionCode: organizations.regionCode,
      verifiedAt: organizations.sellerVerifiedAt,
    })
    .from(organizations)
    .where(and(eq(organizations.id, orgId), actsForCooperative(orgId, actorUserId, roles)))
  return row ? { id: row.id, regionCode: row.regionCode, admitted: row.verifiedAt !== null } : null
}

/**
 * Where a product comes from or a base stands: a region inside the cooperative's area (its own region's subtree),
 * at the lowest level — a county, or a city without counties (东莞市) — as orders and reports count by county.
 */
export function placeIssue(
  regions: ReadonlyMap<string, { code: string; level: string; parentCode: string | null }>,
  areaCode: string,
  code: string,
): 'unknown' | 'outside' | 'not_county' | null {
  const region = regions.get(code)
  if (!region) return 'unknown'
  if (!isInSubtree(code, areaCode)) return 'outside'
  if (region.level === 'province') return 'not_county'
  for (const other of regions.values()) if (other.parentCode === code) return 'not_county'
  return null
}
