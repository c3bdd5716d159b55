import { getFormProps } from '@conform-to/react'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useState } from 'react'
import { z } from 'zod'
import { EmptyState, Notice, ProductHeader } from '~/components/coop-console'
import { Field, FormAlert, SelectField, useSchemaForm } from '~/components/forms'
import {
  linkHouseholdSchema,
  proceedsRuleChoices,
  proceedsRuleSchema,
  reweighSchema,
} from '~/domains/households'
import {
  getProductBeneficiaries,
  linkHousehold,
  reweighHousehold,
  type RuleView,
  setProceedsRule,
  unlinkHousehold,
} from '~/domains/households/index.server'
import { shanghaiDateTime, systemClock } from '~/utils/clock'
import { activeOrgScope, coopActor, productIdParam } from '~/utils/coop-console.server'
import { getDb } from '~/utils/db.server'
import { parseForm } from '~/utils/form.server'
import { invariantResponse } from '~/utils/guards.server'
import type { MessageKey } from '~/utils/i18n'
import { useLocale, useT } from '~/utils/locale'
import { fenToYuanPlain, formatFen } from '~/utils/money'
import { requireAccess } from '~/utils/permissions.server'

export const meta: MetaFunction = () => [{ title: '受益农户与收益规则 · 合作社后台 · 消费帮扶集市' }]

/** A product's beneficiary households (with weights) and its proceeds rule, with the rule's history. */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(
    args,
    'routes/coop.products.$productId_.beneficiaries',
    'loader',
    activeOrgScope(args),
  )
  const view = await getProductBeneficiaries(getDb(), {
    ...coopActor(auth),
    productId: productIdParam(args.params),
  })
  invariantResponse(view, '商品不存在 / Not found', { status: 404 })
  return view
}

const intentForm = z.object({
  intent: z.enum(['rule', 'link', 'weight', 'unlink']),
  householdId: z.string().max(64).optional(),
})

type Reply = ReturnType<Awaited<ReturnType<typeof parseForm<typeof intentForm>>>['reply']>
type Answer = {
  intent: string
  householdId: string | null
  result: Reply | null
  done: MessageKey | null
  refusal: MessageKey | null
}

export async function action(args: ActionFunctionArgs) {
  const submission = await parseForm(args.request, intentForm)
  invariantResponse(submission.status === 'success', 'Unknown intent')
  const { intent } = submission.value
  const auth = requireAccess(args, 'routes/coop.products.$productId_.beneficiaries', 'action', {
    ...activeOrgScope(args),
    intent,
  })
  const input = { ...coopActor(auth), productId: productIdParam(args.params) }
  const householdId = submission.value.householdId ?? ''
  const answer = (outcome: Partial<Answer>, status = 200) =>
    data<Answer>(
      { intent, householdId: householdId || null, result: null, done: null, refusal: null, ...outcome },
      { status },
    )
  const db = getDb()
  const result =
    intent === 'rule'
      ? await setProceedsRule(db, { ...input, form: submission.payload }, systemClock)
      : intent === 'link'
        ? await linkHousehold(db, { ...input, form: submission.payload }, systemClock)
        : intent === 'weight'
          ? await reweighHousehold(db, { ...input, form: submission.payload }, systemClock)
          : await unlinkHousehold(db, { ...input, householdId }, systemClock)
  if (result.ok) {
    const done = {
      rule: 'proceeds.ruleSaved',
      link: 'proceeds.linked',
      weight: 'proceeds.reweighed',
      unlink: 'proceeds.unlinked',
    } as const
    return answer({ done: done[intent], result: submission.reply({ resetForm: true }) })
  }
  invariantResponse(result.error !== 'not_found', '商品不存在 / Not found', { status: 404 })
  if (result.error === 'invalid')
    return answer({ result: submission.reply({ fieldErrors: result.errors }) }, 400)
  return answer({ refusal: `proceeds.error.${result.error}` }, 409)
}

function describeRule(t: ReturnType<typeof useT>, rule: RuleView): string {
  if (rule.kind === 'basis_points')
    return t('proceeds.rule.percent', { percent: (rule.basisPoints / 100).toFixed(2) })
  if (rule.kind === 'fen_per_unit')
    return t('proceeds.rule.perUnit', { amount: formatFen(BigInt(rule.fenPerUnit)) })
  return t('proceeds.rule.none')
}

