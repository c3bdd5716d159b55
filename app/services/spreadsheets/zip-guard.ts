import { inflateRawSync } from 'node:zlib'

/**
 * An XLSX file is a zip archive, and a zip can declare small sizes and inflate to gigabytes (a "zip bomb"). Before
 * any XLSX library sees the bytes, every entry is inflated here with a hard output budget (zlib's
 * `maxOutputLength`), so the archive's own claims are never trusted: the whole file either fits in the budget or is
 * refused. ZIP64, encryption and methods other than stored/deflate are refused — Excel writes none of them.
 */
export type ZipCheck =
  | { ok: true; entries: string[]; inflatedBytes: number }
  | { ok: false; error: 'not_zip' | 'unsupported' | 'too_large' | 'too_many_entries' }

const EOCD = 0x06054b50
const CENTRAL = 0x02014b50
const LOCAL = 0x04034b50

export function checkZip(bytes: Buffer, limits: { maxInflatedBytes: number; maxEntries: number }): ZipCheck {
  const eocd = findEndOfCentralDirectory(bytes)
  if (eocd < 0) return { ok: false, error: 'not_zip' }
  const count = bytes.readUInt16LE(eocd + 10)
  const directoryOffset = bytes.readUInt32LE(eocd + 16)
  if (count === 0xffff || directoryOffset === 0xffffffff) return { ok: false, error: 'unsupported' }
  if (count > limits.maxEntries) return { ok: false, error: 'too_many_entries' }
  const entries: string[] = []
  let budget = limits.maxInflatedBytes
  let at = directoryOffset
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== CENTRAL) return { ok: false, error: 'not_zip' }
    const flags = bytes.readUInt16LE(at + 8)
    const method = bytes.readUInt16LE(at + 10)
    const compressedSize = bytes.readUInt32LE(at + 20)
    const nameLength = bytes.readUInt16LE(at + 28)
    const extraLength = bytes.readUInt16LE(at + 30)
    const commentLength = bytes.readUInt16LE(at + 32)
    const localOffset = bytes.readUInt32LE(at + 42)
    entries.push(bytes.toString('utf8', at + 46, at + 46 + nameLength))
    at += 46 + nameLength + extraLength + commentLength
    if (flags & 0x1) return { ok: false, error: 'unsupported' }
    if (compressedSize === 0xffffffff || localOffset === 0xffffffff)
      return { ok: false, error: 'unsupported' }
    if (localOffset + 30 > bytes.length || bytes.readUInt32LE(localOffset) !== LOCAL) {
      return { ok: false, error: 'not_zip' }
    }
    const dataStart =
      localOffset + 30 + bytes.readUInt16LE(localOffset + 26) + bytes.readUInt16LE(localOffset + 28)
    if (dataStart + compressedSize > bytes.length) return { ok: false, error: 'not_zip' }
    const data = bytes.subarray(dataStart, dataStart + compressedSize)
    if (method === 0) {
      budget -= data.length
    } else if (method === 8) {
      try {
        budget -= inflateRawSync(data, { maxOutputLength: Math.max(1, budget) }).length
      } catch (error) {
        if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
          return { ok: false, error: 'too_large' }
        }
        return { ok: false, error: 'not_zip' }
      }
    } else {
      return { ok: false, error: 'unsupported' }
    }
    if (budget < 0) return { ok: false, error: 'too_large' }
  }
  return { ok: true, entries, inflatedBytes: limits.maxInflatedBytes - budget }
}

function findEndOfCentralDirectory(bytes: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65,535 bytes, at the very end.
  const stop = Math.max(0, bytes.length - 22 - 0xffff)
  for (let i = bytes.length - 22; i >= stop; i--) {
    if (bytes.readUInt32LE(i) === EOCD) return i
  }
  return -1
}
