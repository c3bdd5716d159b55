import { z } from 'zod'
import { isValidUscc } from '../utils/uscc'
import { fieldErrors } from './auth-forms'

/**
 * The checkout form: delivery address, phone and optional 发票. Shared by the server (which decides) and the page
 * (which shows the same messages); messages are i18n keys.
 */

/** Mainland mobile (11 digits from 13–19) or a landline with its area code (010-12345678, 0931 1234567). */
export function normalizePhone(raw: string): string | null {
  const compact = raw.replace(/[\s()-]/g, '').replace(/^(\+86|0086)/, '')
  if (/^1[3-9]\d{9}$/.test(compact)) return compact
  const landline = raw.trim().replace(/^(\+86|0086)\s*/, '')
  const match = landline.match(/^\(?(0\d{2,3})\)?[\s-]?(\d{7,8})(?:[\s-]?(?:转|ext\.?|-)\s*(\d{1,6}))?$/i)
  if (!match) return null
  return `${match[1]}-${match[2]}${match[3] ? `-${match[3]}` : ''}`
}

const text = (required: string, min: number, max: number, tooLong: string) =>
  z.string({ required_error: required }).trim().min(1, required).min(min, required).max(max, tooLong)

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v)

const fields = z.object({
  recipient: text('checkout.recipient.required', 2, 30, 'checkout.recipient.tooLong'),
  phone: z
    .string({ required_error: 'checkout.phone.required' })
    .trim()
    .min(1, 'checkout.phone.required')
    .transform((value, ctx) => {
      const phone = normalizePhone(value)
      if (!phone) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'checkout.phone.invalid' })
        return z.NEVER
      }
      return phone
    }),
  regionCode: z
    .string({ required_error: 'checkout.region.required' })
    .regex(/^[1-9]\d{5}$/, 'checkout.region.required'),
  address: text('checkout.address.required', 4, 120, 'checkout.address.tooLong'),
  invoiceKind: z.enum(['none', 'personal', 'company']).default('none'),
  invoiceTitle: z.preprocess(
    blankToUndefined,
    z.string().trim().max(100, 'checkout.invoiceTitle.tooLong').optional(),
  ),
  taxId: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .transform((v) => v.toUpperCase())
      .optional(),
  ),
  invoiceEmail: z.preprocess(
    blankToUndefined,
    z.string().trim().email('checkout.invoiceEmail.invalid').optional(),
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

export const checkoutForm = fields.superRefine(invoiceRules)

const invoiceOnly = fields
  .pick({ invoiceKind: true, invoiceTitle: true, taxId: true })
  .superRefine(invoiceRules)

/**
 * Parses the checkout form. On failure every field's first problem is reported at once — including the invoice
 * rules, which zod alone would only check after every other field is valid.
 */
export function parseCheckoutForm(
  values: Record<string, unknown>,
): { success: true; data: CheckoutForm } | { success: false; errors: Record<string, string> } {
  const parsed = checkoutForm.safeParse(values)
  if (parsed.success) return { success: true, data: parsed.data }
  const invoice = invoiceOnly.safeParse(values)
  return {
    success: false,
    errors: { ...(invoice.success ? {} : fieldErrors(invoice.error)), ...fieldErrors(parsed.error) },
  }
}

export type CheckoutForm = z.infer<typeof checkoutForm>

/** What an order stores as its 发票 request (null: none wanted). A personal invoice is titled with the recipient. */
export function invoiceRequest(form: CheckoutForm): Record<string, string> | null {
  if (form.invoiceKind === 'none') return null
  const email: Record<string, string> = form.invoiceEmail ? { email: form.invoiceEmail } : {}
  if (form.invoiceKind === 'personal')
    return { kind: 'personal', title: form.invoiceTitle || form.recipient, ...email }
  return { kind: 'company', title: form.invoiceTitle!, taxId: form.taxId!, ...email }
}
