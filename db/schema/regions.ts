import { sql } from 'drizzle-orm'
import { type AnyPgColumn, char, check, index, pgTable, text } from 'drizzle-orm/pg-core'

export const regionLevels = ['province', 'city', 'county'] as const
export type RegionLevel = (typeof regionLevels)[number]

/** Every province, city and county-level unit of mainland China (GB/T 2260). Subtree = code prefix. */
export const regions = pgTable(
  'regions',
  {
    code: char('code', { length: 6 }).primaryKey(),
    name: text('name').notNull(),
    level: text('level', { enum: regionLevels }).notNull(),
    parentCode: char('parent_code', { length: 6 }).references((): AnyPgColumn => regions.code),
    tags: text('tags')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
  },
  (t) => [
    index('regions_parent_code_idx').on(t.parentCode),
    check('regions_level_check', sql`${t.level} in ('province', 'city', 'county')`),
    check('regions_code_check', sql`${t.code} ~ '^[1-9][0-9]{5}$'`),
  ],
)

export const pairingProgrammes = ['东西部协作', '浙江山海协作', '对口支援', '对口帮扶', '闽宁协作'] as const
export type PairingProgramme = (typeof pairingProgrammes)[number]

/**
 * A documented helper → helped relation. The helper may be a functional zone without an administrative code
 * (helper_code null, name only); a helped county may have several helpers, one row each.
 */
export const pairings = pgTable(
  'pairings',
  {
    id: text('id').primaryKey(),
    helperCode: char('helper_code', { length: 6 }).references(() => regions.code),
    helperName: text('helper_name').notNull(),
    helpedCode: char('helped_code', { length: 6 })
      .notNull()
      .references(() => regions.code),
    programme: text('programme', { enum: pairingProgrammes }).notNull(),
    relationText: text('relation_text').notNull(),
    sinceText: text('since_text'),
    confidence: text('confidence').notNull(),
    facts: text('facts')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    notes: text('notes'),
    sourceIds: text('source_ids')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
  },
  (t) => [
    index('pairings_helped_code_idx').on(t.helpedCode),
    index('pairings_helper_code_idx').on(t.helperCode),
  ],
)
