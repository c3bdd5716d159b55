import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useState } from 'react'
import { RegionPicker } from '~/components/region-picker'
import { Field } from '~/components/ui/field'
import { getCartView, checkoutCart } from '~/domains/orders/index.server'
import { parseCheckoutForm } from '~/domains/orders'
import { configuredBankTransfer } from '~/domains/payments/index.server'
import { systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { readForm } from '~/utils/form.server'
import type { MessageKey } from '~/utils/i18n'
import { useLocale, useT } from '~/utils/locale'
import { formatFen } from '~/utils/money'
import { requireAccess } from '~/utils/permissions.server'

export const meta: MetaFunction = () => [{ title: '结算 · 消费帮扶集市' }]

export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/_storefront.checkout', 'loader')
  const cart = await getCartView(getDb(), { userId: auth.userId })
  if (cart.lineCount === 0 || cart.hasIssues) throw redirect('/cart')
  return { cart, recipient: auth.displayName, windowHours: configuredBankTransfer().windowHours }
}

type FormValues = Record<string, string>
type ActionData = {
  errors: Record<string, string>
  form: MessageKey | null
  lineErrors: Array<{ name: string; reason: MessageKey }>
  values: FormValues
}

export async function action(args: ActionFunctionArgs) {
  const auth = requireAccess(args, 'routes/_storefront.checkout', 'action')
  const values: FormValues = await readForm(args.request)
  const parsed = parseCheckoutForm(values)
  if (!parsed.success) {
    return Response.json(
      {
        errors: parsed.errors,
        form: 'checkout.fixForm',
        lineErrors: [],
        values,
      } satisfies ActionData,
      { status: 400 },
    )
  }
  const db = getDb()
  const result = await checkoutCart(
    db,
    { userId: auth.userId, form: parsed.data },
    systemClock,
    configuredBankTransfer(),
  )
  if (result.ok) return redirect(`/account/orders/${result.orderId}?placed=1`)
  if (result.reason === 'empty_cart') throw redirect('/cart')
  if (result.reason === 'region') {
    return Response.json(
      {
        errors: { regionCode: 'checkout.region.invalid' },
        form: 'checkout.fixForm',
        lineErrors: [],
        values,
      } satisfies ActionData,
      { status: 400 },
    )
  }
  // Stock or status changed since the cart was shown: name the products; the cart page shows the details.
  const cart = await getCartView(db, { userId: auth.userId })
  const names = new Map(cart.sellers.flatMap((s) => s.items).map((i) => [i.productId, i.name]))
  return Response.json(
    {
      errors: {},
      form: null,
      lineErrors: result.errors.map((e) => ({
        name: names.get(e.productId) ?? e.productId,
        reason: `checkout.lineError.${e.code}` as const,
      })),
      values,
    } satisfies ActionData,
    { status: 409 },
  )
}

