import { NavLink } from '@remix-run/react'
import type { ReactNode } from 'react'
import { SiteFrame } from '~/components/site-frame'

/**
 * The frame of a signed-in area (account, administration): a side navigation and, beside it, the page (the
 * layout's <Outlet />, or its error page).
 */
export function SectionLayout(props: {
  title?: string
  navLabel: string
  links: Array<{ to: string; label: string; end?: boolean }>
  children: ReactNode
}) {
  const linkClass = ({ isActive }: { isActive: boolean }) =>
    `shrink-0 rounded px-3 py-2 md:block ${isActive ? 'bg-brand-50 font-semibold text-brand-700' : 'hover:bg-stone-100'}`
  return (
    <SiteFrame>
      {props.title ? <h1 className="mb-4 text-2xl font-bold">{props.title}</h1> : null}
      <div className="grid gap-6 md:grid-cols-[14rem_1fr]">
        {/* On a phone the section's links are one row that scrolls sideways, so the page starts on the first screen. */}
        <nav
          aria-label={props.navLabel}
          className="-mx-4 flex gap-1 overflow-x-auto px-4 text-sm whitespace-nowrap md:mx-0 md:block md:px-0"
        >
          {props.links.map((link) => (
            <NavLink key={link.to} to={link.to} end={link.end} className={linkClass}>
              {link.label}
            </NavLink>
          ))}
        </nav>
        {/* min-w-0: wide tables scroll inside the column instead of widening the page. */}
        <div className="min-w-0">{props.children}</div>
      </div>
    </SiteFrame>
  )
}
