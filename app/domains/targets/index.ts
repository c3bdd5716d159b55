// The targets domain's public face (client-safe): rules pages and components share with the server.
export { headlineTarget, periodElapsedBp } from './pace'
// Office dashboard and 公示 (issue 19).
export {
  dashboardFilters,
  type DashboardFilters,
  exportQuery,
  type ExportQuery,
  exportTables,
} from './dashboard-forms'
// Office dashboard II (decision 024): the office's target form.
export {
  buyerChannelsOf,
  choicesOfChannels,
  editTargetForm,
  newTargetForm,
  targetChannelChoices,
  type TargetChannelChoice,
  type TargetField,
  type TargetFormValues,
} from './target-forms'
