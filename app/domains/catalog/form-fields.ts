import { z } from 'zod'
import type { MessageKey } from '../../utils/i18n'
import { parseYuan } from '../../utils/money'
import { controlCharactersMessage, hasControlCharacters } from '../../utils/validation'

/**
 * Field parsers the cooperative console's forms share (listings, stock, certifications, bases). Every issue message
 * is an i18n key, shown next to its field. Numbers arrive as typed text: they are read as digits only, never through
 * a float (`Number("1e3")` is 1000, `Number(" ")` is 0 — neither is what a person meant).
 */

/** The errors of a form: conform-style field paths ('sku', 'tiers[1].unitPrice') → message keys. */
export type FormErrors = Record<string, MessageKey[]>

export type Parsed<T> = { ok: true; data: T } | { ok: false; errors: FormErrors }

/** ['tiers', 1, 'unitPrice'] → 'tiers[1].unitPrice' (the names conform gives nested fields). */
export function fieldPath(path: ReadonlyArray<string | number>): string {
  return path.reduce<string>(
    (name, part) => (typeof part === 'number' ? `${name}[${part}]` : name === '' ? part : `${name}.${part}`),
    '',
  )
}

/** Parses form values with a schema: the values, or the first message per field. */
export function parseForm<S extends z.ZodTypeAny>(schema: S, input: unknown): Parsed<z.output<S>> {
  const parsed = schema.safeParse(input)
  if (parsed.success) return { ok: true, data: parsed.data as z.output<S> }
  const errors: FormErrors = {}
  for (const issue of parsed.error.issues) {
    const name = fieldPath(issue.path) || 'form'
    errors[name] ??= [issue.message as MessageKey]
  }
  return { ok: false, errors }
}

/** One error, for the checks a schema cannot make (the database's). */
export function formError(field: string, message: MessageKey): { ok: false; errors: FormErrors } {
  return { ok: false, errors: { [field]: [message] } }
}

function typed(value: unknown): string | null {
  if (typeof value === 'string') return value.trim()
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value)
  return value === undefined || value === null ? '' : null
}

/** A whole number typed into a field: digits only, between `min` and `max`. */
export function wholeNumber(
  min: number,
  max: number,
  messages: { required: MessageKey; invalid: MessageKey; range: MessageKey },
) {
  return z.unknown().transform((value, ctx): number => {
    const raw = typed(value)
    if (raw === '') return fail(ctx, messages.required)
    if (raw === null || !/^\d+$/.test(raw)) return fail(ctx, messages.invalid)
    // More digits than the largest bound has cannot be in range (and would not survive Number()).
    if (raw.replace(/^0+(?=\d)/, '').length > String(max).length) return fail(ctx, messages.range)
    const n = Number(raw)
    return n < min || n > max ? fail(ctx, messages.range) : n
  })
}

/**
 * A price typed in yuan ("12.5", "¥1,280", "0.01") → integer fen, with parseYuan's rules: at most two decimals, no
 * exponent, no sign. Only text: a JavaScript number is already a float and is refused.
 */
export function yuanAmount(
  maxFen: bigint,
  messages: { required: MessageKey; invalid: MessageKey; range: MessageKey },
) {
  return z.unknown().transform((value, ctx): bigint => {
    if (value === undefined || value === null) return fail(ctx, messages.required)
    if (typeof value !== 'string') return fail(ctx, messages.invalid)
    const raw = value.trim()
    if (raw === '') return fail(ctx, messages.required)
    if (hasControlCharacters(raw)) return fail(ctx, controlCharactersMessage)
    const fen = parseYuan(raw)
    if (fen === null) return fail(ctx, messages.invalid)
    return fen <= 0n || fen > maxFen ? fail(ctx, messages.range) : fen
  })
}

/** A calendar date as YYYY-MM-DD (what `<input type="date">` sends) that exists: 2026-02-30 does not. */
export function calendarDate(messages: { required: MessageKey; invalid: MessageKey }) {
  return z.unknown().transform((value, ctx): string => {
    const raw = typeof value === 'string' ? value.trim() : ''
    if (raw === '') return fail(ctx, messages.required)
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw)
    if (!match) return fail(ctx, messages.invalid)
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
    const date = new Date(Date.UTC(year, month - 1, day))
    const real =
      year >= 2000 &&
      year <= 2100 &&
      date.getUTCFullYear() === year &&
      date.getUTCMonth() === month - 1 &&
      date.getUTCDate() === day
    return real ? raw : fail(ctx, messages.invalid)
  })
}

/** One of a fixed list; anything else (missing included) is `message`. */
export function oneOf<T extends readonly [string, ...string[]]>(values: T, message: MessageKey) {
  return z.unknown().transform((value, ctx): T[number] => {
    const raw = typeof value === 'string' ? value.trim() : value
    return typeof raw === 'string' && (values as readonly string[]).includes(raw)
      ? (raw as T[number])
      : fail(ctx, message)
  })
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** An optional choice of a row (a base): blank is none; anything but a uuid is `message`. */
export function optionalId(message: MessageKey) {
  return z.unknown().transform((value, ctx): string | null => {
    const raw = typeof value === 'string' ? value.trim() : value
    if (raw === undefined || raw === null || raw === '') return null
    return typeof raw === 'string' && UUID.test(raw) ? raw.toLowerCase() : fail(ctx, message)
  })
}

/** A region code as the pickers send it; whether it exists and where it lies is the database's to say. */
export function regionCodeField(messages: { required: MessageKey; invalid: MessageKey }) {
  return z.unknown().transform((value, ctx): string => {
    const raw = typeof value === 'string' ? value.trim() : ''
    if (raw === '') return fail(ctx, messages.required)
    return /^[1-9]\d{5}$/.test(raw) ? raw : fail(ctx, messages.invalid)
  })
}

function fail(ctx: z.RefinementCtx, message: MessageKey): never {
  ctx.addIssue({ code: z.ZodIssueCode.custom, message })
  return z.NEVER
}
