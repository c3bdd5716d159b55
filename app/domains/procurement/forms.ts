import { z } from 'zod'
import { parseYuan } from '../../utils/money'
import { optionalText, text } from '../../utils/validation'
import { normalizePhone } from '../orders'
import { MAX_RESERVED_SHARE_BP, MIN_RESERVED_SHARE_BP } from './plan-math'

/**
 * The procurement forms (the unit pages). Messages are i18n keys, shown next to their fields. Money is typed in yuan
 * and read to integer fen by parseYuan (never through a float).
 */

const issue = (ctx: z.RefinementCtx, path: string, message: string) =>
  ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message })

/** A yuan amount typed as text → fen, within [minFen, maxFen]. */
function yuan(minFen: bigint, maxFen: bigint, messages: { required: string; invalid: string }) {
  return z.unknown().transform((value, ctx): bigint => {
    const raw = typeof value === 'string' ? value.trim() : ''
    if (raw === '') {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: messages.required })
      return z.NEVER
    }
    const fen = parseYuan(raw)
    if (fen === null || fen < minFen || fen > maxFen) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: messages.invalid })
      return z.NEVER
    }
    return fen
  })
}

const PO_NUMBER = /^[A-Za-z0-9][A-Za-z0-9_\-/.]{0,39}$/

/**
 * A new requisition: the lines (pasted, or from the uploaded file beside the form), delivery, 采购单号 and notes.
 * `preview` checks the lines only; `submit` also needs the delivery.
 */
export const requisitionForm = z
  .object({
    intent: z.enum(['preview', 'submit'], { message: 'unit.req.error.intent' }).default('preview'),
    lines: optionalText({
      max: 30_000,
      multiline: true,
      messages: { tooLong: 'unit.req.error.linesTooLong' },
    }),
    recipient: optionalText({ max: 30, messages: { tooLong: 'unit.req.error.recipient' } }),
    phone: optionalText({ max: 40, messages: { tooLong: 'unit.req.error.phone' } }),
    address: optionalText({ max: 120, messages: { tooLong: 'unit.req.error.address' } }),
    poNumber: optionalText({ max: 40, messages: { tooLong: 'unit.req.error.poNumber' } }).refine(
      (value) => value === undefined || PO_NUMBER.test(value),
      'unit.req.error.poNumber',
    ),
    notes: optionalText({ max: 500, multiline: true, messages: { tooLong: 'unit.req.error.notes' } }),
  })
  .superRefine((form, ctx) => {
    if (form.intent !== 'submit') return
    if (!form.recipient || form.recipient.length < 2) issue(ctx, 'recipient', 'unit.req.error.recipient')
    if (!form.phone || !normalizePhone(form.phone)) issue(ctx, 'phone', 'unit.req.error.phone')
    if (!form.address || form.address.length < 4) issue(ctx, 'address', 'unit.req.error.address')
  })
export type RequisitionForm = z.output<typeof requisitionForm>

/** An approver's decision: approve (comment optional) or reject (a reason is required). */
export const decisionForm = z
  .object({
    intent: z.enum(['approve', 'reject'], { message: 'unit.decision.error.intent' }),
    comment: optionalText({
      max: 500,
      multiline: true,
      messages: { tooLong: 'unit.decision.error.commentTooLong' },
    }),
  })
  .superRefine((form, ctx) => {
    if (form.intent === 'reject' && !form.comment)
      issue(ctx, 'comment', 'unit.decision.error.commentRequired')
  })
export type DecisionForm = z.output<typeof decisionForm>

/** The largest spending limit a unit admin may set: ¥10,000,000. */
export const MAX_SPENDING_LIMIT_FEN = 1_000_000_000n

export const spendingLimitForm = z.object({
  userId: z.string({ message: 'unit.limits.error.member' }).uuid('unit.limits.error.member'),
  limit: yuan(0n, MAX_SPENDING_LIMIT_FEN, {
    required: 'unit.limits.error.required',
    invalid: 'unit.limits.error.invalid',
  }),
})
export type SpendingLimitForm = z.output<typeof spendingLimitForm>

/** ¥1,000,000,000: far above any unit's canteen budget. */
const MAX_BASE_FEN = 100_000_000_000n

