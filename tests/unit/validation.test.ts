import fc from 'fast-check'
import type { z } from 'zod'
import { describe, expect, it } from 'vitest'
import { changePasswordForm, loginForm, signUpForm } from '../../app/domains/accounts/forms'
import { checkoutForm } from '../../app/domains/orders/checkout-forms'
import { officeSchema, registrationSchema, rejectionSchema } from '../../app/domains/organizations/forms'
import { translate } from '../../app/utils/i18n.server'
import { makeUscc } from '../../app/utils/uscc'
import {
  controlCharactersMessage,
  hasControlCharacters,
  optionalText,
  queryText,
  routeParam,
  text,
} from '../../app/utils/validation'
import { fcParams } from '../support/fast-check'

/** C0 (but tab, LF, CR, which trimming or multi-line fields may keep), DEL and C1. */
const controls = [
  ...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)),
  '\u007f',
  ...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(0x80 + i)),
]

describe('hasControlCharacters', () => {
  it('finds every C0 and C1 control character and DEL, and nothing else', () => {
    for (const c of controls) expect(hasControlCharacters(`a${c}b`), c.charCodeAt(0).toString(16)).toBe(true)
    for (const s of ['岷县当归', 'café', 'a b', '\u00a0', '\u2028', '😀'])
      expect(hasControlCharacters(s)).toBe(false)
  })

  it('keeps tab and line breaks in multi-line text only', () => {
    for (const c of ['\t', '\n', '\r']) {
      expect(hasControlCharacters(`a${c}b`)).toBe(true)
      expect(hasControlCharacters(`a${c}b`, { multiline: true })).toBe(false)
    }
    expect(hasControlCharacters('a\u0000b', { multiline: true })).toBe(true)
    expect(hasControlCharacters('a\u000bb', { multiline: true })).toBe(true)
  })
})

describe('text and optionalText', () => {
  const name = text({ min: 2, max: 5, messages: { required: 'req', tooShort: 'short', tooLong: 'long' } })

  it('trims, then reports one problem per field: control characters before length', () => {
    expect(name.parse('  ab ')).toBe('ab')
    expect(name.safeParse('').error?.issues.map((i) => i.message)).toEqual(['req'])
    expect(name.safeParse('   ').error?.issues.map((i) => i.message)).toEqual(['req'])
    expect(name.safeParse('a').error?.issues.map((i) => i.message)).toEqual(['short'])
    expect(name.safeParse('abcdef').error?.issues.map((i) => i.message)).toEqual(['long'])
    expect(name.safeParse('\u0000').error?.issues.map((i) => i.message)).toEqual([controlCharactersMessage])
    expect(name.safeParse(undefined).error?.issues.map((i) => i.message)).toEqual(['req'])
  })

  it('treats blank optional text as missing and still refuses control characters', () => {
    const note = optionalText({ max: 10 })
    expect(note.parse('  ')).toBeUndefined()
    expect(note.parse(undefined)).toBeUndefined()
    expect(note.parse(' x ')).toBe('x')
    expect(note.safeParse('x\u001by').success).toBe(false)
  })

  it('refuses any string holding a control character, and accepts any without', () => {
    const field = text({ max: 1000 })
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 50 }), (value) => {
        const trimmed = value.trim()
        const accepted = field.safeParse(value).success
        expect(accepted).toBe(trimmed !== '' && !hasControlCharacters(trimmed))
      }),
      fcParams(),
    )
  })

  it('gives the control-character message in both languages', () => {
    expect(translate('zh', controlCharactersMessage)).toContain('控制字符')
    expect(translate('en', controlCharactersMessage)).toContain('control characters')
  })
})

describe('route and query parameters', () => {
  it('turn a parameter that cannot name anything into null or an issue, before any query', () => {
    expect(routeParam({ slug: 'dingximalingshu' }, 'slug')).toBe('dingximalingshu')
    expect(routeParam({ slug: 'a\u0000' }, 'slug')).toBeNull()
    expect(routeParam({ slug: '' }, 'slug')).toBeNull()
    expect(routeParam({}, 'slug')).toBeNull()
    expect(routeParam({ slug: 'x'.repeat(201) }, 'slug')).toBeNull()
    expect(queryText(10).parse('  土豆 ')).toBe('土豆')
    expect(queryText(10).parse(null)).toBe('')
    expect(queryText(10).safeParse('a\u0000').success).toBe(false)
    expect(queryText(3).safeParse('abcd').success).toBe(false)
  })
})

