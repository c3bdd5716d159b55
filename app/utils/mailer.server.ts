import { createMailer, type Mailer, smtpTransport } from '../services/mail/index.server'
import { getEnv } from './env.server'

let shared: Mailer | undefined

/**
 * The process's mailer, from the environment: SMTP for email when SMTP_URL is set; in demo mode the outbox
 * itself is a delivery (people read it at /admin/outbox), in production it is only a record.
 */
export function getMailer(): Mailer {
  if (shared) return shared
  const env = getEnv()
  shared = createMailer({
    outboxDelivers: env.APP_MODE === 'demo',
    transports: env.SMTP_URL ? { email: smtpTransport(env.SMTP_URL, env.MAIL_FROM) } : {},
    logError: (line) => console.error(`[${new Date().toISOString()}] ${line}`),
  })
  return shared
}
