// The search domain's public face (server-only): other domains, routes and scripts import from here, never from the files beside it.
export {
  applySearchOutbox,
  buildSearchIndex,
  findProductsForApi,
  rebuildSearchIndexIfFailed,
  recordProductChange,
  searchCatalog,
  searchHealth,
  suggestProducts,
} from './search.server'
