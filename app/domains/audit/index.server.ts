// The audit domain's public face (server-only): other domains, routes and scripts import from here, never from the files beside it.
export {
  AUDIT_CHAIN,
  type AuditAction,
  auditActions,
  type AuditEventInput,
  auditEventPayload,
  type AuditRowContent,
  auditSubjectTypes,
  getAuditLogPage,
  maskLoginIdentifier,
  recordAuditEvent,
  verifyAuditChain,
} from './audit.server'
