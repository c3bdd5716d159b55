// Builds the app when there is no build yet or a source is newer than it, so `npm start` and `npm test` need no
// separate build step. Plain JavaScript: it runs under `node` before anything is compiled.
import { execSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
/** Both outputs: the Remix build (pages) and the compiled web process (vite.server.config.ts). */
const outputs = ['build/server/index.js', 'build/server.js']
const sources = [
  'app',
  'db',
  'server',
  'server.ts',
  'remix.config.js',
  'vite.config.ts',
  'vite.server.config.ts',
  'package-lock.json',
]

function newestMtime(target) {
  if (!fs.existsSync(target)) return 0
  const stat = fs.statSync(target)
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)))
  return newest
}

export function ensureBuilt() {
  const builtAt = Math.min(
    ...outputs.map((o) => {
      const file = path.join(root, o)
      return fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0
    }),
  )
  const sourcesAt = Math.max(...sources.map((s) => newestMtime(path.join(root, s))))
  if (builtAt >= sourcesAt) return
  console.log(builtAt === 0 ? 'No build yet: building…' : 'Sources changed since the last build: rebuilding…')
  execSync('npm run -s build', { stdio: 'inherit', cwd: root })
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) ensureBuilt()
