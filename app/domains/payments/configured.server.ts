import { getEnv } from '../../utils/env.server'
import { type BankAccount, bankTransfer, type PaymentMethod } from './methods.server'

/** Shown in demo mode only (production refuses to start without a real account): plainly not a real account. */
const demoAccount: BankAccount = {
  accountName: '消费帮扶集市平台（演示）',
  bankName: '演示银行',
  accountNumber: '0000 0000 0000 0000',
  demo: true,
}

let cached: PaymentMethod | undefined

/** The bank transfer method as this deployment is configured. */
export function configuredBankTransfer(): PaymentMethod {
  if (cached) return cached
  const env = getEnv()
  const account: BankAccount =
    env.PLATFORM_BANK_ACCOUNT_NAME && env.PLATFORM_BANK_NAME && env.PLATFORM_BANK_ACCOUNT_NUMBER
      ? {
          accountName: env.PLATFORM_BANK_ACCOUNT_NAME,
          bankName: env.PLATFORM_BANK_NAME,
          accountNumber: env.PLATFORM_BANK_ACCOUNT_NUMBER,
          demo: false,
        }
      : demoAccount
  cached = bankTransfer({ account, windowHours: env.PAYMENT_WINDOW_HOURS })
  return cached
}
