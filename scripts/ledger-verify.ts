// npm run ledger:verify [-- --expect SEQ:HASH] — recomputes the consumption-aid ledger's hash chain and checks every
// entry against its payment (and the order's amounts) or refund and its household credits against the product's
// households at the time of the sale, every confirmed payment against its entries and the rollups against the
// entries (app/domains/ledger/verify.server.ts). Prints one JSON line; exit 0 intact, 1 broken, incomplete or with
// wrong rollups (or the database could not be read), 2 wrong usage. --expect takes a head published earlier
// (GET /api/v1/ledger/head).
import fs from 'node:fs'
import path from 'node:path'
import { openDatabase } from '../db/client.server'
import { ledgerBreakDescriptions, verifyLedger } from '../app/domains/ledger/index.server'
import type { PublishedHead } from '../app/services/hash-chain/index.server'
import { getEnv } from '../app/utils/env.server'
import { runCli } from './cli'

const USAGE = 'Usage: npm run ledger:verify [-- --expect SEQ:HASH]   (SEQ a whole number, HASH 64 hex digits)'

/** The published head to hold the chain to, null without --expect, or an error message. */
function parseArgs(args: readonly string[]): { expect: PublishedHead | null } | { error: string } {
  let expect: PublishedHead | null = null
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    let value: string | undefined
    if (arg === '--expect') value = args[++i]
    else if (arg.startsWith('--expect=')) value = arg.slice('--expect='.length)
    else return { error: `unknown argument ${JSON.stringify(arg)}` }
    if (expect) return { error: '--expect given twice' }
    const match = value === undefined ? null : /^(\d{1,15}):([0-9a-fA-F]{64})$/.exec(value)
    if (!match) return { error: `--expect needs SEQ:HASH, got ${JSON.stringify(value ?? '')}` }
    expect = { seq: Number(match[1]), hash: match[2]!.toLowerCase() }
  }
  return { expect }
}

const parsed = parseArgs(process.argv.slice(2))
if ('error' in parsed) {
  console.error(`Error: ${parsed.error}\n${USAGE}`)
  process.exitCode = 2
} else {
  await runCli(async () => {
    const env = getEnv()
    // Verifying must not create an empty embedded database where none is.
    if (!env.DATABASE_URL && !fs.existsSync(path.join(env.dataDir, 'pglite'))) {
      throw new Error(`No database in ${env.dataDir}: set DATA_DIR or DATABASE_URL`)
    }
    const handle = openDatabase(env)
    try {
      const result = await verifyLedger(handle.db, parsed.expect ? { expect: parsed.expect } : {})
      console.log(JSON.stringify(result))
      if (!result.ok) {
        console.error(
          'firstBrokenSeq' in result
            ? `Ledger broken at seq ${result.firstBrokenSeq}: ${result.reason} (${ledgerBreakDescriptions[result.reason]}).`
            : result.reason === 'uncounted_payment'
              ? `Ledger incomplete: payment ${result.paymentId} is confirmed but its order line ${result.orderLineId} ` +
                'was never counted (no sale entry).'
              : `Rollups wrong: ${result.mismatchedKeys} rollup key(s) differ from the sums of the entries ` +
                '(every target total is read from them).',
        )
        process.exitCode = 1
      }
    } finally {
      await handle.close()
    }
  })
}
