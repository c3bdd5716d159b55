import { z } from 'zod'

const strictDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((v) => {
    const parsed = new Date(`${v}T00:00:00Z`)
    return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(v)
  })
const strictRegion = z.string().regex(/^[1-9]\d{5}$/)
const day = strictDay.optional().catch(undefined)
const region = strictRegion.optional().catch(undefined)

/**
 * The office dashboard's filters, read from the URL (a GET form): a period inside the target's and a helped county
 * or helping district. A filter people cannot have meant (a malformed date or code) is dropped rather than refused,
 * so a shared link with a typo still shows the target.
 */
export const dashboardFilters = z.object({ from: day, to: day, helped: region, helper: region })
export type DashboardFilters = z.infer<typeof dashboardFilters>

/** The tables an export may ask for (the dashboard's breakdowns). */
export const exportTables = [
  'byHelpedRegion',
  'byChannel',
  'byHelperRegion',
  'byBuyer',
  'byCategory',
  'byProduct',
] as const
/**
 * An export's query: the table and the dashboard's filters, as the dashboard's own links write them. A download
 * link is made by the page, never typed, so anything malformed is refused (400) rather than guessed at; no table
 * at all means the first (by helped county).
 */
export const exportQuery = z.object({
  // Office dashboard II: the units lagging on their reserved share are exported from the same link (decision 024).
  table: z.enum([...exportTables, 'laggingUnits']).default('byHelpedRegion'),
  from: strictDay.optional(),
  to: strictDay.optional(),
  helped: strictRegion.optional(),
  helper: strictRegion.optional(),
})
export type ExportQuery = z.infer<typeof exportQuery>
