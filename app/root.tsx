import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from '@remix-run/react'
import { type ReactNode, useEffect } from 'react'
import stylesheet from './tailwind.css?url'
import { errorStatus, GeneralErrorBoundary } from './components/error-boundary'
import { SiteFrame } from './components/site-frame'
import { htmlLang } from './utils/i18n'
import { useLocale } from './utils/locale'
import { useNonce } from './utils/nonce'
import { cartLineCount, cartOwnerOf } from '~/domains/orders/index.server'
import { unreadNotificationCount } from '~/domains/procurement/index.server'
import { getDb } from '~/utils/db.server'
import { requireAccess } from '~/utils/permissions.server'

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesheet },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
]

// An error page's title says its status; the layouts have no meta of their own, so this one titles theirs too.
export const meta: MetaFunction = ({ error }) => [
  { title: error ? `${errorStatus(error)} · 消费帮扶集市` : '消费帮扶集市' },
  { name: 'description', content: '消费帮扶：买帮扶地区的好产品，让收入直达受益农户' },
]

export async function loader(args: LoaderFunctionArgs) {
  const { request, context } = args
  requireAccess(args, 'root', 'loader')
  const auth = context.auth
  return {
    cartCount: await cartLineCount(getDb(), await cartOwnerOf(request, auth)),
    // Government procurement (issue 16): the header's unread notification count.
    unreadNotifications: auth ? await unreadNotificationCount(getDb(), auth.userId) : 0,
    // Only what the header shows: never ids, hashes or contact details.
    user: auth
      ? {
          displayName: auth.displayName,
          active: auth.active ? { orgName: auth.active.orgName, role: auth.active.role } : null,
        }
      : null,
  }
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce()
  // The language comes from entry.server.tsx, not from the loader: this renders even when the loader did not run.
  const locale = useLocale()
  // Marks the document once React has hydrated it. On a slow phone or a loaded machine a page shows well before its
  // scripts take over; the browser tests wait for this mark before using anything that needs JavaScript.
  useEffect(() => {
    document.documentElement.dataset.hydrated = 'true'
  }, [])
  return (
    <html lang={htmlLang(locale)}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="min-h-screen bg-stone-50 font-sans text-stone-900 antialiased">
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  )
}

export default function App() {
  return <Outlet />
}

/**
 * Errors no layout caught: a URL no route matches, a failure of the root loader, the routes outside every layout.
 * With the root loader's data the page keeps the site frame; without it (nothing known about the visitor) the
 * page is the message alone.
 */
export function ErrorBoundary() {
  const root = useRouteLoaderData<typeof loader>('root')
  if (root) {
    return (
      <SiteFrame>
        <GeneralErrorBoundary />
      </SiteFrame>
    )
  }
  return (
    <main id="main" className="mx-auto max-w-xl p-8">
      <GeneralErrorBoundary />
    </main>
  )
}
