import { createHash } from 'node:crypto'
import { type CanonicalInput, canonicalJson } from './canonical-json'

/** The hash a chain's first entry links to. */
export const GENESIS_HASH = '0'.repeat(64)

export type ChainLink = { seq: number; prevHash: string }
export type ChainEntry = ChainLink & { hash: string }

/**
 * sha256 hex of prevHash ‖ text: a link's hash, given its predecessor's hash and its canonical JSON. The one
 * formula chainHash and the check of the database's hashes (sendChainAppends) share.
 */
export function linkHash(prevHash: string, canonicalText: string): string {
  return createHash('sha256').update(prevHash, 'utf8').update(canonicalText, 'utf8').digest('hex')
}

/** sha256 hex of prevHash ‖ canonicalJson(payload); an empty prevHash means the genesis hash (64 zeros). */
export function chainHash(prevHash: string, payload: CanonicalInput): string {
  return linkHash(prevHash === '' ? GENESIS_HASH : prevHash, canonicalJson(payload))
}

/** A seq as the drivers return it (a number, or int8 as text), checked. */
export function toSeq(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(value as string | bigint)
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`Not a chain seq: ${String(value)}`)
  return n
}
