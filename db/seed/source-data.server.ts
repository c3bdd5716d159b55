import fs from 'node:fs'
import { z } from 'zod'
import { dbPath } from '../paths'

/**
 * The documented facts the seed starts from, copied verbatim from the project's research (see
 * db/seed/source/SOURCES.md for every source id). Parsed with zod so that an edit that breaks the shape fails
 * loudly instead of seeding half a table.
 */

const sourceDir = `${dbPath('seed', 'source')}/`

function readJson(name: string): unknown {
  return JSON.parse(fs.readFileSync(`${sourceDir}${name}`, 'utf8')) as unknown
}

const regionCn = z.object({
  code: z.string().regex(/^\d{6}$/),
  name: z.string().min(1),
  level: z.enum(['province', 'city', 'county']),
  parent: z.string().nullable(),
})

const taggedRegion = z.object({
  code: z.string(),
  name: z.string(),
  level: z.string(),
  tags: z.array(z.string()),
})

const side = z.object({
  name: z.string().min(1),
  code: z
    .string()
    .regex(/^\d{6}$/)
    .nullable(),
})

const pairing = z.object({
  id: z.string().min(1),
  helper: z.union([side, z.array(side).min(1)]),
  helped: side.extend({ code: z.string().regex(/^\d{6}$/) }),
  relation: z.string().min(1),
  since: z.string().optional(),
  period: z.string().optional(),
  confidence: z.string().min(1),
  facts: z.array(z.string()).default([]),
  notes: z.string().optional(),
  sources: z.array(z.string()).default([]),
})

const documentedTarget = z.object({
  id: z.string(),
  subject: z.string(),
  value: z.record(z.number()),
  value_text: z.string(),
  status: z.string(),
  related_documented_results: z.array(z.string()).default([]),
  sources: z.array(z.string()),
})

const product = z.object({
  id: z.string().regex(/^PRD\d{3}$/),
  name: z.string().min(1),
  alias: z.string().optional(),
  county_code: z.string().regex(/^\d{6}$/),
  county_name: z.string(),
  category: z.string(),
  unit: z.string().min(1),
  price_cny: z.object({
    min: z.number().positive(),
    max: z.number().positive(),
    per: z.string(),
    basis: z.string(),
  }),
  description: z.string(),
  geographical_indication: z.object({
    status: z.enum(['confirmed', 'reported', 'in_process', 'none_found', 'not_applicable']),
    detail: z.string().optional(),
  }),
  other_recognition: z.string().optional(),
  sources: z.array(z.string()),
})

export type SourceRegion = z.infer<typeof regionCn>
export type SourcePairing = z.infer<typeof pairing>
export type SourceProduct = z.infer<typeof product>
export type DocumentedTarget = z.infer<typeof documentedTarget>

export type SourceData = {
  regions: SourceRegion[]
  /** code → tags, from the demo's core region list. */
  regionTags: Map<string, string[]>
  pairings: SourcePairing[]
  documentedTargets: DocumentedTarget[]
  products: SourceProduct[]
}

let cached: SourceData | undefined

export function loadSourceData(): SourceData {
  if (cached) return cached
  const regionsCn = z.object({ regions: z.array(regionCn) }).parse(readJson('regions-cn.json'))
  const tagged = z.object({ regions: z.array(taggedRegion) }).parse(readJson('regions.json'))
  const pairingFile = z
    .object({
      east_west: z.object({
        city_level_and_other: z.array(pairing),
        fuzhou_to_dingxi_county_pairs: z.array(pairing),
      }),
      shanhai_xiezuo: z.object({ pairs: z.array(pairing) }),
      targets_and_results: z.array(documentedTarget),
    })
    .parse(readJson('pairings.json'))
  const productFile = z.object({ products: z.array(product) }).parse(readJson('products.json'))

  const regionTags = new Map<string, string[]>()
  // The core list also holds one town (a 9-digit statistical code): towns are not kept in the regions table.
  for (const r of tagged.regions) if (/^\d{6}$/.test(r.code)) regionTags.set(r.code, r.tags)

  cached = {
    regions: regionsCn.regions,
    regionTags,
    pairings: [
      ...pairingFile.east_west.city_level_and_other,
      ...pairingFile.east_west.fuzhou_to_dingxi_county_pairs,
      ...pairingFile.shanhai_xiezuo.pairs,
    ],
    documentedTargets: pairingFile.targets_and_results,
    products: productFile.products,
  }
  return cached
}
