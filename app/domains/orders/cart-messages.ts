import type { CartChangeError, CartIssue } from './cart.server'
import type { MessageKey } from '../../utils/i18n'

type T = (key: MessageKey, values?: Record<string, string | number>) => string

/** A refused cart change, in the reader's language (the values a message needs come with the error). */
export function cartErrorMessage(t: T, error: CartChangeError): string {
  switch (error.code) {
    case 'below_minimum':
      return t('cart.error.below_minimum', { qty: error.minOrderQty })
    case 'exceeds_stock':
      return t('cart.error.exceeds_stock', { stock: error.stock })
    case 'cart_full':
      return t('cart.error.cart_full', { max: error.max })
    default:
      return t(`cart.error.${error.code}`)
  }
}

/** A cart action's answer when it changed nothing: the form's problems, or the cart's refusal. */
export type CartAnswer = {
  result: { error?: Record<string, readonly string[] | null> } | null
  refusal: CartChangeError | null
}

/**
 * What went wrong with a cart change, in the reader's language: the refusal (with its values), or the form's first
 * problem. Only the quantity is typed by a person, so a problem with any other field (a forged form) says the same.
 */
export function cartAnswerMessage(t: T, answer: CartAnswer | undefined): string | null {
  if (!answer) return null
  if (answer.refusal) return cartErrorMessage(t, answer.refusal)
  const problems = Object.values(answer.result?.error ?? {}).flatMap((messages) => messages ?? [])
  if (problems.length === 0) return null
  return t(problems[0] as MessageKey) || t('cart.error.bad_quantity')
}

export function cartIssueMessage(
  t: T,
  issue: CartIssue,
  item: { minOrderQty: number; stock: number },
): string {
  if (issue === 'below_minimum') return t('cart.issue.below_minimum', { qty: item.minOrderQty })
  if (issue === 'out_of_stock') return t('cart.issue.out_of_stock', { stock: item.stock })
  return t('cart.issue.inactive')
}
