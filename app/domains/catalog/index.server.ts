// The catalog domain's public face (server-only): other domains, routes and scripts import from here, never from the files beside it.
export {
  archiveBase,
  type BaseResult,
  type BaseView,
  createBase,
  listBases,
  updateBase,
} from './bases.server'
export {
  browseProducts,
  certifiedOn,
  countProductsByCategory,
  escapeLike,
  findProducts,
  getProductPage,
  listFeaturedProducts,
  listProductCardsBySku,
  listProducts,
  type ProductCard,
  type ProductSearchResult,
  regionExists,
  type RegionWithProducts,
} from './catalog.server'
export {
  addCertification,
  type AddCertificationResult,
  addDays,
  type CertificationRecord,
  type CertificationState,
  type ExpiringCertification,
  listCertifications,
  listExpiringCertifications,
  recordCertificationBoundaries,
} from './certifications.server'
export { actsForCooperative, baseRoles, listingRoles, type Seller, sellerFor } from './console-access.server'
export {
  archiveListing,
  type ArchiveListingResult,
  attentionStatuses,
  createListing,
  type CreateListingResult,
  getListingForEdit,
  type ListingActor,
  type ListingFailure,
  type ListingForEdit,
  listListingsNeedingAttention,
  listOwnListings,
  listReviewQueue,
  type OwnListing,
  type PendingBecause,
  type Reviewer,
  reviewListing,
  type ReviewListingResult,
  type ReviewQueueItem,
  submitListing,
  type SubmitListingResult,
  updateListing,
  type UpdateListingResult,
} from './listings.server'
export { getPairingPage, getRegionPage, type RegionPairing } from './place-pages.server'
export { recordProductChange } from './product-changes.server'
export { slugFromName } from './slugs'
export {
  adjustStock,
  type AdjustStockResult,
  listStockMovements,
  MAX_STOCK_LEVEL,
  type StockMovementView,
} from './stock.server'
export {
  addProductPhotos,
  listProductPhotos,
  type PhotoActor,
  type PhotoResult,
  type PhotoUpload,
  type PhotoView,
  removeProductPhoto,
  reorderProductPhotos,
  setProductCover,
} from './photos.server'
// The cooperative console's pages (H1): the cooperative acted for, and certificate evidence.
export { type ConsolePlace, type CoopConsole, getCoopConsole } from './console.server'
export {
  type EvidenceUpload,
  type OpenedEvidence,
  openEvidenceFile,
  storeEvidenceFile,
  type StoreEvidenceResult,
} from './evidence.server'
