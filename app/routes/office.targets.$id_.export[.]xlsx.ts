import type { LoaderFunctionArgs } from '@remix-run/node'
import { toXlsx } from '~/services/exports/index.server'
import { exportTableFor } from '~/utils/office-export.server'
import { requireAccess } from '~/utils/permissions.server'

/** GET /office/targets/:id/export.xlsx?table=… — one dashboard table as a workbook: numeric cells, a total row. */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/office.targets.$id_.export[.]xlsx', 'loader')
  const table = await exportTableFor(args, auth)
  const bytes = await toXlsx({
    name: 'export',
    title: table.title,
    columns: [
      { header: table.headers[0], kind: 'text', width: 28 },
      { header: table.headers[1], kind: 'text', width: 38 },
      { header: table.headers[2], kind: 'fen' },
    ],
    rows: table.rows,
    totalLabel: table.totalLabel,
  })
  return new Response(new Uint8Array(bytes), {
    headers: {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="${table.fileName}.xlsx"`,
      'Cache-Control': 'private, no-store',
    },
  })
}
