import { PassThrough } from 'node:stream'
import {
  createReadableStreamFromReadable,
  type AppLoadContext,
  type EntryContext,
  type HandleErrorFunction,
} from '@remix-run/node'
import { isRouteErrorResponse, RemixServer } from '@remix-run/react'
import { isbot } from 'isbot'
import { renderToPipeableStream } from 'react-dom/server'
import { getEnv } from './utils/env.server'
import { describeError } from './utils/errors.server'
import { localeOf, messagesOf } from './utils/i18n.server'
import { PageLanguageProvider } from './utils/locale'
import { NonceProvider } from './utils/nonce'

const ABORT_DELAY_MS = 5_000

export const streamTimeout = ABORT_DELAY_MS

/** Real errors, once each, without statement parameters (describeError). */
function logError(error: unknown) {
  console.error(describeError(error, { sqlParams: getEnv().LOG_SQL }))
}

/** Log real errors once; a 404 or a request the client aborted is not an error of ours. */
export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted) return
  if (isRouteErrorResponse(error) && error.status < 500) return
  logError(error)
}

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  // Read here, not in the root loader: an error page rendered before any loader ran speaks the visitor's language
  // too. The browser loads the same catalogue (entry.client.tsx reads it back from <html lang>).
  const locale = await localeOf(request)
  const nonce = typeof loadContext.cspNonce === 'string' ? loadContext.cspNonce : ''
  // Crawlers and no-JS clients get the whole document at once; browsers get the shell as soon as it is ready.
  const readyEvent = isbot(request.headers.get('user-agent') ?? '') ? 'onAllReady' : 'onShellReady'
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <PageLanguageProvider value={{ locale, messages: messagesOf(locale) }}>
          <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY_MS} nonce={nonce} />
        </PageLanguageProvider>
      </NonceProvider>,
      {
        nonce,
        [readyEvent]() {
          shellRendered = true
          const body = new PassThrough()
          responseHeaders.set('Content-Type', 'text/html; charset=utf-8')
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          )
          pipe(body)
        },
        onShellError(error: unknown) {
          reject(error)
        },
        onError(error: unknown) {
          responseStatusCode = 500
          // Errors after the shell are already in the stream; log them once here.
          if (shellRendered) logError(error)
        },
      },
    )
    setTimeout(abort, ABORT_DELAY_MS + 1_000)
  })
}
