// The operations domain's public face (server-only): other domains, routes and scripts import from here, never from the files beside it.
export { checkHealth } from './health.server'
export { runBackgroundJobs } from './jobs.server'
