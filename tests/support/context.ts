import type { AppLoadContext } from '@remix-run/node'
import type { RequestAuth } from '../../app/domains/accounts/sessions.server'

/** The load context server.ts would build, for calling loaders and actions directly in integration tests. */
export function testContext(
  overrides: Partial<AppLoadContext> & { auth?: RequestAuth | null } = {},
): AppLoadContext {
  return { cspNonce: '', auth: null, sessionToken: null, clientIp: '127.0.0.1', ...overrides }
}
