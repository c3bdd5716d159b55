import { createReadableStreamFromReadable, type LoaderFunctionArgs } from '@remix-run/node'
import { openEvidenceFile } from '~/domains/catalog/index.server'
import { FILE_KEY_PATTERN } from '~/services/files/keys.server'
import { getDb } from '~/utils/db.server'
import { requireAccess } from '~/utils/permissions.server'
import { routeParam } from '~/utils/validation'

/**
 * GET /coop/evidence/:key — a certificate's evidence file (PDF, JPEG or PNG, as uploaded). Not public: only the
 * members of the cooperative whose product the certificate is for, platform admins and the offices whose
 * jurisdiction covers the product's origin, each acting for that organisation, may read it; to anyone else it does
 * not exist (404). Never cached by a shared cache; downloaded rather than opened in the page's origin.
 */
export async function loader(args: LoaderFunctionArgs) {
  const auth = requireAccess(args, 'routes/coop.evidence.$key', 'loader')
  const key = routeParam(args.params, 'key', { pattern: FILE_KEY_PATTERN })
  const refused = (status: 400 | 404, message: string) =>
    new Response(message, {
      status,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
    })
  if (!key) throw refused(400, '文件名格式有误 / Malformed file name')
  const file = await openEvidenceFile(getDb(), {
    key,
    viewerUserId: auth.userId,
    orgId: auth.active?.orgId ?? null,
  })
  if (!file) throw refused(404, '文件不存在 / No such file')
  return new Response(createReadableStreamFromReadable(file.stream), {
    headers: {
      'Content-Type': file.contentType,
      'Content-Length': String(file.size),
      'Cache-Control': 'private, no-cache',
      'Content-Disposition': `attachment; filename="evidence.${key.slice(key.lastIndexOf('.') + 1)}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
    },
  })
}
