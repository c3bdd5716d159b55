import { Link, useLocation } from '@remix-run/react'
import { useT } from '~/utils/locale'

/** Previous / next links that keep every other query parameter (filters, sort). */
export function Pagination({ page, pageSize, total }: { page: number; pageSize: number; total: number }) {
  const t = useT()
  const location = useLocation()
  const pages = Math.max(1, Math.ceil(total / pageSize))
  if (pages <= 1) return null
  const hrefFor = (target: number) => {
    const params = new URLSearchParams(location.search)
    if (target === 1) params.delete('page')
    else params.set('page', String(target))
    const query = params.toString()
    return `${location.pathname}${query ? `?${query}` : ''}`
  }
  const linkClass = 'rounded border border-stone-300 bg-white px-3 py-1 hover:bg-stone-100'
  return (
    <nav aria-label={t('page.nav')} className="mt-6 flex items-center justify-center gap-4 text-sm">
      {page > 1 ? (
        <Link to={hrefFor(page - 1)} rel="prev" className={linkClass}>
          {t('page.previous')}
        </Link>
      ) : (
        <span className="px-3 py-1 text-stone-500">{t('page.previous')}</span>
      )}
      <span aria-current="page">{t('page.status', { page, pages })}</span>
      {page < pages ? (
        <Link to={hrefFor(page + 1)} rel="next" className={linkClass}>
          {t('page.next')}
        </Link>
      ) : (
        <span className="px-3 py-1 text-stone-500">{t('page.next')}</span>
      )}
    </nav>
  )
}
