import { z } from 'zod'
import type { MessageKey } from '../../utils/i18n'
import { isValidUscc } from '../../utils/uscc'
import { optionalText, text } from '../../utils/validation'
import { isRegionCode } from '../regions'

/**
 * The organisation forms (registration, review, new office, members and invitations), shared by the server, which
 * decides, and the browser, which checks early and shows the same messages. Messages are i18n keys, translated
 * where they are shown.
 *
 * What needs the database (does the region exist, has it children, is the credit code taken) is checked by the
 * operations in organizations.server.ts beside them, which parse their input again with these same schemas.
 */

/** Kinds a user may register themselves. Offices are created by platform admins; the platform is seeded. */
export const registrableKinds = ['gov_unit', 'trade_union', 'enterprise', 'cooperative'] as const
export type RegistrableKind = (typeof registrableKinds)[number]

export const reviewStatuses = ['pending', 'verified', 'rejected', 'all'] as const
export type ReviewStatusFilter = (typeof reviewStatuses)[number]

/** An i18n key, checked by the compiler where a schema names it. */
const m = (key: MessageKey) => key

const name = text({
  min: 2,
  max: 100,
  messages: {
    required: m('orgForm.error.name.required'),
    tooShort: m('orgForm.error.name.length'),
    tooLong: m('orgForm.error.name.length'),
  },
})

const regionCode = z
  .string({
    required_error: m('orgForm.error.regionCode.required'),
    invalid_type_error: m('orgForm.error.regionCode.required'),
  })
  .trim()
  .min(1, m('orgForm.error.regionCode.required'))
  .refine(isRegionCode, m('orgForm.error.regionCode.unknown'))

/** 统一社会信用代码: printed in uppercase, so lowercase input is normalised rather than stored twice. */
const uscc = z
  .string({
    required_error: m('orgForm.error.uscc.required'),
    invalid_type_error: m('orgForm.error.uscc.required'),
  })
  .transform((v) => v.replace(/\s+/g, '').toUpperCase())
  .pipe(
    z
      .string()
      .min(1, m('orgForm.error.uscc.required'))
      .regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, m('orgForm.error.uscc.format'))
      .refine(isValidUscc, m('orgForm.error.uscc.checksum')),
  )

const MOBILE = /^1[3-9]\d{9}$/
/** Area code (3–4 digits starting with 0), optional hyphen, 7–8 digit number: 0591-12345678, 059112345678. */
const LANDLINE = /^0\d{2,3}-?\d{7,8}$/

const contactPhone = z
  .string({
    required_error: m('orgForm.error.contactPhone.required'),
    invalid_type_error: m('orgForm.error.contactPhone.required'),
  })
  .trim()
  .min(1, m('orgForm.error.contactPhone.required'))
  .refine((v) => MOBILE.test(v) || LANDLINE.test(v), m('orgForm.error.contactPhone.invalid'))

export const registrationSchema = z.object({
  kind: z.enum(registrableKinds, { errorMap: () => ({ message: m('orgForm.error.kind.required') }) }),
  name,
  uscc,
  regionCode,
  contactName: text({
    max: 50,
    messages: {
      required: m('orgForm.error.contactName.required'),
      tooLong: m('orgForm.error.contactName.tooLong'),
    },
  }),
  contactPhone,
})
export type RegistrationInput = z.infer<typeof registrationSchema>
export type RegistrationField = keyof RegistrationInput

/** The review of a registration: verify, or reject with a reason the applicant can act on. */
const reason = text({
  min: 2,
  max: 200,
  multiline: true,
  messages: {
    required: m('orgReview.error.reason.required'),
    tooShort: m('orgReview.error.reason.length'),
    tooLong: m('orgReview.error.reason.length'),
  },
})
export const rejectionSchema = z.object({ reason })
export const reviewForm = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('verify'), orgId: z.string().uuid() }),
  z.object({ intent: z.literal('reject'), orgId: z.string().uuid(), reason }),
])

/**
 * Supplier admission (decision 015): an office recommends a cooperative or enterprise of its jurisdiction (县级推荐),
 * with an optional note kept in the audit log; a platform admin then verifies it.
 */
export const supplierAdmissionForm = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('recommend'),
    supplierOrgId: z.string().uuid(),
    note: optionalText({
      max: 200,
      multiline: true,
      messages: { tooLong: m('supplier.error.note.tooLong') },
    }),
  }),
  z.object({ intent: z.literal('verify'), supplierOrgId: z.string().uuid() }),
])

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

/** The jurisdiction's codes, checked as one field: a bad code is the field's problem, said next to the textarea. */
const jurisdiction = z.preprocess(
  (v) => (typeof v === 'string' ? splitRegionCodes(v) : v),
  z
    .array(z.string(), {
      required_error: m('officeForm.error.jurisdiction.required'),
      invalid_type_error: m('officeForm.error.jurisdiction.required'),
    })
    .min(1, m('officeForm.error.jurisdiction.required'))
    .max(100, m('officeForm.error.jurisdiction.tooMany'))
    .refine((codes) => codes.every(isRegionCode), m('officeForm.error.jurisdiction.invalid')),
)

export const officeSchema = z.object({
  name,
  regionCode,
  uscc: z.preprocess(emptyToUndefined, uscc.optional()),
  jurisdiction,
})
export type OfficeInput = z.infer<typeof officeSchema>
export type OfficeField = keyof OfficeInput

/**
 * The members page's forms, one per intent. The role is checked by the operation (which roles an organisation of
 * this kind can give), and so is the invitee (whether the role needs one, and whether it names an account).
 */
const role = text({ max: 40 })
export const membersForm = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('change-role'), userId: z.string().uuid(), role }),
  z.object({ intent: z.literal('remove'), userId: z.string().uuid() }),
  z.object({
    intent: z.literal('invite'),
    role,
    invitee: optionalText({ max: 200, messages: { tooLong: m('members.error.invitee_invalid') } }),
  }),
  z.object({ intent: z.literal('revoke'), invitationId: z.string().uuid() }),
])
export type MembersIntent = z.infer<typeof membersForm>['intent']

/** Accepting an invitation: the token is in the URL, the form only says what to do with it. */
export const acceptInvitationForm = z.object({ intent: z.literal('accept') })
