// The regions domain's public face (server-only): other domains, routes and scripts import from here, never from the files beside it.
export { helped, listPairings, type PairingSummary, productCountIn } from './pairings.server'
export {
  loadReferenceData,
  type PairingRecord,
  placeableRegion,
  referenceData,
  type ReferenceData,
  regionChain,
  regionChainCodes,
} from './reference-data.server'
export { listChildRegions, type RegionSummary } from './regions.server'
