import type { LoaderFunctionArgs } from '@remix-run/node'
import { SectionLayout } from '~/components/section-layout'
import { useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'

/** Platform administration: platform admins (and finance) only. Each child route checks its own role too. */
export async function loader(args: LoaderFunctionArgs) {
  requireAccess(args, 'routes/admin', 'loader')
  return null
}

export default function AdminLayout() {
  const t = useT()
  return (
    <SectionLayout
      title={t('admin.title')}
      navLabel={t('admin.nav')}
      links={[
        { to: '/admin/organizations', label: t('admin.organizations') },
        { to: '/admin/offices/new', label: t('admin.newOffice') },
        { to: '/admin/payments', label: t('payments.title') },
        { to: '/admin/audit', label: t('audit.title') },
      ]}
    />
  )
}
