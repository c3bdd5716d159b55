import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { openTestDatabase, testDatabaseUrl } from '../support/db'

/** Every process below `pid`, with its command line, read from /proc (Linux: where this app is deployed). */
function descendants(pid: number): { pid: number; command: string }[] {
  const parents = new Map<number, number[]>()
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8')
      // The command name is in parentheses and may contain spaces: the ppid is the second field after it.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)])
    } catch {
      // the process ended while we looked
    }
  }
  const found: { pid: number; command: string }[] = []
  const visit = (p: number) => {
    let command = ''
    try {
      command = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').replaceAll('\u0000', ' ').trim()
    } catch {
      return
    }
    found.push({ pid: p, command })
    for (const child of parents.get(p) ?? []) visit(child)
  }
  visit(pid)
  return found
}

describe('npm start in production', () => {
  it('serves from the compiled server with plain node: no tsx, esbuild or cross-env in the process tree', async () => {
    const handle = await openTestDatabase('seeded')
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xfbf-start-'))
    const port = 41_000 + (process.pid % 2_000)
    const child = spawn('npm', ['start', '--silent'], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        APP_MODE: 'demo',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: testDatabaseUrl(handle),
        DATA_DIR: dataDir,
      },
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    try {
      const started = Date.now()
      let healthy = false
      while (!healthy && Date.now() - started < 150_000 && child.exitCode === null) {
        try {
          const response = await fetch(`http://127.0.0.1:${port}/healthz`, {
            signal: AbortSignal.timeout(2_000),
          })
          healthy = response.status === 200
          await response.arrayBuffer()
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 200))
        }
      }
      expect(healthy, `the server never became healthy; its output:\n${output}`).toBe(true)
      expect(output).toContain('APP_MODE=demo')

      const tree = descendants(child.pid!)
      // npm runs the script through a shell; the process that serves is plain node running scripts/start.js.
      const serving = tree.find((p) => /^(\S*\/)?node scripts\/start\.js$/.test(p.command))
      expect(serving, JSON.stringify(tree)).toBeDefined()
      for (const p of tree)
        expect(p.command, 'a dev tool in the serving tree').not.toMatch(/tsx|esbuild|cross-env/)
    } finally {
      try {
        process.kill(-child.pid!, 'SIGTERM')
      } catch {
        // already gone
      }
      await new Promise((resolve) => child.once('exit', resolve).once('error', resolve))
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  }, 180_000)
})
