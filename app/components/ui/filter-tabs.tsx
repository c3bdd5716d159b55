import { Link } from '@remix-run/react'

export type FilterTab = { key: string; to: string; label: string }

/**
 * A list's filter as a row of links: each is a plain GET (it works without JavaScript and can be bookmarked), and
 * the one in force is marked for screen readers as the current page.
 */
export function FilterTabs({
  label,
  tabs,
  current,
}: {
  label: string
  tabs: readonly FilterTab[]
  current: string
}) {
  return (
    <nav aria-label={label}>
      <ul className="flex flex-wrap gap-2 text-sm">
        {tabs.map((tab) => (
          <li key={tab.key}>
            <Link
              to={tab.to}
              aria-current={tab.key === current ? 'page' : undefined}
              className={`inline-block rounded px-3 py-1 ${
                tab.key === current
                  ? 'bg-brand-700 text-white'
                  : 'border border-stone-300 bg-white hover:bg-stone-100'
              }`}
            >
              {tab.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  )
}
