// The organizations domain's public face: other domains, routes and scripts import from here, never from the files beside it.
export {
  acceptInvitationForm,
  membersForm,
  type MembersIntent,
  type OfficeField,
  officeSchema,
  registrableKinds,
  type RegistrationField,
  registrationSchema,
  reviewForm,
  reviewStatuses,
  type ReviewStatusFilter,
  supplierAdmissionForm,
} from './forms'
