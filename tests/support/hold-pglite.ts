// Test helper process: opens the embedded database in the given directory and holds it until killed.
import { openPglite } from '../../db/client.server'

const dataDir = process.argv[2]
if (!dataDir) throw new Error('usage: hold-pglite.ts DATA_DIR')
const handle = openPglite({ dataDir })
await handle.client.waitReady
console.log(`ready ${process.pid}`)
setInterval(() => {}, 1_000)
