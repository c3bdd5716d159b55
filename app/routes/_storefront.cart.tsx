import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { ProductPicture } from '~/components/product-picture'
import { Form, Link, useActionData, useLoaderData, useSearchParams, useSubmit } from '@remix-run/react'
import { useEffect, useRef, useState } from 'react'
import {
  type CartItemView,
  cartCookieHeader,
  cartOwnerOf,
  changeCart,
  getCartView,
} from '~/domains/orders/index.server'
import { cartAnswerMessage, cartChangeForm, cartIssueMessage } from '~/domains/orders'
import { getDb } from '~/utils/db.server'
import { parseForm } from '~/utils/form.server'
import { useLocale, useT } from '~/utils/locale'
import { formatFen, unitCounter } from '~/utils/money'
import { requireAccess } from '~/utils/permissions.server'
import { safeRedirectPath } from '~/utils/redirect'

export const meta: MetaFunction = () => [{ title: '购物车 · 消费帮扶集市' }]

export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/_storefront.cart', 'loader')
  const cart = await getCartView(getDb(), await cartOwnerOf(args.request, auth))
  return { cart, signedIn: auth !== null }
}

/**
 * The answer the page shows next to the product's quantity (on the product page, under its own): the form's
 * problems (an unreadable quantity) or the cart's refusal (below the minimum, more than the stock — messages with
 * values).
 */
export async function action(args: ActionFunctionArgs) {
  const submission = await parseForm(args.request, cartChangeForm)
  const { intent, productId: sentProductId } = submission.payload
  const auth = requireAccess(args, 'routes/_storefront.cart', 'action', {
    intent: typeof intent === 'string' ? intent : '',
  })
  const productId = typeof sentProductId === 'string' ? sentProductId : ''
  if (submission.status !== 'success') {
    return data({ productId, result: submission.reply(), refusal: null }, { status: 400 })
  }
  const form = submission.value
  const change =
    form.intent === 'remove'
      ? { kind: 'remove' as const, productId: form.productId }
      : { kind: form.intent, productId: form.productId, qty: form.qty }
  const owner = await cartOwnerOf(args.request, auth)
  const result = await changeCart(getDb(), owner, change)
  if (!result.ok) return data({ productId, result: null, refusal: result.error }, { status: 400 })
  const target =
    form.intent === 'add' ? '/cart?added=1' : safeRedirectPath(form.redirectTo, args.request, '/cart')
  // A visitor's cart lives in the cookie: write the new lines back. An account's is already stored.
  const headers = 'lines' in owner ? { 'Set-Cookie': await cartCookieHeader(result.lines) } : undefined
  return redirect(target, { headers })
}

export default function CartPage() {
  const { cart, signedIn } = useLoaderData<typeof loader>()
  const answer = useActionData<typeof action>()
  const [params] = useSearchParams()
  const t = useT()
  const locale = useLocale()
  const answerMessage = cartAnswerMessage(t, answer)
  // A product no longer in the cart has no row to show its answer next to: it goes on top.
  const generalError =
    answer && !cart.sellers.some((s) => s.items.some((i) => i.productId === answer.productId))
      ? answerMessage
      : null
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">{t('cart.title')}</h1>
      {params.get('added') ? (
        <p role="status" className="rounded border border-brand-200 bg-brand-50 p-3 text-sm text-brand-800">
          {t('cart.added')}
        </p>
      ) : null}
      {generalError ? (
        <p role="alert" className="rounded border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          {generalError}
        </p>
      ) : null}
      {cart.lineCount === 0 ? (
        <div className="rounded-lg border border-dashed border-stone-300 p-8 text-center">
          <p className="text-stone-600">{t('cart.empty')}</p>
          <Link to="/products" className="mt-3 inline-block text-brand-700 underline">
            {t('cart.browse')}
          </Link>
        </div>
      ) : (
        <>
          {cart.sellers.map((seller) => (
            <section
              key={seller.sellerOrgId}
              aria-label={t('cart.seller', { name: seller.sellerName })}
              className="rounded-lg border border-stone-200 bg-white"
            >
              <h2 className="border-b border-stone-100 px-4 py-2 text-sm font-medium text-stone-700">
                {t('cart.seller', { name: seller.sellerName })}
              </h2>
              <ul className="divide-y divide-stone-100">
                {seller.items.map((item) => (
                  <CartItemRow
                    key={item.productId}
                    item={item}
                    error={answer?.productId === item.productId ? answerMessage : null}
                  />
                ))}
              </ul>
              <p className="border-t border-stone-100 px-4 py-2 text-right text-sm">
                {t('cart.sellerSubtotal', { amount: formatFen(seller.subtotalFen, locale) })}
              </p>
            </section>
          ))}
          <section aria-label={t('cart.total')} className="rounded-lg bg-brand-50 p-4">
            <p className="text-lg">
              {t('cart.total')}：
              <strong className="text-earth-700" data-testid="cart-total">
                {formatFen(cart.totalFen, locale)}
              </strong>
            </p>
            <p className="text-sm text-brand-800">
              {t('cart.proceeds', { amount: formatFen(cart.proceedsFen, locale) })}
            </p>
            {cart.sellers.length > 1 ? (
              <p className="mt-1 text-sm text-stone-600">
                {t('cart.sellerCount', { count: cart.sellers.length })}
              </p>
            ) : null}
            {cart.hasIssues ? (
              <p role="alert" className="mt-2 text-sm text-red-700">
                {t('cart.fixIssues')}
              </p>
            ) : (
              <Link
                to={signedIn ? '/checkout' : `/login?redirectTo=${encodeURIComponent('/checkout')}`}
                className="mt-3 inline-block rounded bg-brand-700 px-6 py-2 font-medium text-white hover:bg-brand-800"
              >
                {signedIn ? t('cart.checkout') : t('cart.loginToCheckout')}
              </Link>
            )}
          </section>
        </>
      )}
    </div>
  )
}