/** A share typed as a percentage with at most two decimals ('10', '12.5') → basis points. */
function sharePercent() {
  return z.unknown().transform((value, ctx): number => {
    const raw = typeof value === 'string' ? value.trim().replace(/%$/, '') : ''
    const match = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(raw)
    const bp = match ? Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')) : NaN
    if (!match || bp < MIN_RESERVED_SHARE_BP || bp > MAX_RESERVED_SHARE_BP) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'unit.plan.error.share' })
      return z.NEVER
    }
    return bp
  })
}

export const planForm = z.object({
  year: z.coerce
    .number({ message: 'unit.plan.error.year' })
    .int('unit.plan.error.year')
    .min(2000, 'unit.plan.error.year')
    .max(2100, 'unit.plan.error.year'),
  base: yuan(0n, MAX_BASE_FEN, { required: 'unit.plan.error.base', invalid: 'unit.plan.error.base' }),
  share: sharePercent(),
  noCanteen: z.preprocess((v) => v === 'on' || v === 'true', z.boolean()),
  /** The 统一社会信用代码 of the unit whose canteen this one shares, if any. */
  representativeUscc: optionalText({ max: 18, messages: { tooLong: 'unit.plan.error.representative' } })
    .transform((v) => v?.toUpperCase())
    .refine((v) => v === undefined || /^[0-9A-Z]{18}$/.test(v), 'unit.plan.error.representative'),
})
export type PlanForm = z.output<typeof planForm>

export const externalPurchaseKinds = ['unit', 'staff'] as const

/** A purchase recorded from elsewhere (the 832 platform, a fair), with its evidence file beside the form. */
export const externalPurchaseForm = z.object({
  kind: z.enum(externalPurchaseKinds, { message: 'unit.external.error.kind' }),
  purchasedOn: z
    .string({ message: 'unit.external.error.date' })
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'unit.external.error.date')
    .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), 'unit.external.error.date'),
  channel: text({
    max: 40,
    messages: { required: 'unit.external.error.channel', tooLong: 'unit.external.error.channel' },
  }),
  description: text({
    max: 200,
    messages: { required: 'unit.external.error.description', tooLong: 'unit.external.error.description' },
  }),
  amount: yuan(1n, MAX_BASE_FEN, {
    required: 'unit.external.error.amount',
    invalid: 'unit.external.error.amount',
  }),
})
export type ExternalPurchaseForm = z.output<typeof externalPurchaseForm>

export const notificationsForm = z.object({
  intent: z.enum(['read-all'], { message: 'notifications.error.intent' }),
})

/** The most lines one seller order's acceptance may carry (an order has at most this many lines per seller). */
const MAX_ACCEPTANCE_LINES = 500

/**
 * 验收 of one seller order (decision 022): the accepted quantity of each of its lines (0 to the ordered quantity;
 * the domain checks the upper bound against the line), optional notes. Photos come as files beside the form.
 */
export const acceptanceForm = z.object({
  sellerOrderId: z.string({ message: 'unit.accept.error.sellerOrder' }).uuid('unit.accept.error.sellerOrder'),
  notes: optionalText({ max: 500, multiline: true, messages: { tooLong: 'unit.accept.error.notes' } }),
  lines: z
    .array(
      z.object({
        orderLineId: z.string({ message: 'unit.accept.error.line' }).uuid('unit.accept.error.line'),
        acceptedQty: z.preprocess(
          (v) => (typeof v === 'string' && /^\s*\d{1,7}\s*$/.test(v) ? Number(v) : v),
          z
            .number({ message: 'unit.accept.error.qty' })
            .int('unit.accept.error.qty')
            .min(0, 'unit.accept.error.qty'),
        ),
      }),
      { message: 'unit.accept.error.lines' },
    )
    .min(1, 'unit.accept.error.lines')
    .max(MAX_ACCEPTANCE_LINES, 'unit.accept.error.lines'),
})
export type AcceptanceForm = z.output<typeof acceptanceForm>

/** The unit's payment term in days (1–60; 30 unless set). */
export const paymentTermForm = z.object({
  days: z.preprocess(
    (v) => (typeof v === 'string' && /^\s*\d{1,3}\s*$/.test(v) ? Number(v) : v),
    z
      .number({ message: 'unit.term.error.days' })
      .int('unit.term.error.days')
      .min(1, 'unit.term.error.days')
      .max(60, 'unit.term.error.days'),
  ),
})
export type PaymentTermForm = z.output<typeof paymentTermForm>
