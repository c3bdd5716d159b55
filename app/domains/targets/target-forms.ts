import { z } from 'zod'
import { parseYuan } from '../../utils/money'
import { text } from '../../utils/validation'
import { isRegionCode } from '../regions'

/**
 * The office's target form (decision 024): create and edit an office target. Messages are i18n keys shown next to
 * their fields. The goal is typed in yuan for amount targets (read to fen by parseYuan, never a float) and in persons
 * for people targets; which one is decided by the metric, so the goal is checked once the metric is known.
 */

/** 直接采购 (the units' own purchases) and 帮助销售 (consumers buying through the platform), as the form names them. */
export const targetChannelChoices = ['direct_purchase', 'sales_assist'] as const
export type TargetChannelChoice = (typeof targetChannelChoices)[number]

/** What the office's target form shows: a new target's defaults, or a target being edited. */
export type TargetFormValues = {
  name: string
  metric: 'amount_fen' | 'people'
  goal: string
  periodStart: string
  periodEnd: string
  parentId: string | null
  helped: Array<{ code: string; name: string }>
  helper: Array<{ code: string; name: string }>
  channels: TargetChannelChoice[]
  certifiedOnly: boolean
}

/** The buyer channels each choice stands for (the ledger counts by these). */
export const channelsOfChoice: Record<TargetChannelChoice, readonly string[]> = {
  direct_purchase: ['enterprise', 'gov_unit', 'trade_union'],
  sales_assist: ['consumer'],
}

/** The stored channels for a set of choices: both (or all four channels) mean "any" — an empty list. */
export function buyerChannelsOf(choices: readonly TargetChannelChoice[]): string[] {
  if (choices.includes('direct_purchase') && choices.includes('sales_assist')) return []
  return choices.flatMap((c) => channelsOfChoice[c]).sort()
}

/** The choices a stored channel list reads as (the edit form's checkboxes). */
export function choicesOfChannels(channels: readonly string[]): TargetChannelChoice[] {
  if (channels.length === 0) return [...targetChannelChoices]
  return targetChannelChoices.filter((choice) => channelsOfChoice[choice].every((c) => channels.includes(c)))
}

/** The largest goals a form accepts: ¥1,000亿 and 1亿 people. */
export const MAX_TARGET_GOAL_FEN = 10_000_000_000_000n
export const MAX_TARGET_PEOPLE = 100_000_000n

const DAY = /^\d{4}-\d{2}-\d{2}$/
const isDay = (v: string) => {
  if (!DAY.test(v)) return false
  const parsed = new Date(`${v}T00:00:00Z`)
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(v)
}

const day = (message: string) =>
  z.string({ required_error: message, invalid_type_error: message }).trim().refine(isDay, message)

/** Region codes, one per line or separated by commas or spaces (the region picker writes one per line). */
const regionList = z
  .preprocess(
    (v) =>
      typeof v === 'string'
        ? [...new Set(v.split(/[\s,，、;；]+/).filter((code) => code !== ''))]
        : v === undefined || v === null
          ? []
          : v,
    z
      .array(z.string(), { invalid_type_error: 'targetForm.error.regions.invalid' })
      .max(50, 'targetForm.error.regions.tooMany')
      .refine((codes) => codes.every(isRegionCode), 'targetForm.error.regions.invalid'),
    // Optional for the browser too (an empty side means "any"): no `required` attribute on the field.
  )
  .optional()

type ScopeForm = {
  metric: 'amount_fen' | 'people'
  helped?: string[] | undefined
  helper?: string[] | undefined
  channelDirect: boolean
  channelAssist: boolean
  certifiedOnly: boolean
  periodStart: string
}

/** The scope as the domain takes it; an issue on `channelDirect` when no channel is chosen. */
function scopeInput(form: ScopeForm, ctx: z.RefinementCtx): TargetScopeInput {
  const channels: TargetChannelChoice[] = [
    ...(form.channelDirect ? (['direct_purchase'] as const) : []),
    ...(form.channelAssist ? (['sales_assist'] as const) : []),
  ]
  if (channels.length === 0) issue(ctx, 'channelDirect', 'targetForm.error.channels')
  return {
    metric: form.metric,
    helped: form.helped ?? [],
    helper: form.helper ?? [],
    channels,
    certifiedOnly: form.certifiedOnly,
    periodStart: form.periodStart,
  }
}

const issue = (ctx: z.RefinementCtx, path: string, message: string) =>
  ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message })

const name = text({
  min: 2,
  max: 60,
  messages: { required: 'targetForm.error.name.required', tooLong: 'targetForm.error.name.tooLong' },
})
const goal = z.string({ required_error: 'targetForm.error.goal.required' }).trim()
const parentId = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
  z.string().uuid('targetForm.error.parent.unknown').optional(),
)

