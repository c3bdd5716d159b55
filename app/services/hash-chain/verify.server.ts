import type { Db } from '../../../db/client.server'
import { chainHead } from './append.server'
import type { CanonicalInput } from './canonical-json'
import { chainHash, GENESIS_HASH } from './hash.server'

/**
 * Verifying a chain: every hash recomputed in seq order, the end compared with the head row, and with a head
 * published earlier, so that a rewritten tail is caught too.
 */

/** A stored row of a chained table, as the verifier needs it. */
export type StoredChainRow = { seq: number; prevHash: string; hash: string; payload: CanonicalInput }

/** How to read a chained table: rows with seq > afterSeq in ascending seq order, at most `limit` of them. */
export type ChainSource = {
  chain: string
  readAfter(db: Db, afterSeq: number, limit: number): Promise<StoredChainRow[]>
}

export type ChainBreakReason =
  /** A seq is missing (a deleted row) or out of place. */
  | 'seq_gap'
  /** The row does not link to the hash of the row before it (rows reordered, removed or inserted). */
  | 'prev_hash_mismatch'
  /** The row's contents no longer give its hash (a row was changed). */
  | 'hash_mismatch'
  /** The head row disagrees with the last row (rows appended or removed at the end, or the head changed). */
  | 'head_mismatch'
  /** The chain does not contain the head published earlier (its tail was removed or rewritten). */
  | 'expected_head_mismatch'

export type ChainVerification =
  | { ok: true; checked: number; headSeq: number; headHash: string }
  | { ok: false; firstBrokenSeq: number; reason: ChainBreakReason }

export type PublishedHead = { seq: number; hash: string }

/**
 * Recomputes a chain in seq order: seqs 1, 2, 3 … without gaps, each prev_hash equal to the previous row's hash
 * (the genesis hash for seq 1), each hash equal to sha256(prev_hash ‖ canonical payload), and the last row equal
 * to the head row. With `expect` (a head published earlier), the row at that seq must still carry that hash.
 * Reads one consistent snapshot (REPEATABLE READ, read only) so that concurrent appends do not look like damage.
 */
export async function verifyChain(
  db: Db,
  source: ChainSource,
  options: { expect?: PublishedHead; batchSize?: number } = {},
): Promise<ChainVerification> {
  const batchSize = options.batchSize ?? 1000
  const expected = options.expect
  return db.transaction(
    async (tx): Promise<ChainVerification> => {
      const head = await chainHead(tx, source.chain)
      let lastSeq = 0
      let lastHash = GENESIS_HASH
      let expectedSeen = false
      for (;;) {
        const rows = await source.readAfter(tx, lastSeq, batchSize)
        for (const row of rows) {
          const want = lastSeq + 1
          if (row.seq !== want)
            return { ok: false, firstBrokenSeq: Math.min(want, row.seq), reason: 'seq_gap' }
          if (row.prevHash !== lastHash)
            return { ok: false, firstBrokenSeq: row.seq, reason: 'prev_hash_mismatch' }
          if (chainHash(row.prevHash, row.payload) !== row.hash) {
            return { ok: false, firstBrokenSeq: row.seq, reason: 'hash_mismatch' }
          }
          if (expected && row.seq === expected.seq) {
            if (row.hash !== expected.hash) {
              return { ok: false, firstBrokenSeq: row.seq, reason: 'expected_head_mismatch' }
            }
            expectedSeen = true
          }
          lastSeq = row.seq
          lastHash = row.hash
        }
        if (rows.length < batchSize) break
      }
      if (head.seq !== lastSeq || head.hash !== lastHash) {
        // Head ahead: rows after the last one are missing. Head behind: rows were appended without it. Same seq,
        // other hash: the last row was rewritten (consistently with its predecessor), or the head was.
        const firstBrokenSeq = head.seq === lastSeq ? Math.max(1, lastSeq) : Math.min(head.seq, lastSeq) + 1
        return { ok: false, firstBrokenSeq, reason: 'head_mismatch' }
      }
      if (expected && expected.seq > 0 && !expectedSeen) {
        return { ok: false, firstBrokenSeq: lastSeq + 1, reason: 'expected_head_mismatch' }
      }
      return { ok: true, checked: lastSeq, headSeq: head.seq, headHash: head.hash }
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  )
}
