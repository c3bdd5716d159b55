import { getFormProps, type SubmissionResult } from '@conform-to/react'
import { Form } from '@remix-run/react'
import { ErrorList, Field, FormAlert, SelectField, TextareaField, useSchemaForm } from '~/components/forms'
import { listingSchema, MAX_TIERS, newListingSchema, productCategories } from '~/domains/catalog'
import { categoryLabel } from '~/utils/i18n'
import { useLocale, useT } from '~/utils/locale'
import { useIsPending } from '~/utils/use-is-pending'

export type ListingFormValues = {
  name: string
  category: string
  originCode: string
  unit: string
  price: string
  stock?: string
  minOrderQty: string
  sku: string
  description: string
  baseId: string
  tiers: Array<{ minQty: string; unitPrice: string }>
}

type Choice = { code: string; name: string }

/**
 * The listing form, for a new listing (with its opening stock) and for editing one. Works without JavaScript: a
 * plain POST, answered with the same form and the errors next to their fields. Volume tiers are a fixed set of
 * rows (MAX_TIERS); rows left blank are no tiers.
 */
export function ListingForm({
  mode,
  lastResult,
  defaultValue,
  places,
  bases,
  regionName,
  disabled,
}: {
  mode: 'new' | 'edit'
  lastResult?: SubmissionResult | null
  defaultValue: ListingFormValues
  places: Choice[]
  bases: Array<{ id: string; name: string }>
  regionName: string
  disabled?: boolean
}) {
  const t = useT()
  const locale = useLocale()
  const busy = useIsPending()
  // One type for both: the edit form's schema is the new one's without the stock field, which it does not render.
  const schema = (mode === 'new' ? newListingSchema : listingSchema) as typeof newListingSchema
  const [form, fields] = useSchemaForm(schema, {
    id: 'listing',
    lastResult,
    defaultValue: defaultValue as never,
  })
  const sent = (fields.tiers.initialValue ?? defaultValue.tiers) as
    | Array<{ minQty?: string; unitPrice?: string } | undefined>
    | undefined
  return (
    <Form method="post" className="space-y-4" {...getFormProps(form)}>
      {form.status === 'error' ? <FormAlert errors={form.errors ?? ['console.form.summary']} /> : null}
      <fieldset disabled={disabled} className="space-y-4">
        <Field label={t('console.form.name')} meta={fields.name} autoComplete="off" />
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectField label={t('console.form.category')} meta={fields.category}>
            <option value="">{t('console.form.choose')}</option>
            {productCategories.map((category) => (
              <option key={category} value={category}>
                {categoryLabel(locale, category)}
              </option>
            ))}
          </SelectField>
          <SelectField
            label={t('console.form.origin')}
            meta={fields.originCode}
            hint={t('console.form.originHint', { region: regionName })}
          >
            <option value="">{t('console.form.choose')}</option>
            {places.map((place) => (
              <option key={place.code} value={place.code}>
                {place.name}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="grid gap-4 sm:grid-cols-3">
          <Field
            label={t('console.form.price')}
            meta={fields.price}
            hint={t('console.form.priceHint')}
            inputMode="decimal"
          />
          <Field label={t('console.form.unit')} meta={fields.unit} hint={t('console.form.unitHint')} />
          <Field label={t('console.form.minOrderQty')} meta={fields.minOrderQty} inputMode="numeric" />
        </div>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            label={t('console.form.sku')}
            meta={fields.sku}
            hint={t('console.form.skuHint')}
            autoCapitalize="characters"
            autoComplete="off"
            spellCheck={false}
          />
          {mode === 'new' ? (
            <Field
              label={t('console.form.stock')}
              meta={fields.stock}
              hint={t('console.form.stockHint')}
              inputMode="numeric"
            />
          ) : null}
        </div>
        <SelectField label={t('console.form.base')} meta={fields.baseId}>
          <option value="">{t('console.form.noBase')}</option>
          {bases.map((base) => (
            <option key={base.id} value={base.id}>
              {base.name}
            </option>
          ))}
        </SelectField>
        <TextareaField label={t('console.form.description')} meta={fields.description} rows={5} />
        <fieldset className="rounded border border-stone-200 p-3" aria-describedby="tiers-hint">
          <legend className="px-1 text-sm font-medium">{t('console.form.tiers')}</legend>
          <p id="tiers-hint" className="mb-2 text-xs text-stone-500">
            {t('console.form.tiersHint')}
          </p>
          <ErrorList errors={fields.tiers.errors} />
          <div className="space-y-2">
            {Array.from({ length: MAX_TIERS }, (_, i) => (
              <TierRow key={i} index={i} formId={form.id} initial={sent?.[i]} errors={form.allErrors} />
            ))}
          </div>
        </fieldset>
        {mode === 'edit' ? <p className="text-xs text-stone-600">{t('console.form.priceRule')}</p> : null}
        <button
          type="submit"
          name="intent"
          value="save"
          disabled={busy}
          className="rounded bg-brand-700 px-4 py-2 text-white hover:bg-brand-800 disabled:opacity-60"
        >
          {mode === 'new' ? t('console.form.create') : t('console.form.save')}
        </button>
      </fieldset>
    </Form>
  )
}

function TierRow({
  index,
  formId,
  initial,
  errors,
}: {
  index: number
  formId: string
  initial: { minQty?: string; unitPrice?: string } | undefined
  errors: Record<string, string[]>
}) {
  const t = useT()
  const n = index + 1
  const cell = (field: 'minQty' | 'unitPrice', label: string, inputMode: 'numeric' | 'decimal') => {
    const name = `tiers[${index}].${field}`
    const id = `${formId}-tier-${index}-${field}`
    const fieldErrors = errors[name]
    const invalid = Boolean(fieldErrors && fieldErrors.length > 0)
    return (
      <div>
        <label htmlFor={id} className="block text-xs text-stone-600">
          {label}
        </label>
        <input
          id={id}
          name={name}
          defaultValue={initial?.[field] ?? ''}
          inputMode={inputMode}
          autoComplete="off"
          aria-invalid={invalid || undefined}
          aria-describedby={invalid ? `${id}-error` : undefined}
          className={`mt-1 w-full rounded border bg-white px-3 py-2 ${invalid ? 'border-red-600' : 'border-stone-300'}`}
        />
        <ErrorList id={`${id}-error`} errors={fieldErrors} />
      </div>
    )
  }
  return (
    <div className="grid grid-cols-2 gap-3">
      {cell('minQty', t('console.form.tier.minQty', { n }), 'numeric')}
      {cell('unitPrice', t('console.form.tier.price', { n }), 'decimal')}
    </div>
  )
}
