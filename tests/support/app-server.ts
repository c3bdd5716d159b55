import fs from 'node:fs'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ServerBuild } from '@remix-run/node'
import { afterAll } from 'vitest'
import { type DbHandle, useSharedDb } from '../../db/client.server'
import { type AppOptions, createApp } from '../../server/app'

/**
 * The real app (server/app.ts with the production build) on a random local port, on this test file's database.
 * npm test builds before running the suite. `options` override createApp's (a log to read, body limits);
 * `withoutNodeEnv` creates the app as `tsx server.ts` would without NODE_ENV (Express reads it then).
 */
export async function startTestApp(
  handle: DbHandle,
  options: Partial<AppOptions> & { withoutNodeEnv?: boolean } = {},
): Promise<{ origin: string; build: ServerBuild }> {
  const file = path.resolve('build/server/index.js')
  if (!fs.existsSync(file)) throw new Error('No build: run `npm run build` (npm test does it first)')
  const build = (await import(pathToFileURL(file).href)) as ServerBuild
  // The build's own copy of the db client finds the shared handle on globalThis.
  useSharedDb(handle)
  const { withoutNodeEnv, ...overrides } = options
  const nodeEnv = process.env.NODE_ENV
  if (withoutNodeEnv) Reflect.deleteProperty(process.env, 'NODE_ENV')
  const app = (() => {
    try {
      return createApp({
        db: handle.db,
        build,
        development: false,
        productionMode: false,
        buildDir: path.resolve('build'),
        ...overrides,
      })
    } finally {
      if (withoutNodeEnv && nodeEnv !== undefined) process.env.NODE_ENV = nodeEnv
    }
  })()
  const server = app.listen(0, '127.0.0.1')
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const { port } = server.address() as AddressInfo
  return { origin: `http://127.0.0.1:${port}`, build }
}

/** The URL path of a route of the build, with its dynamic segments filled in. */
export function routePath(build: ServerBuild, routeId: string, params: Record<string, string>): string {
  const segments: string[] = []
  let current: string | undefined = routeId
  while (current) {
    const route: ServerBuild['routes'][string] | undefined = build.routes[current]
    if (!route) break
    if (route.path) segments.unshift(route.path)
    current = route.parentId
  }
  const joined = `/${segments.join('/')}`.replace(/\/+/g, '/')
  return joined.replace(/:(\w+)/g, (_, name: string) => {
    const value = params[name]
    if (value === undefined) throw new Error(`no value for :${name} in ${routeId}`)
    return encodeURIComponent(value)
  })
}
