// The catalog domain's public face: other domains, routes and scripts import from here, never from the files beside it.
export { productCategories, type ProductCategory, productSorts } from './constants'
export { type PriceTier, unitPriceFor } from './pricing'
export { parseProductQuery, type ProductQuery } from './product-query'
export { maxProductPhotos, type PhotoError } from './photos'
