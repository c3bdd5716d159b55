import { createHash } from 'node:crypto'

/**
 * How stored files are named: the SHA-256 of their bytes in lower-case hex, and the extension of what they are. The
 * `files` table's check constraint holds the same pattern. A name computed from the content cannot collide with
 * another file, needs no coordination between processes, and makes the same upload twice one file.
 */
export const fileExtensions = ['webp', 'jpg', 'png', 'pdf'] as const
export type FileExtension = (typeof fileExtensions)[number]

export const FILE_KEY_PATTERN = /^[0-9a-f]{64}\.(webp|jpg|png|pdf)$/

export const contentTypes: Record<FileExtension, string> = {
  webp: 'image/webp',
  jpg: 'image/jpeg',
  png: 'image/png',
  pdf: 'application/pdf',
}

export function isFileKey(value: string): boolean {
  return FILE_KEY_PATTERN.test(value)
}

export function fileKeyFor(bytes: Uint8Array, extension: FileExtension): string {
  return `${createHash('sha256').update(bytes).digest('hex')}.${extension}`
}

/** Where the app serves a stored file (app/routes/files.$key.ts). */
export function fileUrl(key: string): string {
  return `/files/${key}`
}
