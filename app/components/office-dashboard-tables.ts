import type { MessageKey } from '~/utils/i18n'

/** Each dashboard table's title (message key), in the order the page shows them. */
export const tableTitles = {
  byHelpedRegion: 'office.dashboard.byHelpedRegion',
  byChannel: 'office.dashboard.byChannel',
  byHelperRegion: 'office.dashboard.byHelperRegion',
  byBuyer: 'office.dashboard.byBuyer',
  byCategory: 'office.dashboard.byCategory',
  byProduct: 'office.dashboard.byProduct',
} as const satisfies Record<string, MessageKey>

/** The dashboard's filters as a query string (links to exports and the printable summary keep them). */
export function filterQuery(filters: {
  from: string
  to: string
  helped: string | null
  helper: string | null
}) {
  const query = new URLSearchParams({ from: filters.from, to: filters.to })
  if (filters.helped) query.set('helped', filters.helped)
  if (filters.helper) query.set('helper', filters.helper)
  return query
}
