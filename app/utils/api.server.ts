/**
 * The public JSON API's envelope: open CORS (mini-programs and office systems read it from anywhere), no caching
 * surprises, and one error shape — `{"error":{"param":…,"message":…}}` — naming the parameter at fault.
 */
const apiHeaders = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
  'Cache-Control': 'public, max-age=60',
}

export function apiJson(data: unknown, init: { status?: number } = {}): Response {
  return Response.json(data, { status: init.status ?? 200, headers: apiHeaders })
}

export function apiError(status: number, param: string | null, message: string): Response {
  return Response.json(
    { error: { param, message } },
    { status, headers: { ...apiHeaders, 'Cache-Control': 'no-store' } },
  )
}

/** The API is read-only: preflight gets its CORS answer, anything else a 405 in the usual shape. */
export function apiMethodNotAllowed(request: Request): Response {
  if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: apiHeaders })
  return apiError(405, null, `${request.method} is not supported: this API is read-only`)
}
