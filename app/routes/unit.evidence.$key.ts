import { createReadableStreamFromReadable, type LoaderFunctionArgs } from '@remix-run/node'
import { openPurchaseEvidence } from '~/domains/procurement/index.server'
import { FILE_KEY_PATTERN } from '~/services/files/keys.server'
import { getDb } from '~/utils/db.server'
import { requireAccess } from '~/utils/permissions.server'
import { unitActor } from '~/utils/unit-console.server'
import { routeParam } from '~/utils/validation'

/**
 * GET /unit/evidence/:key — the evidence of a purchase the unit recorded from elsewhere (PDF, JPEG or PNG). Only the
 * unit's members, acting for it, may read it; to anyone else it does not exist (404). Downloaded, never cached by a
 * shared cache.
 */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/unit.evidence.$key', 'loader')
  const key = routeParam(args.params, 'key', { pattern: FILE_KEY_PATTERN })
  const refused = (status: 400 | 404, message: string) =>
    new Response(message, {
      status,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
    })
  if (!key) throw refused(400, '文件名格式有误 / Malformed file name')
  const file = await openPurchaseEvidence(getDb(), { actor: unitActor(auth), key })
  if (!file) throw refused(404, '文件不存在 / No such file')
  return new Response(createReadableStreamFromReadable(file.stream), {
    headers: {
      'Content-Type': file.contentType,
      'Content-Length': String(file.size),
      'Cache-Control': 'private, no-cache',
      'Content-Disposition': `attachment; filename="${file.filename}"`,
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
    },
  })
}
