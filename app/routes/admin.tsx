import type { LoaderFunctionArgs } from '@remix-run/node'
import { NavLink, Outlet } from '@remix-run/react'
import { SiteFrame } from '~/components/site-frame'
import { useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'

/** Platform administration: platform admins (and finance) only. Each child route checks its own role too. */
export async function loader(args: LoaderFunctionArgs) {
  requireAccess(args, 'routes/admin', 'loader')
  return null
}

export default function AdminLayout() {
  const t = useT()
  const linkClass = ({ isActive }: { isActive: boolean }) =>
    `block rounded px-3 py-2 ${isActive ? 'bg-brand-50 font-semibold text-brand-700' : 'hover:bg-stone-100'}`
  return (
    <SiteFrame>
      <h1 className="mb-4 text-2xl font-bold">{t('admin.title')}</h1>
      <div className="grid gap-6 md:grid-cols-[14rem_1fr]">
        <nav aria-label={t('admin.nav')} className="text-sm">
          <NavLink to="/admin/organizations" className={linkClass}>
            {t('admin.organizations')}
          </NavLink>
          <NavLink to="/admin/offices/new" className={linkClass}>
            {t('admin.newOffice')}
          </NavLink>
          <NavLink to="/admin/audit" className={linkClass}>
            {t('audit.title')}
          </NavLink>
        </nav>
        <div className="min-w-0">
          <Outlet />
        </div>
      </div>
    </SiteFrame>
  )
}
