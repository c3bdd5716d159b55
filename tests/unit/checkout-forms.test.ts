import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checkoutForm, invoiceRequest, normalizePhone } from '../../app/domains/orders/checkout-forms'
import { isValidUscc, makeUscc } from '../../app/utils/uscc'
import { fieldErrorsOf, parseSubmission } from '../../app/utils/validation'
import { fcParams } from '../support/fast-check'

const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const validUscc = makeUscc({ authority: '9', kind: '1', regionCode: '350102', orgBody8: 'MA2Y3K7D' })
/** The same code with its check character replaced by another: no longer valid. */
const badCheck = validUscc.slice(0, 17) + CHARSET[(CHARSET.indexOf(validUscc[17]!) + 1) % CHARSET.length]!

const base = {
  recipient: '张三',
  phone: '138 0013 8000',
  regionCode: '350102',
  address: '福州市鼓楼区演示路1号',
}

/** The field → message keys of a rejected form (the first problem of each field, as the form shows it). */
function fieldErrors(values: Record<string, unknown>): Record<string, string[] | undefined> {
  const parsed = checkoutForm.safeParse(values)
  if (parsed.success) return {}
  return fieldErrorsOf(parsed.error)
}

/** What the form's answer says: the submission as the action parses it, and its reply's errors. */
function submit(values: Record<string, string>) {
  return parseSubmission(new URLSearchParams(values), checkoutForm)
}

function parse(values: Record<string, unknown>) {
  const parsed = checkoutForm.safeParse(values)
  if (!parsed.success) throw new Error(`expected a valid form: ${JSON.stringify(parsed.error.flatten())}`)
  return parsed.data
}

describe('normalizePhone', () => {
  it('accepts mainland mobiles however they are spaced or prefixed', () => {
    for (const raw of [
      '13800138000',
      '138 0013 8000',
      '138-0013-8000',
      ' 13800138000 ',
      '+86 138 0013 8000',
      '+8613800138000',
      '0086 13800138000',
      '(+86) 138 0013 8000',
    ])
      expect(normalizePhone(raw), raw).toBe('13800138000')
    expect(normalizePhone('19912345678')).toBe('19912345678')
  })

  it('accepts landlines with their area code, written as people write them', () => {
    expect(normalizePhone('0591-12345678')).toBe('0591-12345678')
    expect(normalizePhone('0591 12345678')).toBe('0591-12345678')
    expect(normalizePhone('(0591)12345678')).toBe('0591-12345678')
    expect(normalizePhone('(0591) 1234567')).toBe('0591-1234567')
    expect(normalizePhone('010-12345678')).toBe('010-12345678')
    expect(normalizePhone('0931 1234567')).toBe('0931-1234567')
    expect(normalizePhone('0591-12345678转123')).toBe('0591-12345678-123')
    expect(normalizePhone('0591-12345678 ext. 45')).toBe('0591-12345678-45')
  })

  it('rejects what is neither', () => {
    for (const raw of [
      '',
      '12345678901', // mobiles start 13–19
      '1380013800', // 10 digits
      '138001380001', // 12 digits
      '23800138000',
      '12345678', // a local number without its area code
      '591-12345678', // area codes start with 0
      '0591-123456', // local part too short
      '0591-123456789', // too long
      '0591-12345678转', // extension without digits
      'tel:13800138000',
      '１３８００１３８０００', // full-width digits
      '138OO138OOO',
    ])
      expect(normalizePhone(raw), raw).toBeNull()
  })

  it('every mobile number survives any mix of spaces and dashes and a +86 prefix', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 9 }),
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 }),
        fc.array(fc.constantFrom('', '', ' ', '-'), { minLength: 11, maxLength: 11 }),
        fc.constantFrom('', '+86', '+86 ', '0086'),
        (second, rest, separators, prefix) => {
          const digits = `1${second}${rest.join('')}`
          const spaced = [...digits].map((d, i) => d + (i < 10 ? separators[i] : '')).join('')
          expect(normalizePhone(prefix + spaced)).toBe(digits)
        },
      ),
      fcParams(),
    )
  })
})

