import type { LoaderFunctionArgs } from '@remix-run/node'
import { Outlet, useRouteError } from '@remix-run/react'
import type { ReactNode } from 'react'
import { errorStatus, GeneralErrorBoundary } from '~/components/error-boundary'
import { SectionLayout } from '~/components/section-layout'
import { SiteFrame } from '~/components/site-frame'
import { useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'

/** Platform administration: platform admins (and finance) only. Each child route checks its own role too. */
export async function loader(args: LoaderFunctionArgs) {
  requireAccess(args, 'routes/admin', 'loader')
  return null
}

function AdminSection({ title, children }: { title?: string; children: ReactNode }) {
  const t = useT()
  return (
    <SectionLayout
      title={title}
      navLabel={t('admin.nav')}
      links={[
        { to: '/admin/organizations', label: t('admin.organizations') },
        // Listing review and supplier admission.
        { to: '/admin/listings', label: t('admin.listings') },
        { to: '/admin/suppliers', label: t('admin.suppliers') },
        { to: '/admin/offices/new', label: t('admin.newOffice') },
        { to: '/admin/payments', label: t('payments.title') },
        { to: '/admin/audit', label: t('audit.title') },
        { to: '/admin/outbox', label: t('admin.outbox') },
      ]}
    >
      {children}
    </SectionLayout>
  )
}

export default function AdminLayout() {
  const t = useT()
  return (
    <AdminSection title={t('admin.title')}>
      <Outlet />
    </AdminSection>
  )
}

/**
 * An administration page's error keeps the site frame. Someone refused (401, 403) is not shown the administration's
 * navigation; for other errors it stays, without the section's heading (the error page has its own h1).
 */
export function ErrorBoundary() {
  const status = errorStatus(useRouteError())
  if (status === 401 || status === 403) {
    return (
      <SiteFrame>
        <GeneralErrorBoundary />
      </SiteFrame>
    )
  }
  return (
    <AdminSection>
      <GeneralErrorBoundary />
    </AdminSection>
  )
}
