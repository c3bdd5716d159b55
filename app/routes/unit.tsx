import type { LoaderFunctionArgs } from '@remix-run/node'
import { NavLink, Outlet, useRouteError } from '@remix-run/react'
import type { ReactNode } from 'react'
import { useUnitLayout } from '~/components/unit-console'
import { errorStatus, GeneralErrorBoundary } from '~/components/error-boundary'
import { NotActingFor } from '~/components/not-acting-for'
import { SiteFrame } from '~/components/site-frame'
import { mayRequisition } from '~/domains/procurement'
import { useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'
import { unitActor } from '~/utils/unit-console.server'

/**
 * The unit pages' frame (government procurement, issue 16): the unit's name, the member's role and the tabs. Every
 * page acts for the unit the user acts through (auth.active); anyone else is refused and told to switch identity.
 */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/unit', 'loader')
  const actor = unitActor(auth)
  return {
    unit: {
      name: auth.active!.orgName,
      role: actor.role,
      mayOrder: mayRequisition(actor.role),
      managesPlan: actor.role === 'unit_admin',
    },
  }
}

function UnitFrame({ children }: { children: ReactNode }) {
  const t = useT()
  const unit = useUnitLayout()
  const tabClass = ({ isActive }: { isActive: boolean }) =>
    `block whitespace-nowrap border-b-2 px-3 py-2 ${
      isActive ? 'border-brand-600 font-semibold text-brand-700' : 'border-transparent hover:bg-stone-100'
    }`
  return (
    <SiteFrame>
      {unit ? (
        <div className="mb-4">
          <p className="text-sm text-stone-500">{t('unit.link')}</p>
          <p className="text-2xl font-bold">{unit.name}</p>
          <p className="text-sm text-stone-600">
            {t('unit.actingAs', { role: t(`unit.role.${unit.role}`) })}
          </p>
          <nav aria-label={t('unit.nav')} className="mt-3 overflow-x-auto border-b border-stone-200">
            <ul className="flex text-sm">
              <li>
                <NavLink to="/unit" end className={tabClass}>
                  {t('unit.tab.requisitions')}
                </NavLink>
              </li>
              {unit.mayOrder ? (
                <li>
                  <NavLink to="/unit/requisitions/new" className={tabClass}>
                    {t('unit.tab.new')}
                  </NavLink>
                </li>
              ) : null}
              <li>
                <NavLink to="/unit/orders" className={tabClass}>
                  {t('unit.tab.orders')}
                </NavLink>
              </li>
              <li>
                <NavLink to="/unit/plan" className={tabClass}>
                  {t('unit.tab.plan')}
                </NavLink>
              </li>
              {unit.role === 'unit_admin' ? (
                <li>
                  <NavLink to="/unit/members" className={tabClass}>
                    {t('unit.tab.members')}
                  </NavLink>
                </li>
              ) : null}
            </ul>
          </nav>
        </div>
      ) : null}
      {children}
    </SiteFrame>
  )
}

export default function UnitLayout() {
  return (
    <UnitFrame>
      <Outlet />
    </UnitFrame>
  )
}

/** Someone who does not act for the section's kind of organisation is told how to: switch identity. */
function NotActingForUnit() {
  const t = useT()
  return (
    <NotActingFor
      title={t('unit.notUnit.title')}
      body={t('unit.notUnit.body')}
      switchLabel={t('unit.notUnit.switch')}
      switchTo="/account"
    />
  )
}

/** The unit pages' errors keep the site frame (and the tabs once the layout's data is there). */
export function ErrorBoundary() {
  const status = errorStatus(useRouteError())
  const unit = useUnitLayout()
  if (status === 403 && !unit) {
    return (
      <SiteFrame>
        <NotActingForUnit />
      </SiteFrame>
    )
  }
  return (
    <UnitFrame>
      <GeneralErrorBoundary />
    </UnitFrame>
  )
}
