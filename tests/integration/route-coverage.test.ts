import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ServerBuild } from '@remix-run/node'
import { describe, expect, it } from 'vitest'
import { accessMap } from '../../app/utils/access-map'

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

  it('is called with its own route id by every loader and action', () => {
    const files = [
      ['root', 'app/root.tsx'],
      ...fs
        .readdirSync('app/routes')
        .map((file) => [`routes/${file.replace(/\.tsx?$/, '')}`, path.join('app/routes', file)]),
    ]
    for (const [id, file] of files) {
      const source = fs.readFileSync(file!, 'utf8')
      for (const kind of ['loader', 'action'] as const) {
        const exported = new RegExp(`export async function ${kind}\\(([^)]*)\\) \\{([\\s\\S]*?)\\n\\}`).exec(
          source,
        )
        if (!exported) continue
        expect(exported[2], `${file} ${kind}`).toContain(`requireAccess(args, '${id}', '${kind}'`)
      }
    }
  })
})
