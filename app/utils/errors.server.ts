/**
 * The one way an error is written to a log: the Remix error hook (app/entry.server.tsx), the Express app's last
 * error handler (server/app.ts), server.ts and the job loop all describe errors with it.
 *
 * drizzle wraps a failed statement as "Failed query: <sql>\nparams: <values>" — values that include password
 * hashes, emails and tokens — and PostgreSQL's `detail` repeats them ("Key (email)=(…) already exists"). Here a
 * database error is its statement text, its SQLSTATE and PostgreSQL's message; the values appear only when
 * LOG_SQL=1, where every statement is logged with its parameters anyway.
 */

type ErrorLike = {
  name?: unknown
  message?: unknown
  stack?: unknown
  cause?: unknown
  code?: unknown
  detail?: unknown
  query?: unknown
  params?: unknown
}

const SQLSTATE = /^[0-9A-Z]{5}$/

function isObject(value: unknown): value is ErrorLike {
  return typeof value === 'object' && value !== null
}

/** drizzle's DrizzleQueryError, recognised by shape (the Remix build and the server load separate copies). */
function isFailedQuery(error: ErrorLike): error is ErrorLike & { query: string; params: unknown[] } {
  return typeof error.query === 'string' && Array.isArray(error.params)
}

/** PostgreSQL quotes the offending input at the end of some messages: `invalid input syntax for type uuid: "…"`. */
function withoutQuotedInput(message: string): string {
  return message.replace(/: ".*"$/s, ': "…"')
}

function describeOne(error: unknown, sqlParams: boolean): string {
  if (!isObject(error)) return String(error)
  const name = typeof error.name === 'string' && error.name !== '' ? error.name : 'Error'
  const message = typeof error.message === 'string' ? error.message : String(error)
  // The driver's error (PGlite's carries the query and its parameters too): SQLSTATE and PostgreSQL's message.
  if (typeof error.code === 'string' && SQLSTATE.test(error.code)) {
    const detail = sqlParams && typeof error.detail === 'string' ? ` (${error.detail})` : ''
    return `SQLSTATE ${error.code}: ${sqlParams ? message : withoutQuotedInput(message)}${detail}`
  }
  if (isFailedQuery(error)) {
    const params = sqlParams ? `\nparams: ${JSON.stringify(error.params)}` : ''
    return `${name}: Failed query: ${error.query}${params}`
  }
  return `${name}: ${message}`
}

/** The stack's frames only: its first lines repeat the message, which for drizzle carries the parameters. */
function stackFrames(error: unknown): string {
  if (!isObject(error) || typeof error.stack !== 'string') return ''
  const frames = error.stack.split('\n').filter((line) => /^\s+at /.test(line))
  return frames.length > 0 ? `\n${frames.join('\n')}` : ''
}

export function describeError(
  error: unknown,
  options: { sqlParams?: boolean; stack?: boolean } = {},
): string {
  const sqlParams = options.sqlParams ?? false
  const lines = [describeOne(error, sqlParams)]
  let cause = isObject(error) ? error.cause : undefined
  for (let depth = 0; depth < 5 && cause !== undefined && cause !== null; depth++) {
    lines.push(`  caused by ${describeOne(cause, sqlParams)}`)
    cause = isObject(cause) ? cause.cause : undefined
  }
  return lines.join('\n') + (options.stack === false ? '' : stackFrames(error))
}