describe('checkoutForm', () => {
  it('accepts a complete form and normalises it', () => {
    const form = parse({ ...base, recipient: '  张三 ', address: ' 福州市鼓楼区演示路1号 ' })
    expect(form).toMatchObject({
      recipient: '张三',
      phone: '13800138000',
      regionCode: '350102',
      address: '福州市鼓楼区演示路1号',
      invoiceKind: 'none',
    })
    expect(invoiceRequest(form)).toBeNull()
  })

  it('names each bad field with its message key', () => {
    expect(fieldErrors({})).toEqual({
      recipient: ['checkout.recipient.required'],
      phone: ['checkout.phone.required'],
      regionCode: ['checkout.region.required'],
      address: ['checkout.address.required'],
    })
    expect(fieldErrors({ ...base, recipient: ' 张 ' })).toEqual({
      recipient: ['checkout.recipient.required'],
    })
    expect(fieldErrors({ ...base, recipient: '张'.repeat(31) })).toEqual({
      recipient: ['checkout.recipient.tooLong'],
    })
    expect(fieldErrors({ ...base, phone: '   ' })).toEqual({ phone: ['checkout.phone.required'] })
    expect(fieldErrors({ ...base, phone: '12345' })).toEqual({ phone: ['checkout.phone.invalid'] })
    expect(fieldErrors({ ...base, regionCode: '35010' })).toEqual({
      regionCode: ['checkout.region.required'],
    })
    expect(fieldErrors({ ...base, regionCode: '050102' })).toEqual({
      regionCode: ['checkout.region.required'],
    })
    expect(fieldErrors({ ...base, address: '鼓楼' })).toEqual({ address: ['checkout.address.required'] })
    expect(fieldErrors({ ...base, address: '路'.repeat(121) })).toEqual({
      address: ['checkout.address.tooLong'],
    })
    expect(fieldErrors({ ...base, invoiceKind: 'personal', invoiceEmail: 'not-an-email' })).toEqual({
      invoiceEmail: ['checkout.invoiceEmail.invalid'],
    })
    expect(fieldErrors({ ...base, invoiceKind: 'vat' })).toHaveProperty('invoiceKind')
  })

  it('a personal invoice is titled with the recipient unless a title is given', () => {
    const untitled = parse({ ...base, invoiceKind: 'personal', invoiceTitle: '   ', invoiceEmail: '' })
    expect(invoiceRequest(untitled)).toEqual({ kind: 'personal', title: '张三' })
    const titled = parse({
      ...base,
      invoiceKind: 'personal',
      invoiceTitle: ' 张三家 ',
      invoiceEmail: ' zs@example.com ',
    })
    expect(invoiceRequest(titled)).toEqual({ kind: 'personal', title: '张三家', email: 'zs@example.com' })
  })

  it('a company invoice needs a title and a valid 统一社会信用代码', () => {
    expect(isValidUscc(validUscc)).toBe(true)
    expect(isValidUscc(badCheck)).toBe(false)

    expect(fieldErrors({ ...base, invoiceKind: 'company' })).toEqual({
      invoiceTitle: ['checkout.invoiceTitle.required'],
      taxId: ['checkout.taxId.required'],
    })
    expect(fieldErrors({ ...base, invoiceKind: 'company', invoiceTitle: ' ', taxId: ' ' })).toEqual({
      invoiceTitle: ['checkout.invoiceTitle.required'],
      taxId: ['checkout.taxId.required'],
    })
    expect(fieldErrors({ ...base, invoiceKind: 'company', invoiceTitle: '某', taxId: validUscc })).toEqual({
      invoiceTitle: ['checkout.invoiceTitle.required'],
    })
    expect(
      fieldErrors({ ...base, invoiceKind: 'company', invoiceTitle: '某某有限公司', taxId: badCheck }),
    ).toEqual({ taxId: ['checkout.taxId.invalid'] })
    expect(
      fieldErrors({
        ...base,
        invoiceKind: 'company',
        invoiceTitle: '某某有限公司',
        taxId: validUscc.slice(0, 17),
      }),
    ).toEqual({ taxId: ['checkout.taxId.invalid'] })
    expect(
      fieldErrors({ ...base, invoiceKind: 'company', invoiceTitle: '公'.repeat(101), taxId: validUscc }),
    ).toEqual({ invoiceTitle: ['checkout.invoiceTitle.tooLong'] })

    // Typed in lowercase with spaces around: stored as printed on the licence.
    const form = parse({
      ...base,
      invoiceKind: 'company',
      invoiceTitle: ' 某某有限公司 ',
      taxId: ` ${validUscc.toLowerCase()} `,
    })
    expect(invoiceRequest(form)).toEqual({ kind: 'company', title: '某某有限公司', taxId: validUscc })
  })

  it('ignores a tax id for personal invoices and no invoice', () => {
    expect(invoiceRequest(parse({ ...base, invoiceKind: 'personal', taxId: badCheck }))).toEqual({
      kind: 'personal',
      title: '张三',
    })
    expect(
      invoiceRequest(parse({ ...base, invoiceKind: 'none', invoiceTitle: 'x', taxId: badCheck })),
    ).toBeNull()
  })

  it('accepts every valid USCC and rejects every one with a wrong check character', () => {
    const char = fc.constantFrom(...CHARSET.split(''))
    fc.assert(
      fc.property(
        char,
        char,
        fc.stringMatching(/^[0-9]{6}$/),
        fc.array(char, { minLength: 8, maxLength: 8 }).map((c) => c.join('')),
        fc.integer({ min: 1, max: CHARSET.length - 1 }),
        (authority, kind, regionCode, orgBody8, shift) => {
          const code = makeUscc({ authority, kind, regionCode, orgBody8 })
          const good = { ...base, invoiceKind: 'company', invoiceTitle: '某某有限公司', taxId: code }
          expect(invoiceRequest(parse(good))).toMatchObject({ taxId: code })
          const wrong = code.slice(0, 17) + CHARSET[(CHARSET.indexOf(code[17]!) + shift) % CHARSET.length]!
          expect(fieldErrors({ ...good, taxId: wrong })).toEqual({ taxId: ['checkout.taxId.invalid'] })
        },
      ),
      fcParams(),
    )
  })
})

