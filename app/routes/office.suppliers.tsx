import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { SupplierAdmission } from '~/components/supplier-admission'
import { listSuppliersAwaitingRecommendation, recommendSupplier } from '~/domains/organizations/index.server'
import { systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { invariantResponse } from '~/utils/guards.server'
import { requireAccess } from '~/utils/permissions.server'
import { officeReviewer } from '~/utils/reviewers.server'
import { admissionAnswer, invalidAdmission, pageOf, readAdmission } from '~/utils/supplier-admission.server'

export const meta: MetaFunction = () => [{ title: '供应商推荐 · 消费帮扶集市' }]

/** 县级推荐: an office's admins recommend the verified cooperatives and enterprises of its jurisdiction. */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/office.suppliers', 'loader')
  const office = officeReviewer(auth, { adminsOnly: true })
  const candidates = await listSuppliersAwaitingRecommendation(getDb(), {
    userId: office.userId,
    orgId: office.orgId,
  })
  return pageOf(args.request, candidates)
}

export async function action(args: ActionFunctionArgs) {
  const submission = await readAdmission(args.request)
  const { intent } = submission.payload
  const auth = requireAccess(args, 'routes/office.suppliers', 'action', {
    intent: typeof intent === 'string' ? intent : '',
  })
  const office = officeReviewer(auth, { adminsOnly: true })
  const invalid = invalidAdmission(submission)
  if (invalid) return invalid
  invariantResponse(
    submission.status === 'success' && submission.value.intent === 'recommend',
    'Unknown intent',
  )
  const form = submission.value
  const result = await recommendSupplier(
    getDb(),
    {
      supplierOrgId: form.supplierOrgId,
      office: { userId: office.userId, orgId: office.orgId },
      note: form.note ?? null,
    },
    systemClock,
  )
  return admissionAnswer(form.supplierOrgId, result)
}

export default function OfficeSuppliers() {
  const list = useLoaderData<typeof loader>()
  const answer = useActionData<typeof action>()
  return <SupplierAdmission mode="recommend" list={list} answer={answer} />
}
