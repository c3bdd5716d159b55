import { parseWithZod } from '@conform-to/zod/v3'
import { z } from 'zod'
import type { MessageKey } from './i18n'

/**
 * The building blocks every form schema, route parameter and query string is parsed with, so that what reaches a
 * model is already free of control characters. PostgreSQL cannot store NUL in text at all (22021), and the other
 * C0/C1 controls (ESC, BEL, U+0085 …) have no place in a name, an address or a search term: they only break logs,
 * exports and terminals. Multi-line fields (textareas) keep their line breaks and tabs.
 */

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/
/** Line feed, carriage return (browsers send textarea lines as CRLF) and tab stay allowed in multi-line text. */
// eslint-disable-next-line no-control-regex -- as above
const CONTROL_EXCEPT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/

export function hasControlCharacters(value: string, options: { multiline?: boolean } = {}): boolean {
  return (options.multiline ? CONTROL_EXCEPT_LINES : CONTROL).test(value)
}

/** The message every field shows for a control character, whatever its form's own wording. */
export const controlCharactersMessage = 'form.controlCharacters' satisfies MessageKey

type TextMessages = {
  /** Missing, empty or only whitespace. */
  required?: string
  tooShort?: string
  tooLong?: string
  control?: string
}

type TextOptions = {
  /** Characters after trimming; required text needs at least one anyway. */
  min?: number
  max: number
  /** A textarea: line breaks and tabs are kept. */
  multiline?: boolean
  /** Issue messages: i18n keys, or the short codes of forms that map codes to keys themselves. */
  messages?: TextMessages
}

function textSchema({ min = 1, max, multiline = false, messages = {} }: TextOptions) {
  const required = messages.required ?? 'required'
  const control = messages.control ?? controlCharactersMessage
  // Surrounding whitespace goes first (a pasted trailing tab is harmless); control characters are reported before
  // length, because "too short" would be a misleading answer to "\u0000".
  return z
    .string({ required_error: required, invalid_type_error: required })
    .trim()
    .refine((value) => !hasControlCharacters(value, { multiline }), control)
    .pipe(lengthBetween(min, max, { ...messages, required }))
}

/** Empty is `required`, not also `tooShort`: one issue per problem. */
function lengthBetween(min: number, max: number, messages: TextMessages & { required: string }) {
  return z
    .string()
    .min(1, messages.required)
    .max(max, messages.tooLong ?? 'too_long')
    .refine((value) => value === '' || value.length >= min, messages.tooShort ?? messages.required)
}

/** Required single- or multi-line text: trimmed, no control characters, between `min` and `max` characters. */
export function text(options: TextOptions) {
  return textSchema(options)
}

const blankToUndefined = (value: unknown) =>
  value === null || (typeof value === 'string' && value.trim() === '') ? undefined : value

/** Like `text`, but empty or whitespace-only input (and a missing field) is `undefined`. */
export function optionalText(
  options: Omit<TextOptions, 'messages'> & { messages?: Omit<TextMessages, 'required'> },
) {
  return z.preprocess(blankToUndefined, textSchema(options).optional())
}

/**
 * A secret typed by a person (a password): never trimmed — spaces may be part of it — but free of control
 * characters like any other text.
 */
export function secret(options: { min?: number; max: number; messages?: TextMessages }) {
  const messages = options.messages ?? {}
  const required = messages.required ?? 'required'
  return z
    .string({ required_error: required, invalid_type_error: required })
    .refine((value) => !hasControlCharacters(value), messages.control ?? controlCharactersMessage)
    .pipe(lengthBetween(options.min ?? 1, options.max, { ...messages, required }))
}

/**
 * A dynamic URL segment (`:slug`, `:id`, `:token` …): `null` when it cannot name anything — missing, longer than
 * `max`, or holding a control character — so the route answers 404 without asking the database.
 */
export function routeParam(
  params: Record<string, string | undefined>,
  name: string,
  options: { max?: number; pattern?: RegExp } = {},
): string | null {
  const value = params[name]
  if (value === undefined || value === '' || value.length > (options.max ?? 200)) return null
  if (hasControlCharacters(value)) return null
  if (options.pattern && !options.pattern.test(value)) return null
  return value
}

/**
 * A free-text query parameter (a search term): trimmed, at most `max` characters, no control characters. Blank is
 * the empty string; the caller answers 400 on an issue.
 */
export function queryText(max: number) {
  return z.preprocess(
    (value) => (typeof value === 'string' ? value : ''),
    z
      .string()
      .trim()
      .refine((value) => !hasControlCharacters(value), 'must not contain control characters')
      .pipe(z.string().max(max, `must be at most ${max} characters`)),
  )
}

/** Problems by field: i18n keys, the first problem of each field — the shape of a form's reply (`fieldErrors`). */
export type FieldErrors<Field extends string = string> = Partial<Record<Field, string[]>>

/**
 * A domain operation checks its input again with the form's schema (scripts and tests call it without the form):
 * its problems in the same shape as the form's, so that the route hands them to `submission.reply({ fieldErrors })`
 * as they are. An issue inside a field (an array's element) counts for the field.
 */
export function fieldErrorsOf<Field extends string = string>(error: z.ZodError): FieldErrors<Field> {
  const errors: Record<string, string[]> = {}
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '')
    errors[field] ??= [issue.message]
  }
  return errors as FieldErrors<Field>
}

/**
 * The one way a submitted form is parsed, on the server (`parseForm` in form.server.ts) and in the browser (a
 * form's `onValidate`): conform's `parseWithZod` with the form's schema.
 *
 * Conform's automatic coercion is off. It rebuilds the schema to turn empty strings into `undefined`, which would
 * bypass the helpers above: "   " must be `required` (an i18n key), not zod's own "Required". Our schemas take
 * form values as they come — strings, empty or not, or missing.
 *
 * One message per field: the first problem (`text` reports control characters before length, so that is the one
 * a person must fix first), like the messages shown next to each field.
 */
export function parseSubmission<Schema extends z.ZodTypeAny>(
  payload: FormData | URLSearchParams,
  schema: Schema,
) {
  return parseWithZod(payload, {
    schema,
    disableAutoCoercion: true,
    formatError: (issues: z.ZodIssue[]) => issues.slice(0, 1).map((issue) => issue.message),
  })
}
