import type { LoaderFunctionArgs } from '@remix-run/node'
import { SectionLayout } from '~/components/section-layout'
import { useT } from '~/utils/locale'
import { requireAccess } from '~/utils/permissions.server'

/** Everything under /account needs a signed-in user; the layout adds the account navigation. */
export async function loader(args: LoaderFunctionArgs) {
  requireAccess(args, 'routes/account', 'loader')
  return null
}

export default function AccountLayout() {
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
    />
  )
}
