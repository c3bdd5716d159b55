import { createReadableStreamFromReadable, type LoaderFunctionArgs } from '@remix-run/node'
import { openPublicFile } from '~/services/files/files.server'
import { FILE_KEY_PATTERN } from '~/services/files/keys.server'
import { defaultFileStore } from '~/services/files/store.server'
import { getDb } from '~/utils/db.server'
import { requireAccess } from '~/utils/permissions.server'
import { routeParam } from '~/utils/validation'

/**
 * GET /files/:key — a stored product photo. Its key is the hash of its bytes, so the content behind a URL never
 * changes: browsers and proxies may keep it for a year without asking again. Photos are public; other stored files
 * (certificate evidence) are not served here.
 */
export async function loader(args: LoaderFunctionArgs) {
  requireAccess(args, 'routes/files.$key', 'loader')
  const key = routeParam(args.params, 'key', { pattern: FILE_KEY_PATTERN })
  if (!key) {
    throw new Response('文件名格式有误 / Malformed file name', {
      status: 400,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    })
  }
  const etag = `"${key}"`
  const cacheHeaders = {
    'Cache-Control': 'public, max-age=31536000, immutable',
    ETag: etag,
    // X-Content-Type-Options: nosniff comes with every answer of the app (server/app.ts).
  }
  // The content behind a key never changes: a client that holds it (If-None-Match) needs no body.
  const ifNoneMatch = args.request.headers.get('If-None-Match') ?? ''
  const revalidating = ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)
  const file = await openPublicFile(getDb(), defaultFileStore(), key)
  if (!file) {
    throw new Response('文件不存在 / No such file', {
      status: 404,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
    })
  }
  if (revalidating) {
    file.stream.destroy()
    return new Response(null, { status: 304, headers: cacheHeaders })
  }
  return new Response(createReadableStreamFromReadable(file.stream), {
    headers: {
      ...cacheHeaders,
      'Content-Type': file.contentType,
      'Content-Length': String(file.size),
    },
  })
}
