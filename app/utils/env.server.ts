import path from 'node:path'
import { z } from 'zod'

/**
 * The one place that reads process.env. Parsed once and validated; everything else asks getEnv().
 * APP_MODE says what the deployment is (demo data or real); NODE_ENV only says how the code was built.
 */
const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
    APP_MODE: z.enum(['demo', 'production']).default('demo'),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    /** Embedded data (PGlite, uploads, generated secrets). Relative paths are resolved from the working directory. */
    DATA_DIR: z.string().min(1).default('./.data'),
    /** A PostgreSQL server; when unset the embedded PGlite in DATA_DIR is used. */
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres:// or postgresql://')
      .optional(),
    /** The public origin (https://example.org) when a proxy rewrites Host; used for the cross-site check. */
    PUBLIC_ORIGIN: z
      .string()
      .url()
      .transform((url) => new URL(url).origin)
      .optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    /** A session ends after this long without a request… */
    SESSION_IDLE_MINUTES: z.coerce
      .number()
      .int()
      .min(5)
      .max(60 * 24 * 30)
      .default(12 * 60),
    /** …and at the latest this long after sign-in, however active. */
    SESSION_ABSOLUTE_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .default(7 * 24),
    /** How long a consumer has to pay by bank transfer before the reserved stock is released (default 3 days). */
    PAYMENT_WINDOW_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(30 * 24)
      .default(72),
    /** The platform's receiving account shown to payers (对公转账). Required in production; demo mode shows a fake one. */
    PLATFORM_BANK_ACCOUNT_NAME: z.string().min(2).max(100).optional(),
    PLATFORM_BANK_NAME: z.string().min(2).max(100).optional(),
    PLATFORM_BANK_ACCOUNT_NUMBER: z
      .string()
      .regex(/^[0-9 ]{8,40}$/, 'PLATFORM_BANK_ACCOUNT_NUMBER must be digits (spaces allowed)')
      .optional(),
    /** Outgoing email (password reset links): an SMTP URL, e.g. smtps://user:pass@smtp.example.org:465. Unset:
     *  messages stay in the outbox (/admin/outbox), which in demo mode is their delivery. */
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'SMTP_URL must start with smtp:// or smtps://')
      .optional(),
    MAIL_FROM: z.string().min(3).max(200).default('消费帮扶集市 <no-reply@localhost>'),
    /** The data key for fields stored encrypted (household ID numbers): 32 bytes as 64 hex digits or base64.
     *  Required in production; demo mode generates one into DATA_DIR/secrets.json when unset. */
    DATA_KEY: z
      .string()
      .regex(
        /^(?:[0-9a-fA-F]{64}|[A-Za-z0-9+/_-]{43}=?)$/,
        'DATA_KEY must be 32 bytes written as 64 hex digits or base64',
      )
      .optional(),
    /** How long an anonymous page is served from memory (server/page-cache.ts, decision 027); 0 turns the cache off.
     *  At most 10 s: the product page shows stock. */
    PAGE_CACHE_TTL_MS: z.coerce.number().int().min(0).max(10_000).default(2_000),
    /** Log every SQL statement (development aid). */
    LOG_SQL: z
      .enum(['0', '1', 'true', 'false'])
      .default('0')
      .transform((v) => v === '1' || v === 'true'),
  })
  .superRefine((env, ctx) => {
    if (env.APP_MODE === 'production' && !env.DATABASE_URL) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['DATABASE_URL'],
        message: 'APP_MODE=production needs a PostgreSQL server: set DATABASE_URL',
      })
    }
    if (env.APP_MODE === 'production' && !env.DATA_KEY) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['DATA_KEY'],
        message:
          'APP_MODE=production stores household ID numbers encrypted: set DATA_KEY (32 bytes, base64 or hex) and back it up',
      })
    }
    if (env.APP_MODE === 'production' && env.SMTP_URL && !env.PUBLIC_ORIGIN) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['PUBLIC_ORIGIN'],
        message:
          'Emails carry links to this site: with SMTP_URL set, APP_MODE=production needs PUBLIC_ORIGIN',
      })
    }
    if (env.APP_MODE === 'production') {
      for (const key of [
        'PLATFORM_BANK_ACCOUNT_NAME',
        'PLATFORM_BANK_NAME',
        'PLATFORM_BANK_ACCOUNT_NUMBER',
      ] as const) {
        if (!env[key]) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: [key],
            message: 'APP_MODE=production shows payers the platform account: set ' + key,
          })
        }
      }
    }
  })

export type Env = z.infer<typeof envSchema> & { dataDir: string }

let cached: Env | undefined

export function parseEnv(source: Record<string, string | undefined>): Env {
  // An empty variable (DATABASE_URL= in a .env file) means "not set", not "set to nothing".
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''))
  const result = envSchema.safeParse(present)
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`)
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`)
  }
  return { ...result.data, dataDir: path.resolve(result.data.DATA_DIR) }
}

export function getEnv(): Env {
  cached ??= parseEnv(process.env)
  return cached
}
