import { asc, eq, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import type { Db } from '../../../db/client.server'
import { pairings, regions } from '../../../db/schema/regions'

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

/** The helped region of a pairing, joined under its own name. */
export const helped = alias(regions, 'helped_region')

export function productCountIn(code: typeof pairings.helpedCode) {
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
