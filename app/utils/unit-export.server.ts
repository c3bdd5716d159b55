import { toCsv, toXlsx } from '~/services/exports/index.server'
import { unitPurchasesForYear } from '~/domains/procurement/index.server'
import type { Locale } from '~/utils/i18n'
import { translate } from '~/utils/i18n.server'
import { fenToYuanPlain } from '~/utils/money'

/** The unit's counted purchases of a year for 考核 (decision 022), as CSV or XLSX: headers in the page's language. */
export async function unitPurchasesFile(
  db: Parameters<typeof unitPurchasesForYear>[0],
  input: { orgId: string; year: number; format: 'csv' | 'xlsx'; locale: Locale },
): Promise<{ bytes: Buffer; fileName: string; contentType: string }> {
  const { rows } = await unitPurchasesForYear(db, { orgId: input.orgId, year: input.year })
  const t = (key: Parameters<typeof translate>[1], values?: Record<string, string>) =>
    translate(input.locale, key, values)
  const headers = [
    t('unit.export.col.order'),
    t('unit.export.col.date'),
    t('unit.export.col.cooperative'),
    t('unit.export.col.county'),
    t('unit.export.col.product'),
    t('unit.export.col.quantity'),
    t('unit.export.col.amount'),
    t('unit.export.col.paid'),
  ]
  const title = t('unit.export.title', { year: String(input.year) })
  const totalLabel = t('unit.export.total')
  const fileName = `unit-purchases-${input.year}`
  if (input.format === 'csv') {
    const total = rows.reduce((s, r) => s + r.amountFen, 0n)
    const quantity = rows.reduce((s, r) => s + r.quantity, 0)
    const bytes = toCsv([
      [title],
      headers,
      ...rows.map((r) => [
        r.orderNumber,
        r.orderedOn,
        r.cooperative,
        r.county,
        r.product,
        r.quantity,
        { decimal: fenToYuanPlain(r.amountFen) },
        r.paidOn ?? '',
      ]),
      [totalLabel, '', '', '', '', quantity, { decimal: fenToYuanPlain(total) }, ''],
    ])
    return { bytes, fileName: `${fileName}.csv`, contentType: 'text/csv; charset=utf-8' }
  }
  const bytes = await toXlsx({
    name: String(input.year),
    title,
    columns: [
      { header: headers[0]!, kind: 'text', width: 20 },
      { header: headers[1]!, kind: 'text', width: 12 },
      { header: headers[2]!, kind: 'text', width: 30 },
      { header: headers[3]!, kind: 'text', width: 12 },
      { header: headers[4]!, kind: 'text', width: 24 },
      { header: headers[5]!, kind: 'count' },
      { header: headers[6]!, kind: 'fen' },
      { header: headers[7]!, kind: 'text', width: 12 },
    ],
    rows: rows.map((r) => [
      r.orderNumber,
      r.orderedOn,
      r.cooperative,
      r.county,
      r.product,
      r.quantity,
      r.amountFen,
      r.paidOn,
    ]),
    totalLabel,
  })
  return {
    bytes,
    fileName: `${fileName}.xlsx`,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  }
}
