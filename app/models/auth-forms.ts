import { z } from 'zod'

/**
 * The sign-up, login and password forms, shared by the server (which decides) and the browser (which shows the
 * same messages). Messages are i18n keys, translated where they are shown.
 */
const optionalText = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
  z.string().trim().optional(),
)

const password = z
  .string({ required_error: 'form.password.required' })
  .min(8, 'form.password.tooShort')
  .max(128, 'form.password.tooLong')

export const signUpForm = z
  .object({
    displayName: z
      .string({ required_error: 'form.displayName.required' })
      .trim()
      .min(1, 'form.displayName.required')
      .max(40, 'form.displayName.tooLong'),
    email: optionalText.pipe(
      z.string().email('form.email.invalid').max(200, 'form.email.invalid').optional(),
    ),
    mobile: optionalText.pipe(
      z
        .string()
        .transform((v) => v.replace(/[\s-]/g, ''))
        .pipe(z.string().regex(/^1[3-9]\d{9}$/, 'form.mobile.invalid'))
        .optional(),
    ),
    password,
    passwordConfirm: z.string({ required_error: 'form.passwordConfirm.mismatch' }),
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
  identifier: z
    .string({ required_error: 'form.identifier.required' })
    .trim()
    .min(1, 'form.identifier.required'),
  password: z.string({ required_error: 'form.password.required' }).min(1, 'form.password.required').max(128),
  redirectTo: z.string().optional(),
})

export const changePasswordForm = z
  .object({
    currentPassword: z.string({ required_error: 'form.password.required' }).min(1, 'form.password.required'),
    newPassword: password,
    newPasswordConfirm: z.string({ required_error: 'form.passwordConfirm.mismatch' }),
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

/** zod issues → { field: messageKey }, first issue per field. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {}
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'form')
    errors[field] ??= issue.message
  }
  return errors
}
