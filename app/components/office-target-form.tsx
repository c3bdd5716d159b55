import { type FieldMetadata, getFormProps, getInputProps, type SubmissionResult } from '@conform-to/react'
import { Form, Link } from '@remix-run/react'
import { ErrorList, Field, FormAlert, SelectField, TextareaField, useSchemaForm } from '~/components/forms'
import { RegionListPicker } from '~/components/region-picker'
import { editTargetForm, newTargetForm, targetChannelChoices, type TargetFormValues } from '~/domains/targets'
import { useT } from '~/utils/locale'
import { useIsPending } from '~/utils/use-is-pending'

/**
 * The office's target form (decision 024), for a new target and for editing one. A target whose scope is frozen
 * (a sale was counted against it) shows its scope as text and sends only name, goal, period end and parent.
 */

type ParentOption = { id: string; name: string; periodStart: string; periodEnd: string }

function RegionField({
  meta,
  label,
  hint,
  codesLabel,
  initial,
}: {
  meta: FieldMetadata<unknown>
  label: string
  hint: string
  codesLabel: string
  initial: Array<{ code: string; name: string }>
}) {
  const t = useT()
  return (
    <RegionListPicker
      meta={meta}
      label={label}
      hint={hint}
      initial={initial}
      fallback={
        <TextareaField
          label={codesLabel}
          meta={meta}
          hint={`${hint} ${t('targetForm.codesHint')}`}
          rows={3}
          spellCheck={false}
          className="mt-1 w-full px-3 py-2 font-mono"
        />
      }
    />
  )
}

export function OfficeTargetForm({
  mode,
  values,
  parents,
  frozen,
  lastResult,
}: {
  mode: 'new' | 'edit'
  values: TargetFormValues
  parents: ParentOption[]
  frozen: boolean
  lastResult?: SubmissionResult | null
}) {
  const t = useT()
  const isPending = useIsPending()
  const defaults = {
    name: values.name,
    goal: values.goal,
    metric: values.metric,
    periodStart: values.periodStart,
    periodEnd: values.periodEnd,
    parentId: values.parentId ?? '',
    helped: values.helped.map((r) => r.code).join('\n'),
    helper: values.helper.map((r) => r.code).join('\n'),
    channelDirect: values.channels.includes('direct_purchase') ? 'on' : undefined,
    channelAssist: values.channels.includes('sales_assist') ? 'on' : undefined,
    certifiedOnly: values.certifiedOnly ? 'on' : undefined,
  }
  const [form, fields] = useSchemaForm(mode === 'new' ? newTargetForm : editTargetForm, {
    lastResult,
    defaultValue: defaults as never,
  })
  const any = t('targetForm.any')
  const names = (list: Array<{ name: string }>) =>
    list.length === 0 ? any : list.map((r) => r.name).join('、')
  return (
    <Form method="post" className="max-w-2xl space-y-5" {...getFormProps(form)}>
      {form.status === 'error' ? <FormAlert errors={['targetForm.error.summary']} /> : null}
      <Field label={t('targetForm.name')} meta={fields.name} maxLength={60} />
      {frozen ? (
        <div role="note" className="rounded border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
          <p className="font-medium">{t('targetForm.frozen.title')}</p>
          <p className="mt-1">{t('targetForm.frozen.body')}</p>
          <p className="mt-1" data-testid="frozen-scope">
            {t('targetForm.frozen.scope', {
              metric: t(`targetForm.metric.${values.metric}`),
              helped: names(values.helped),
              helper: names(values.helper),
              channels:
                values.channels.length === targetChannelChoices.length
                  ? any
                  : values.channels.map((c) => t(`targetForm.channel.${c}`)).join('、'),
              certified: t(values.certifiedOnly ? 'targetForm.certifiedYes' : 'targetForm.certifiedNo'),
              start: values.periodStart,
            })}
          </p>
          <p className="mt-2">
            <Link to="/office/targets/new" className="text-brand-700 underline">
              {t('targetForm.frozen.createNew')}
            </Link>
          </p>
          <input type="hidden" name="metricHint" value={values.metric} />
          <ErrorList id={fields.helped.errorId} errors={fields.helped.errors} />
        </div>
      ) : (
        <>
          <SelectField label={t('targetForm.metric')} meta={fields.metric}>
            <option value="amount_fen">{t('targetForm.metric.amount_fen')}</option>
            <option value="people">{t('targetForm.metric.people')}</option>
          </SelectField>
          <p className="text-sm text-stone-600">{t('targetForm.scopeHint')}</p>
          <RegionField
            meta={fields.helped}
            label={t('targetForm.helped')}
            hint={t('targetForm.helpedHint')}
            codesLabel={t('targetForm.helpedCodes')}
            initial={values.helped}
          />
          <RegionField
            meta={fields.helper}
            label={t('targetForm.helper')}
            hint={t('targetForm.helperHint')}
            codesLabel={t('targetForm.helperCodes')}
            initial={values.helper}
          />
          <fieldset>
            <legend className="text-sm font-medium">{t('targetForm.channels')}</legend>
            {(
              [
                ['direct_purchase', fields.channelDirect],
                ['sales_assist', fields.channelAssist],
              ] as const
            ).map(([choice, meta]) => (
              <label key={choice} className="mt-1 flex items-center gap-2 text-sm">
                <input
                  {...getInputProps(meta, { type: 'checkbox' })}
                  defaultChecked={values.channels.includes(choice)}
                  aria-describedby={fields.channelDirect.errors ? fields.channelDirect.errorId : undefined}
                />
                {t(`targetForm.channel.${choice}`)}
              </label>
            ))}
            <ErrorList id={fields.channelDirect.errorId} errors={fields.channelDirect.errors} />
          </fieldset>
          <label className="flex items-center gap-2 text-sm">
            <input
              {...getInputProps(fields.certifiedOnly, { type: 'checkbox' })}
              defaultChecked={values.certifiedOnly}
            />
            {t('targetForm.certifiedOnly')}
          </label>
          <Field label={t('targetForm.periodStart')} meta={fields.periodStart} type={'date' as 'text'} />
        </>
      )}
      <Field
        label={t('targetForm.goal')}
        meta={fields.goal}
        hint={t('targetForm.goalHint')}
        inputMode="decimal"
        autoComplete="off"
      />
      <Field label={t('targetForm.periodEnd')} meta={fields.periodEnd} type={'date' as 'text'} />
      <SelectField label={t('targetForm.parent')} meta={fields.parentId} hint={t('targetForm.parentHint')}>
        <option value="">{t('targetForm.parentNone')}</option>
        {parents.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}（{p.periodStart} — {p.periodEnd}）
          </option>
        ))}
      </SelectField>
      <div className="flex flex-wrap items-center gap-4">
        <button
          type="submit"
          disabled={isPending}
          className="rounded bg-brand-600 px-4 py-2 text-white hover:bg-brand-700 disabled:opacity-60"
        >
          {t(mode === 'new' ? 'targetForm.submitNew' : 'targetForm.submitEdit')}
        </button>
        <Link to="/office/targets" className="text-brand-700 underline">
          {t('targetForm.cancel')}
        </Link>
      </div>
    </Form>
  )
}
