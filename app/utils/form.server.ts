/**
 * The one way an action reads its form. Remix hands a malformed body straight to `request.formData()`, which throws
 * a TypeError (a 500) on a JSON body, a missing Content-Type or broken multipart; here each of those is the
 * client's mistake and gets a 4xx that says what was wrong. The size of the body is limited before this runs
 * (server/body-limit.ts).
 */

const FORM_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data'])

function refuse(status: 400 | 415, message: string): Response {
  return new Response(message, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
}

/**
 * The submitted fields, each a string. Throws a Response: 415 when the body is not a form, 400 when it cannot be
 * parsed, carries a file (no form here takes one), repeats a field (none sends one twice, and which copy counts
 * would be a guess) or holds a NUL byte anywhere (no text may contain one: PostgreSQL refuses it, 22021). Each
 * form's schema refuses the other control characters with a message next to the field.
 */
export async function readForm(request: Request): Promise<Record<string, string>> {
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
  const fields: Record<string, string> = {}
  for (const [name, value] of form) {
    if (typeof value !== 'string') throw refuse(400, '此表单不接受文件 / This form takes no files')
    if (Object.hasOwn(fields, name)) throw refuse(400, '字段重复 / A field was sent twice')
    if (name.includes('\u0000') || value.includes('\u0000'))
      throw refuse(400, '表单含有 NUL 字符 / The form contains a NUL byte')
    fields[name] = value
  }
  return fields
}
