// `npm start`: builds when needed (a child process that ends before serving), then runs the compiled web process
// in this very `node` process — no tsx, esbuild or cross-env in the serving tree.
import { ensureBuilt } from './build-if-needed.js'

ensureBuilt()
process.env.NODE_ENV = 'production'
await import('../build/server.js')
