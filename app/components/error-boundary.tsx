import {
  type ErrorResponse,
  isRouteErrorResponse,
  Link,
  type Params,
  useLocation,
  useParams,
  useRouteError,
  useRouteLoaderData,
} from '@remix-run/react'
import type { ReactNode } from 'react'
import { useT } from '~/utils/locale'

/** The statuses with a message of their own; any other 4xx reads as 400 and any other 5xx as 500. */
const described = [400, 401, 403, 404, 405, 413, 415, 429, 500] as const
type DescribedStatus = (typeof described)[number]

/** The HTTP status an error answers with: a thrown Response's, or 500 for anything else (a bug of ours). */
export function errorStatus(error: unknown): number {
  return isRouteErrorResponse(error) ? error.status : 500
}

function describedStatus(status: number): DescribedStatus {
  if ((described as readonly number[]).includes(status)) return status as DescribedStatus
  return status < 500 ? 400 : 500
}

/**
 * What a refused request was refused for, when the server said so (415 not a form, 400 an unreadable one …): those
 * texts are written for the person who sent it, in both languages. A 403 or 404 says no more than its status, and
 * a 5xx never shows what failed.
 */
function refusalDetail(error: unknown): string | null {
  if (!isRouteErrorResponse(error)) return null
  const { status, data } = error
  if (status >= 500 || status === 403 || status === 404) return null
  return typeof data === 'string' && data !== '' ? data : null
}

type StatusHandler = (info: { error: ErrorResponse; params: Params }) => ReactNode

/**
 * The one error page, rendered by the ErrorBoundary of root.tsx and of every layout route (inside the layout's
 * frame, so the header, the navigation and the language switch stay). A route may replace the content for a status
 * (`statusHandlers`), for errors thrown as Responses, or for anything else (`unexpectedErrorHandler`, a 500).
 */
export function GeneralErrorBoundary({
  statusHandlers,
  defaultStatusHandler = ({ error }) => <ErrorMessage status={error.status} detail={refusalDetail(error)} />,
  unexpectedErrorHandler = () => <ErrorMessage status={500} detail={null} />,
}: {
  statusHandlers?: Partial<Record<number, StatusHandler>>
  defaultStatusHandler?: StatusHandler
  unexpectedErrorHandler?: (error: unknown) => ReactNode
}) {
  const error = useRouteError()
  const params = useParams()
  if (!isRouteErrorResponse(error)) return <>{unexpectedErrorHandler(error)}</>
  const handler = statusHandlers?.[error.status] ?? defaultStatusHandler
  return <>{handler({ error, params })}</>
}

/** The status, what it means, the server's reason for a refused request, and the ways on from here. */
export function ErrorMessage({ status, detail }: { status: number; detail: string | null }) {
  const t = useT()
  const location = useLocation()
  // The root loader may not have run (an error before it): then nobody is known to be signed in.
  const root = useRouteLoaderData<{ user?: unknown }>('root')
  const signedIn = Boolean(root?.user)
  const kind = describedStatus(status)
  const login = `/login?redirectTo=${encodeURIComponent(`${location.pathname}${location.search}`)}`
  return (
    <section className="mx-auto max-w-xl py-8" aria-labelledby="error-title">
      <div role="alert">
        <h1 id="error-title" className="text-2xl font-semibold">
          {/* The space keeps the status and the words apart in the heading's accessible name. */}
          <span className="text-stone-500">{status}</span> {t(`error.${kind}.title` as const)}
        </h1>
        <p className="mt-2">{t(`error.${kind}.hint` as const)}</p>
        {detail ? <p className="mt-2 text-sm text-stone-600">{t('error.detail', { detail })}</p> : null}
      </div>
      <nav aria-label={t('error.ways')} className="mt-6">
        <ul className="flex flex-wrap gap-x-6 gap-y-2">
          <li>
            <Link className="text-brand-700 underline" to="/">
              {t('error.backHome')}
            </Link>
          </li>
          {kind === 403 && signedIn ? (
            <>
              <li>
                <Link className="text-brand-700 underline" to="/account">
                  {t('error.switchOrganization')}
                </Link>
              </li>
              <li>
                <Link className="text-brand-700 underline" to={login}>
                  {t('error.signInOther')}
                </Link>
              </li>
            </>
          ) : kind === 401 || kind === 403 ? (
            <li>
              <Link className="text-brand-700 underline" to={login}>
                {t('error.signIn')}
              </Link>
            </li>
          ) : null}
        </ul>
      </nav>
    </section>
  )
}
