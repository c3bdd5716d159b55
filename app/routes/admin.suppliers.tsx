import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { SupplierAdmission } from '~/components/supplier-admission'
import { listSuppliersAwaitingVerification, verifySupplier } from '~/domains/organizations/index.server'
import { systemClock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { invariantResponse } from '~/utils/guards.server'
import { requireAccess } from '~/utils/permissions.server'
import { platformReviewer } from '~/utils/reviewers.server'
import { admissionAnswer, invalidAdmission, pageOf, readAdmission } from '~/utils/supplier-admission.server'

export const meta: MetaFunction = () => [{ title: '供应商准入 · 消费帮扶集市' }]

/**
 * Supplier admission, the platform's step: a platform admin verifies the suppliers an office recommended. (The
 * domain has no way to decline a recommendation yet; a supplier that should not sell simply stays unverified.)
 */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/admin.suppliers', 'loader')
  const admin = platformReviewer(auth)
  const candidates = await listSuppliersAwaitingVerification(getDb(), {
    userId: admin.userId,
    orgId: admin.orgId,
  })
  return pageOf(args.request, candidates)
}

export async function action(args: ActionFunctionArgs) {
  const submission = await readAdmission(args.request)
  const { intent } = submission.payload
  const auth = requireAccess(args, 'routes/admin.suppliers', 'action', {
    intent: typeof intent === 'string' ? intent : '',
  })
  const admin = platformReviewer(auth)
  const invalid = invalidAdmission(submission)
  if (invalid) return invalid
  invariantResponse(submission.status === 'success' && submission.value.intent === 'verify', 'Unknown intent')
  const form = submission.value
  const result = await verifySupplier(
    getDb(),
    { supplierOrgId: form.supplierOrgId, admin: { userId: admin.userId, orgId: admin.orgId } },
    systemClock,
  )
  return admissionAnswer(form.supplierOrgId, result)
}

export default function AdminSuppliers() {
  const list = useLoaderData<typeof loader>()
  const answer = useActionData<typeof action>()
  return <SupplierAdmission mode="verify" list={list} answer={answer} auditLink />
}
