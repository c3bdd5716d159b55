import { asc, is } from 'drizzle-orm'
import { PgTransaction } from 'drizzle-orm/pg-core'
import type { Db } from '../../../db/client.server'
import { pairings, regions } from '../../../db/schema/regions'

/**
 * Regions and pairings change only with a release (migration or seed), yet nearly every storefront page reads
 * them. They are loaded once per database per process and served from memory (≈3,400 small rows).
 */
export type RegionRecord = {
  code: string
  name: string
  level: 'province' | 'city' | 'county'
  parentCode: string | null
}
export type PairingRecord = {
  id: string
  programme: string
  helperName: string
  helperCode: string | null
  helpedCode: string
}
export type ReferenceData = { regions: Map<string, RegionRecord>; pairings: PairingRecord[] }

const cache = new WeakMap<Db, Promise<ReferenceData>>()

/**
 * The regions and pairings of `db`, loaded on first use and then served from memory. Takes the application's
 * database, never a transaction: the cache is keyed by the object, and a transaction is a new object each time —
 * it would reload everything under the transaction's locks, every time. Reference data changes only with a
 * release, so reading it before the transaction begins is always right (or, once, loadReferenceData).
 */
export function referenceData(db: Db): Promise<ReferenceData> {
  if (is(db, PgTransaction))
    throw new TypeError('referenceData takes the database, not a transaction: read it before the transaction')
  let loaded = cache.get(db)
  if (!loaded) {
    loaded = loadReferenceData(db)
    // A failed load is not cached: the next request tries again.
    loaded.catch(() => cache.delete(db))
    cache.set(db, loaded)
  }
  return loaded
}

/** Reads the regions and pairings now, uncached: for work that runs once inside its own transaction (the seed). */
export async function loadReferenceData(db: Db): Promise<ReferenceData> {
  const [regionRows, pairingRows] = await Promise.all([
    db
      .select({
        code: regions.code,
        name: regions.name,
        level: regions.level,
        parentCode: regions.parentCode,
      })
      .from(regions),
    db
      .select({
        id: pairings.id,
        programme: pairings.programme,
        helperName: pairings.helperName,
        helperCode: pairings.helperCode,
        helpedCode: pairings.helpedCode,
      })
      .from(pairings)
      .orderBy(asc(pairings.helpedCode), asc(pairings.id)),
  ])
  return { regions: new Map(regionRows.map((r) => [r.code, r])), pairings: pairingRows }
}

/** Codes from the province down to the region itself: 621126 → 620000, 621100, 621126. */
export function regionChainCodes(code: string): string[] {
  return [...new Set([`${code.slice(0, 2)}0000`, `${code.slice(0, 4)}00`, code])]
}

/** The region and its ancestors, province first: 621126 → 甘肃省, 定西市, 岷县. */
export function regionChain(data: ReferenceData, code: string): RegionRecord[] {
  return regionChainCodes(code)
    .map((c) => data.regions.get(c))
    .filter((r): r is RegionRecord => r !== undefined)
}

/**
 * Whether a code is precise enough to place an address or an organisation: a county-level unit, or a city that
 * has no counties (东莞市 441900). A province or an ordinary city is too coarse for reports by county (and for a
 * delivery). 'unknown': no such region.
 */
export function placeableRegion(data: ReferenceData, code: string): 'ok' | 'unknown' | 'too_coarse' {
  const region = data.regions.get(code)
  if (!region) return 'unknown'
  if (region.level === 'province') return 'too_coarse'
  for (const other of data.regions.values()) if (other.parentCode === code) return 'too_coarse'
  return 'ok'
}
