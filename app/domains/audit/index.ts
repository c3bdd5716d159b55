// The audit domain's public face for the browser too: how an event's details read.
export { type AuditDetailLine, type AuditDetailValue, describeAuditDetails } from './details'
