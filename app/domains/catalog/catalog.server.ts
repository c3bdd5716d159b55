import { and, asc, count, desc, eq, gte, ilike, inArray, lte, or, type SQL, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import type { Db } from '../../../db/client.server'
import { bases, certifications, priceTiers, productPhotos, products } from '../../../db/schema/catalog'
import { productBeneficiaries, proceedsRules } from '../../../db/schema/households'
import { organizations } from '../../../db/schema/organizations'
import { regions } from '../../../db/schema/regions'
import { fileUrl } from '../../services/files/keys.server'
import { isRegionCode, subtreePrefix } from '../regions'
import { type ProductCategory, productCategories, type ProductSort } from './constants'
import { lineProceedsFen, proceedsRuleFromRow } from '../households'
import { referenceData, regionChain } from '../regions/index.server'
import { type ProductQuery, yuanToFen } from './product-query'

export type ProductFilter = {
  /** Words to look for in names, descriptions, places and cooperatives (database search until Search I). */
  q?: string
  /** A province, city or county: its whole subtree. */
  regionCode?: string
  category?: ProductCategory
  /** Only products holding a certification valid today. */
  certifiedOnly?: boolean
  minPriceFen?: bigint
  maxPriceFen?: bigint
  sort?: ProductSort
}

export type ProductCard = {
  sku: string
  slug: string
  name: string
  category: ProductCategory
  unit: string
  /** Integer fen; safe as a JS number for any real price. */
  priceFen: number
  originCode: string
  originName: string
  /** The origin's parent (a city or province), for "定西市 安定区" style labels. */
  originParentName: string | null
  cooperative: string
  certified: boolean
  giConfirmed: boolean
  /** The cover photo at card size (about 480 px wide), or null when the product has no photo. */
  coverUrl: string | null
}

const parentRegion = alias(regions, 'parent_region')

/** Certified on a date = holds a certificate whose validity covers that (Asia/Shanghai) date. */
export function certifiedOn(today: string | SQL.Aliased | ReturnType<typeof sql.placeholder>) {
  return sql<boolean>`exists (select 1 from ${certifications} c where c.product_id = ${products.id}
    and ${today}::date between c.valid_from and c.valid_until)`
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`)
}

function filterConditions(filter: ProductFilter, today: string): SQL | undefined {
  const conditions: Array<SQL | undefined> = [eq(products.status, 'active')]
  if (filter.regionCode)
    conditions.push(sql`${products.originCode} like ${`${subtreePrefix(filter.regionCode)}%`}`)
  if (filter.category) conditions.push(eq(products.category, filter.category))
  if (filter.certifiedOnly) conditions.push(certifiedOn(today))
  if (filter.minPriceFen !== undefined) conditions.push(gte(products.priceFen, filter.minPriceFen))
  if (filter.maxPriceFen !== undefined) conditions.push(lte(products.priceFen, filter.maxPriceFen))
  for (const word of (filter.q ?? '').split(/\s+/).filter(Boolean)) {
    const pattern = `%${escapeLike(word)}%`
    conditions.push(
      or(
        ilike(products.name, pattern),
        ilike(products.alias, pattern),
        ilike(products.description, pattern),
        ilike(regions.name, pattern),
        ilike(parentRegion.name, pattern),
        ilike(organizations.name, pattern),
      ),
    )
  }
  return and(...conditions)
}

function orderFor(sort: ProductSort | undefined): SQL[] {
  switch (sort) {
    case 'price_asc':
      return [asc(products.priceFen), asc(products.sku)]
    case 'price_desc':
      return [desc(products.priceFen), asc(products.sku)]
    case 'newest':
      return [desc(products.createdAt), asc(products.sku)]
    default:
      // Documented GI products first, then the catalogue order.
      return [sql`(${products.giStatus} = 'confirmed') desc`, asc(products.sku)]
  }
}

function cardColumns(today: string | ReturnType<typeof sql.placeholder>) {
  return {
    sku: products.sku,
    slug: products.slug,
    name: products.name,
    category: products.category,
    unit: products.unit,
    priceFen: products.priceFen,
    originCode: products.originCode,
    originName: regions.name,
    originParentName: parentRegion.name,
    cooperative: organizations.name,
    certified: certifiedOn(today),
    giStatus: products.giStatus,
    // One subselect per card, answered from the (product_id, position) index: no second query per product.
    coverFile: sql<string | null>`(
      select p.card_file from ${productPhotos} p where p.product_id = ${products.id} order by p.position limit 1)`,
  }
}

function toCard(row: {
  priceFen: bigint
  giStatus: string
  certified: unknown
  originCode: string
  coverFile: string | null
  [key: string]: unknown
}): ProductCard {
  const { giStatus, priceFen, certified, coverFile, ...rest } = row
  return {
    ...(rest as Omit<ProductCard, 'priceFen' | 'giConfirmed' | 'certified' | 'coverUrl'>),
    priceFen: Number(priceFen),
    certified: certified === true || certified === 't',
    giConfirmed: giStatus === 'confirmed',
    coverUrl: coverFile ? fileUrl(coverFile) : null,
  }
}

export async function listProducts(
  db: Db,
  filter: ProductFilter,
  paging: { page: number; pageSize: number },
  today: string,
): Promise<{ items: ProductCard[]; total: number }> {
  const where = filterConditions(filter, today)
  const base = () =>
    db
      .select(cardColumns(today))
      .from(products)
      .innerJoin(regions, eq(regions.code, products.originCode))
      .leftJoin(parentRegion, eq(parentRegion.code, regions.parentCode))
      .innerJoin(organizations, eq(organizations.id, products.orgId))
  const [rows, [totalRow]] = await Promise.all([
    base()
      .where(where)
      .orderBy(...orderFor(filter.sort))
      .limit(paging.pageSize)
      .offset((paging.page - 1) * paging.pageSize),
    db
      .select({ n: count() })
      .from(products)
      .innerJoin(regions, eq(regions.code, products.originCode))
      .leftJoin(parentRegion, eq(parentRegion.code, regions.parentCode))
      .innerJoin(organizations, eq(organizations.id, products.orgId))
      .where(where),
  ])
  return { items: rows.map(toCard), total: Number(totalRow?.n ?? 0) }
}

/** Cards for the given skus (search hits), active ones only, in no particular order. */
export async function listProductCardsBySku(
  db: Db,
  skus: readonly string[],
  today: string,
): Promise<ProductCard[]> {
  if (skus.length === 0) return []
  const rows = await db
    .select(cardColumns(today))
    .from(products)
    .innerJoin(regions, eq(regions.code, products.originCode))
    .leftJoin(parentRegion, eq(parentRegion.code, regions.parentCode))
    .innerJoin(organizations, eq(organizations.id, products.orgId))
    .where(and(inArray(products.sku, [...skus]), eq(products.status, 'active')))
  return rows.map(toCard)
}

/** Active products for the home page: round-robin over regions, so one county does not fill the page. */
export async function listFeaturedProducts(db: Db, limit: number, today: string): Promise<ProductCard[]> {
  const { items } = await listProducts(db, {}, { page: 1, pageSize: 500 }, today)
  const byCity = new Map<string, ProductCard[]>()
  for (const item of items) {
    const key = item.originCode.slice(0, 4)
    byCity.set(key, [...(byCity.get(key) ?? []), item])
  }
  const picked: ProductCard[] = []
  for (let round = 0; picked.length < limit; round++) {
    const before = picked.length
    for (const group of byCity.values()) {
      const item = group[round]
      if (item && picked.length < limit) picked.push(item)
    }
    if (picked.length === before) break
  }
  return picked
}

export async function countProductsByCategory(
  db: Db,
): Promise<Array<{ category: ProductCategory; count: number }>> {
  const rows = await db
    .select({ category: products.category, n: count() })
    .from(products)
    .where(eq(products.status, 'active'))
    .groupBy(products.category)
  const byCategory = new Map(rows.map((r) => [r.category, Number(r.n)]))
  return productCategories
    .map((category) => ({ category, count: byCategory.get(category) ?? 0 }))
    .filter((c) => c.count > 0)
}

export type RegionWithProducts = {
  code: string
  name: string
  level: 'province' | 'city' | 'county'
  parentCode: string | null
  productCount: number
}

/** Every province, city and county that has active products (with counts for its whole subtree). */
export async function listRegionsWithProducts(db: Db): Promise<RegionWithProducts[]> {
  const origins = await db
    .select({ code: products.originCode, n: count() })
    .from(products)
    .where(eq(products.status, 'active'))
    .groupBy(products.originCode)
  const counts = new Map<string, number>()
  for (const origin of origins) {
    const chain = new Set([`${origin.code.slice(0, 2)}0000`, `${origin.code.slice(0, 4)}00`, origin.code])
    for (const code of chain) counts.set(code, (counts.get(code) ?? 0) + Number(origin.n))
  }
  if (counts.size === 0) return []
  const rows = await db
    .select({ code: regions.code, name: regions.name, level: regions.level, parentCode: regions.parentCode })
    .from(regions)
    .where(inArray(regions.code, [...counts.keys()]))
    .orderBy(asc(regions.code))
  return rows.map((r) => ({ ...r, productCount: counts.get(r.code) ?? 0 }))
}

export type CertificationView = {
  number: string
  body: string
  validFrom: string
  validUntil: string
  reliefMode: string
  isDemo: boolean
  state: 'valid' | 'expired' | 'not_yet_valid'
}

export type ProductPage = ProductCard & {
  /** What the add-to-cart form posts. */
  id: string
  alias: string | null
  description: string
  stock: number
  minOrderQty: number
  tiers: Array<{ minQty: number; unitPriceFen: number }>
  origin: { code: string; name: string; chain: Array<{ code: string; name: string; level: string }> }
  cooperativeRegionCode: string
  base: { name: string; kind: string } | null
  certifications: CertificationView[]
  giStatus: string
  giDetail: string | null
  otherRecognition: string | null
  sourceIds: string[]
  isDemo: boolean
  /** The photos in order (the first is the cover), at page size (about 1200 px wide) and card size. */
  photos: Array<{ card: string; page: string; width: number; height: number }>
  /** What one unit at the list price credits, and to how many households (the product page's impact line). */
  impact: { perUnitFen: number; households: number } | null
  helpedBy: Array<{
    id: string
    helperName: string
    helperCode: string | null
    programme: string
    helpedName: string
  }>
}

/**
 * The product page's query, built and prepared once per database: it runs on every product view, and preparing it
 * spares both the query building here and the planning in PostgreSQL.
 */
const productPageQueries = new WeakMap<Db, ReturnType<typeof prepareProductPageQuery>>()

function prepareProductPageQuery(db: Db) {
  return db
    .select({
      ...cardColumns(sql.placeholder('today')),
      id: products.id,
      alias: products.alias,
      description: products.description,
      stock: products.stock,
      minOrderQty: products.minOrderQty,
      giDetail: products.giDetail,
      otherRecognition: products.otherRecognition,
      sourceIds: products.sourceIds,
      isDemo: products.isDemo,
      cooperativeRegionCode: organizations.regionCode,
      baseName: bases.name,
      baseKind: bases.kind,
      ruleKind: proceedsRules.kind,
      ruleBasisPoints: proceedsRules.basisPoints,
      ruleFenPerUnit: proceedsRules.fenPerUnit,
      tiers: sql<Array<{ minQty: number; unitPriceFen: number | string }>>`coalesce((
        select json_agg(json_build_object('minQty', t.min_qty, 'unitPriceFen', t.unit_price_fen) order by t.min_qty)
        from ${priceTiers} t where t.product_id = ${products.id}), '[]'::json)`,
      certificates: sql<
        Array<{
          number: string
          body: string
          validFrom: string
          validUntil: string
          reliefMode: string
          isDemo: boolean
        }>
      >`coalesce((
        select json_agg(json_build_object('number', c.number, 'body', c.body, 'validFrom', c.valid_from::text,
          'validUntil', c.valid_until::text, 'reliefMode', c.relief_mode, 'isDemo', c.is_demo)
          order by c.valid_until desc)
        from ${certifications} c where c.product_id = ${products.id}), '[]'::json)`,
      photos: sql<Array<{ card: string; page: string; width: number; height: number }>>`coalesce((
        select json_agg(json_build_object('card', p.card_file, 'page', p.page_file, 'width', p.width,
          'height', p.height) order by p.position)
        from ${productPhotos} p where p.product_id = ${products.id}), '[]'::json)`,
      households:
        sql<number>`(select count(*) from ${productBeneficiaries} b where b.product_id = ${products.id} and b.unlinked_at is null)`.mapWith(
          Number,
        ),
    })
    .from(products)
    .innerJoin(regions, eq(regions.code, products.originCode))
    .leftJoin(parentRegion, eq(parentRegion.code, regions.parentCode))
    .innerJoin(organizations, eq(organizations.id, products.orgId))
    .leftJoin(bases, eq(bases.id, products.baseId))
    .leftJoin(proceedsRules, eq(proceedsRules.productId, products.id))
    .where(and(eq(products.slug, sql.placeholder('slug')), eq(products.status, 'active')))
    .limit(1)
    .prepare('product_page')
}

export async function getProductPage(db: Db, slug: string, today: string): Promise<ProductPage | null> {
  // One round trip: tiers, certificates, photos and the household count come along as JSON; regions and pairings come
  // from the in-memory reference data.
  let query = productPageQueries.get(db)
  if (!query) {
    query = prepareProductPageQuery(db)
    productPageQueries.set(db, query)
  }
  const [[row], reference] = await Promise.all([query.execute({ slug, today }), referenceData(db)])
  if (!row) return null
  const chain = regionChain(reference, row.originCode)
  const chainCodes = chain.map((r) => r.code)
  const helpers = reference.pairings
    .filter((p) => chainCodes.includes(p.helpedCode))
    .sort((a, b) => b.helpedCode.localeCompare(a.helpedCode) || a.id.localeCompare(b.id))
    .map((p) => ({
      id: p.id,
      helperName: p.helperName,
      helperCode: p.helperCode,
      programme: p.programme,
      helpedName: reference.regions.get(p.helpedCode)?.name ?? p.helpedCode,
    }))
  const households = row.households
  const impact =
    row.ruleKind && households > 0
      ? {
          perUnitFen: Number(
            lineProceedsFen(
              proceedsRuleFromRow({
                kind: row.ruleKind,
                basisPoints: row.ruleBasisPoints,
                fenPerUnit: row.ruleFenPerUnit,
              }),
              { quantity: 1, amountFen: row.priceFen },
            ),
          ),
          households,
        }
      : null
  const card = toCard(row)
  return {
    ...card,
    id: row.id,
    alias: row.alias,
    description: row.description,
    stock: row.stock,
    minOrderQty: row.minOrderQty,
    tiers: row.tiers.map((t) => ({ minQty: Number(t.minQty), unitPriceFen: Number(t.unitPriceFen) })),
    origin: {
      code: row.originCode,
      name: row.originName,
      chain: chain.map((r) => ({ code: r.code, name: r.name, level: r.level })),
    },
    cooperativeRegionCode: row.cooperativeRegionCode,
    base: row.baseName && row.baseKind ? { name: row.baseName, kind: row.baseKind } : null,
    certifications: row.certificates.map((c) => ({
      ...c,
      state: today < c.validFrom ? 'not_yet_valid' : today > c.validUntil ? 'expired' : 'valid',
    })),
    giStatus: row.giStatus,
    giDetail: row.giDetail,
    otherRecognition: row.otherRecognition,
    sourceIds: row.sourceIds,
    isDemo: row.isDemo,
    photos: row.photos.map((p) => ({
      card: fileUrl(p.card),
      page: fileUrl(p.page),
      width: Number(p.width),
      height: Number(p.height),
    })),
    impact,
    helpedBy: helpers,
  }
}

/** True when the code names a region in the table (for validating `region=` filters). */
export async function regionExists(db: Db, code: string): Promise<boolean> {
  if (!isRegionCode(code)) return false
  const [row] = await db.select({ code: regions.code }).from(regions).where(eq(regions.code, code)).limit(1)
  return row !== undefined
}

export type ProductSearchResult =
  | { ok: true; items: ProductCard[]; total: number; page: number; pageSize: number }
  | { ok: false; error: { param: string; message: string } }

/** A validated listing query (see product-query.ts) run against the catalogue; an unknown region is an error. */
export async function findProducts(
  db: Db,
  query: ProductQuery,
  today: string,
  defaults: { pageSize: number },
): Promise<ProductSearchResult> {
  if (query.region && !(await regionExists(db, query.region))) {
    return {
      ok: false,
      error: { param: 'region', message: `region ${query.region} is not a known region code` },
    }
  }
  const page = query.page ?? 1
  const pageSize = query.pageSize ?? defaults.pageSize
  const filter: ProductFilter = {
    q: query.q,
    regionCode: query.region,
    category: query.category,
    certifiedOnly: query.certified === '1' || query.certified === 'true' || query.certified === 'on',
    minPriceFen: query.min === undefined ? undefined : yuanToFen(query.min),
    maxPriceFen: query.max === undefined ? undefined : yuanToFen(query.max),
    sort: query.sort,
  }
  const listing = await listProducts(db, filter, { page, pageSize }, today)
  return { ok: true, ...listing, page, pageSize }
}

/** The /products page: the listing plus what its filter controls offer. */
export async function browseProducts(db: Db, query: ProductQuery, today: string) {
  const [result, regionOptions, categories] = await Promise.all([
    findProducts(db, query, today, { pageSize: 24 }),
    listRegionsWithProducts(db),
    countProductsByCategory(db),
  ])
  return { result, regionOptions, categories }
}
