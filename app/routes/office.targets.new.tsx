import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { OfficeTargetForm } from '~/components/office-target-form'
import { newTargetForm } from '~/domains/targets'
import { createOfficeTarget, defaultPeriod, parentChoices } from '~/domains/targets/index.server'
import { systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { parseForm } from '~/utils/form.server'
import { invariantResponse } from '~/utils/guards.server'
import { useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'
import { officeReviewer } from '~/utils/reviewers.server'

export const meta: MetaFunction = () => [{ title: '新建目标任务 · 帮扶工作机构 · 消费帮扶集市' }]

/** An office admin creates a target of the office's jurisdiction, optionally under one of its targets (decision 024). */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/office.targets.new', 'loader')
  const office = officeReviewer(auth, { adminsOnly: true })
  const parents = await parentChoices(getDb(), { userId: office.userId, orgId: office.orgId })
  invariantResponse(parents, 'Not acting for an office', { status: 403 })
  return { parents, period: defaultPeriod(systemClock) }
}

export async function action(args: ActionFunctionArgs) {
  const auth = requireAccess(args, 'routes/office.targets.new', 'action')
  const office = officeReviewer(auth, { adminsOnly: true })
  const submission = await parseForm(args.request, newTargetForm)
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const result = await createOfficeTarget(
    getDb(),
    { userId: office.userId, orgId: office.orgId },
    submission.value,
    systemClock,
  )
  invariantResponse(result.ok || result.status !== 404, 'Not acting for an office', { status: 403 })
  if (!result.ok) {
    return data(
      { result: submission.reply({ fieldErrors: 'errors' in result ? result.errors : {} }) },
      { status: 400 },
    )
  }
  return redirect('/office/targets')
}

export default function NewOfficeTarget() {
  const { parents, period } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const t = useT()
  return (
    <div className="space-y-4">
      <h2 className="text-xl font-semibold">{t('targetForm.newTitle')}</h2>
      <p className="text-sm text-stone-600">{t('targetForm.intro')}</p>
      <OfficeTargetForm
        mode="new"
        frozen={false}
        parents={parents}
        lastResult={actionData?.result}
        values={{
          name: '',
          metric: 'amount_fen',
          goal: '',
          periodStart: period.periodStart,
          periodEnd: period.periodEnd,
          parentId: null,
          helped: [],
          helper: [],
          channels: ['direct_purchase', 'sales_assist'],
          certifiedOnly: false,
        }}
      />
    </div>
  )
}
