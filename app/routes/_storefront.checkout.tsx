import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { getFormProps, getInputProps } from '@conform-to/react'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useState } from 'react'
import { Field, FormAlert, useSchemaForm } from '~/components/forms'
import { RegionPicker } from '~/components/region-picker'
import { checkoutCart, getCartView } from '~/domains/orders/index.server'
import { checkoutForm, isBuyerOrganizationKind } from '~/domains/orders'
import { configuredBankTransfer } from '~/domains/payments/index.server'
import { systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { parseForm } from '~/utils/form.server'
import { useLocale, useT } from '~/utils/locale'
import { formatFen } from '~/utils/money'
import { requireAccess } from '~/utils/permissions.server'
import { useIsPending } from '~/utils/use-is-pending'

export const meta: MetaFunction = () => [{ title: '结算 · 消费帮扶集市' }]

export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/_storefront.checkout', 'loader')
  // Acting for an organisation: the consumer checkout does not run; the page says where the unit orders instead.
  if (auth.active) {
    return {
      acting: { orgName: auth.active.orgName, isBuyer: isBuyerOrganizationKind(auth.active.orgKind) },
      cart: null,
      recipient: auth.displayName,
      windowHours: 0,
    }
  }
  const cart = await getCartView(getDb(), { userId: auth.userId })
  if (cart.lineCount === 0 || cart.hasIssues) throw redirect('/cart')
  return {
    acting: null,
    cart,
    recipient: auth.displayName,
    windowHours: configuredBankTransfer().windowHours,
  }
}

export async function action(args: ActionFunctionArgs) {
  const auth = requireAccess(args, 'routes/_storefront.checkout', 'action')
  const submission = await parseForm(args.request, checkoutForm)
  if (submission.status !== 'success') {
    return data({ result: submission.reply(), lineErrors: [] }, { status: 400 })
  }
  const result = await checkoutCart(
    getDb(),
    { userId: auth.userId, form: submission.value, actingOrgId: auth.active?.orgId ?? null },
    systemClock,
    configuredBankTransfer(),
  )
  if (result.ok) return redirect(`/account/orders/${result.orderId}?placed=1`)
  if (result.reason === 'empty_cart') throw redirect('/cart')
  if (result.reason === 'acting_for_organization') throw redirect('/checkout')
  if (result.reason === 'region') {
    return data(
      {
        result: submission.reply({ fieldErrors: { regionCode: ['checkout.region.invalid'] } }),
        lineErrors: [],
      },
      { status: 400 },
    )
  }
  // Stock or status changed since the cart was shown: name the products; the cart page shows the details.
  return data(
    {
      result: submission.reply(),
      lineErrors: result.errors.map((e) => ({
        name: e.name,
        reason: `checkout.lineError.${e.code}` as const,
      })),
    },
    { status: 409 },
  )
}

/** The consumer checkout refused while acting for an organisation: where to go instead. */
function ActingForOrganization({ orgName, isBuyer }: { orgName: string; isBuyer: boolean }) {
  const t = useT()
  return (
    <section className="mx-auto max-w-xl space-y-4" aria-labelledby="acting-title">
      <h1 id="acting-title" className="text-2xl font-bold">
        {t('checkout.title')}
      </h1>
      <div role="alert" className="rounded border border-amber-200 bg-amber-50 p-4 text-amber-900">
        <p className="font-semibold">{t('checkout.actingFor.title', { name: orgName })}</p>
        <p className="mt-1 text-sm">{t('checkout.actingFor.body')}</p>
      </div>
      <ul className="space-y-2">
        {isBuyer ? (
          <li>
            <Link to="/unit/requisitions/new" className="text-brand-700 underline">
              {t('checkout.actingFor.unitOrdering')}
            </Link>
          </li>
        ) : null}
        <li>
          <Link to="/account" className="text-brand-700 underline">
            {t('checkout.actingFor.switch')}
          </Link>
        </li>
      </ul>
    </section>
  )
}

