// The accounts domain's public face (server-only): other domains, routes and scripts import from here, never from the files beside it.
export { changePassword, logIn, parseLoginIdentifier, signUp } from './auth.server'
export {
  clearSessionCookie,
  readSessionToken,
  SESSION_COOKIE,
  sessionCookie,
  sessionPolicy,
} from './session-cookie.server'
export {
  createSession,
  hashSessionToken,
  markSessionsForRotation,
  type MembershipView,
  type RequestAuth,
  resolveSession,
  revokeOtherSessions,
  revokeSession,
  switchActiveOrganization,
} from './sessions.server'
export { completeSignIn } from './sign-in.server'