function CartItemRow({ item, error }: { item: CartItemView; error: string | null }) {
  const t = useT()
  const locale = useLocale()
  const qtyId = `qty-${item.productId}`
  const errorId = `${qtyId}-error`
  // With JavaScript a quantity is saved as it changes (half a second after the last keystroke); without, the
  // 更新 button posts the same form.
  const submit = useSubmit()
  const form = useRef<HTMLFormElement>(null)
  const timer = useRef<ReturnType<typeof setTimeout>>()
  const editing = useRef(false)
  const [value, setValue] = useState(String(item.qty))
  const [enhanced, setEnhanced] = useState(false)
  useEffect(() => setEnhanced(true), [])
  useEffect(() => () => clearTimeout(timer.current), [])
  // The saved quantity comes back from the server; it replaces the field's text unless the buyer is typing.
  useEffect(() => {
    if (!editing.current) setValue(String(item.qty))
  }, [item.qty])
  const onQtyChange = (next: string) => {
    setValue(next)
    clearTimeout(timer.current)
    if (!/^[1-9]\d{0,5}$/.test(next) || next === String(item.qty)) return
    timer.current = setTimeout(() => {
      if (form.current) submit(form.current, { method: 'post', preventScrollReset: true, replace: true })
    }, 500)
  }
  return (
    <li className="grid gap-3 px-4 py-3 sm:grid-cols-[1fr_auto_auto] sm:items-start">
      <div className="flex gap-3">
        <ProductPicture
          src={item.coverUrl}
          category={item.category}
          name={item.name}
          className="w-20 shrink-0 self-start rounded sm:w-24"
        />
        <div>
          <Link to={`/products/${item.slug}`} className="font-medium hover:underline">
            {item.name}
          </Link>
          <p className="text-sm text-stone-500">
            {item.originName} ·{' '}
            {t('cart.unitPrice', { price: formatFen(item.unitPriceFen, locale), unit: item.unit })}
            {item.unitPriceFen !== item.basePriceFen
              ? ` · ${t('cart.tierApplied', { price: formatFen(item.basePriceFen, locale) })}`
              : ''}
          </p>
          <p className="text-xs text-stone-500">
            {t('cart.stock', { stock: item.stock })} · {t('cart.minQty', { qty: item.minOrderQty })}
            {item.nextTier
              ? ` · ${t('cart.nextTier', {
                  qty: item.nextTier.minQty,
                  unit: item.unit,
                  counter: unitCounter(item.unit),
                  price: formatFen(item.nextTier.unitPriceFen, locale),
                })}`
              : ''}
          </p>
          {item.issue ? (
            <p className="mt-1 text-sm text-red-700" data-testid="cart-issue">
              {cartIssueMessage(t, item.issue, item)}
            </p>
          ) : null}
        </div>
      </div>
      <div>
        <Form ref={form} method="post" className="flex items-start gap-2">
          <input type="hidden" name="intent" value="set" />
          <input type="hidden" name="productId" value={item.productId} />
          <label htmlFor={qtyId} className="sr-only">
            {t('cart.qty')} · {item.name}
          </label>
          <div>
            <input
              id={qtyId}
              name="qty"
              type="number"
              inputMode="numeric"
              min={1}
              value={value}
              onChange={(event) => onQtyChange(event.target.value)}
              onFocus={() => (editing.current = true)}
              onBlur={() => {
                editing.current = false
                if (value !== String(item.qty) && !/^[1-9]\d{0,5}$/.test(value)) setValue(String(item.qty))
              }}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? errorId : undefined}
              className={`w-20 rounded border bg-white px-2 py-1 ${error ? 'border-red-600' : 'border-stone-300'}`}
            />
            {error ? (
              <p id={errorId} role="alert" className="mt-1 max-w-40 text-sm text-red-700">
                {error}
              </p>
            ) : null}
          </div>
          <button
            type="submit"
            className={
              enhanced ? 'sr-only' : 'rounded border border-stone-300 px-2 py-1 text-sm hover:bg-stone-100'
            }
          >
            {t('cart.update')}
          </button>
        </Form>
        <Form method="post" className="mt-1">
          <input type="hidden" name="intent" value="remove" />
          <input type="hidden" name="productId" value={item.productId} />
          <button type="submit" className="text-sm text-stone-500 underline hover:text-red-700">
            {t('cart.remove')}
            <span className="sr-only"> {item.name}</span>
          </button>
        </Form>
      </div>
      <p className="text-right font-medium" data-testid="line-amount">
        {formatFen(item.amountFen, locale)}
      </p>
    </li>
  )
}
