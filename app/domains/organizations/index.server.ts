// The organizations domain's public face (server-only): other domains, routes and scripts import from here, never from the files beside it.
export {
  acceptInvitation,
  changeMemberRole,
  createInvitation,
  getInvitation,
  invitationNeedsInvitee,
  type InvitationState,
  isAdminRole,
  listMembers,
  listPendingInvitations,
  removeMember,
  revokeInvitation,
} from './memberships.server'
export {
  createOffice,
  listMyOrganizations,
  listOrganizationsForReview,
  type OrganizationForReview,
  type OrganizationStatus,
  registerOrganization,
  reviewOrganization,
} from './organizations.server'
export {
  type AdmissionActor,
  listSuppliersAwaitingRecommendation,
  listSuppliersAwaitingVerification,
  recommendSupplier,
  type RecommendSupplierResult,
  type SupplierCandidate,
  verifySupplier,
  type VerifySupplierResult,
} from './suppliers.server'
