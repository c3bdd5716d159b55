import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { OfficeTargetForm } from '~/components/office-target-form'
import { editTargetForm } from '~/domains/targets'
import { getTargetForEdit, parentChoices, updateOfficeTarget } from '~/domains/targets/index.server'
import { systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { parseForm } from '~/utils/form.server'
import { invariantResponse } from '~/utils/guards.server'
import { useT } from '~/utils/locale'
import { fenToYuanPlain } from '~/utils/money'
import { requireAccess } from '~/utils/permissions.server'
import { officeReviewer } from '~/utils/reviewers.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.target.name ?? '目标'} · 编辑目标任务 · 消费帮扶集市` },
]

/**
 * An office admin edits one of the office's own targets (decision 024). Once a sale was counted against it only
 * name, goal, period end and parent change; another office's target (or a demo one) answers 404 like an unknown id.
 */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/office.targets.$id_.edit', 'loader')
  const office = officeReviewer(auth, { adminsOnly: true })
  const actor = { userId: office.userId, orgId: office.orgId }
  const target = await getTargetForEdit(getDb(), actor, args.params.id ?? '')
  invariantResponse(target, 'Not one of this office’s targets', { status: 404 })
  const parents = (await parentChoices(getDb(), actor, target.id)) ?? []
  return { target, parents }
}

export async function action(args: ActionFunctionArgs) {
  const auth = requireAccess(args, 'routes/office.targets.$id_.edit', 'action')
  const office = officeReviewer(auth, { adminsOnly: true })
  const submission = await parseForm(args.request, editTargetForm)
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const result = await updateOfficeTarget(
    getDb(),
    { userId: office.userId, orgId: office.orgId },
    args.params.id ?? '',
    submission.value,
    systemClock,
  )
  invariantResponse(result.ok || result.status !== 404, 'Not one of this office’s targets', { status: 404 })
  if (!result.ok) {
    return data(
      { result: submission.reply({ fieldErrors: 'errors' in result ? result.errors : {} }) },
      { status: result.status },
    )
  }
  return redirect('/office/targets')
}

export default function EditOfficeTarget() {
  const { target, parents } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const t = useT()
  return (
    <div className="space-y-4">
      <h2 className="text-xl font-semibold">{t('targetForm.editTitle')}</h2>
      <p className="text-sm text-stone-600">{t('targetForm.intro')}</p>
      <OfficeTargetForm
        mode="edit"
        frozen={target.frozen}
        parents={parents}
        lastResult={actionData?.result}
        values={{
          ...target,
          goal: target.metric === 'amount_fen' ? fenToYuanPlain(BigInt(target.goal)) : target.goal,
        }}
      />
    </div>
  )
}
