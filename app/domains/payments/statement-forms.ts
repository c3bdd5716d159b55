import { z } from 'zod'

/**
 * Bank statement import (issue 18 item 5): the preview page's two forms — map the layout's columns (a select per
 * role, a column index or none) and confirm the matched lines. The upload itself is multipart and read by the
 * route with the upload reader.
 */
const column = (required: boolean) =>
  z.preprocess(
    (v) => (v === '' || v === undefined ? undefined : v),
    required
      ? z.coerce
          .number({ required_error: 'statement.map.required', invalid_type_error: 'statement.map.required' })
          .int('statement.map.required')
          .min(0, 'statement.map.required')
          .max(199, 'statement.map.required')
      : z.coerce.number().int().min(0).max(199).optional(),
  )

const mapIntent = z.object({
  intent: z.literal('map'),
  date: column(true),
  credit: column(true),
  reference: column(true),
  debit: column(false),
  payer: column(false),
  txnId: column(false),
})

export const statementForm = z
  .discriminatedUnion('intent', [mapIntent, z.object({ intent: z.literal('confirm') })])
  .superRefine((value, ctx) => {
    if (value.intent !== 'map') return
    const used = new Set<number>()
    for (const role of ['date', 'credit', 'reference', 'debit', 'payer', 'txnId'] as const) {
      const index = value[role]
      if (index === undefined) continue
      if (used.has(index))
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: [role], message: 'statement.map.twice' })
      used.add(index)
    }
  })
