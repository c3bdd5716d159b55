import { getFormProps } from '@conform-to/react'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { EmptyState, Notice } from '~/components/coop-console'
import { Field, FormAlert, useSchemaForm } from '~/components/forms'
import { spendingLimitForm } from '~/domains/procurement'
import { listUnitMembers, setSpendingLimit, type UnitMember } from '~/domains/procurement/index.server'
import { systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { parseForm } from '~/utils/form.server'
import { invariantResponse } from '~/utils/guards.server'
import { useLocale, useT } from '~/utils/locale'
import { formatFen } from '~/utils/money'
import { requireAccess } from '~/utils/permissions.server'
import { unitActor } from '~/utils/unit-console.server'
import { useIsPending } from '~/utils/use-is-pending'

export const meta: MetaFunction = () => [{ title: '采购限额 · 单位采购 · 消费帮扶集市' }]

/** The unit admin's page: every member's spending limit, each changeable. */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/unit.members', 'loader')
  const members = await listUnitMembers(getDb(), unitActor(auth).orgId)
  return { members }
}

/** Sets one member's limit (audited). */
export async function action(args: ActionFunctionArgs) {
  const auth = requireAccess(args, 'routes/unit.members', 'action')
  const submission = await parseForm(args.request, spendingLimitForm)
  const target = typeof submission.payload.userId === 'string' ? submission.payload.userId : null
  if (submission.status !== 'success') {
    return data({ target, result: submission.reply(), done: null }, { status: 400 })
  }
  const result = await setSpendingLimit(
    getDb(),
    { actor: unitActor(auth), form: submission.value },
    systemClock,
  )
  invariantResponse(result.ok || result.reason !== 'forbidden', '无权访问 / Forbidden', { status: 403 })
  if (!result.ok) {
    return data(
      {
        target,
        result: submission.reply({ fieldErrors: { limit: ['unit.limits.error.member'] } }),
        done: null,
      },
      { status: 404 },
    )
  }
  return data({ target, result: submission.reply(), done: { fen: submission.value.limit } })
}

function LimitRow({ member }: { member: UnitMember }) {
  const t = useT()
  const locale = useLocale()
  const actionData = useActionData<typeof action>()
  const mine = actionData?.target === member.userId
  const busy = useIsPending()
  const [form, fields] = useSchemaForm(spendingLimitForm, {
    id: `limit-${member.userId}`,
    lastResult: mine ? actionData?.result : null,
    defaultValue: { userId: member.userId },
  })
  return (
    <tr className="border-t border-stone-100 align-top" data-testid="member-limit">
      <th scope="row" className="py-2 pr-3 text-left font-normal">
        {member.displayName}
      </th>
      <td className="py-2 pr-3">{t(`unit.role.${member.role}`)}</td>
      <td className="py-2 pr-3 text-right">{formatFen(member.limitFen, locale)}</td>
      <td className="py-2">
        <Form method="post" className="flex flex-wrap items-start gap-2" {...getFormProps(form)}>
          <input type="hidden" name="userId" value={member.userId} />
          <Field
            label={t('unit.limits.field', { name: member.displayName })}
            hiddenLabel
            meta={fields.limit}
            inputMode="decimal"
            className="w-32"
          />
          <button
            type="submit"
            disabled={busy}
            className="rounded bg-brand-700 px-3 py-2 text-sm text-white hover:bg-brand-800 disabled:opacity-60"
          >
            {t('unit.limits.save')}
          </button>
        </Form>
        {mine && actionData?.done ? (
          <Notice>
            {t('unit.limits.saved', {
              name: member.displayName,
              amount: formatFen(actionData.done.fen, locale),
            })}
          </Notice>
        ) : null}
      </td>
    </tr>
  )
}

export default function UnitMembers() {
  const t = useT()
  const { members } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <div className="max-w-4xl space-y-4">
      <h1 className="text-xl font-semibold">{t('unit.limits.title')}</h1>
      <p className="text-sm text-stone-600">{t('unit.limits.intro')}</p>
      {actionData?.result?.status === 'error' && !actionData.target ? (
        <FormAlert errors={['unit.limits.error.member']} />
      ) : null}
      {members.length === 0 ? (
        <EmptyState>{t('unit.limits.empty')}</EmptyState>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm">
            <caption className="sr-only">{t('unit.limits.caption')}</caption>
            <thead className="text-left text-stone-500">
              <tr>
                <th scope="col" className="py-2 pr-3">
                  {t('unit.limits.col.member')}
                </th>
                <th scope="col" className="py-2 pr-3">
                  {t('unit.limits.col.role')}
                </th>
                <th scope="col" className="py-2 pr-3 text-right">
                  {t('unit.limits.col.limit')}
                </th>
                <th scope="col" className="py-2">
                  {t('unit.limits.col.change')}
                </th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <LimitRow key={m.userId} member={m} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}
