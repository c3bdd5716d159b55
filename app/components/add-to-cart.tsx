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
