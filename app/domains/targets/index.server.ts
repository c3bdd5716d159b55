// The targets domain's public face (server-only): other domains, routes and scripts import from here, never from the files beside it.
export { getTargetDetail, listTargets } from './targets.server'
