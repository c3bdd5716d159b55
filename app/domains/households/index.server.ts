// The households domain's public face (server-only): other domains, routes and scripts import from here, never from the files beside it.
export { hasBeneficiaries } from './proceeds.server'
export {
  createHousehold,
  deactivateHousehold,
  getHousehold,
  type HouseholdForEdit,
  type HouseholdResult,
  type HouseholdView,
  listHouseholds,
  revealHouseholdId,
  type RevealResult,
  ROSTER_PAGE_SIZE,
  type RosterPage,
  type RosterPlace,
  updateHousehold,
} from './roster.server'
export {
  checkHouseholdFile,
  getImportJob,
  householdTemplate,
  type ImportJobView,
  type ImportPreview,
  previewHouseholdImport,
  startHouseholdImport,
  type StartImportResult,
} from './import.server'
export {
  getProductBeneficiaries,
  linkHousehold,
  type ProceedsChangeResult,
  type ProductBeneficiariesView,
  reweighHousehold,
  type RuleView,
  setProceedsRule,
  unlinkHousehold,
} from './proceeds-rules.server'
