// `npm start`: builds when needed (a child process that ends before serving), then runs the compiled web process
// in this very `node` process — no tsx, esbuild or cross-env in the serving tree.
import fs from 'node:fs'
import { ensureBuilt } from './build-if-needed.js'

ensureBuilt()
process.env.NODE_ENV = 'production'

// LOG_FILE: everything the process writes to stdout and stderr is also appended to this file (for hosts that keep
// logs in files, and for the browser tests, which read the whole run's server output afterwards).
if (process.env.LOG_FILE) {
  const file = fs.createWriteStream(process.env.LOG_FILE, { flags: 'a' })
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream)
    stream.write = (chunk, ...rest) => {
      file.write(chunk)
      return write(chunk, ...rest)
    }
  }
}

await import('../build/server.js')
