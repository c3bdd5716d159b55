// The households domain's public face: other domains, routes and scripts import from here, never from the files beside it.
export {
  type HouseholdLinkage,
  householdLinkageOptions,
  householdSchema,
  linkHouseholdSchema,
  MAX_LINK_WEIGHT,
  percentToBasisPoints,
  proceedsRuleChoices,
  proceedsRuleSchema,
  reweighSchema,
  yuanToFen,
  type HouseholdStatus,
  householdStatusOptions,
  type HouseholdValues,
  maskHeadName,
  MAX_MEMBERS,
  MIN_MEMBERS,
  revealSchema,
} from './forms'
export {
  IMPORT_COLUMNS,
  type ImportColumn,
  type ImportJobState,
  type ImportProblem,
  MAX_IMPORT_ROWS,
} from './import'
export { lineProceedsFen, proceedsRuleFromRow } from './proceeds'
