import type { LoaderFunctionArgs } from '@remix-run/node'
import { Outlet, useRouteError, useRouteLoaderData } from '@remix-run/react'
import type { ReactNode } from 'react'
import { errorStatus, GeneralErrorBoundary } from '~/components/error-boundary'
import { SectionLayout } from '~/components/section-layout'
import { SiteFrame } from '~/components/site-frame'
import { useT } from '~/utils/locale'
import type { RouteId } from '~/utils/access-map'
import type { MessageKey } from '~/utils/i18n'
import { mayOpen, requireAccess } from '~/utils/permissions.server'

/** The section's pages, in the order of its navigation. */
const sections: Array<{ routeId: RouteId; to: string; label: MessageKey }> = [
  { routeId: 'routes/admin.organizations', to: '/admin/organizations', label: 'admin.organizations' },
  // Listing review and supplier admission.
  { routeId: 'routes/admin.listings', to: '/admin/listings', label: 'admin.listings' },
  { routeId: 'routes/admin.suppliers', to: '/admin/suppliers', label: 'admin.suppliers' },
  { routeId: 'routes/admin.offices.new', to: '/admin/offices/new', label: 'admin.newOffice' },
  { routeId: 'routes/admin.payments', to: '/admin/payments', label: 'payments.title' },
  { routeId: 'routes/admin.audit', to: '/admin/audit', label: 'audit.title' },
  { routeId: 'routes/admin.outbox', to: '/admin/outbox', label: 'admin.outbox' },
]

/**
 * Platform administration: platform admins (and finance) only. Each child route checks its own role too; the
 * navigation lists only the pages this user may open (finance sees payments and the audit log, not reviews).
 */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/admin', 'loader')
  return { links: sections.filter((s) => mayOpen(auth, s.routeId)).map(({ to, label }) => ({ to, label })) }
}

function AdminSection({ title, children }: { title?: string; children: ReactNode }) {
  const t = useT()
  // Also rendered by the error boundary, where the loader's answer may be missing: then no links.
  const data = useRouteLoaderData<typeof loader>('routes/admin')
  return (
    <SectionLayout
      title={title}
      navLabel={t('admin.nav')}
      links={(data?.links ?? []).map(({ to, label }) => ({ to, label: t(label) }))}
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
