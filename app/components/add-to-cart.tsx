import { useFetcher } from '@remix-run/react'
import { useId } from 'react'
import type { action as cartAction } from '~/routes/_storefront.cart'
import { cartAnswerMessage } from '~/domains/orders'
import { useT } from '~/utils/locale'

/**
 * Quantity and "加入购物车" on a product page. Posts to the cart route: on success that redirects to the cart; a
 * refusal (below the minimum, more than the stock) comes back here and is shown under the quantity. Works without
 * JavaScript too (the cart page then shows the message).
 */
export function AddToCart(props: { productId: string; minOrderQty: number; stock: number; unit: string }) {
  const t = useT()
  const fetcher = useFetcher<typeof cartAction>()
  const id = useId()
  const error = cartAnswerMessage(t, fetcher.data)
  const soldOut = props.stock < props.minOrderQty
  // The fetcher's own state: this form posts to another route (the cart), so the page's navigation never changes.
  const pending = fetcher.state !== 'idle'
  return (
    <fetcher.Form method="post" action="/cart" className="mt-4 space-y-2">
      <input type="hidden" name="intent" value="add" />
      <input type="hidden" name="productId" value={props.productId} />
      <input type="hidden" name="redirectTo" value="/cart" />
      <label htmlFor={id} className="block text-sm font-medium">
        {t('cart.qty')}（{props.unit}）
      </label>
      <div className="flex gap-2">
        <input
          id={id}
          name="qty"
          type="number"
          inputMode="numeric"
          min={props.minOrderQty}
          max={Math.max(props.minOrderQty, props.stock)}
          defaultValue={props.minOrderQty}
          required
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          className={`w-24 rounded border bg-white px-3 py-2 ${error ? 'border-red-600' : 'border-stone-300'}`}
        />
        <button
          type="submit"
          disabled={soldOut || pending}
          className="flex-1 rounded bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800 disabled:opacity-50"
        >
          {t('cart.add')}
        </button>
      </div>
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </fetcher.Form>
  )
}

/**
 * The phone's buy bar: on a narrow screen the buy box comes after the picture and the facts, below the first
 * screen, so this bar keeps the price and "加入购物车" (the minimum quantity) in reach at the bottom of the screen
 * while the product is in view. It sticks inside the product's article, so it never covers the site's footer;
 * from the md breakpoint up the buy box is beside the picture and the bar is not shown (nor in the accessibility
 * tree).
 */
export function PhoneBuyBar(props: {
  productId: string
  minOrderQty: number
  stock: number
  unit: string
  price: string
}) {
  const t = useT()
  const fetcher = useFetcher<typeof cartAction>()
  const error = cartAnswerMessage(t, fetcher.data)
  const soldOut = props.stock < props.minOrderQty
  const pending = fetcher.state !== 'idle'
  return (
    <div className="sticky bottom-0 z-20 -mx-4 border-t border-stone-200 bg-white px-4 py-2 shadow-[0_-2px_6px_rgba(0,0,0,0.06)] md:hidden">
      {error ? (
        <p role="alert" className="mb-1 text-sm text-red-700">
          {error}
        </p>
      ) : null}
      <fetcher.Form method="post" action="/cart" className="flex items-center gap-3">
        <input type="hidden" name="intent" value="add" />
        <input type="hidden" name="productId" value={props.productId} />
        <input type="hidden" name="qty" value={props.minOrderQty} />
        <input type="hidden" name="redirectTo" value="/cart" />
        <p className="flex-1 leading-tight">
          <span className="text-xl font-semibold text-earth-700">{props.price}</span>
          <span className="ml-1 text-sm text-stone-600">/ {props.unit}</span>
          {props.minOrderQty > 1 ? (
            <span className="block text-xs text-stone-600">
              {t('product.minOrder')} {props.minOrderQty} × {props.unit}
            </span>
          ) : null}
        </p>
        <button
          type="submit"
          disabled={soldOut || pending}
          className="rounded bg-brand-700 px-5 py-2 font-medium text-white hover:bg-brand-800 disabled:opacity-50"
        >
          {t('cart.add')}
        </button>
      </fetcher.Form>
    </div>
  )
}
