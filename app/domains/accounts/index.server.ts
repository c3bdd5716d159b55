// The accounts domain's public face (server-only): other domains, routes and scripts import from here, never from the files beside it.
export { changePasswordAndRotate, logIn, parseLoginIdentifier, signUp } from './auth.server'
export {
  clearSessionCookie,
  readSessionToken,
  SESSION_COOKIE,
  sessionCookieHeader,
  sessionPolicy,
} from './session-cookie.server'
export {
  createSession,
  hashSessionToken,
  markSessionsForRotation,
  type MembershipView,
  type RequestAuth,
  resolveSession,
  revokeSession,
  switchActiveOrganization,
} from './sessions.server'
export {
  type CodeResetResult,
  type CompleteResetResult,
  RESET,
  requestPasswordReset,
  type RequestResetResult,
  resetLinkIsValid,
  type ResetMessageText,
  resetPasswordWithCode,
  resetPasswordWithLink,
} from './password-reset.server'
export { completeSignIn } from './sign-in.server'
