import { z } from 'zod'

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine(
    (v) =>
      !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
  )
  .optional()
  .catch(undefined)
const region = z
  .string()
  .regex(/^[1-9]\d{5}$/)
  .optional()
  .catch(undefined)

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
export const exportQuery = dashboardFilters.extend({
  table: z.enum(exportTables).catch('byHelpedRegion'),
})
export type ExportQuery = z.infer<typeof exportQuery>
