import { eq } from 'drizzle-orm'
import type { Readable } from 'node:stream'
import type { Db } from '../../../db/client.server'
import { files } from '../../../db/schema/files'
import type { Clock } from '../../utils/clock'
import { contentTypes, type FileExtension, isFileKey } from './keys.server'
import type { FileStore } from './store.server'

function extensionOf(key: string): FileExtension {
  return key.slice(key.lastIndexOf('.') + 1) as FileExtension
}

/**
 * Keeps files: their bytes go to the store first, then their `files` rows are registered (insert … on conflict do
 * nothing: the same content is one file, whoever uploaded it first). In that order a row never names bytes that
 * are not there; a crash between the two leaves bytes without a row, which nothing refers to and nothing serves.
 * Rows are written in key order in one statement, so concurrent uploads sharing content never wait on each other
 * in a circle.
 */
export async function saveFiles(
  db: Db,
  store: FileStore,
  items: ReadonlyArray<{ key: string; bytes: Uint8Array }>,
  createdBy: string | null,
  clock: Clock,
): Promise<void> {
  const unique = [...new Map(items.map((item) => [item.key, item])).values()].sort((a, b) =>
    a.key.localeCompare(b.key),
  )
  if (unique.length === 0) return
  for (const item of unique) {
    if (!isFileKey(item.key)) throw new Error('Not a file key')
    await store.put(item.key, item.bytes)
  }
  const now = clock.now()
  await db
    .insert(files)
    .values(
      unique.map((item) => ({
        key: item.key,
        contentType: contentTypes[extensionOf(item.key)],
        bytes: item.bytes.byteLength,
        createdBy,
        createdAt: now,
      })),
    )
    .onConflictDoNothing({ target: files.key })
}

export type OpenedFile = { contentType: string; size: number; stream: Readable }

/**
 * A stored file anyone may fetch, or null. Only the images the app re-encoded (WebP, stripped of metadata) are
 * public: product photos. Other kinds — certificate evidence (PDF, or images kept as uploaded) — will need a
 * route that checks who is asking, so they are not served here whoever knows their key.
 */
export async function openPublicFile(db: Db, store: FileStore, key: string): Promise<OpenedFile | null> {
  if (!isFileKey(key) || extensionOf(key) !== 'webp') return null
  const [row] = await db
    .select({ contentType: files.contentType })
    .from(files)
    .where(eq(files.key, key))
    .limit(1)
  if (!row) return null
  const opened = await store.open(key)
  return opened ? { contentType: row.contentType, ...opened } : null
}