describe('the checkout form as submitted', () => {
  it('gives the parsed form when everything is valid', () => {
    const values = { ...base, invoiceKind: 'company', invoiceTitle: '某某有限公司', taxId: validUscc }
    const submission = submit(values)
    expect(submission.status).toBe('success')
    if (submission.status === 'success') expect(submission.value).toEqual(checkoutForm.parse(values))
  })

  it('reports the invoice problems together with those of the other fields', () => {
    // zod alone would stop at the phone and show the invoice problems only on the next submit.
    expect(submit({ ...base, phone: '12345', invoiceKind: 'company' }).reply().error).toEqual({
      phone: ['checkout.phone.invalid'],
      invoiceTitle: ['checkout.invoiceTitle.required'],
      taxId: ['checkout.taxId.required'],
    })
    expect(
      submit({ address: '', invoiceKind: 'company', invoiceTitle: '某某有限公司', taxId: badCheck }).reply()
        .error,
    ).toEqual({
      recipient: ['checkout.recipient.required'],
      phone: ['checkout.phone.required'],
      regionCode: ['checkout.region.required'],
      address: ['checkout.address.required'],
      taxId: ['checkout.taxId.invalid'],
    })
    expect(
      submit({ ...base, recipient: '', invoiceKind: 'personal', taxId: badCheck }).reply().error,
    ).toEqual({ recipient: ['checkout.recipient.required'] })
  })
})

describe('normalizePhone, international and spaced landlines', () => {
  it('reads a landline written internationally or with spaces inside the number', () => {
    expect(normalizePhone('+86 591 1234 5678')).toBe('0591-12345678')
    expect(normalizePhone('0591-8765 4321')).toBe('0591-87654321')
    expect(normalizePhone('+86 10 8888 6666')).toBe('010-88886666')
    expect(normalizePhone('05918765432')).toBe('0591-8765432')
    expect(normalizePhone('87654321')).toBeNull()
    expect(normalizePhone('13800138000转12')).toBeNull()
  })
})
