// The search domain's public face: other domains, routes and scripts import from here, never from the files beside it.
export { parseSearchParams } from './search-query'
