import { asc, eq, inArray, or } from 'drizzle-orm'
import type { Db } from '../../../db/client.server'
import { pairings, regions } from '../../../db/schema/regions'
import { isRegionCode } from '../regions'
import {
  helped,
  type PairingSummary,
  productCountIn,
  referenceData,
  regionChain,
  regionChainCodes,
  type RegionSummary,
} from '../regions/index.server'
import { listProducts, type ProductCard } from './catalog.server'

/**
 * The storefront's pages about places: a region (county, city or province) and a documented pairing, each with the
 * products that come from it. They live with the catalogue because they are listings of products; the regions
 * domain only knows the reference data.
 */

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

export type PairingPage = PairingSummary & {
  relationText: string
  sinceText: string | null
  confidence: string
  facts: string[]
  notes: string | null
  sourceIds: string[]
  helpedChain: Array<{ code: string; name: string }>
  products: ProductCard[]
  productTotal: number
}

export async function getPairingPage(db: Db, id: string, today: string): Promise<PairingPage | null> {
  const [row] = await db
    .select({
      id: pairings.id,
      programme: pairings.programme,
      helperName: pairings.helperName,
      helperCode: pairings.helperCode,
      helpedCode: pairings.helpedCode,
      helpedName: helped.name,
      productCount: productCountIn(pairings.helpedCode),
      relationText: pairings.relationText,
      sinceText: pairings.sinceText,
      confidence: pairings.confidence,
      facts: pairings.facts,
      notes: pairings.notes,
      sourceIds: pairings.sourceIds,
    })
    .from(pairings)
    .innerJoin(helped, eq(helped.code, pairings.helpedCode))
    .where(eq(pairings.id, id))
    .limit(1)
  if (!row) return null
  const [reference, listing] = await Promise.all([
    referenceData(db),
    listProducts(db, { regionCode: row.helpedCode }, { page: 1, pageSize: 24 }, today),
  ])
  const chain = regionChain(reference, row.helpedCode).map((r) => ({ code: r.code, name: r.name }))
  return { ...row, helpedChain: chain, products: listing.items, productTotal: listing.total }
}
