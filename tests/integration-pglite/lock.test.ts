import { type ChildProcess, execFile, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { DatabaseLockedError, openPglite } from '../../db/client.server'

const tsx = path.resolve('node_modules/.bin/tsx')
const children: ChildProcess[] = []

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL')
})

/** Starts a process that holds the directory; resolves with it and the pid of the node process inside. */
function holdDatabase(dataDir: string): Promise<{ holder: ChildProcess; pid: number }> {
  const child = spawn(tsx, ['tests/support/hold-pglite.ts', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const ready = /ready (\d+)/.exec(chunk.toString())
      if (ready) resolve({ holder: child, pid: Number(ready[1]) })
    })
    child.on('exit', (code) => reject(new Error(`holder exited early (${code})`)))
  })
}

describe('the embedded database lock file', () => {
  it('refuses a second process while the first holds the directory, and frees it when that one dies', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xfbf-lock-'))
    const { holder, pid } = await holdDatabase(dataDir)

    expect(() => openPglite({ dataDir })).toThrow(DatabaseLockedError)
    expect(() => openPglite({ dataDir })).toThrow(`in use by process ${pid}`)

    // A CLI gets the same refusal, as one readable line, and a failing exit code.
    const run = promisify(execFile)
    const cli = await run(tsx, ['scripts/db-seed.ts'], {
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' },
    }).catch((error: { code: number; stderr: string }) => error)
    expect('code' in cli ? cli.code : 0).toBe(1)
    expect(cli.stderr).toContain('Stop the server or set DATABASE_URL')

    // Killed without cleanup, the holder leaves a stale lock behind; the next process takes it over.
    // (tsx runs the script in a child node process: kill that one, the one holding the lock.)
    process.kill(pid, 'SIGKILL')
    await new Promise((resolve) => holder.once('exit', resolve))
    const handle = openPglite({ dataDir })
    await handle.client.waitReady
    await handle.close()
    expect(fs.existsSync(path.join(dataDir, 'pglite.lock'))).toBe(false)
    fs.rmSync(dataDir, { recursive: true, force: true })
    // Two tsx processes start here (a holder and the CLI), each compiling and opening PGlite: seconds on a quiet
    // machine, 30 s and more on a loaded one.
  }, 180_000)
})
