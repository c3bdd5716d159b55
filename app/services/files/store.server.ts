import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { getEnv } from '../../utils/env.server'
import { isFileKey } from './keys.server'

/**
 * Where the bytes of stored files live, named by their key (keys.server.ts). Local disk is the one implementation
 * today; the shape is what an object store (S3, OSS, MinIO) offers as well, so that a second implementation can
 * replace it without touching its callers. Keys are content hashes: a file never changes once written, so `put` of
 * a key that exists has nothing to do, and readers may cache forever.
 */
export type FileStore = {
  /** Stores the bytes under `key`; a stream is read to its end. Resolves once the file is durable and complete. */
  put(key: string, content: Uint8Array | Readable): Promise<void>
  /** The bytes of `key` as a stream, with their size; null when there is no such file. */
  open(key: string): Promise<{ stream: Readable; size: number } | null>
  exists(key: string): Promise<boolean>
}

function assertKey(key: string): void {
  // Keys reach file system paths: anything but the pattern (../, slashes, NUL) is refused before any path is built.
  if (!isFileKey(key)) throw new Error('Not a file key')
}

/**
 * Files under `root`, sharded by the first two hex characters of the key (`root/3f/3fa9….webp`), so that no one
 * directory holds hundreds of thousands of entries. Each file is written to a temporary name in its final directory
 * and renamed into place: rename is atomic within a file system, so a reader never sees half a file, and a crash
 * leaves at most a stray temporary file (named `.tmp-…`, never a key).
 */
export function localFileStore(root: string): FileStore {
  const pathOf = (key: string) => path.join(root, key.slice(0, 2), key)
  return {
    async put(key, content) {
      assertKey(key)
      const target = pathOf(key)
      if (await exists(target)) {
        if (content instanceof Readable) content.destroy()
        return
      }
      const dir = path.dirname(target)
      await fs.mkdir(dir, { recursive: true })
      const temporary = path.join(dir, `.tmp-${randomBytes(8).toString('hex')}`)
      try {
        const source = content instanceof Readable ? content : Readable.from([content])
        await pipeline(source, createWriteStream(temporary, { flags: 'wx' }))
        await fs.rename(temporary, target)
      } catch (error) {
        await fs.rm(temporary, { force: true })
        throw error
      }
    },
    async open(key) {
      assertKey(key)
      const file = pathOf(key)
      let handle: fs.FileHandle
      try {
        handle = await fs.open(file, 'r')
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
        throw error
      }
      try {
        const { size } = await handle.stat()
        // The stream owns the handle from here, and closes it when read to the end or destroyed.
        return { stream: handle.createReadStream(), size }
      } catch (error) {
        await handle.close()
        throw error
      }
    },
    async exists(key) {
      assertKey(key)
      return exists(pathOf(key))
    },
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file)
    return true
  } catch {
    return false
  }
}

/** The store the app uses: DATA_DIR/uploads. */
export function defaultFileStore(): FileStore {
  return localFileStore(path.join(getEnv().dataDir, 'uploads'))
}
