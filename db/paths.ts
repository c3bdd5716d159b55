import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Where the files read at run time live (migrations, the seed's source facts). Found by walking up from this
 * module to the directory holding db/migrations, because this code runs from its source (tsx, tests) and bundled
 * into build/server.js (production start), and a path relative to the module would differ between the two.
 */
function findProjectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  for (;;) {
    if (fs.existsSync(path.join(dir, 'db', 'migrations', 'meta', '_journal.json'))) return dir
    const parent = path.dirname(dir)
    if (parent === dir)
      throw new Error('Cannot find db/migrations above the server code: is the checkout complete?')
    dir = parent
  }
}

export const projectRoot = findProjectRoot()

/** A path under db/ (migrations, seed sources). */
export function dbPath(...parts: string[]): string {
  return path.join(projectRoot, 'db', ...parts)
}
