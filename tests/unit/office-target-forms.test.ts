import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  buyerChannelsOf,
  choicesOfChannels,
  editTargetForm,
  newTargetForm,
  targetChannelChoices,
} from '../../app/domains/targets/target-forms'
import { parseSubmission } from '../../app/utils/validation'

/** Office dashboard II (decision 024): the office's target form. */
describe('office target form', () => {
  const form = (over: Record<string, string> = {}) => {
    const data = new FormData()
    const fields = {
      name: '鼓楼区专项',
      metric: 'amount_fen',
      goal: '30,000,000.5',
      helped: '621102\n621102',
      helper: '',
      channelAssist: 'on',
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
      ...over,
    }
    for (const [k, v] of Object.entries(fields)) data.append(k, v)
    return data
  }

  it('reads yuan to fen exactly, people as a count, and the channels chosen', () => {
    const ok = parseSubmission(form(), newTargetForm)
    expect(ok.status).toBe('success')
    if (ok.status !== 'success') return
    expect(ok.value.goal).toBe(3_000_000_050n)
    expect(ok.value.scope).toMatchObject({ helped: ['621102'], helper: [], channels: ['sales_assist'] })
    const people = parseSubmission(form({ metric: 'people', goal: '32000' }), newTargetForm)
    expect(people.status === 'success' && people.value.goal).toBe(32_000n)
    const fractionalPeople = parseSubmission(form({ metric: 'people', goal: '1.5' }), newTargetForm)
    expect(fractionalPeople.reply().error).toMatchObject({ goal: ['targetForm.error.goal.people'] })
  })

  it('says what is wrong next to each field', () => {
    const bad = parseSubmission(
      form({ goal: '0', channelAssist: '', helped: '', periodEnd: '2025-12-31' }),
      newTargetForm,
    )
    expect(bad.reply().error).toMatchObject({
      goal: ['targetForm.error.goal.amount'],
      channelDirect: ['targetForm.error.channels'],
      helped: ['targetForm.error.regions.required'],
      periodEnd: ['targetForm.error.periodEnd.beforeStart'],
    })
  })

  it('sends no scope from the frozen edit form, and reads its goal in the stored metric', () => {
    const data = new FormData()
    for (const [k, v] of Object.entries({
      name: '冻结',
      goal: '120',
      periodEnd: '2026-12-31',
      metricHint: 'people',
    }))
      data.append(k, v)
    const parsed = parseSubmission(data, editTargetForm)
    expect(parsed.status === 'success' && parsed.value).toMatchObject({ scope: null, goal: 120n })
  })

  it('stores both channels as "any" and reads stored channels back as the same choices (property)', () => {
    fc.assert(
      fc.property(fc.subarray([...targetChannelChoices], { minLength: 1 }), (choices) => {
        const stored = buyerChannelsOf(choices)
        expect(choicesOfChannels(stored)).toEqual(choices)
        if (choices.length === targetChannelChoices.length) expect(stored).toEqual([])
      }),
    )
  })
})
