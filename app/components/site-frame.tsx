import { Form, Link, NavLink, useRouteLoaderData } from '@remix-run/react'
import type { ReactNode } from 'react'
import { LanguageSwitch } from '~/components/language-switch'
import { SearchBox } from '~/components/search-box'
import type { MessageKey } from '~/utils/i18n'
import { useT } from '~/utils/locale'

/**
 * Listing review and supplier admission: where "审核" leads for the acting membership (an office's pages, or the
 * platform's), or null when the user reviews nothing as who they act for now.
 */
function reviewLinkFor(role: string | undefined): string | null {
  if (role === 'office_admin' || role === 'office_analyst') return '/office'
  if (role === 'platform_admin') return '/admin/listings'
  return null
}

type RootUser = {
  displayName: string
  active: { orgName: string; role: string } | null
} | null

const coopRoles = new Set(['coop_admin', 'coop_staff'])
// Government procurement (issue 16): the unit pages' link, for someone acting for a purchasing unit.
const unitRoles = new Set(['unit_buyer', 'unit_approver', 'unit_admin'])

/** The page frame every audience shares: header (navigation, account, language), main landmark, footer. */
export function SiteFrame({ children }: { children: ReactNode }) {
  const t = useT()
  const root = useRouteLoaderData<{ user?: RootUser; cartCount?: number; unreadNotifications?: number }>(
    'root',
  )
  const unread = root?.unreadNotifications ?? 0
  const user = root?.user ?? null
  const cartCount = root?.cartCount ?? 0
  const reviewLink = reviewLinkFor(user?.active?.role)
  const navClass = ({ isActive }: { isActive: boolean }) =>
    `rounded px-2 py-1 hover:bg-brand-50 ${isActive ? 'font-semibold text-brand-700' : 'text-stone-700'}`
  return (
    <div className="flex min-h-screen flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:m-2 focus:bg-white focus:p-2">
        {t('nav.skipToContent')}
      </a>
      <header className="border-b border-brand-100 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-3">
          <div>
            <Link to="/" className="text-xl font-bold text-brand-700">
              {t('site.name')}
            </Link>
            <p className="hidden text-xs text-stone-500 md:block">{t('site.tagline')}</p>
          </div>
          <SearchBox />
          <nav className="flex flex-wrap items-center gap-2 text-sm" aria-label={t('nav.main')}>
            <NavLink to="/products" end className={navClass}>
              {t('nav.products')}
            </NavLink>
            <NavLink to="/about" className={navClass}>
              {t('nav.about')}
            </NavLink>
            <NavLink to="/cart" className={navClass} data-testid="cart-link">
              {cartCount > 0 ? t('cart.linkCount', { count: cartCount }) : t('cart.link')}
            </NavLink>
            {/* Listing review and supplier admission: for someone acting for an office or as the platform admin. */}
            {reviewLink ? (
              <NavLink to={reviewLink} className={navClass}>
                {t('nav.review')}
              </NavLink>
            ) : null}
            {/* Cooperative console (H1): for someone acting for a cooperative as its admin or staff. */}
            {user?.active && coopRoles.has(user.active.role) ? (
              <NavLink to="/coop" className={navClass} data-testid="coop-console-link">
                {t('console.link')}
              </NavLink>
            ) : null}
            {/* Government procurement (issue 16): the unit pages, and the account's notifications. */}
            {user?.active && unitRoles.has(user.active.role) ? (
              <NavLink to="/unit" className={navClass} data-testid="unit-link">
                {t('unit.link')}
              </NavLink>
            ) : null}
            {user ? (
              <NavLink to="/account/notifications" className={navClass} data-testid="notifications-link">
                {unread > 0 ? t('notifications.linkCount', { count: unread }) : t('notifications.link')}
              </NavLink>
            ) : null}
            {user ? (
              <>
                <NavLink to="/account" className={navClass}>
                  {user.displayName}
                  {user.active ? (
                    <span className="ml-1 text-xs text-stone-500">
                      · {user.active.orgName}（{t(`role.${user.active.role}` as MessageKey)}）
                    </span>
                  ) : null}
                </NavLink>
                <Form method="post" action="/logout">
                  <button type="submit" className="rounded px-2 py-1 text-stone-700 hover:bg-brand-50">
                    {t('account.logout')}
                  </button>
                </Form>
              </>
            ) : (
              <>
                <NavLink to="/login" className={navClass}>
                  {t('account.login')}
                </NavLink>
                <NavLink to="/signup" className={navClass}>
                  {t('account.signup')}
                </NavLink>
              </>
            )}
            <LanguageSwitch />
          </nav>
        </div>
      </header>
      <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-6">
        {children}
      </main>
      <footer className="border-t border-stone-200 bg-white">
        <p className="mx-auto max-w-6xl px-4 py-4 text-xs text-stone-500">{t('footer.data')}</p>
      </footer>
    </div>
  )
}
