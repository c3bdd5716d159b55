import type { LoaderFunctionArgs } from '@remix-run/node'
import { toCsv } from '~/services/exports/index.server'
import { fenToYuanPlain } from '~/utils/money'
import { exportTableFor } from '~/utils/office-export.server'
import { requireAccess } from '~/utils/permissions.server'

/** GET /office/targets/:id/export.csv?table=… — one dashboard table as CSV (UTF-8 with a BOM), with its total. */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/office.targets.$id_.export[.]csv', 'loader')
  const table = await exportTableFor(args, auth)
  const total = table.rows.reduce((sum, row) => sum + row[2], 0n)
  const csv = toCsv([
    [table.title],
    table.headers,
    ...table.rows.map(([label, key, fen]) => [label, key, { decimal: fenToYuanPlain(fen) }]),
    [table.totalLabel, '', { decimal: fenToYuanPlain(total) }],
  ])
  return new Response(new Uint8Array(csv), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${table.fileName}.csv"`,
      'Cache-Control': 'private, no-store',
    },
  })
}
