/**
 * The share of a sale credited to a product's beneficiary households. One function, used by the product page's
 * impact line and by payment confirmation, so what the page promises is exactly what the ledger credits.
 */
export type ProceedsRule =
  /** Basis points (1/10000) of the line amount, floored to the fen. */
  | { kind: 'basis_points'; basisPoints: number }
  /** A fixed number of fen per unit sold, never more than the line amount. */
  | { kind: 'fen_per_unit'; fenPerUnit: bigint }

export function lineProceedsFen(rule: ProceedsRule, line: { quantity: number; amountFen: bigint }): bigint {
  if (!Number.isSafeInteger(line.quantity) || line.quantity < 0)
    throw new RangeError('quantity must be a count')
  if (line.amountFen < 0n) throw new RangeError('amount must not be negative')
  if (rule.kind === 'basis_points') {
    if (!Number.isInteger(rule.basisPoints) || rule.basisPoints < 0 || rule.basisPoints > 10_000) {
      throw new RangeError('basis points must be 0–10000')
    }
    return (line.amountFen * BigInt(rule.basisPoints)) / 10_000n
  }
  if (rule.fenPerUnit < 0n) throw new RangeError('fen per unit must not be negative')
  const uncapped = rule.fenPerUnit * BigInt(line.quantity)
  return uncapped < line.amountFen ? uncapped : line.amountFen
}

/** Rebuilds a rule from its table row (one of the two columns is set, as the CHECK constraint guarantees). */
export function proceedsRuleFromRow(row: {
  kind: 'basis_points' | 'fen_per_unit'
  basisPoints: number | null
  fenPerUnit: bigint | null
}): ProceedsRule {
  if (row.kind === 'basis_points') return { kind: 'basis_points', basisPoints: row.basisPoints ?? 0 }
  return { kind: 'fen_per_unit', fenPerUnit: row.fenPerUnit ?? 0n }
}
