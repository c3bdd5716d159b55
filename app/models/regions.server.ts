import { asc, eq, inArray, or } from 'drizzle-orm'
import type { Db } from '../../db/client.server'
import { pairings, regions } from '../../db/schema/regions'
import { isRegionCode } from '../utils/regions'
import { listProducts, type ProductCard } from './catalog.server'
import { regionChainCodes } from './reference-data.server'

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

export type RegionPairing = {
  id: string
  programme: string
  helperName: string
  helperCode: string | null
  helpedName: string
  helpedCode: string
}

export type RegionPage = {
  region: RegionSummary
  chain: RegionSummary[]
  tags: string[]
  children: RegionSummary[]
  /** Pairings that help this region or the city/province it belongs to. */
  helpedBy: RegionPairing[]
  /** Pairings in which this region is the helper. */
  helps: RegionPairing[]
  products: ProductCard[]
  productTotal: number
}

export async function getRegionPage(
  db: Db,
  code: string,
  paging: { page: number; pageSize: number },
  today: string,
): Promise<RegionPage | null> {
  if (!isRegionCode(code)) return null
  const chainCodes = regionChainCodes(code)
  const columns = {
    code: regions.code,
    name: regions.name,
    level: regions.level,
    parentCode: regions.parentCode,
  }
  const [chain, [tagsRow], children, related, listing] = await Promise.all([
    db.select(columns).from(regions).where(inArray(regions.code, chainCodes)).orderBy(asc(regions.code)),
    db.select({ tags: regions.tags }).from(regions).where(eq(regions.code, code)),
    db.select(columns).from(regions).where(eq(regions.parentCode, code)).orderBy(asc(regions.code)),
    db
      .select({
        id: pairings.id,
        programme: pairings.programme,
        helperName: pairings.helperName,
        helperCode: pairings.helperCode,
        helpedCode: pairings.helpedCode,
        helpedName: regions.name,
      })
      .from(pairings)
      .innerJoin(regions, eq(regions.code, pairings.helpedCode))
      .where(or(inArray(pairings.helpedCode, chainCodes), eq(pairings.helperCode, code)))
      .orderBy(asc(pairings.helpedCode), asc(pairings.id)),
    listProducts(db, { regionCode: code }, paging, today),
  ])
  const region = chain.find((r) => r.code === code)
  if (!region) return null
  return {
    region,
    chain,
    tags: tagsRow?.tags ?? [],
    children,
    helpedBy: related.filter((p) => chainCodes.includes(p.helpedCode)),
    helps: related.filter((p) => p.helperCode === code),
    products: listing.items,
    productTotal: listing.total,
  }
}
