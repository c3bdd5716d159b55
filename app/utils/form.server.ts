import type { z } from 'zod'
import { parseSubmission } from './validation'

/**
 * The one way an action reads its form. Remix hands a malformed body straight to `request.formData()`, which throws
 * a TypeError (a 500) on a JSON body, a missing Content-Type or broken multipart; here each of those is the
 * client's mistake and gets a 4xx that says what was wrong. The size of the body is limited before this runs
 * (server/body-limit.ts).
 */

const FORM_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data'])

/**
 * Field names our forms use. Conform reads dots and brackets in a name as a path into nested values
 * (`a[4294967294]` would make an array of four billion slots when the answer echoes the values back) and reserves
 * `__intent__` and `__state__` for its own JSON; no form here sends those. The one nesting allowed is a row of a
 * short repeating group with a single-digit index (`tiers[3].minQty`, the listing form's volume tiers): at most ten
 * slots, whatever the index.
 */
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}(\[\d\]\.[A-Za-z][A-Za-z0-9_-]{0,63})?$/

function refuse(status: 400 | 415, message: string): Response {
  return new Response(message, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
}

/**
 * The submitted form, checked. Throws a Response: 415 when the body is not a form, 400 when it cannot be parsed,
 * carries a file (no form here takes one), repeats a field (none sends one twice, and which copy counts would be a
 * guess), names a field in a way no form of ours does, or holds a NUL byte anywhere (no text may contain one:
 * PostgreSQL refuses it, 22021). Each form's schema refuses the other control characters with a message next to
 * the field.
 */
async function readFormData(request: Request): Promise<FormData> {
  const type = (request.headers.get('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase()
  if (!FORM_TYPES.has(type)) {
    throw refuse(
      415,
      '请以表单提交（application/x-www-form-urlencoded 或 multipart/form-data） / ' +
        'Send a form (application/x-www-form-urlencoded or multipart/form-data)',
    )
  }
  let form: FormData
  try {
    form = await request.formData()
  } catch {
    throw refuse(400, '表单无法解析 / The form could not be read')
  }
  const seen = new Set<string>()
  for (const [name, value] of form) {
    if (typeof value !== 'string') throw refuse(400, '此表单不接受文件 / This form takes no files')
    if (seen.has(name)) throw refuse(400, '字段重复 / A field was sent twice')
    if (name.includes('\u0000') || value.includes('\u0000'))
      throw refuse(400, '表单含有 NUL 字符 / The form contains a NUL byte')
    if (!FIELD_NAME.test(name)) throw refuse(400, '字段名无效 / A field name is not valid')
    seen.add(name)
  }
  return form
}

/**
 * Reads the form (with the checks above) and parses it with the form's schema: conform's submission, whose
 * `reply()` an action answers with when the input is invalid (see `parseSubmission`).
 */
export async function parseForm<Schema extends z.ZodTypeAny>(request: Request, schema: Schema) {
  return parseSubmission(await readFormData(request), schema)
}

/**
 * The submitted fields as a record of strings, with the same checks. Only the language switch
 * (app/routes/language.tsx) still reads its form this way; every other action uses `parseForm`.
 */
export async function readForm(request: Request): Promise<Record<string, string>> {
  return Object.fromEntries(await readFormData(request)) as Record<string, string>
}
