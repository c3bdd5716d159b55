/** Quantity-break pricing: from a tier's min_qty on, every unit costs that tier's price. */
export type PriceTier = { minQty: number; unitPriceFen: bigint }

export function unitPriceFor(quantity: number, basePriceFen: bigint, tiers: readonly PriceTier[]): bigint {
  let price = basePriceFen
  let reached = 0
  for (const tier of tiers) {
    if (quantity >= tier.minQty && tier.minQty > reached) {
      price = tier.unitPriceFen
      reached = tier.minQty
    }
  }
  return price
}
