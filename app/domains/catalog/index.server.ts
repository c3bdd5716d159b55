// The catalog domain's public face (server-only): other domains, routes and scripts import from here, never from the files beside it.
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
export { getPairingPage, getRegionPage, type RegionPairing } from './place-pages.server'
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
export { recordProductChange } from './product-changes.server'
