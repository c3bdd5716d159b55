import { asc, eq, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import type { Db } from '../../db/client.server'
import { pairings, regions } from '../../db/schema/regions'
import { listProducts, type ProductCard } from './catalog.server'
import { referenceData, regionChain } from './reference-data.server'

export type PairingSummary = {
  id: string
  programme: string
  helperName: string
  helperCode: string | null
  helpedCode: string
  helpedName: string
  /** Active products in the helped region's subtree. */
  productCount: number
}

const helped = alias(regions, 'helped_region')

function productCountIn(code: typeof pairings.helpedCode) {
  // A helped city (定西市 621100) counts the products of its counties: prefix match on the subtree.
  return sql<number>`(select count(*) from products p where p.status = 'active' and p.origin_code like
    case when ${code} like '%0000' then substr(${code}, 1, 2) || '%'
         when ${code} like '%00' then substr(${code}, 1, 4) || '%'
         else ${code} end)`.mapWith(Number)
}

export async function listPairings(db: Db): Promise<PairingSummary[]> {
  return db
    .select({
      id: pairings.id,
      programme: pairings.programme,
      helperName: pairings.helperName,
      helperCode: pairings.helperCode,
      helpedCode: pairings.helpedCode,
      helpedName: helped.name,
      productCount: productCountIn(pairings.helpedCode),
    })
    .from(pairings)
    .innerJoin(helped, eq(helped.code, pairings.helpedCode))
    .orderBy(asc(pairings.programme), asc(pairings.helpedCode), asc(pairings.id))
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
