import { z } from 'zod'
import type { MessageKey } from '../../utils/i18n'
import { isValidUscc } from '../../utils/uscc'
import { controlCharactersMessage, text as textField } from '../../utils/validation'

/**
 * The organisation forms (registration, review, new office), shared by the server, which decides, and the browser,
 * which checks early and shows the same messages. Issues carry short error codes ('required', 'checksum', 'taken'
 * …); `errorMessageKey` turns a field's code into the message shown next to that field.
 *
 * What needs the database (does the region exist, has it children, is the credit code taken) is checked by the
 * model in organizations.server.ts beside them, which parses its input with these same schemas.
 */

/** Kinds a user may register themselves. Offices are created by platform admins; the platform is seeded. */
export const registrableKinds = ['gov_unit', 'trade_union', 'enterprise', 'cooperative'] as const
export type RegistrableKind = (typeof registrableKinds)[number]

export const reviewStatuses = ['pending', 'verified', 'rejected', 'all'] as const
export type ReviewStatusFilter = (typeof reviewStatuses)[number]

export type FieldErrors<F extends string> = Partial<Record<F, string>>

/** Empty and whitespace-only inputs count as missing, so that "required" wins over "too short". */
function text(min: number, max: number, options: { multiline?: boolean } = {}) {
  return textField({
    min,
    max,
    multiline: options.multiline,
    messages: { required: 'required', tooShort: 'too_short', tooLong: 'too_long', control: 'control' },
  })
}

const regionCode = z
  .string({ required_error: 'required', invalid_type_error: 'required' })
  .trim()
  .min(1, 'required')
  .regex(/^[1-9]\d{5}$/, 'invalid')

/** 统一社会信用代码: printed in uppercase, so lowercase input is normalised rather than stored twice. */
const uscc = z
  .string({ required_error: 'required', invalid_type_error: 'required' })
  .transform((v) => v.replace(/\s+/g, '').toUpperCase())
  .pipe(
    z
      .string()
      .min(1, 'required')
      .regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, 'format')
      .refine(isValidUscc, 'checksum'),
  )

const MOBILE = /^1[3-9]\d{9}$/
/** Area code (3–4 digits starting with 0), optional hyphen, 7–8 digit number: 0591-12345678, 059112345678. */
const LANDLINE = /^0\d{2,3}-?\d{7,8}$/

const contactPhone = z
  .string({ required_error: 'required', invalid_type_error: 'required' })
  .trim()
  .min(1, 'required')
  .refine((v) => MOBILE.test(v) || LANDLINE.test(v), 'invalid')

export const registrationSchema = z.object({
  kind: z.enum(registrableKinds, {
    errorMap: (issue) => ({
      message: issue.code === 'invalid_enum_value' && issue.received !== '' ? 'invalid' : 'required',
    }),
  }),
  name: text(2, 100),
  uscc,
  regionCode,
  contactName: text(1, 50),
  contactPhone,
})
export type RegistrationInput = z.infer<typeof registrationSchema>
export type RegistrationField = keyof RegistrationInput

/** A rejection needs a reason the applicant can act on; a verification needs none. */
export const rejectionSchema = z.object({ reason: text(2, 200, { multiline: true }) })

/**
 * Region codes typed into a textarea: one per line, or separated by commas (also 、，；) or spaces.
 * "350100, 621100" → ['350100', '621100'].
 */
export function splitRegionCodes(raw: string): string[] {
  return raw
    .split(/[\s,，、;；]+/)
    .map((code) => code.trim())
    .filter((code) => code !== '')
}

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v)

export const officeSchema = z.object({
  name: text(2, 100),
  regionCode,
  uscc: z.preprocess(emptyToUndefined, uscc.optional()),
  jurisdiction: z.preprocess(
    (v) => (typeof v === 'string' ? splitRegionCodes(v) : v),
    z
      .array(z.string().regex(/^[1-9]\d{5}$/, 'invalid'), {
        required_error: 'required',
        invalid_type_error: 'required',
      })
      .min(1, 'required')
      .max(100, 'too_many'),
  ),
})
export type OfficeInput = z.infer<typeof officeSchema>
export type OfficeField = keyof OfficeInput

/** zod issues → { field: code }, the first issue of each field (an array element's issue counts for its field). */
export function fieldErrorCodes<F extends string>(error: z.ZodError): FieldErrors<F> {
  const errors: Record<string, string> = {}
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'form')
    errors[field] ??= issue.message
  }
  return errors as FieldErrors<F>
}

type FieldsOf<S extends z.ZodTypeAny> = Extract<keyof z.output<S>, string>

/** Parses a form or a model input: the normalised values, or an error code per field. */
export function parseWith<S extends z.ZodTypeAny>(
  schema: S,
  input: unknown,
): { ok: true; data: z.output<S> } | { ok: false; errors: FieldErrors<FieldsOf<S>> } {
  const parsed = schema.safeParse(input)
  return parsed.success
    ? { ok: true, data: parsed.data as z.output<S> }
    : { ok: false, errors: fieldErrorCodes<FieldsOf<S>>(parsed.error) }
}

const errorMessages: Record<string, MessageKey> = {
  'kind.required': 'orgForm.error.kind.required',
  'kind.invalid': 'orgForm.error.kind.required',
  'name.required': 'orgForm.error.name.required',
  'name.too_short': 'orgForm.error.name.length',
  'name.too_long': 'orgForm.error.name.length',
  'uscc.required': 'orgForm.error.uscc.required',
  'uscc.format': 'orgForm.error.uscc.format',
  'uscc.checksum': 'orgForm.error.uscc.checksum',
  'uscc.taken': 'orgForm.error.uscc.taken',
  'regionCode.required': 'orgForm.error.regionCode.required',
  'regionCode.invalid': 'orgForm.error.regionCode.unknown',
  'regionCode.unknown': 'orgForm.error.regionCode.unknown',
  'regionCode.not_leaf': 'orgForm.error.regionCode.notLeaf',
  'contactName.required': 'orgForm.error.contactName.required',
  'contactName.too_long': 'orgForm.error.contactName.tooLong',
  'contactPhone.required': 'orgForm.error.contactPhone.required',
  'contactPhone.invalid': 'orgForm.error.contactPhone.invalid',
  'reason.required': 'orgReview.error.reason.required',
  'reason.too_short': 'orgReview.error.reason.length',
  'reason.too_long': 'orgReview.error.reason.length',
  'jurisdiction.required': 'officeForm.error.jurisdiction.required',
  'jurisdiction.invalid': 'officeForm.error.jurisdiction.invalid',
  'jurisdiction.unknown': 'officeForm.error.jurisdiction.unknown',
  'jurisdiction.too_many': 'officeForm.error.jurisdiction.tooMany',
}

/** The message for a field's error code; an unexpected pair still says that the field is wrong. */
export function errorMessageKey(field: string, code: string): MessageKey {
  if (code === 'control') return controlCharactersMessage
  return errorMessages[`${field}.${code}`] ?? 'orgForm.error.invalid'
}
