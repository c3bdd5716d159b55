import { asc, eq } from 'drizzle-orm'
import type { Db } from '../../../db/client.server'
import { regions } from '../../../db/schema/regions'
import { isRegionCode } from './codes'

export type RegionSummary = {
  code: string
  name: string
  level: 'province' | 'city' | 'county'
  parentCode: string | null
}

/**
 * Children of a region (provinces when parent is omitted): the address and organisation pickers' data. Null when the
 * parent is not a region at all (an empty list means a region without subdivisions, such as 东莞市).
 */
export async function listChildRegions(db: Db, parentCode: string | null): Promise<RegionSummary[] | null> {
  const columns = {
    code: regions.code,
    name: regions.name,
    level: regions.level,
    parentCode: regions.parentCode,
  }
  if (parentCode === null) {
    return db.select(columns).from(regions).where(eq(regions.level, 'province')).orderBy(asc(regions.code))
  }
  const [parent, children] = await Promise.all([
    getRegion(db, parentCode),
    db.select(columns).from(regions).where(eq(regions.parentCode, parentCode)).orderBy(asc(regions.code)),
  ])
  return parent ? children : null
}

export async function getRegion(db: Db, code: string): Promise<RegionSummary | null> {
  if (!isRegionCode(code)) return null
  const [row] = await db
    .select({ code: regions.code, name: regions.name, level: regions.level, parentCode: regions.parentCode })
    .from(regions)
    .where(eq(regions.code, code))
    .limit(1)
  return row ?? null
}
