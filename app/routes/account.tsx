import type { LoaderFunctionArgs } from '@remix-run/node'
import { NavLink, Outlet } from '@remix-run/react'
import { SiteFrame } from '~/components/site-frame'
import { useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'

/** Everything under /account needs a signed-in user; the layout adds the account navigation. */
export async function loader(args: LoaderFunctionArgs) {
  requireAccess(args, 'routes/account', 'loader')
  return null
}

export default function AccountLayout() {
  const t = useT()
  const linkClass = ({ isActive }: { isActive: boolean }) =>
    `block rounded px-3 py-2 ${isActive ? 'bg-brand-50 font-semibold text-brand-700' : 'hover:bg-stone-100'}`
  return (
    <SiteFrame>
      <div className="grid gap-6 md:grid-cols-[14rem_1fr]">
        <nav aria-label={t('account.nav')} className="text-sm">
          <NavLink to="/account" end className={linkClass}>
            {t('account.overview')}
          </NavLink>
          <NavLink to="/account/organizations" className={linkClass}>
            {t('account.organizations')}
          </NavLink>
          <NavLink to="/account/security" className={linkClass}>
            {t('account.security')}
          </NavLink>
        </nav>
        <div className="min-w-0">
          <Outlet />
        </div>
      </div>
    </SiteFrame>
  )
}
