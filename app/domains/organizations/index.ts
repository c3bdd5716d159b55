// The organizations domain's public face: other domains, routes and scripts import from here, never from the files beside it.
export {
  errorMessageKey,
  type FieldErrors,
  type OfficeField,
  officeSchema,
  parseWith,
  registrableKinds,
  type RegistrationField,
  registrationSchema,
  reviewStatuses,
  type ReviewStatusFilter,
} from './forms'
