import { z } from 'zod'
import type { MessageKey } from '../../utils/i18n'
import { idCardNumberIssue, normalizeIdCardNumber } from '../../utils/id-card'
import { controlCharactersMessage, hasControlCharacters, text } from '../../utils/validation'

/**
 * The beneficiary-household roster's forms (browser-safe). The lists repeat the table's enums (db/schema cannot be
 * imported here); roster.server.ts checks at compile time that they are the same.
 */
export const householdStatusOptions = ['脱贫户', '防止返贫监测对象', '低收入农户'] as const
export const householdLinkageOptions = ['订单收购', '务工就业', '入股分红', '土地流转', '其他'] as const
export type HouseholdStatus = (typeof householdStatusOptions)[number]
export type HouseholdLinkage = (typeof householdLinkageOptions)[number]
export const MIN_MEMBERS = 1
export const MAX_MEMBERS = 20

/**
 * The head of household's name as the roster keeps it: masked, the surname and (for three characters or more) the
 * last character, one star between — 张三丰 → 张*丰, 李四 → 李*. Masking a masked name changes nothing.
 */
export function maskHeadName(name: string): string {
  const chars = Array.from(name.trim())
  if (chars.length === 0) return ''
  if (chars.length <= 2) return `${chars[0]}*`
  return `${chars[0]}*${chars[chars.length - 1]}`
}

function fail(ctx: z.RefinementCtx, message: MessageKey): never {
  ctx.addIssue({ code: z.ZodIssueCode.custom, message })
  return z.NEVER
}

function choice<T extends readonly [string, ...string[]]>(values: T, message: MessageKey) {
  return z.unknown().transform((value, ctx): T[number] => {
    const raw = typeof value === 'string' ? value.trim() : ''
    return (values as readonly string[]).includes(raw) ? (raw as T[number]) : fail(ctx, message)
  })
}

/** Members of the household: digits only, 1–20. */
export const membersField = z.unknown().transform((value, ctx): number => {
  const raw = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : ''
  if (raw === '') return fail(ctx, 'household.error.members.required')
  if (!/^\d{1,3}$/.test(raw)) return fail(ctx, 'household.error.members.range')
  const n = Number(raw)
  return n < MIN_MEMBERS || n > MAX_MEMBERS ? fail(ctx, 'household.error.members.range') : n
})

const idIssueMessages = {
  format: 'household.error.idNumber.format',
  date: 'household.error.idNumber.date',
  check_digit: 'household.error.idNumber.checkDigit',
} as const satisfies Record<string, MessageKey>

/**
 * An optional 18-character ID number with its GB 11643 check character. Birth dates up to the end of 2100 pass
 * here; the domain checks the date against its clock.
 */
export const idNumberField = z.unknown().transform((value, ctx): string | null => {
  const raw = typeof value === 'string' ? normalizeIdCardNumber(value) : ''
  if (raw === '') return null
  const issue = idCardNumberIssue(raw, new Date(Date.UTC(2100, 11, 31)))
  return issue ? fail(ctx, idIssueMessages[issue]) : raw
})

export const statusField = choice(householdStatusOptions, 'household.error.status.unknown')
export const linkageField = choice(householdLinkageOptions, 'household.error.linkage.unknown')

/** Adding or editing a household. On edit, a blank ID number keeps the stored one. */
export const householdSchema = z.object({
  headName: text({
    min: 2,
    max: 20,
    messages: {
      required: 'household.error.headName.required',
      tooShort: 'household.error.headName.length',
      tooLong: 'household.error.headName.length',
    },
  }).transform(maskHeadName),
  regionCode: z.unknown().transform((value, ctx): string => {
    const raw = typeof value === 'string' ? value.trim() : ''
    if (raw === '') return fail(ctx, 'household.error.region.required')
    return /^[1-9]\d{5}$/.test(raw) ? raw : fail(ctx, 'household.error.region.outside')
  }),
  village: text({
    min: 2,
    max: 40,
    messages: {
      required: 'household.error.village.required',
      tooShort: 'household.error.village.length',
      tooLong: 'household.error.village.length',
    },
  }),
  members: membersField,
  status: statusField,
  linkage: linkageField,
  idNumber: idNumberField,
})
export type HouseholdValues = z.output<typeof householdSchema>

