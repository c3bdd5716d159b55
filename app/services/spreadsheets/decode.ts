import iconv from 'iconv-lite'

/**
 * A text file as people here send it: UTF-8 (with or without the BOM Excel writes for "CSV UTF-8"), UTF-16 with a
 * BOM (Excel's "Unicode text"), or GB18030 — what Excel on Chinese Windows saves as plain "CSV". UTF-8 is tried
 * first and strictly: GB18030 bytes are almost never valid UTF-8, while the reverse is not true, so the order
 * decides correctly in practice. Anything that decodes to replacement characters or NULs is not a text file.
 */
export type TextEncodingName = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'gb18030'

export type DecodedText =
  | { ok: true; text: string; encoding: TextEncodingName }
  | { ok: false; error: 'encoding' | 'binary' }

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b)
}

function strict(label: string, bytes: Uint8Array): string | null {
  try {
    return new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(bytes)
  } catch {
    return null
  }
}

function checked(text: string | null, encoding: TextEncodingName): DecodedText {
  if (text === null || text.includes('\uFFFD')) return { ok: false, error: 'encoding' }
  if (text.includes('\u0000')) return { ok: false, error: 'binary' }
  return { ok: true, text, encoding }
}

export function decodeText(bytes: Uint8Array): DecodedText {
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return checked(strict('utf-8', bytes.subarray(3)), 'utf-8-bom')
  if (startsWith(bytes, [0xff, 0xfe])) return checked(strict('utf-16le', bytes.subarray(2)), 'utf-16le')
  if (startsWith(bytes, [0xfe, 0xff])) return checked(strict('utf-16be', bytes.subarray(2)), 'utf-16be')
  const utf8 = strict('utf-8', bytes)
  if (utf8 !== null) return checked(utf8, 'utf-8')
  // iconv-lite never throws on bad input: it writes U+FFFD, which `checked` refuses.
  return checked(
    iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'gb18030'),
    'gb18030',
  )
}
