import { Outlet } from '@remix-run/react'
import { SiteFrame } from '~/components/site-frame'

/** The public storefront: the shared frame around every shop page. */
export default function StorefrontLayout() {
  return (
    <SiteFrame>
      <Outlet />
    </SiteFrame>
  )
}
