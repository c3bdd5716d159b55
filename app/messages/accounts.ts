// Messages of sign-up, login, organisations and memberships.
export const zh = {
  'account.title': '我的账户',
} as const

export const en: Record<keyof typeof zh, string> = {
  'account.title': 'My account',
}
