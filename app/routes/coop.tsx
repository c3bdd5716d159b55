import type { LoaderFunctionArgs } from '@remix-run/node'
import { NavLink, Outlet, useRouteError } from '@remix-run/react'
import type { ReactNode } from 'react'
import { useCoopLayout } from '~/components/coop-console'
import { errorStatus, GeneralErrorBoundary } from '~/components/error-boundary'
import { NotActingFor } from '~/components/not-acting-for'
import { SiteFrame } from '~/components/site-frame'
import { getCoopConsole } from '~/domains/catalog/index.server'
import { activeOrgScope, coopActor } from '~/utils/coop-console.server'
import { getDb } from '~/utils/db.server'
import { invariantResponse } from '~/utils/guards.server'
import { useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'

/**
 * The cooperative console's frame: the cooperative's name and the console's tabs. Every page acts for the
 * cooperative the user acts through (auth.active); anyone else is refused, and told to switch identity.
 */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/coop', 'loader', activeOrgScope(args))
  const coop = await getCoopConsole(getDb(), coopActor(auth))
  invariantResponse(coop, '无权访问 / Forbidden', { status: 403 })
  return {
    coop: {
      name: coop.name,
      regionName: coop.regionName,
      admitted: coop.admitted,
      role: coop.role,
      managesBases: coop.managesBases,
    },
  }
}

function ConsoleFrame({ children }: { children: ReactNode }) {
  const t = useT()
  const coop = useCoopLayout()
  const tabClass = ({ isActive }: { isActive: boolean }) =>
    `block whitespace-nowrap border-b-2 px-3 py-2 ${
      isActive ? 'border-brand-600 font-semibold text-brand-700' : 'border-transparent hover:bg-stone-100'
    }`
  return (
    <SiteFrame>
      {coop ? (
        <div className="mb-4">
          <p className="text-sm text-stone-500">{t('console.link')}</p>
          <h1 className="text-2xl font-bold">{coop.name}</h1>
          <p className="text-sm text-stone-600">{t('console.region', { region: coop.regionName })}</p>
          <nav aria-label={t('console.nav')} className="mt-3 overflow-x-auto border-b border-stone-200">
            <ul className="flex text-sm">
              <li>
                <NavLink to="/coop" end className={tabClass}>
                  {t('console.tab.home')}
                </NavLink>
              </li>
              <li>
                <NavLink to="/coop/products" className={tabClass}>
                  {t('console.tab.products')}
                </NavLink>
              </li>
              <li>
                <NavLink to="/coop/bases" className={tabClass}>
                  {t('console.tab.bases')}
                </NavLink>
              </li>
              <li>
                <NavLink to="/coop/orders" className={tabClass}>
                  {t('console.tab.orders')}
                </NavLink>
              </li>
              {/* Cooperative console II: the household roster. */}
              <li>
                <NavLink to="/coop/households" className={tabClass}>
                  {t('console.tab.households')}
                </NavLink>
              </li>
              <li>
                <NavLink to="/coop/fulfilment" className={tabClass}>
                  {t('console.tab.fulfilment')}
                </NavLink>
              </li>
              <li>
                <NavLink to="/coop/reports" className={tabClass}>
                  {t('console.tab.reports')}
                </NavLink>
              </li>
            </ul>
          </nav>
        </div>
      ) : null}
      {children}
    </SiteFrame>
  )
}

export default function CoopLayout() {
  return (
    <ConsoleFrame>
      <Outlet />
    </ConsoleFrame>
  )
}

/** Someone who does not act for the section's kind of organisation is told how to: switch identity. */
function NotActingForCoop() {
  const t = useT()
  return (
    <NotActingFor
      title={t('console.notCoop.title')}
      body={t('console.notCoop.body')}
      switchLabel={t('console.notCoop.switch')}
      switchTo="/account/switch"
    />
  )
}

/** The console's errors keep the site frame (and the console's tabs once the layout's data is there). */
export function ErrorBoundary() {
  const status = errorStatus(useRouteError())
  const coop = useCoopLayout()
  if (status === 403 && !coop) {
    return (
      <SiteFrame>
        <NotActingForCoop />
      </SiteFrame>
    )
  }
  return (
    <ConsoleFrame>
      <GeneralErrorBoundary />
    </ConsoleFrame>
  )
}
