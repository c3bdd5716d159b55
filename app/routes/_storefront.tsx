import { Link, NavLink, Outlet } from '@remix-run/react'
import { LanguageSwitch } from '~/components/language-switch'
import { useT } from '~/utils/locale'

/** The public storefront's frame: header with navigation and language switch, main landmark, provenance footer. */
export default function StorefrontLayout() {
  const t = useT()
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
          <nav className="flex items-center gap-2 text-sm" aria-label={t('nav.main')}>
            <NavLink to="/products" end className={navClass}>
              {t('nav.products')}
            </NavLink>
            <NavLink to="/about" className={navClass}>
              {t('nav.about')}
            </NavLink>
            <LanguageSwitch />
          </nav>
        </div>
      </header>
      <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-6">
        <Outlet />
      </main>
      <footer className="border-t border-stone-200 bg-white">
        <p className="mx-auto max-w-6xl px-4 py-4 text-xs text-stone-500">{t('footer.data')}</p>
      </footer>
    </div>
  )
}