export default function Checkout() {
  const { cart, recipient, windowHours } = useLoaderData<typeof loader>()
  const data = useActionData<ActionData>()
  const navigation = useNavigation()
  const t = useT()
  const locale = useLocale()
  const values = data?.values ?? {}
  const [invoiceKind, setInvoiceKind] = useState(values.invoiceKind ?? 'none')
  const error = (field: string) => {
    const key = data?.errors[field]
    return key ? t(key as MessageKey) : null
  }
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">{t('checkout.title')}</h1>
      {data?.form ? (
        <p role="alert" className="rounded border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          {t(data.form)}
        </p>
      ) : null}
      {data && data.lineErrors.length > 0 ? (
        <div role="alert" className="rounded border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          <ul>
            {data.lineErrors.map((e) => (
              <li key={e.name}>{t('checkout.lineError', { name: e.name, reason: t(e.reason) })}</li>
            ))}
          </ul>
          <Link to="/cart" className="underline">
            {t('cart.title')}
          </Link>
        </div>
      ) : null}
      <Form method="post" noValidate className="grid gap-6 lg:grid-cols-[1fr_22rem]">
        <div className="space-y-6">
          <fieldset className="space-y-4 rounded-lg border border-stone-200 bg-white p-4">
            <legend className="px-1 font-semibold">{t('checkout.delivery')}</legend>
            <div className="grid gap-4 sm:grid-cols-2">
              <Field
                label={t('checkout.recipient')}
                name="recipient"
                autoComplete="name"
                defaultValue={values.recipient ?? recipient}
                error={error('recipient')}
                required
              />
              <Field
                label={t('checkout.phone')}
                name="phone"
                type="tel"
                autoComplete="tel"
                hint={t('checkout.phoneHint')}
                defaultValue={values.phone ?? ''}
                error={error('phone')}
                required
              />
            </div>
            <RegionPicker
              label={t('checkout.region')}
              hint={t('checkout.regionHint')}
              defaultValue={values.regionCode}
              error={error('regionCode')}
            />
            <Field
              label={t('checkout.address')}
              name="address"
              autoComplete="street-address"
              hint={t('checkout.addressHint')}
              defaultValue={values.address ?? ''}
              error={error('address')}
              required
            />
          </fieldset>

          <fieldset className="space-y-4 rounded-lg border border-stone-200 bg-white p-4">
            <legend className="px-1 font-semibold">{t('checkout.invoice')}</legend>
            <div className="flex flex-wrap gap-4">
              {(['none', 'personal', 'company'] as const).map((kind) => (
                <label key={kind} className="flex items-center gap-2">
                  <input
                    type="radio"
                    name="invoiceKind"
                    value={kind}
                    checked={invoiceKind === kind}
                    onChange={() => setInvoiceKind(kind)}
                  />
                  {t(`checkout.invoice.${kind}`)}
                </label>
              ))}
            </div>
            {invoiceKind !== 'none' ? (
              <div className="grid gap-4 sm:grid-cols-2">
                <Field
                  label={t('checkout.invoiceTitle')}
                  name="invoiceTitle"
                  hint={invoiceKind === 'personal' ? t('checkout.invoiceTitleHint') : undefined}
                  defaultValue={values.invoiceTitle ?? ''}
                  error={error('invoiceTitle')}
                />
                {invoiceKind === 'company' ? (
                  <Field
                    label={t('checkout.taxId')}
                    name="taxId"
                    hint={t('checkout.taxIdHint')}
                    defaultValue={values.taxId ?? ''}
                    error={error('taxId')}
                    maxLength={18}
                    autoCapitalize="characters"
                  />
                ) : null}
                <Field
                  label={t('checkout.invoiceEmail')}
                  name="invoiceEmail"
                  type="email"
                  autoComplete="email"
                  defaultValue={values.invoiceEmail ?? ''}
                  error={error('invoiceEmail')}
                />
              </div>
            ) : null}
          </fieldset>

          <fieldset className="rounded-lg border border-stone-200 bg-white p-4">
            <legend className="px-1 font-semibold">{t('checkout.payment')}</legend>
            <label className="flex items-center gap-2">
              <input type="radio" name="paymentMethod" value="bank_transfer" defaultChecked />
              {t('checkout.bankTransfer')}
            </label>
            <p className="mt-1 text-sm text-stone-600">
              {t('checkout.bankTransferHint', { hours: windowHours })}
            </p>
          </fieldset>
        </div>

        <aside aria-labelledby="summary-heading" className="space-y-4">
          <section className="rounded-lg border border-stone-200 bg-white p-4">
            <h2 id="summary-heading" className="font-semibold">
              {t('checkout.summary')}
            </h2>
            {cart.sellers.map((seller) => (
              <div key={seller.sellerOrgId} className="mt-3 border-t border-stone-100 pt-2 text-sm">
                <p className="text-stone-500">{t('cart.seller', { name: seller.sellerName })}</p>
                <ul>
                  {seller.items.map((item) => (
                    <li key={item.productId} className="flex justify-between gap-2">
                      <span>
                        {item.name} × {item.qty}
                      </span>
                      <span>{formatFen(item.amountFen, locale)}</span>
                    </li>
                  ))}
                </ul>
              </div>
            ))}
            <p className="mt-3 flex justify-between border-t border-stone-200 pt-2 text-lg font-semibold">
              <span>{t('cart.total')}</span>
              <span className="text-earth-700" data-testid="checkout-total">
                {formatFen(cart.totalFen, locale)}
              </span>
            </p>
            {cart.sellers.length > 1 ? (
              <p className="mt-1 text-xs text-stone-500">
                {t('cart.sellerCount', { count: cart.sellers.length })}
              </p>
            ) : null}
          </section>
          <section className="rounded-lg bg-brand-50 p-4 text-sm text-brand-800">
            <h2 className="font-semibold">{t('checkout.impact')}</h2>
            <p className="mt-1" data-testid="checkout-impact">
              {t('checkout.impactLine', { amount: formatFen(cart.proceedsFen, locale) })}
            </p>
          </section>
          <button
            type="submit"
            disabled={navigation.state === 'submitting'}
            className="w-full rounded bg-brand-700 px-6 py-3 font-medium text-white hover:bg-brand-800 disabled:opacity-60"
          >
            {navigation.state === 'submitting' ? t('checkout.submitting') : t('checkout.submit')}
          </button>
        </aside>
      </Form>
    </div>
  )
}
