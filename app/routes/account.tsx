import type { LoaderFunctionArgs } from '@remix-run/node'
import { Outlet } from '@remix-run/react'
import type { ReactNode } from 'react'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { SectionLayout } from '~/components/section-layout'
import { useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'

/** Everything under /account needs a signed-in user; the layout adds the account navigation. */
export async function loader(args: LoaderFunctionArgs) {
  requireAccess(args, 'routes/account', 'loader')
  return null
}

function AccountSection({ children }: { children: ReactNode }) {
  const t = useT()
  return (
    <SectionLayout
      navLabel={t('account.nav')}
      links={[
        { to: '/account', label: t('account.overview'), end: true },
        { to: '/account/orders', label: t('orders.title') },
        { to: '/account/organizations', label: t('account.organizations') },
        { to: '/account/security', label: t('account.security') },
      ]}
    >
      {children}
    </SectionLayout>
  )
}

export default function AccountLayout() {
  return (
    <AccountSection>
      <Outlet />
    </AccountSection>
  )
}

/** An account page's error (an order that is not yours …) keeps the site frame and the account navigation. */
export function ErrorBoundary() {
  return (
    <AccountSection>
      <GeneralErrorBoundary />
    </AccountSection>
  )
}
