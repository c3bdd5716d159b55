import { Link } from '@remix-run/react'

/**
 * A section's 403 for someone who does not act for the kind of organisation the section serves (a cooperative's
 * console, a unit's purchasing pages): what the section is for, and where to switch identity.
 */
export function NotActingFor(props: { title: string; body: string; switchLabel: string; switchTo: string }) {
  return (
    <section className="mx-auto max-w-xl py-8" aria-labelledby="error-title">
      <div role="alert">
        <h1 id="error-title" className="text-2xl font-semibold">
          <span className="text-stone-500">403</span> {props.title}
        </h1>
        <p className="mt-2">{props.body}</p>
      </div>
      <p className="mt-4">
        <Link to={props.switchTo} className="text-brand-700 underline">
          {props.switchLabel}
        </Link>
      </p>
    </section>
  )
}
