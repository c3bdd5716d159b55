import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ServerBuild } from '@remix-run/node'
import { describe, expect, it } from 'vitest'
import { accessMap } from '../../app/utils/access-map'
import { routeAccessProblems } from '../support/route-access'

/** The built app's routes: the real list Remix serves (npm test builds before running this suite). */
async function loadBuild(): Promise<ServerBuild> {
  const file = path.resolve('build/server/index.js')
  if (!fs.existsSync(file)) throw new Error('No build: run `npm run build` (npm test does it first)')
  return (await import(pathToFileURL(file).href)) as ServerBuild
}

describe('the access map', () => {
  it('has an entry for every route id of the build, and none for routes that do not exist', async () => {
    const build = await loadBuild()
    const routeIds = Object.keys(build.routes).sort()
    expect(Object.keys(accessMap).sort()).toEqual(routeIds)
  })

  it('has a rule for every loader and action a route exports, and no rule for one it does not', async () => {
    const build = await loadBuild()
    for (const [id, route] of Object.entries(build.routes)) {
      const rule = accessMap[id as keyof typeof accessMap] as { loader?: unknown; action?: unknown }
      expect(Boolean(rule.loader), `${id} loader`).toBe(typeof route.module.loader === 'function')
      expect(Boolean(rule.action), `${id} action`).toBe(typeof route.module.action === 'function')
    }
  })

  it('is called with its own route id by every loader and action', async () => {
    const build = await loadBuild()
    const problems: string[] = []
    for (const [id, route] of Object.entries(build.routes)) {
      // A route id is its module's path under app/ without the extension (root is app/root.tsx).
      const file = ['.tsx', '.ts', '.jsx', '.js']
        .map((ext) => `app/${id}${ext}`)
        .find((f) => fs.existsSync(f))
      if (!file) {
        problems.push(`${id}: no module app/${id}.{tsx,ts,jsx,js}`)
        continue
      }
      const kinds = (['loader', 'action'] as const).filter((kind) => typeof route.module[kind] === 'function')
      problems.push(...routeAccessProblems(fs.readFileSync(file, 'utf8'), file, id, kinds))
    }
    expect(problems).toEqual([])
  })
})

describe('the requireAccess check itself', () => {
  const check = (source: string, kinds: Array<'loader' | 'action'> = ['loader']) =>
    routeAccessProblems(source, 'app/routes/example.tsx', 'routes/example', kinds)

  it('accepts a call with its own id in any way of exporting the handler', () => {
    for (const source of [
      `export async function loader(args) { requireAccess(args, 'routes/example', 'loader'); return null }`,
      `export function loader(args) { const auth = requireAccess(args, 'routes/example', 'loader'); return auth }`,
      `export const loader = async (args) => { requireAccess(args, 'routes/example', 'loader') }`,
      `export const loader = (async function (a) { await requireAccess(a, 'routes/example', 'loader') }) satisfies X`,
      `const handler = async (args) => { requireAccess(args, 'routes/example', 'loader') }\nexport { handler as loader }`,
      `export { loader }\nasync function loader(args) { requireAccess(args, 'routes/example', 'loader') }`,
      `async function handler(args) { requireAccess(args, 'routes/example', 'loader') }\nexport const loader = handler`,
    ]) {
      expect(check(source), source).toEqual([])
    }
  })

  it('refuses a handler that does not call it, calls it with another id or kind, or only sometimes', () => {
    for (const [source, says] of [
      [`export const loader = async (args) => ({ ok: true })`, 'does not call'],
      [`export async function loader(args) { requireAccess(args, 'routes/other', 'loader') }`, 'instead of'],
      [
        `export async function loader(args) { requireAccess(args, 'routes/example', 'action') }`,
        'instead of',
      ],
      [
        `export async function loader(args) { requireAccess(other, 'routes/example', 'loader') }`,
        'instead of',
      ],
      [
        `export const loader = (args) => { if (x) requireAccess(args, 'routes/example', 'loader') }`,
        'condition',
      ],
      [
        `export const loader = (args) => { run(() => requireAccess(args, 'routes/example', 'loader')) }`,
        'does not',
      ],
      [`export async function loader({ request }) { return request }`, 'destructures'],
      [
        `const handler = wrap(async (args) => requireAccess(args, 'routes/example', 'loader'))\nexport { handler as loader }`,
        'wrapper',
      ],
      [`export { loader } from './shared'`, 're-exported'],
      [`export * from './shared'`, 'export *'],
      [`export const other = 1`, 'cannot find'],
    ] as const) {
      const problems = check(source)
      expect(problems, source).toHaveLength(1)
      expect(problems[0], source).toContain(says)
    }
  })

  it('checks the action as well, and names a handler the build does not know', () => {
    const source = `export async function loader(args) { requireAccess(args, 'routes/example', 'loader') }
      export const action = async (args) => { await readForm(args.request) }`
    expect(check(source, ['loader', 'action'])).toEqual([
      "app/routes/example.tsx: action does not call requireAccess(args, 'routes/example', 'action')",
    ])
    expect(check(source, ['loader'])[0]).toContain('exports an action the build does not have')
  })
})
