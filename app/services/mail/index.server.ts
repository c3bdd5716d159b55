// Telling people things: the outbox every message goes through, and the transports that deliver it.
export {
  createMailer,
  type Mailer,
  OUTBOX_RETENTION_DAYS,
  type OutboundMessage,
  type OutboxPage,
  purgeOutbox,
  smtpTransport,
  type Transport,
} from './mail.server'
export { listOutbox } from './outbox.server'
