import { Link, NavLink, useRouteLoaderData } from '@remix-run/react'
import type { ReactNode } from 'react'
import { Badge } from '~/components/ui/badge'
import { useT } from '~/utils/locale'

/** What the console's layout (routes/coop.tsx) knows about the cooperative, for the pages inside it. */
export type CoopLayoutInfo = {
  name: string
  regionName: string
  admitted: boolean
  role: string
  managesBases: boolean
}

export function useCoopLayout(): CoopLayoutInfo | null {
  return useRouteLoaderData<{ coop: CoopLayoutInfo }>('routes/coop')?.coop ?? null
}

const statusTone = {
  draft: 'grey',
  pending: 'amber',
  active: 'green',
  rejected: 'red',
  archived: 'grey',
} as const

export type ListingStatus = keyof typeof statusTone

export function ListingStatusBadge({ status }: { status: ListingStatus }) {
  const t = useT()
  return <Badge tone={statusTone[status]}>{t(`listing.status.${status}`)}</Badge>
}

/** A list's empty state: a sentence, in a dashed box. */
export function EmptyState({ children }: { children: ReactNode }) {
  return (
    <p className="rounded-lg border border-dashed border-stone-300 p-6 text-center text-stone-600">
      {children}
    </p>
  )
}

/** A success message after an action, announced. */
export function Notice({ children }: { children: ReactNode }) {
  return (
    <p role="status" className="rounded border border-brand-200 bg-brand-50 p-3 text-sm text-brand-800">
      {children}
    </p>
  )
}

/** The heading of a product's pages and the links between them (edit, stock, photos, certificates). */
export function ProductHeader({
  productId,
  name,
  status,
  title,
}: {
  productId: string
  name: string
  status: ListingStatus
  title: string
}) {
  const t = useT()
  const base = `/coop/products/${productId}`
  const linkClass = ({ isActive }: { isActive: boolean }) =>
    `rounded px-3 py-1 ${isActive ? 'bg-brand-700 text-white' : 'border border-stone-300 bg-white hover:bg-stone-100'}`
  return (
    <div className="space-y-2">
      <p className="text-sm">
        <Link to="/coop/products" className="text-brand-700 underline">
          {t('console.edit.back')}
        </Link>
      </p>
      <h2 className="flex flex-wrap items-center gap-2 text-xl font-semibold">
        <span>
          {title}：{name}
        </span>
        <ListingStatusBadge status={status} />
      </h2>
      <nav aria-label={t('console.product.sections')}>
        <ul className="flex flex-wrap gap-2 text-sm">
          <li>
            <NavLink to={base} end className={linkClass}>
              {t('console.products.edit')}
            </NavLink>
          </li>
          <li>
            <NavLink to={`${base}/stock`} className={linkClass}>
              {t('console.products.stock')}
            </NavLink>
          </li>
          <li>
            <NavLink to={`${base}/photos`} className={linkClass}>
              {t('console.products.photos')}
            </NavLink>
          </li>
          <li>
            <NavLink to={`${base}/certifications`} className={linkClass}>
              {t('console.products.certifications')}
            </NavLink>
          </li>
          {/* Cooperative console II: the product's beneficiary households and proceeds rule. */}
          <li>
            <NavLink to={`${base}/beneficiaries`} className={linkClass}>
              {t('console.products.beneficiaries')}
            </NavLink>
          </li>
        </ul>
      </nav>
    </div>
  )
}
