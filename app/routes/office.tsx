import type { LoaderFunctionArgs } from '@remix-run/node'
import { Outlet, useLoaderData, useRouteError, useRouteLoaderData } from '@remix-run/react'
import type { ReactNode } from 'react'
import { errorStatus, GeneralErrorBoundary } from '~/components/error-boundary'
import { SectionLayout } from '~/components/section-layout'
import { SiteFrame } from '~/components/site-frame'
import { useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'
import { officeReviewer } from '~/utils/reviewers.server'

/**
 * An office's pages (帮扶工作机构): its admins and analysts, acting for it, review listings from its jurisdiction;
 * its admins also recommend suppliers. Acting for anything else is 403 (the error page offers to switch).
 */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/office', 'loader')
  const office = officeReviewer(auth)
  return { officeName: office.orgName, isAdmin: office.role === 'office_admin' }
}

function OfficeSection({
  title,
  isAdmin,
  children,
}: {
  title?: string
  isAdmin: boolean
  children: ReactNode
}) {
  const t = useT()
  return (
    <SectionLayout
      title={title}
      navLabel={t('office.nav')}
      links={[
        { to: '/office', label: t('office.overview'), end: true },
        { to: '/office/listings', label: t('office.listings') },
        // Office dashboard and 公示 (issue 19).
        { to: '/office/targets', label: t('office.targetsNav') },
        ...(isAdmin ? [{ to: '/office/suppliers', label: t('office.suppliers') }] : []),
      ]}
    >
      {children}
    </SectionLayout>
  )
}

export default function OfficeLayout() {
  const { officeName, isAdmin } = useLoaderData<typeof loader>()
  return (
    <OfficeSection title={officeName} isAdmin={isAdmin}>
      <Outlet />
    </OfficeSection>
  )
}

/**
 * An office page's error keeps the site frame. Someone refused (401, 403) is not shown the office's navigation; for
 * other errors it stays, without the heading (the error page has its own h1).
 */
export function ErrorBoundary() {
  const status = errorStatus(useRouteError())
  const layout = useRouteLoaderData<typeof loader>('routes/office')
  if (status === 401 || status === 403 || !layout) {
    return (
      <SiteFrame>
        <GeneralErrorBoundary />
      </SiteFrame>
    )
  }
  return (
    <OfficeSection isAdmin={layout.isAdmin}>
      <GeneralErrorBoundary />
    </OfficeSection>
  )
}
