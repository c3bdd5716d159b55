import { Outlet } from '@remix-run/react'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { SiteFrame } from '~/components/site-frame'

/** The public storefront: the shared frame around every shop page. */
export default function StorefrontLayout() {
  return (
    <SiteFrame>
      <Outlet />
    </SiteFrame>
  )
}

/** A shop page's error (a product that does not exist …) keeps the header, the navigation and the language switch. */
export function ErrorBoundary() {
  return (
    <SiteFrame>
      <GeneralErrorBoundary />
    </SiteFrame>
  )
}
