import { asc, eq } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import type { Db } from '../../db/client.server'
import { products } from '../../db/schema/catalog'
import { organizations } from '../../db/schema/organizations'
import { regions } from '../../db/schema/regions'

export type ProductCard = {
  slug: string
  name: string
  unit: string
  /** Integer fen; safe as a JS number for any real price. */
  priceFen: number
  originCode: string
  originName: string
  /** The origin's parent (a city or province), for "定西市 安定区" style labels. */
  originParentName: string | null
  cooperative: string
  giConfirmed: boolean
}

const parentRegion = alias(regions, 'parent_region')

/** Active products for the home page: a few from each region first, so one county does not fill the page. */
export async function listFeaturedProducts(db: Db, limit: number): Promise<ProductCard[]> {
  const rows = await db
    .select({
      slug: products.slug,
      name: products.name,
      unit: products.unit,
      priceFen: products.priceFen,
      originCode: products.originCode,
      originName: regions.name,
      originParentName: parentRegion.name,
      cooperative: organizations.name,
      giStatus: products.giStatus,
    })
    .from(products)
    .innerJoin(regions, eq(regions.code, products.originCode))
    .leftJoin(parentRegion, eq(parentRegion.code, regions.parentCode))
    .innerJoin(organizations, eq(organizations.id, products.orgId))
    .where(eq(products.status, 'active'))
    .orderBy(asc(products.sku))
  const byRegion = new Map<string, typeof rows>()
  for (const row of rows)
    byRegion.set(row.originCode.slice(0, 4), [...(byRegion.get(row.originCode.slice(0, 4)) ?? []), row])
  const picked: typeof rows = []
  for (let round = 0; picked.length < limit && round < rows.length; round++) {
    let added = false
    for (const group of byRegion.values()) {
      const row = group[round]
      if (row && picked.length < limit) {
        picked.push(row)
        added = true
      }
    }
    if (!added) break
  }
  return picked.map(({ giStatus, priceFen, ...row }) => ({
    ...row,
    priceFen: Number(priceFen),
    giConfirmed: giStatus === 'confirmed',
  }))
}
