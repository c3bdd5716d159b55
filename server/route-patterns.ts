import type { ServerBuild } from '@remix-run/node'

/**
 * What the access log prints instead of a request's path: the pattern of the route that serves it
 * (`/invitations/:token`, never the token). Paths carry secrets — invitation tokens today, reset links tomorrow —
 * and logs travel further than the database. A path no route serves (static files, 404s) is printed with every
 * segment that looks like a token replaced.
 */
export type RoutePattern = { pattern: string; regex: RegExp; score: number }

function fullPath(build: ServerBuild, routeId: string): string {
  const segments: string[] = []
  let current: string | undefined = routeId
  while (current) {
    const route: ServerBuild['routes'][string] | undefined = build.routes[current]
    if (!route) break
    if (route.path) segments.unshift(route.path)
    current = route.parentId
  }
  return `/${segments.join('/')}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1')
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** Static segments outrank dynamic ones, which outrank a splat (as Remix ranks its matches). */
function compile(pattern: string): RoutePattern {
  let score = 0
  const parts = pattern
    .split('/')
    .filter(Boolean)
    .map((segment) => {
      if (segment === '*') {
        score -= 2
        return '(?:/.*)?'
      }
      if (segment.startsWith(':')) {
        score += 3
        return segment.endsWith('?') ? '(?:/[^/]+)?' : '/[^/]+'
      }
      score += 10
      return `/${escape(segment)}`
    })
  return { pattern, regex: new RegExp(`^${parts.join('')}/?$`, 'i'), score }
}

export function routePatterns(build: ServerBuild): RoutePattern[] {
  const patterns = new Set(Object.keys(build.routes).map((id) => fullPath(build, id)))
  return [...patterns].map(compile).sort((a, b) => b.score - a.score)
}

/** A segment that could be a secret: long, and made only of the characters random tokens are made of. */
const TOKEN_LIKE = /^(?=.*\d)[A-Za-z0-9_~%-]{16,}$|^[A-Za-z0-9_-]{32,}$/

export function redactPath(path: string): string {
  return path
    .split('/')
    .map((segment) => (TOKEN_LIKE.test(segment) ? ':redacted' : segment))
    .join('/')
}

/**
 * The access log's form of a path. Single-fetch data requests (`/x.data`, `/_root.data` for the home page) keep
 * their suffix so that they stay distinguishable from documents.
 */
export function loggedPath(path: string, patterns: readonly RoutePattern[] | null): string {
  const data = path.endsWith('.data')
  const base = data ? (path === '/_root.data' ? '/' : path.slice(0, -'.data'.length)) : path
  const match = patterns?.find((candidate) => candidate.regex.test(base))
  if (!match) return redactPath(path)
  return data ? `${match.pattern === '/' ? '/_root' : match.pattern}.data` : match.pattern
}
