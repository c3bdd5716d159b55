import { and, eq, inArray } from 'drizzle-orm'
import type { Db } from '../../../db/client.server'
import type { Role } from '../../../db/schema/accounts'
import { memberships } from '../../../db/schema/memberships'
import { organizations } from '../../../db/schema/organizations'
import { referenceData, regionChain } from '../regions/index.server'
import { isInSubtree } from '../regions'
import { allIds, listingRoles, placeIssue } from './console-access.server'

/** A county (or a city without counties) a listing or a base may name: inside the cooperative's own area. */
export type ConsolePlace = { code: string; name: string }

/** What every page of the cooperative console needs to know about the cooperative it acts for. */
export type CoopConsole = {
  orgId: string
  name: string
  regionCode: string
  /** "甘肃省 定西市 岷县". */
  regionName: string
  /** Supplier admission done (县级推荐 and the platform's verification): it may submit listings for review. */
  admitted: boolean
  role: Role
  /** Only its administrators manage its bases (decision 015). */
  managesBases: boolean
  /** Where its products may come from and its bases stand, for the pickers. */
  places: ConsolePlace[]
}

/**
 * The cooperative a member acts for, as the console's pages show it; null when the actor is not its admin or staff
 * (the console then refuses the request). The places are computed from the cached reference data.
 */
export async function getCoopConsole(
  db: Db,
  input: { orgId: string; actorUserId: string },
): Promise<CoopConsole | null> {
  if (!allIds(input.orgId, input.actorUserId)) return null
  const [row] = await db
    .select({
      id: organizations.id,
      name: organizations.name,
      regionCode: organizations.regionCode,
      sellerVerifiedAt: organizations.sellerVerifiedAt,
      role: memberships.role,
    })
    .from(organizations)
    .innerJoin(
      memberships,
      and(eq(memberships.orgId, organizations.id), eq(memberships.userId, input.actorUserId)),
    )
    .where(
      and(
        eq(organizations.id, input.orgId),
        eq(organizations.kind, 'cooperative'),
        inArray(memberships.role, [...listingRoles]),
      ),
    )
  if (!row) return null
  const reference = await referenceData(db)
  const nameOf = (code: string) =>
    regionChain(reference, code)
      .map((r) => r.name)
      .join(' ')
  const places: ConsolePlace[] = []
  for (const region of reference.regions.values()) {
    if (region.level === 'province' || !isInSubtree(region.code, row.regionCode)) continue
    if (placeIssue(reference.regions, row.regionCode, region.code) === null)
      places.push({ code: region.code, name: nameOf(region.code) })
  }
  places.sort((a, b) => a.code.localeCompare(b.code))
  return {
    orgId: row.id,
    name: row.name,
    regionCode: row.regionCode,
    regionName: nameOf(row.regionCode),
    admitted: row.sellerVerifiedAt !== null,
    role: row.role,
    managesBases: row.role === 'coop_admin',
    places,
  }
}
