import type { OrganizationKind } from '../../../db/schema/organizations'

/** The organisation kinds that buy: a 预算单位, a 工会 and an enterprise. Everyone else buys as a consumer or not at all. */
export const buyerOrganizationKinds = ['gov_unit', 'trade_union', 'enterprise'] as const
export type BuyerOrganizationKind = (typeof buyerOrganizationKinds)[number]

export function isBuyerOrganizationKind(kind: string): kind is BuyerOrganizationKind {
  return (buyerOrganizationKinds as readonly string[]).includes(kind)
}

/**
 * An organisation's order: its channel is the organisation's kind (never `consumer`, whoever clicks), and its terms
 * the kind's: budget units and trade unions buy on account (对公, paid after they accept the goods), enterprises
 * prepay like consumers. Null for kinds that do not buy (cooperatives, offices, the platform).
 */
export function orderKindFor(
  kind: OrganizationKind | string,
): { channel: BuyerOrganizationKind; terms: 'prepaid' | 'on_account' } | null {
  if (!isBuyerOrganizationKind(kind)) return null
  return { channel: kind, terms: kind === 'enterprise' ? 'prepaid' : 'on_account' }
}
