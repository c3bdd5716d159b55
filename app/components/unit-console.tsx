import { useRouteLoaderData } from '@remix-run/react'
import { Badge } from '~/components/ui/badge'
import { useT } from '~/utils/locale'

/** What the unit pages' layout (routes/unit.tsx) knows about the unit and the member, for the pages inside it. */
export type UnitLayoutInfo = {
  name: string
  role: 'unit_buyer' | 'unit_approver' | 'unit_admin'
  mayOrder: boolean
  managesPlan: boolean
}

export function useUnitLayout(): UnitLayoutInfo | null {
  return useRouteLoaderData<{ unit: UnitLayoutInfo }>('routes/unit')?.unit ?? null
}

const requisitionTone = {
  pending_approval: 'amber',
  approved: 'green',
  ordered: 'green',
  rejected: 'red',
  cancelled: 'grey',
} as const

export function RequisitionStatusBadge({ status }: { status: keyof typeof requisitionTone }) {
  const t = useT()
  return <Badge tone={requisitionTone[status]}>{t(`unit.reqs.status.${status}`)}</Badge>
}
