import { z } from 'zod'
import { optionalText, secret, text } from '../../utils/validation'

/**
 * The sign-up, login, password and organisation-switch forms, shared by the server (which decides) and the browser
 * (which checks early and shows the same messages). Messages are i18n keys, translated where they are shown.
 */

const password = secret({
  min: 8,
  max: 128,
  messages: {
    required: 'form.password.required',
    tooShort: 'form.password.tooShort',
    tooLong: 'form.password.tooLong',
  },
})

/** Where to go after signing in: checked again by safeRedirectPath; a control character here is a forged form. */
const redirectTo = optionalText({ max: 2000 })

export const signUpForm = z
  .object({
    displayName: text({
      max: 40,
      messages: { required: 'form.displayName.required', tooLong: 'form.displayName.tooLong' },
    }),
    email: optionalText({ max: 200, messages: { tooLong: 'form.email.invalid' } }).pipe(
      z.string().email('form.email.invalid').optional(),
    ),
    mobile: optionalText({ max: 40, messages: { tooLong: 'form.mobile.invalid' } }).pipe(
      z
        .string()
        .transform((v) => v.replace(/[\s-]/g, ''))
        .pipe(z.string().regex(/^1[3-9]\d{9}$/, 'form.mobile.invalid'))
        .optional(),
    ),
    password,
    passwordConfirm: secret({ max: 128, messages: { required: 'form.passwordConfirm.mismatch' } }),
    redirectTo,
  })
  .superRefine((value, ctx) => {
    if (!value.email && !value.mobile) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['email'], message: 'form.emailOrMobile.required' })
    }
    if (value.password !== value.passwordConfirm) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['passwordConfirm'],
        message: 'form.passwordConfirm.mismatch',
      })
    }
  })

export const loginForm = z.object({
  identifier: text({
    max: 200,
    messages: { required: 'form.identifier.required', tooLong: 'form.identifier.required' },
  }),
  password: secret({
    max: 128,
    messages: { required: 'form.password.required', tooLong: 'form.password.tooLong' },
  }),
  redirectTo,
})

export const changePasswordForm = z
  .object({
    currentPassword: secret({
      max: 128,
      messages: { required: 'form.password.required', tooLong: 'form.password.tooLong' },
    }),
    newPassword: password,
    newPasswordConfirm: secret({ max: 128, messages: { required: 'form.passwordConfirm.mismatch' } }),
  })
  .superRefine((value, ctx) => {
    if (value.newPassword !== value.newPasswordConfirm) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['newPasswordConfirm'],
        message: 'form.passwordConfirm.mismatch',
      })
    }
  })

/** Forgotten password: the email or mobile number the account signs in with. */
export const forgotPasswordForm = z.object({
  identifier: text({
    max: 200,
    messages: { required: 'form.identifier.required', tooLong: 'form.identifier.required' },
  }),
})

const newPasswordPair = {
  newPassword: password,
  newPasswordConfirm: secret({ max: 128, messages: { required: 'form.passwordConfirm.mismatch' } }),
}

function confirmMatches(value: { newPassword: string; newPasswordConfirm: string }, ctx: z.RefinementCtx) {
  if (value.newPassword !== value.newPasswordConfirm) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['newPasswordConfirm'],
      message: 'form.passwordConfirm.mismatch',
    })
  }
}

/** A new password chosen from an emailed link (the token is in the URL, not the form). */
export const resetPasswordForm = z.object(newPasswordPair).superRefine(confirmMatches)

/** A new password chosen with the code sent by SMS. */
export const resetPasswordByCodeForm = z
  .object({
    mobile: text({
      max: 40,
      messages: { required: 'form.mobile.invalid', tooLong: 'form.mobile.invalid' },
    }).pipe(
      z
        .string()
        .transform((v) => v.replace(/[\s-]/g, ''))
        .pipe(z.string().regex(/^1[3-9]\d{9}$/, 'form.mobile.invalid')),
    ),
    code: text({
      max: 20,
      messages: { required: 'form.resetCode.invalid', tooLong: 'form.resetCode.invalid' },
    }).pipe(
      z
        .string()
        .transform((v) => v.replace(/\s/g, ''))
        .pipe(z.string().regex(/^\d{6}$/, 'form.resetCode.invalid')),
    ),
    ...newPasswordPair,
  })
  .superRefine(confirmMatches)

/** Which organisation to act for: empty is "as a consumer" (the membership is checked by the operation). */
export const switchForm = z.object({
  orgId: z.union([z.literal(''), z.string().uuid()]),
  redirectTo,
})

/** How long to wait, as the login and sign-up pages say it: seconds while short, whole minutes after. */
export function retryMessage(
  retryAfterSeconds: number,
):
  | { key: 'auth.throttledSeconds'; values: { seconds: number } }
  | { key: 'auth.throttled'; values: { minutes: number } } {
  return retryAfterSeconds < 120
    ? { key: 'auth.throttledSeconds', values: { seconds: retryAfterSeconds } }
    : { key: 'auth.throttled', values: { minutes: Math.ceil(retryAfterSeconds / 60) } }
}
