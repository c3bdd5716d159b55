// The targets domain's public face (server-only): other domains, routes and scripts import from here, never from the files beside it.
export { getTargetDetail, listTargets } from './targets.server'
// Office dashboard and 公示 (issue 19).
export {
  type DashboardTable,
  dashboardTables,
  getPublicNotice,
  getTargetDashboard,
  listOfficeTargets,
  type OfficeTarget,
  type OfficeTargetGroup,
  type PublicNotice,
  type TargetDashboard,
  targetInJurisdiction,
} from './dashboard.server'
// Target tallies (decision 026): folded in by the background jobs, read by progress and the dashboard.
export { foldTargetTallies, readTallies, TALLY_TAIL_LIMIT } from './tallies.server'
// Office dashboard II (decision 024): office targets, created and edited by the office's admins.
export {
  createOfficeTarget,
  defaultPeriod,
  getTargetForEdit,
  type ParentChoice,
  parentChoices,
  type TargetEditView,
  type TargetSaveResult,
  updateOfficeTarget,
} from './target-edit.server'
