// Runs before `npm start`: builds the app when there is no build yet or the sources are newer than it, so the
// quick start is one command.
import { execSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

const buildEntry = path.resolve('build/server/index.js')
const sources = ['app', 'remix.config.js', 'vite.config.ts', 'package-lock.json']

function newestMtime(target: string): number {
  if (!fs.existsSync(target)) return 0
  const stat = fs.statSync(target)
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)))
  return newest
}

const builtAt = fs.existsSync(buildEntry) ? fs.statSync(buildEntry).mtimeMs : 0
const sourcesAt = Math.max(...sources.map((s) => newestMtime(path.resolve(s))))
if (builtAt < sourcesAt) {
  console.log(builtAt === 0 ? 'No build yet: building…' : 'Sources changed since the last build: rebuilding…')
  execSync('npx remix vite:build', { stdio: 'inherit' })
}
