import { z } from 'zod'
import { isValidUscc } from '../../utils/uscc'
import { optionalText, text } from '../../utils/validation'
import { isRegionCode } from '../regions'

/**
 * The checkout form: delivery address, phone and optional 发票. Shared by the server (which decides) and the page
 * (which shows the same messages); messages are i18n keys.
 */

/**
 * Mainland mobile (11 digits from 13–19) or a landline with its area code (010-12345678, 0931 1234567,
 * +86 591 1234 5678, 0591-12345678转123). Area codes 010 and 02x have three digits, all others four — that is
 * how a landline written without separators is split. Returns the normalised form, or null.
 */
export function normalizePhone(raw: string): string | null {
  const trimmed = raw.trim()
  const withoutCountry = trimmed.replace(/^\(?(\+86|0086)\)?[\s-]*/, '')
  const international = withoutCountry !== trimmed
  const [main = '', extension, ...rest] = withoutCountry.split(/\s*(?:转|ext\.?)\s*/i)
  if (rest.length > 0) return null
  const digits = main.replace(/[\s()-]/g, '')
  if (!/^\d+$/.test(digits)) return null
  if (/^1[3-9]\d{9}$/.test(digits)) return extension === undefined ? digits : null
  // Written internationally the trunk 0 is dropped (+86 591 …): put it back.
  const national = international && !digits.startsWith('0') ? `0${digits}` : digits
  const areaLength = /^0[12]/.test(national) ? 3 : 4
  const area = national.slice(0, areaLength)
  const local = national.slice(areaLength)
  // 010 and 020–029 are the only three-digit area codes; four-digit ones start 03–09.
  if (!/^(010|02\d|0[3-9]\d{2})$/.test(area)) return null
  if (!/^[1-9]\d{6,7}$/.test(local)) return null
  if (extension !== undefined && !/^\d{1,6}$/.test(extension)) return null
  return `${area}-${local}${extension ? `-${extension}` : ''}`
}

const required = (key: string, min: number, max: number, tooLong: string) =>
  text({ min, max, messages: { required: key, tooShort: key, tooLong } })

const fields = z.object({
  recipient: required('checkout.recipient.required', 2, 30, 'checkout.recipient.tooLong'),
  phone: required('checkout.phone.required', 1, 40, 'checkout.phone.invalid').transform((value, ctx) => {
    const phone = normalizePhone(value)
    if (!phone) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'checkout.phone.invalid' })
      return z.NEVER
    }
    return phone
  }),
  regionCode: z
    .string({ required_error: 'checkout.region.required' })
    .refine(isRegionCode, 'checkout.region.required'),
  address: required('checkout.address.required', 4, 120, 'checkout.address.tooLong'),
  invoiceKind: z.enum(['none', 'personal', 'company']).default('none'),
  invoiceTitle: optionalText({ max: 100, messages: { tooLong: 'checkout.invoiceTitle.tooLong' } }),
  taxId: optionalText({ max: 40, messages: { tooLong: 'checkout.taxId.invalid' } }).transform((v) =>
    v?.toUpperCase(),
  ),
  invoiceEmail: optionalText({ max: 200, messages: { tooLong: 'checkout.invoiceEmail.invalid' } }).pipe(
    z.string().email('checkout.invoiceEmail.invalid').optional(),
  ),
})

type InvoiceFields = { invoiceKind: 'none' | 'personal' | 'company'; invoiceTitle?: string; taxId?: string }

/** A company invoice needs its title and a valid tax id (the 18-character credit code, check digit verified). */
function invoiceRules(form: InvoiceFields, ctx: z.RefinementCtx) {
  if (form.invoiceKind === 'company') {
    if (!form.invoiceTitle || form.invoiceTitle.length < 2)
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['invoiceTitle'],
        message: 'checkout.invoiceTitle.required',
      })
    if (!form.taxId)
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['taxId'], message: 'checkout.taxId.required' })
    else if (!isValidUscc(form.taxId))
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['taxId'], message: 'checkout.taxId.invalid' })
  }
}

const invoice = fields.pick({ invoiceKind: true, invoiceTitle: true, taxId: true }).superRefine(invoiceRules)

/**
 * The checkout form. An intersection, so that both halves are checked on every submission and every field's first
 * problem is reported at once: zod runs an object's refinement only once all its fields are valid, so the invoice
 * rules alone would wait until the address was right, and show up only on the next submit.
 */
export const checkoutForm = fields.and(invoice)

export type CheckoutForm = z.infer<typeof checkoutForm>

/** What an order stores as its 发票 request (null: none wanted). A personal invoice is titled with the recipient. */
export function invoiceRequest(form: CheckoutForm): Record<string, string> | null {
  if (form.invoiceKind === 'none') return null
  const email: Record<string, string> = form.invoiceEmail ? { email: form.invoiceEmail } : {}
  if (form.invoiceKind === 'personal')
    return { kind: 'personal', title: form.invoiceTitle || form.recipient, ...email }
  return { kind: 'company', title: form.invoiceTitle!, taxId: form.taxId!, ...email }
}
