import type { Db } from '../../../db/client.server'
import { outbox } from '../../../db/schema/outbox'

/**
 * Records, inside the transaction that changes a product, that the search index must follow (the transactional
 * outbox; the search domain applies the rows in its job). Call it from every function that creates, edits,
 * re-prices, certifies, illustrates or delists a product.
 *
 * It lives in the catalogue, which makes the changes, rather than in search, which applies them: search reads the
 * catalogue's cards, so a catalogue module importing search would close an import cycle.
 */
export async function recordProductChange(tx: Db, skus: readonly string[]): Promise<void> {
  if (skus.length === 0) return
  await tx.insert(outbox).values(skus.map((sku) => ({ topic: 'search.product' as const, key: sku })))
}
