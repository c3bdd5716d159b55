/**
 * The one way a loader or action stops with an HTTP error (Epic Stack's `invariantResponse` shape): when the
 * condition fails, the response is thrown and Remix answers with it (the route's error boundary shows it on a page).
 * The message is plain text for whoever reads the raw answer (a script, a log); pages say it in their own words.
 *
 *   invariantResponse(order, '订单不存在 / Order not found', { status: 404 })
 *
 * 400 unless `init` says otherwise. TypeScript narrows the condition afterwards.
 */
export function invariantResponse(
  condition: unknown,
  message: string,
  init: ResponseInit = {},
): asserts condition {
  if (condition) return
  const headers = new Headers(init.headers)
  if (!headers.has('Content-Type')) headers.set('Content-Type', 'text/plain; charset=utf-8')
  throw new Response(message, { ...init, status: init.status ?? 400, headers })
}
