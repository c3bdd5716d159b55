import { z } from 'zod'
import type { MessageKey } from '../../utils/i18n'
import { text } from '../../utils/validation'
import { reliefModes } from './constants'
import { calendarDate, oneOf } from './form-fields'

/** A stored file's key: the SHA-256 of its bytes and its extension (the files table's own check). */
const FILE_KEY = /^[0-9a-f]{64}\.(webp|jpg|png|pdf)$/

/**
 * A 帮扶产品认定 certificate as printed: the certifying body (free text — provinces certified at county, city or
 * province level under their own rules), its number, the validity period (inclusive days, Asia/Shanghai), 带贫方式
 * and, optionally, the scan of the certificate in the files store. Whether that file exists is the database's to say.
 */
export const certificationSchema = z
  .object({
    body: text({
      min: 2,
      max: 100,
      messages: {
        required: 'cert.error.body.required',
        tooShort: 'cert.error.body.length',
        tooLong: 'cert.error.body.length',
      },
    }),
    number: text({
      max: 60,
      messages: { required: 'cert.error.number.required', tooLong: 'cert.error.number.tooLong' },
    }),
    validFrom: calendarDate({
      required: 'cert.error.validFrom.required',
      invalid: 'cert.error.date.invalid',
    }),
    validUntil: calendarDate({
      required: 'cert.error.validUntil.required',
      invalid: 'cert.error.date.invalid',
    }),
    reliefMode: oneOf(reliefModes, 'cert.error.reliefMode.required'),
    evidenceFile: z.unknown().transform((value, ctx): string | null => {
      const raw = typeof value === 'string' ? value.trim() : value
      if (raw === undefined || raw === null || raw === '') return null
      if (typeof raw === 'string' && FILE_KEY.test(raw)) return raw
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: 'cert.error.evidence.unknown' satisfies MessageKey,
      })
      return z.NEVER
    }),
  })
  .superRefine((values, ctx) => {
    // YYYY-MM-DD strings compare as dates.
    if (
      typeof values.validFrom === 'string' &&
      typeof values.validUntil === 'string' &&
      values.validUntil < values.validFrom
    )
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['validUntil'],
        message: 'cert.error.validUntil.beforeFrom' satisfies MessageKey,
      })
  })
export type CertificationValues = z.output<typeof certificationSchema>
