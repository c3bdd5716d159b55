import { z } from 'zod'
import { stockAdjustmentKinds } from './constants'
import { optionalText } from '../../utils/validation'
import { oneOf, wholeNumber } from './form-fields'

/**
 * A stock adjustment as a cooperative enters it: 入库 (restock) adds, 损耗 (loss) takes away, 盘点 (stocktake) is
 * the count on the shelf. A count of 0 is a real count; adding or losing nothing is no adjustment at all.
 */
export const MAX_ADJUSTMENT = 1_000_000

export const stockAdjustmentSchema = z
  .object({
    kind: oneOf(stockAdjustmentKinds, 'stock.error.kind.required'),
    quantity: wholeNumber(0, MAX_ADJUSTMENT, {
      required: 'stock.error.quantity.required',
      invalid: 'stock.error.quantity.invalid',
      range: 'stock.error.quantity.range',
    }),
    note: optionalText({ max: 200, messages: { tooLong: 'stock.error.note.tooLong' } }).transform(
      (value) => value ?? '',
    ),
  })
  .superRefine((values, ctx) => {
    // Only once both fields are valid; a stocktake may count zero.
    if (
      typeof values.quantity === 'number' &&
      (values.kind === 'restock' || values.kind === 'loss') &&
      values.quantity === 0
    )
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['quantity'], message: 'stock.error.quantity.range' })
  })
export type StockAdjustmentValues = z.output<typeof stockAdjustmentSchema>