export default function ProductBeneficiaries() {
  const t = useT()
  const locale = useLocale()
  const view = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <div className="space-y-4">
      <ProductHeader
        productId={view.product.id}
        name={view.product.name}
        status={view.product.status}
        title={t('proceeds.title')}
      />
      <p className="text-sm text-stone-600">{t('proceeds.intro')}</p>
      {actionData?.done ? <Notice>{t(actionData.done)}</Notice> : null}
      {actionData?.refusal ? <FormAlert errors={[actionData.refusal]} /> : null}
      <section
        aria-labelledby="rule-title"
        className="space-y-2 rounded-lg border border-stone-200 bg-white p-4"
      >
        <h3 id="rule-title" className="text-lg font-semibold">
          {t('proceeds.rule.title')}
        </h3>
        <p data-testid="current-rule">{describeRule(t, view.rule)}</p>
        <p className="text-sm text-stone-600" data-testid="promise">
          {view.links.length === 0
            ? t('proceeds.promise.noHouseholds')
            : view.perUnitFen === '0'
              ? t('proceeds.promise.nothing')
              : t('proceeds.promise', {
                  amount: formatFen(BigInt(view.perUnitFen), locale),
                  n: view.links.length,
                  price: formatFen(BigInt(view.product.priceFen), locale),
                })}
        </p>
        {view.canChange ? (
          <RuleForm rule={view.rule} lastResult={actionData?.intent === 'rule' ? actionData.result : null} />
        ) : (
          <p className="text-sm text-stone-600">{t('proceeds.readOnly')}</p>
        )}
        <details className="text-sm">
          <summary className="cursor-pointer">
            {t('proceeds.history', { count: view.history.length })}
          </summary>
          {view.history.length === 0 ? (
            <p className="mt-2 text-stone-600">{t('proceeds.history.empty')}</p>
          ) : (
            <ul className="mt-2 space-y-1">
              {view.history.map((h) => (
                <li key={h.changedAt}>
                  <time dateTime={h.changedAt}>{shanghaiDateTime(new Date(h.changedAt))}</time> ·{' '}
                  {describeRule(t, h.rule)}
                  {h.by ? ` · ${h.by}` : ''}
                </li>
              ))}
            </ul>
          )}
        </details>
      </section>
      <section aria-labelledby="links-title" className="space-y-2">
        <h3 id="links-title" className="text-lg font-semibold">
          {t('proceeds.links.title', { count: view.links.length })}
        </h3>
        {view.links.length === 0 ? (
          <EmptyState>{t('proceeds.links.empty')}</EmptyState>
        ) : (
          <ul className="grid gap-2 md:grid-cols-2">
            {view.links.map((link) => (
              <li
                key={link.householdId}
                className="space-y-1 rounded-lg border border-stone-200 bg-white p-3"
                data-testid="beneficiary"
              >
                <p>
                  <span className="font-mono text-sm">{link.code}</span>{' '}
                  <span className="font-medium">{link.maskedName}</span>{' '}
                  <span className="text-sm text-stone-600">{link.village}</span>
                </p>
                {view.canChange ? (
                  <div className="flex flex-wrap items-end gap-3">
                    <WeightForm
                      householdId={link.householdId}
                      code={link.code}
                      weight={link.weight}
                      lastResult={
                        actionData?.intent === 'weight' && actionData.householdId === link.householdId
                          ? actionData.result
                          : null
                      }
                    />
                    <Form method="post">
                      <input type="hidden" name="intent" value="unlink" />
                      <input type="hidden" name="householdId" value={link.householdId} />
                      <button
                        type="submit"
                        className="rounded border border-red-300 px-2 py-1 text-sm text-red-700 hover:bg-red-50"
                      >
                        {t('proceeds.unlink', { code: link.code })}
                      </button>
                    </Form>
                  </div>
                ) : (
                  <p className="text-sm">{t('proceeds.weight', { weight: link.weight })}</p>
                )}
              </li>
            ))}
          </ul>
        )}
        {view.canChange ? (
          <LinkForm
            candidates={view.candidates}
            lastResult={actionData?.intent === 'link' ? actionData.result : null}
          />
        ) : null}
      </section>
    </div>
  )
}

