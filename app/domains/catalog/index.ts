// The catalog domain's public face: other domains, routes and scripts import from here, never from the files beside it.
export { baseSchema, type BaseValues } from './base-forms'
export { certificationSchema, type CertificationValues } from './certification-forms'
export {
  type BaseKind,
  baseKinds,
  productCategories,
  type ProductCategory,
  productSorts,
  type ReliefMode,
  reliefModes,
  type StockAdjustmentKind,
  stockAdjustmentKinds,
} from './constants'
export { fieldPath, type FormErrors, parseForm } from './form-fields'
export {
  listingSchema,
  type ListingStatusFilter,
  listingStatusFilters,
  type ListingValues,
  MAX_MIN_ORDER_QTY,
  MAX_PRICE_FEN,
  MAX_STOCK,
  MAX_TIERS,
  needsPriceReview,
  newListingSchema,
  type NewListingValues,
  rejectionReasonSchema,
  type ReviewDecision,
  reviewDecisions,
  reviewListingForm,
  tierIssues,
  yuanInput,
} from './listing-forms'
export { type PriceTier, unitPriceFor } from './pricing'
export { parseProductQuery, type ProductQuery } from './product-query'
export { MAX_ADJUSTMENT, stockAdjustmentSchema, type StockAdjustmentValues } from './stock-forms'
export { maxProductPhotos, type PhotoError } from './photos'
