import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { regionLevels } from '../../app/domains/regions/codes'
import { parseForm } from '../../app/utils/form.server'
import { invariantResponse } from '../../app/utils/guards.server'
import {
  controlCharactersMessage,
  fieldErrorsOf,
  optionalText,
  parseSubmission,
  text,
} from '../../app/utils/validation'

/** The shared pieces every form goes through: the reader, the parser, the reply's shape, the guard. */

const schema = z.object({
  name: text({ min: 2, max: 5, messages: { required: 'req', tooShort: 'short', tooLong: 'long' } }),
  note: optionalText({ max: 10 }),
  password: text({ max: 20, messages: { required: 'pw' } }),
})

function post(body: string, type = 'application/x-www-form-urlencoded'): Request {
  return new Request('http://localhost/x', { method: 'POST', headers: { 'Content-Type': type }, body })
}

async function thrown(promise: Promise<unknown>): Promise<Response> {
  try {
    await promise
  } catch (error) {
    if (error instanceof Response) return error
    throw error
  }
  throw new Error('expected a thrown Response')
}

describe('parseSubmission', () => {
  it('keeps the schemas’ own messages: blank is `required`, not zod’s wording', () => {
    for (const name of ['', '   ']) {
      const submission = parseSubmission(new URLSearchParams({ name, password: 'x' }), schema)
      expect(submission.status).toBe('error')
      expect(submission.reply().error, JSON.stringify(name)).toEqual({ name: ['req'] })
    }
    // A missing field too.
    expect(parseSubmission(new URLSearchParams({ password: 'x' }), schema).reply().error).toEqual({
      name: ['req'],
    })
  })

  it('gives the first problem of each field only, and control characters before length', () => {
    const submission = parseSubmission(
      new URLSearchParams({ name: 'a\u001bbcdefgh', note: 'x'.repeat(11), password: '' }),
      schema,
    )
    expect(submission.reply().error).toEqual({
      name: [controlCharactersMessage],
      note: ['too_long'],
      password: ['pw'],
    })
  })

  it('gives the parsed values on success, and answers without the fields it is told to hide', () => {
    const submission = parseSubmission(
      new URLSearchParams({ name: ' 张三 ', note: '  ', password: 'secret' }),
      schema,
    )
    expect(submission.status).toBe('success')
    if (submission.status !== 'success') return
    expect(submission.value).toEqual({ name: '张三', note: undefined, password: 'secret' })
    const reply = submission.reply({ fieldErrors: { name: ['taken'] }, hideFields: ['password'] })
    expect(reply.status).toBe('error')
    expect(reply.error).toEqual({ name: ['taken'] })
    expect(reply.initialValue).toEqual({ name: ' 张三 ', note: '  ' })
    expect(JSON.stringify(reply)).not.toContain('secret')
  })
})

describe('fieldErrorsOf', () => {
  it('puts an operation’s own check in the same shape as a form’s answer', () => {
    const parsed = schema.safeParse({ name: 'a', password: '' })
    expect(parsed.success).toBe(false)
    if (!parsed.success) expect(fieldErrorsOf(parsed.error)).toEqual({ name: ['short'], password: ['pw'] })
    const list = z.object({ codes: z.array(z.string().regex(/^\d+$/, 'digits')) })
    const codes = list.safeParse({ codes: ['1', 'x'] })
    if (!codes.success) expect(fieldErrorsOf(codes.error)).toEqual({ codes: ['digits'] })
  })
})

describe('parseForm', () => {
  it('reads a form and parses it with the schema', async () => {
    const submission = await parseForm(post('name=%E5%BC%A0%E4%B8%89&password=x'), schema)
    expect(submission.status).toBe('success')
  })

  it('refuses field names no form of ours sends: conform’s paths and its reserved names', async () => {
    for (const name of ['a[0]', 'a.b', '__intent__', '__state__', 'x[4294967294]', '__proto__', '1a', '']) {
      const body = `${encodeURIComponent(name)}=1&name=ab&password=x`
      const answer = await thrown(parseForm(post(body), schema))
      expect(answer.status, name).toBe(400)
    }
  })

  it('refuses what is not a form (415), a repeated field and a NUL byte (400)', async () => {
    expect((await thrown(parseForm(post('{}', 'application/json'), schema))).status).toBe(415)
    expect((await thrown(parseForm(post('name=ab&name=cd&password=x'), schema))).status).toBe(400)
    expect((await thrown(parseForm(post('name=a%00b&password=x'), schema))).status).toBe(400)
  })
})

describe('invariantResponse', () => {
  it('throws the response when the condition fails, 400 unless told otherwise, as plain text', async () => {
    expect(() => invariantResponse(true, 'never')).not.toThrow()
    const bad = (() => {
      try {
        invariantResponse(null, 'Bad request: page')
      } catch (error) {
        return error
      }
    })() as Response
    expect(bad.status).toBe(400)
    expect(bad.headers.get('Content-Type')).toContain('text/plain')
    expect(await bad.text()).toBe('Bad request: page')
    try {
      invariantResponse(undefined, '订单不存在 / Order not found', { status: 404 })
    } catch (error) {
      expect((error as Response).status).toBe(404)
    }
  })
})

describe('regionLevels', () => {
  it('names the province, city and county a code lies in, as far as it goes', () => {
    expect(regionLevels('621126')).toEqual({ province: '620000', city: '621100', county: '621126' })
    expect(regionLevels('621100')).toEqual({ province: '620000', city: '621100', county: '' })
    expect(regionLevels('620000')).toEqual({ province: '620000', city: '', county: '' })
    expect(regionLevels('441900')).toEqual({ province: '440000', city: '441900', county: '' })
    for (const code of [null, undefined, '', '62112', '062112', 'abcdef'])
      expect(regionLevels(code)).toEqual({ province: '', city: '', county: '' })
  })
})
