import { describe, expect, it } from 'vitest'
import { bankTransfer, bankTransferReference } from '../../app/domains/payments/methods.server'
import { parseEnv } from '../../app/utils/env.server'

const account = { accountName: '平台', bankName: '银行', accountNumber: '1234 5678', demo: false }

describe('bank transfer', () => {
  it('references a payment by the order number digits, which every bank keeps in 附言', () => {
    expect(bankTransferReference('XF20260615-000042')).toBe('BT20260615000042')
  })

  it('tells the payer the platform account, the reference and the exact amount', () => {
    const method = bankTransfer({ account, windowHours: 72 })
    expect(method.provider).toBe('bank_transfer')
    expect(method.instructions({ reference: 'BT1', amountFen: 12_345n })).toEqual({
      kind: 'bank_transfer',
      account,
      reference: 'BT1',
      amountFen: 12_345n,
    })
  })

  it('refuses a window that would expire orders at once', () => {
    expect(() => bankTransfer({ account, windowHours: 0 })).toThrow(RangeError)
  })

  it('production needs the real receiving account; demo mode does not', () => {
    const base = {
      APP_MODE: 'production',
      DATABASE_URL: 'postgres://x@h/db',
      DATA_KEY: 'a'.repeat(64),
    }
    expect(() => parseEnv(base)).toThrow(/PLATFORM_BANK_ACCOUNT_NUMBER/)
    const env = parseEnv({
      ...base,
      PLATFORM_BANK_ACCOUNT_NAME: '某某平台有限公司',
      PLATFORM_BANK_NAME: '某银行福州分行',
      PLATFORM_BANK_ACCOUNT_NUMBER: '6222 0000 1111',
    })
    expect(env.PAYMENT_WINDOW_HOURS).toBe(72)
    expect(parseEnv({}).PLATFORM_BANK_NAME).toBeUndefined()
    expect(() => parseEnv({ PAYMENT_WINDOW_HOURS: '0' })).toThrow(/PAYMENT_WINDOW_HOURS/)
  })
})