export default function Checkout() {
  const loaded = useLoaderData<typeof loader>()
  if (loaded.acting) return <ActingForOrganization {...loaded.acting} />
  return <ConsumerCheckout cart={loaded.cart} recipient={loaded.recipient} windowHours={loaded.windowHours} />
}

function ConsumerCheckout({
  cart,
  recipient,
  windowHours,
}: {
  cart: NonNullable<ReturnType<typeof useLoaderData<typeof loader>>['cart']>
  recipient: string
  windowHours: number
}) {
  const actionData = useActionData<typeof action>()
  const isPending = useIsPending()
  const t = useT()
  const locale = useLocale()
  const [form, fields] = useSchemaForm(checkoutForm, {
    lastResult: actionData?.result,
    defaultValue: { recipient, invoiceKind: 'none' },
  })
  const submittedKind = fields.invoiceKind.initialValue
  const [invoiceKind, setInvoiceKind] = useState(typeof submittedKind === 'string' ? submittedKind : 'none')
  const lineErrors = actionData?.lineErrors ?? []
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">{t('checkout.title')}</h1>
      {/* After a refused submission (the browser's check or the server's), above the marked fields. */}
      {form.status === 'error' ? <FormAlert errors={['checkout.fixForm']} /> : null}
      {lineErrors.length > 0 ? (
        <div role="alert" className="rounded border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          <ul>
            {lineErrors.map((e) => (
              <li key={e.name}>{t('checkout.lineError', { name: e.name, reason: t(e.reason) })}</li>
            ))}
          </ul>
          <Link to="/cart" className="underline">
            {t('cart.title')}
          </Link>
        </div>
      ) : null}
      <Form method="post" className="grid gap-6 lg:grid-cols-[1fr_22rem]" {...getFormProps(form)}>
        <div className="space-y-6">
          <fieldset className="space-y-4 rounded-lg border border-stone-200 bg-white p-4">
            <legend className="px-1 font-semibold">{t('checkout.delivery')}</legend>
            <div className="grid gap-4 sm:grid-cols-2">
              <Field label={t('checkout.recipient')} meta={fields.recipient} autoComplete="name" />
              <Field
                label={t('checkout.phone')}
                meta={fields.phone}
                type="tel"
                autoComplete="tel"
                hint={t('checkout.phoneHint')}
              />
            </div>
            <RegionPicker
              meta={fields.regionCode}
              label={t('checkout.region')}
              hint={t('checkout.regionHint')}
            />
            <Field
              label={t('checkout.address')}
              meta={fields.address}
              autoComplete="street-address"
              hint={t('checkout.addressHint')}
            />
          </fieldset>

          <fieldset className="space-y-4 rounded-lg border border-stone-200 bg-white p-4">
            <legend className="px-1 font-semibold">{t('checkout.invoice')}</legend>
            <div className="flex flex-wrap gap-4">
              {(['none', 'personal', 'company'] as const).map((kind) => (
                <label key={kind} className="flex items-center gap-2">
                  <input
                    {...getInputProps(fields.invoiceKind, { type: 'radio', value: false })}
                    id={`${fields.invoiceKind.id}-${kind}`}
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
                  meta={fields.invoiceTitle}
                  hint={invoiceKind === 'personal' ? t('checkout.invoiceTitleHint') : undefined}
                />
                {invoiceKind === 'company' ? (
                  <Field
                    label={t('checkout.taxId')}
                    meta={fields.taxId}
                    hint={t('checkout.taxIdHint')}
                    maxLength={18}
                    autoCapitalize="characters"
                  />
                ) : null}
                <Field
                  label={t('checkout.invoiceEmail')}
                  meta={fields.invoiceEmail}
                  type="email"
                  autoComplete="email"
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
            disabled={isPending}
            className="w-full rounded bg-brand-700 px-6 py-3 font-medium text-white hover:bg-brand-800 disabled:opacity-60"
          >
            {isPending ? t('checkout.submitting') : t('checkout.submit')}
          </button>
        </aside>
      </Form>
    </div>
  )
}