/** The goal as stored: fen for an amount, persons for people; an issue on `goal` otherwise. */
function goalValue(metric: 'amount_fen' | 'people', raw: string, ctx: z.RefinementCtx): bigint | null {
  if (raw === '') {
    issue(ctx, 'goal', 'targetForm.error.goal.required')
    return null
  }
  if (metric === 'amount_fen') {
    const fen = parseYuan(raw)
    if (fen === null || fen <= 0n || fen > MAX_TARGET_GOAL_FEN) {
      issue(ctx, 'goal', 'targetForm.error.goal.amount')
      return null
    }
    return fen
  }
  const cleaned = raw.replaceAll(',', '')
  if (!/^\d{1,9}$/.test(cleaned) || BigInt(cleaned) <= 0n || BigInt(cleaned) > MAX_TARGET_PEOPLE) {
    issue(ctx, 'goal', 'targetForm.error.goal.people')
    return null
  }
  return BigInt(cleaned)
}

const scopeFields = {
  metric: z.enum(['amount_fen', 'people'], { message: 'targetForm.error.metric' }),
  helped: regionList,
  helper: regionList,
  // One checkbox each: the request boundary refuses a field sent twice.
  channelDirect: z.preprocess((v) => v === 'on' || v === 'true', z.boolean()),
  channelAssist: z.preprocess((v) => v === 'on' || v === 'true', z.boolean()),
  certifiedOnly: z.preprocess((v) => v === 'on' || v === 'true', z.boolean()),
  periodStart: day('targetForm.error.periodStart'),
}

/** What the domain receives: the goal already in fen or persons. */
export type TargetScopeInput = {
  metric: 'amount_fen' | 'people'
  helped: string[]
  helper: string[]
  channels: TargetChannelChoice[]
  certifiedOnly: boolean
  periodStart: string
}
export type TargetInput = {
  name: string
  goal: bigint
  periodEnd: string
  parentId: string | undefined
  scope: TargetScopeInput
}
export type TargetUpdateInput = Omit<TargetInput, 'scope'> & { scope: TargetScopeInput | null }

/** A new office target: everything is asked. */
export const newTargetForm = z
  .object({ name, goal, periodEnd: day('targetForm.error.periodEnd'), parentId, ...scopeFields })
  // Every check in one step, so that each problem is reported at once (a refinement's issue would stop the rest).
  .transform((form, ctx): TargetInput => {
    if (isDay(form.periodStart) && isDay(form.periodEnd) && form.periodEnd < form.periodStart)
      issue(ctx, 'periodEnd', 'targetForm.error.periodEnd.beforeStart')
    if (!form.helped?.length && !form.helper?.length)
      issue(ctx, 'helped', 'targetForm.error.regions.required')
    const goalFen = goalValue(form.metric, form.goal, ctx)
    return {
      name: form.name,
      goal: goalFen ?? 0n,
      periodEnd: form.periodEnd,
      parentId: form.parentId,
      scope: scopeInput(form, ctx),
    }
  })

/**
 * Editing an office target. Once a sale was counted against it the form leaves out the scope (regions, channels,
 * certified only, metric, period start) and only name, goal, period end and parent are sent: the scope is then
 * `null`. A request that sends a scope anyway is compared with the stored one by the domain (409 if it differs).
 * The metric of a frozen target comes from the stored target, so the goal is read with `metricHint`.
 */
export const editTargetForm = z
  .object({
    name,
    goal,
    periodEnd: day('targetForm.error.periodEnd'),
    parentId,
    /** Sent by the frozen form (the stored metric), so that the goal is read in the right unit. */
    metricHint: z.enum(['amount_fen', 'people']).optional(),
    metric: scopeFields.metric.optional(),
    helped: z.string().optional(),
    helper: z.string().optional(),
    channelDirect: z.string().optional(),
    channelAssist: z.string().optional(),
    certifiedOnly: z.string().optional(),
    periodStart: z.string().optional(),
  })
  .transform((form, ctx): TargetUpdateInput => {
    const hasScope = form.metric !== undefined || form.periodStart !== undefined
    let scope: TargetScopeInput | null = null
    if (hasScope) {
      const parsed = z.object(scopeFields).safeParse(form)
      if (!parsed.success) {
        for (const i of parsed.error.issues) ctx.addIssue({ ...i, path: i.path })
      } else {
        scope = scopeInput(parsed.data, ctx)
        if (scope.helped.length === 0 && scope.helper.length === 0)
          issue(ctx, 'helped', 'targetForm.error.regions.required')
        if (isDay(scope.periodStart) && isDay(form.periodEnd) && form.periodEnd < scope.periodStart)
          issue(ctx, 'periodEnd', 'targetForm.error.periodEnd.beforeStart')
      }
    }
    const metric = scope?.metric ?? form.metricHint ?? 'amount_fen'
    const goalFen = goalValue(metric, form.goal, ctx)
    return { name: form.name, goal: goalFen ?? 0n, periodEnd: form.periodEnd, parentId: form.parentId, scope }
  })

export type TargetField =
  | 'name'
  | 'goal'
  | 'periodEnd'
  | 'parentId'
  | 'metric'
  | 'helped'
  | 'helper'
  | 'channelDirect'
  | 'certifiedOnly'
  | 'periodStart'
