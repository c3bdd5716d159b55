import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
} from '@remix-run/react'
import type { ReactNode } from 'react'
import stylesheet from './tailwind.css?url'
import { localeFromCookieHeader, translate } from './utils/i18n'
import { useNonce } from './utils/nonce'
import { cartLineCount, cartOwnerOf } from '~/domains/orders/index.server'
import { getDb } from '~/utils/db.server'
import { requireAccess } from '~/utils/permissions.server'

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesheet },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
]

export const meta: MetaFunction = () => [
  { title: '消费帮扶集市' },
  { name: 'description', content: '消费帮扶：买帮扶地区的好产品，让收入直达受益农户' },
]

export async function loader(args: LoaderFunctionArgs) {
  const { request, context } = args
  requireAccess(args, 'root', 'loader')
  const auth = context.auth
  return {
    locale: localeFromCookieHeader(request.headers.get('Cookie')),
    cartCount: await cartLineCount(getDb(), await cartOwnerOf(request, auth)),
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
  // The root loader may not have run (an error before it): fall back to Chinese.
  const data = useRouteLoaderData<typeof loader>('root')
  const locale = data?.locale ?? 'zh'
  return (
    <html lang={locale === 'en' ? 'en' : 'zh-CN'}>
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

export function ErrorBoundary() {
  const error = useRouteError()
  const status = isRouteErrorResponse(error) ? error.status : 500
  const message =
    status === 404
      ? '页面不存在 / Page not found'
      : status === 403
        ? '无权访问 / Forbidden'
        : // A refused request (415 not a form, 413 too large, 400 unreadable) says what was wrong with it.
          status < 500 && isRouteErrorResponse(error) && typeof error.data === 'string' && error.data !== ''
          ? error.data
          : '出错了，请稍后再试 / Something went wrong'
  return (
    <main className="mx-auto max-w-xl p-8">
      <h1 className="text-2xl font-semibold">{status}</h1>
      <p className="mt-2">{message}</p>
      <p className="mt-4">
        <a className="text-brand-700 underline" href="/">
          {translate('zh', 'nav.home')} / Home
        </a>
      </p>
    </main>
  )
}