function RuleForm({ rule, lastResult }: { rule: RuleView; lastResult: Reply | null }) {
  const t = useT()
  const [form, fields] = useSchemaForm(proceedsRuleSchema, {
    id: 'proceeds-rule',
    lastResult,
    defaultValue: {
      kind: rule.kind,
      percent: rule.kind === 'basis_points' ? (rule.basisPoints / 100).toFixed(2) : '',
      yuanPerUnit: rule.kind === 'fen_per_unit' ? fenToYuanPlain(BigInt(rule.fenPerUnit)) : '',
    },
  })
  const [kind, setKind] = useState<string>(rule.kind)
  return (
    <Form method="post" className="space-y-3" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="rule" />
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField
          label={t('proceeds.rule.kind')}
          meta={fields.kind}
          onChange={(e) => setKind(e.currentTarget.value)}
        >
          {proceedsRuleChoices.map((choice) => (
            <option key={choice} value={choice}>
              {t(`proceeds.kind.${choice}`)}
            </option>
          ))}
        </SelectField>
        {kind === 'basis_points' ? (
          <Field
            label={t('proceeds.rule.percentField')}
            meta={fields.percent}
            inputMode="decimal"
            hint={t('proceeds.rule.percentHint')}
          />
        ) : kind === 'fen_per_unit' ? (
          <Field
            label={t('proceeds.rule.yuanField')}
            meta={fields.yuanPerUnit}
            inputMode="decimal"
            hint={t('proceeds.rule.yuanHint')}
          />
        ) : null}
      </div>
      <p className="text-sm text-stone-600">{t('proceeds.rule.effect')}</p>
      <button type="submit" className="rounded bg-brand-700 px-4 py-2 text-white hover:bg-brand-800">
        {t('proceeds.rule.save')}
      </button>
    </Form>
  )
}

function WeightForm({
  householdId,
  code,
  weight,
  lastResult,
}: {
  householdId: string
  code: string
  weight: number
  lastResult: Reply | null
}) {
  const t = useT()
  const [form, fields] = useSchemaForm(reweighSchema, {
    id: `weight-${householdId}`,
    lastResult,
    defaultValue: { householdId, weight: String(weight) },
  })
  return (
    <Form method="post" className="flex items-end gap-2" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="weight" />
      <input type="hidden" name="householdId" value={householdId} />
      <Field
        label={t('proceeds.weightOf', { code })}
        meta={fields.weight}
        inputMode="numeric"
        className="w-24"
      />
      <button
        type="submit"
        className="mb-1 rounded border border-stone-300 px-2 py-1 text-sm hover:bg-stone-100"
      >
        {t('proceeds.saveWeight')}
      </button>
    </Form>
  )
}

function LinkForm({
  candidates,
  lastResult,
}: {
  candidates: Array<{ code: string; maskedName: string; village: string }>
  lastResult: Reply | null
}) {
  const t = useT()
  const [form, fields] = useSchemaForm(linkHouseholdSchema, {
    id: 'link-household',
    lastResult,
    defaultValue: { weight: '1' },
  })
  return (
    <section aria-labelledby="link-title" className="rounded-lg border border-stone-200 bg-white p-4">
      <h4 id="link-title" className="mb-2 font-semibold">
        {t('proceeds.link.title')}
      </h4>
      {candidates.length === 0 ? (
        <p className="text-sm text-stone-600">{t('proceeds.link.noCandidates')}</p>
      ) : (
        <Form
          method="post"
          className="grid gap-3 sm:grid-cols-[2fr_1fr_auto] sm:items-end"
          {...getFormProps(form)}
        >
          <input type="hidden" name="intent" value="link" />
          <Field
            label={t('proceeds.link.household')}
            meta={fields.householdCode}
            list="household-candidates"
            hint={t('proceeds.link.hint')}
          />
          <datalist id="household-candidates">
            {candidates.map((c) => (
              <option key={c.code} value={c.code}>
                {`${c.maskedName} ${c.village}`}
              </option>
            ))}
          </datalist>
          <Field label={t('proceeds.link.weight')} meta={fields.weight} inputMode="numeric" />
          <button type="submit" className="mb-1 rounded bg-brand-700 px-4 py-2 text-white hover:bg-brand-800">
            {t('proceeds.link.submit')}
          </button>
        </Form>
      )}
    </section>
  )
}
