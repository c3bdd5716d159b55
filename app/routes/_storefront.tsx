import { Link, Outlet } from '@remix-run/react'
import { useT } from '~/utils/locale'

/** The public storefront's frame: header, main landmark and the data-provenance footer. */
export default function StorefrontLayout() {
  const t = useT()
  return (
    <div className="flex min-h-screen flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:m-2 focus:bg-white focus:p-2">
        {t('nav.skipToContent')}
      </a>
      <header className="border-b border-brand-100 bg-white">
        <div className="mx-auto flex max-w-6xl items-center justify-between px-4 py-3">
          <Link to="/" className="text-xl font-bold text-brand-700">
            {t('site.name')}
          </Link>
          <p className="hidden text-sm text-stone-600 sm:block">{t('site.tagline')}</p>
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
