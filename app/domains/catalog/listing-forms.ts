import { z } from 'zod'
import type { MessageKey } from '../../utils/i18n'
import { optionalText, text } from '../../utils/validation'
import { productCategories } from './constants'
import { optionalId, regionCodeField, wholeNumber, yuanAmount } from './form-fields'

/**
 * The listing form (a cooperative's product) and the review decision, shared by the server, which decides, and the
 * browser, which checks early. What needs the database — is the origin inside the cooperative's area, is the base
 * its own, is the SKU free — is checked by listings.server.ts, which parses its input with these same schemas.
 */

/** ¥1,000,000 a unit: far above any farm product, low enough that a slipped finger (an extra 000) is caught. */
export const MAX_PRICE_FEN = 100_000_000n
export const MAX_STOCK = 1_000_000
export const MAX_MIN_ORDER_QTY = 10_000
export const MAX_TIERS = 5

const SKU = /^[A-Z0-9][A-Z0-9_-]{1,31}$/

const priceMessages = {
  required: 'listing.error.price.required',
  invalid: 'listing.error.price.invalid',
  range: 'listing.error.price.range',
} as const satisfies Record<string, MessageKey>

const tierRow = z.object({
  minQty: wholeNumber(2, MAX_STOCK, {
    required: 'listing.error.tier.minQty.required',
    invalid: 'listing.error.tier.minQty.invalid',
    range: 'listing.error.tier.minQty.range',
  }),
  unitPrice: yuanAmount(MAX_PRICE_FEN, {
    required: 'listing.error.tier.price.required',
    invalid: 'listing.error.tier.price.invalid',
    range: 'listing.error.tier.price.range',
  }),
})

const blank = (value: unknown) => value === undefined || value === null || String(value).trim() === ''

/** Rows left entirely blank (a form shows a few empty ones) are not tiers. */
const tierRows = z.preprocess(
  (value) =>
    Array.isArray(value)
      ? value.filter(
          (row) =>
            row !== undefined &&
            row !== null &&
            !(
              typeof row === 'object' &&
              blank((row as { minQty?: unknown }).minQty) &&
              blank((row as { unitPrice?: unknown }).unitPrice)
            ),
        )
      : value === undefined || value === null || value === ''
        ? []
        : value,
  z
    .array(tierRow, { invalid_type_error: 'listing.error.tiers.invalid' })
    .max(MAX_TIERS, 'listing.error.tiers.tooMany'),
)

export type TierIssue = { index: number; field: 'minQty' | 'unitPrice'; message: MessageKey }

/**
 * Volume tiers must read as a discount schedule: quantities strictly increasing, unit prices never increasing, and
 * no tier dearer than the base price (a "discount" that costs more would be a trap for bulk buyers). The first
 * tier's quantity of at least 2 is the field's own range (the database checks it too: price_tiers_min_qty_check).
 */
export function tierIssues(
  basePriceFen: bigint,
  tiers: ReadonlyArray<{ minQty: number; unitPrice: bigint }>,
): TierIssue[] {
  const issues: TierIssue[] = []
  tiers.forEach((tier, index) => {
    const previous = tiers[index - 1]
    if (previous && tier.minQty <= previous.minQty)
      issues.push({ index, field: 'minQty', message: 'listing.error.tier.minQty.order' })
    if (tier.unitPrice > basePriceFen)
      issues.push({ index, field: 'unitPrice', message: 'listing.error.tier.price.aboveBase' })
    else if (previous && tier.unitPrice > previous.unitPrice)
      issues.push({ index, field: 'unitPrice', message: 'listing.error.tier.price.order' })
  })
  return issues
}

