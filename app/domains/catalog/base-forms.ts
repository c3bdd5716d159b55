import { z } from 'zod'
import { optionalText, text } from '../../utils/validation'
import { baseKinds } from './constants'
import { oneOf, regionCodeField } from './form-fields'

/** A 帮扶基地 (where goods are grown) or 帮扶车间 (where they are made) of a cooperative. */
export const baseSchema = z.object({
  name: text({
    min: 2,
    max: 60,
    messages: {
      required: 'base.error.name.required',
      tooShort: 'base.error.name.length',
      tooLong: 'base.error.name.length',
    },
  }),
  kind: oneOf(baseKinds, 'base.error.kind.required'),
  regionCode: regionCodeField({
    required: 'base.error.region.required',
    invalid: 'base.error.region.unknown',
  }),
  description: optionalText({
    max: 1000,
    multiline: true,
    messages: { tooLong: 'base.error.description.tooLong' },
  }).transform((value) => value ?? ''),
})
export type BaseValues = z.output<typeof baseSchema>
