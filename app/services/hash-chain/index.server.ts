/**
 * Hash chains for append-only tables (the audit log, the consumption-aid ledger), as docs/architecture.md §5
 * describes: seq = head.seq + 1 under the head row's lock (gap-free), hash = sha256(prev_hash ‖ canonical JSON of
 * the entry). The public face (server-only: the hashes use node:crypto, and nothing here is for the browser); other
 * code imports from here, never from the files beside it:
 *
 * - canonical-json.ts — the one text of a value that is hashed (pure);
 * - hash.server.ts — a link's hash, and the genesis hash the first entry links to;
 * - append.server.ts — appending in this process: lock the head, hash here, the caller inserts, move the head;
 * - sql-append.server.ts — the hot path (a payment confirmation): the database hashes, inserts and moves the heads
 *   of several chains in one statement sent right after the lock, so nothing comes back here under the locks;
 * - verify.server.ts — recomputes a chain and holds it to its head and to a head published earlier.
 */
export {
  appendManyToChain,
  appendToChain,
  chainHead,
  type ChainRow,
  type ChainRows,
  ensureChainHeads,
} from './append.server'
export {
  type CanonicalInput,
  canonicalJson,
  canonicalJsonAround,
  type JsonValue,
  toJsonValue,
} from './canonical-json'
export { type ChainEntry, chainHash, type ChainLink, GENESIS_HASH } from './hash.server'
export {
  type ChainAppend,
  preparedText,
  sendChainAppends,
  sqlArrayLiteral,
  StatementParams,
} from './sql-append.server'
export {
  type ChainBreakReason,
  type ChainSource,
  type ChainVerification,
  type PublishedHead,
  type StoredChainRow,
  verifyChain,
} from './verify.server'