const listingFields = {
  name: text({
    min: 2,
    max: 60,
    messages: {
      required: 'listing.error.name.required',
      tooShort: 'listing.error.name.length',
      tooLong: 'listing.error.name.length',
    },
  }),
  category: z.enum(productCategories, {
    errorMap: () => ({ message: 'listing.error.category.required' satisfies MessageKey }),
  }),
  originCode: regionCodeField({
    required: 'listing.error.origin.required',
    invalid: 'listing.error.origin.unknown',
  }),
  unit: text({
    max: 10,
    messages: { required: 'listing.error.unit.required', tooLong: 'listing.error.unit.tooLong' },
  }),
  price: yuanAmount(MAX_PRICE_FEN, priceMessages),
  minOrderQty: wholeNumber(1, MAX_MIN_ORDER_QTY, {
    required: 'listing.error.minOrderQty.required',
    invalid: 'listing.error.minOrderQty.invalid',
    range: 'listing.error.minOrderQty.range',
  }),
  /** Printed in uppercase on labels and invoices, so lowercase input is normalised rather than stored twice. */
  sku: z
    .unknown()
    .transform((value) => (typeof value === 'string' ? value.trim().toUpperCase() : ''))
    .pipe(
      z
        .string()
        .min(1, 'listing.error.sku.required' satisfies MessageKey)
        .regex(SKU, 'listing.error.sku.format' satisfies MessageKey),
    ),
  description: optionalText({
    max: 2000,
    multiline: true,
    messages: { tooLong: 'listing.error.description.tooLong' },
  }).transform((value) => value ?? ''),
  baseId: optionalId('listing.error.base.unknown'),
  tiers: tierRows,
}

function withTierRules<T extends { price: bigint; tiers: Array<{ minQty: number; unitPrice: bigint }> }>(
  values: T,
  ctx: z.RefinementCtx,
) {
  // Runs only when every field parsed (see below): the prices and quantities are real numbers here.
  for (const issue of tierIssues(values.price, values.tiers))
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['tiers', issue.index, issue.field],
      message: issue.message,
    })
}

/** Only compare tiers once every field is valid: a field's own error is the one worth showing first. */
function fieldsValid(values: { price: unknown; tiers: unknown }): boolean {
  return (
    typeof values.price === 'bigint' &&
    Array.isArray(values.tiers) &&
    values.tiers.every(
      (t: { minQty?: unknown; unitPrice?: unknown }) =>
        typeof t?.minQty === 'number' && typeof t?.unitPrice === 'bigint',
    )
  )
}

/** A new listing: everything, its opening stock included (later stock changes are adjustments with a reason). */
export const newListingSchema = z
  .object({
    ...listingFields,
    stock: wholeNumber(0, MAX_STOCK, {
      required: 'listing.error.stock.required',
      invalid: 'listing.error.stock.invalid',
      range: 'listing.error.stock.range',
    }),
  })
  .superRefine((values, ctx) => {
    if (fieldsValid(values)) withTierRules(values, ctx)
  })
export type NewListingValues = z.output<typeof newListingSchema>

/** Editing a listing: the same fields but the stock, which changes only through a stock adjustment. */
export const listingSchema = z.object(listingFields).superRefine((values, ctx) => {
  if (fieldsValid(values)) withTierRules(values, ctx)
})
export type ListingValues = z.output<typeof listingSchema>

/** How the console's listing page filters by status. */
export const listingStatusFilters = ['all', 'draft', 'pending', 'active', 'rejected', 'archived'] as const
export type ListingStatusFilter = (typeof listingStatusFilters)[number]

export const reviewDecisions = ['approve', 'reject'] as const
export type ReviewDecision = (typeof reviewDecisions)[number]

/** A rejection carries a reason the cooperative can act on; an approval needs none. */
export const rejectionReasonSchema = z.object({
  reason: text({
    min: 2,
    max: 200,
    multiline: true,
    messages: {
      required: 'listing.error.reason.required',
      tooShort: 'listing.error.reason.length',
      tooLong: 'listing.error.reason.length',
    },
  }),
})

/** The review page's form: approve a pending listing, or reject it with a reason. */
export const reviewListingForm = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('approve'), productId: z.string().uuid() }),
  z.object({
    intent: z.literal('reject'),
    productId: z.string().uuid(),
    reason: rejectionReasonSchema.shape.reason,
  }),
])

/**
 * A price moved more than 30% (up or down) from the last approved price needs a reviewer again: exactly 30% does
 * not. Integer arithmetic, |new − approved| · 10 > approved · 3, so ¥100 → ¥130 stays and ¥100 → ¥130.01 does not.
 */
export function needsPriceReview(approvedPriceFen: bigint | null, newPriceFen: bigint): boolean {
  if (approvedPriceFen === null) return false
  const change =
    newPriceFen > approvedPriceFen ? newPriceFen - approvedPriceFen : approvedPriceFen - newPriceFen
  return change * 10n > approvedPriceFen * 3n
}

/** Fen as the price field shows it for editing: 1250n → "12.50" (what parseYuan reads back to the same fen). */
export function yuanInput(fen: bigint): string {
  return `${fen / 100n}.${(fen % 100n).toString().padStart(2, '0')}`
}