const uscc = makeUscc({ authority: '9', kind: '1', regionCode: '350102', orgBody8: 'MA2Y3K7D' })

/** Every form schema with a valid submission: each field, spoiled by one control character, must be refused. */
const forms: Array<{
  name: string
  schema: z.ZodTypeAny
  valid: Record<string, string>
  multiline?: string[]
}> = [
  {
    name: 'sign-up',
    schema: signUpForm,
    valid: {
      displayName: '张三',
      email: 'zhang@example.com',
      mobile: '13800138000',
      password: 'long enough',
      passwordConfirm: 'long enough',
      redirectTo: '/checkout',
    },
  },
  {
    name: 'login',
    schema: loginForm,
    valid: { identifier: 'zhang@example.com', password: 'long enough', redirectTo: '/checkout' },
  },
  {
    name: 'password change',
    schema: changePasswordForm,
    valid: {
      currentPassword: 'old password',
      newPassword: 'new password',
      newPasswordConfirm: 'new password',
    },
  },
  {
    name: 'checkout',
    schema: checkoutForm,
    valid: {
      recipient: '张三',
      phone: '13800138000',
      regionCode: '350102',
      address: '福州市鼓楼区演示路1号',
      invoiceKind: 'company',
      invoiceTitle: '演示公司',
      taxId: uscc,
      invoiceEmail: 'invoice@example.com',
    },
  },
  {
    name: 'organisation registration',
    schema: registrationSchema,
    valid: {
      kind: 'gov_unit',
      name: '鼓楼区演示单位',
      uscc,
      regionCode: '350102',
      contactName: '李四',
      contactPhone: '0591-12345678',
    },
  },
  {
    name: 'rejection',
    schema: rejectionSchema,
    valid: { reason: '材料不全\r\n请补充' },
    multiline: ['reason'],
  },
  {
    name: 'new office',
    schema: officeSchema,
    valid: { name: '演示帮扶工作机构', regionCode: '350100', uscc, jurisdiction: '350100\r\n621100' },
    multiline: ['jurisdiction'],
  },
]

/** Fields whose free text is kept as typed (whitespace inside included): a line break there is refused too. */
const singleLineText = [
  'displayName',
  'identifier',
  'recipient',
  'address',
  'invoiceTitle',
  'name',
  'contactName',
]

describe('every form schema', () => {
  for (const form of forms) {
    it(`refuses a control character in any field of the ${form.name} form`, () => {
      expect(form.schema.safeParse(form.valid).success, 'the valid submission').toBe(true)
      for (const field of Object.keys(form.valid)) {
        const value = form.valid[field]!
        const spoilers = ['\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u009b']
        if (singleLineText.includes(field)) spoilers.push('\t', '\n', '\r')
        for (const c of spoilers) {
          const spoiled = `${value.slice(0, 1)}${c}${value.slice(1)}`
          const parsed = form.schema.safeParse({ ...form.valid, [field]: spoiled })
          expect(parsed.success, `${field} with U+${c.charCodeAt(0).toString(16)}`).toBe(false)
          expect(
            parsed.error?.issues.map((i) => i.path[0]),
            field,
          ).toContain(field)
        }
      }
    })
  }

  it('names the control characters next to free-text fields', () => {
    const parsed = signUpForm.safeParse({ ...forms[0]!.valid, displayName: '张\u001b三' })
    expect(parsed.error?.issues).toEqual([
      expect.objectContaining({ path: ['displayName'], message: controlCharactersMessage }),
    ])
    const org = registrationSchema.safeParse({ ...forms[4]!.valid, name: '演示\u0007单位' })
    expect(org.error?.issues[0]?.message).toBe(controlCharactersMessage)
  })
})