/** Revealing a stored ID number needs a reason, kept in the audit log. */
export const revealSchema = z.object({
  householdId: z.string().max(64),
  reason: text({
    min: 2,
    max: 200,
    messages: {
      required: 'household.error.reason.required',
      tooShort: 'household.error.reason.length',
      tooLong: 'household.error.reason.length',
    },
  }),
})

/** The share a product promises: none, a percentage of the line (basis points, floored), or fen per unit. */
export const proceedsRuleChoices = ['none', 'basis_points', 'fen_per_unit'] as const
export type ProceedsRuleChoice = (typeof proceedsRuleChoices)[number]
/** At most ¥10,000 a unit: a promise beyond any price here (it is capped at the line amount anyway). */
export const MAX_FEN_PER_UNIT = 1_000_000n

/** "5", "5.5", "12.25" (percent, at most two decimals) → basis points 0–10000; null when it is not one. */
export function percentToBasisPoints(raw: string): number | null {
  const match = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(raw.trim().replace(/[%％]$/, ''))
  if (!match) return null
  const bp = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'))
  return bp <= 10_000 ? bp : null
}

/** A yuan amount with at most two decimals → fen; null when it is not one. */
export function yuanToFen(raw: string): bigint | null {
  const match = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(raw.trim().replace(/^[¥￥]\s*/, ''))
  if (!match) return null
  return BigInt(match[1]!) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'))
}

const typedNumber = z
  .string()
  .max(20)
  .refine((value) => !hasControlCharacters(value), controlCharactersMessage)
  .optional()

export type ProceedsRuleValue =
  | { kind: 'none' }
  | { kind: 'basis_points'; basisPoints: number }
  | { kind: 'fen_per_unit'; fenPerUnit: bigint }

export const proceedsRuleSchema = z
  .object({
    kind: choice(proceedsRuleChoices, 'proceeds.error.kind'),
    // Both fields are read whatever the kind, and refused with control characters in either.
    percent: typedNumber,
    yuanPerUnit: typedNumber,
  })
  .transform((form, ctx): ProceedsRuleValue => {
    if (form.kind === 'none') return { kind: 'none' }
    if (form.kind === 'basis_points') {
      const bp = percentToBasisPoints(form.percent ?? '')
      if (bp === null) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['percent'], message: 'proceeds.error.percent' })
        return z.NEVER
      }
      return { kind: 'basis_points', basisPoints: bp }
    }
    const fen = yuanToFen(form.yuanPerUnit ?? '')
    if (fen === null || fen > MAX_FEN_PER_UNIT) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['yuanPerUnit'],
        message: 'proceeds.error.yuanPerUnit',
      })
      return z.NEVER
    }
    return { kind: 'fen_per_unit', fenPerUnit: fen }
  })

/** A weight typed into a field: a whole number 1–1000. */
export const MAX_LINK_WEIGHT = 1000
const weightField = z.unknown().transform((value, ctx): number => {
  const raw = typeof value === 'string' ? value.trim() : ''
  if (!/^\d{1,4}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_LINK_WEIGHT)
    return fail(ctx, 'proceeds.error.weight')
  return Number(raw)
})

/** Linking a household (by its code) to a product with a weight. */
export const linkHouseholdSchema = z.object({
  householdCode: text({
    min: 3,
    max: 40,
    messages: {
      required: 'proceeds.error.householdCode',
      tooShort: 'proceeds.error.householdCode',
      tooLong: 'proceeds.error.householdCode',
    },
  }),
  weight: weightField,
})

/** A linked household's new weight. */
export const reweighSchema = z.object({ householdId: z.string().max(64), weight: weightField })
